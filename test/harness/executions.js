// @ts-check
/** Reading n8n executions as the public API returns them: runs, per-node outputs and errors. */
'use strict';

/** Statuses after which an execution changes no more. */
const TERMINAL_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * @typedef {object} Execution
 * @property {string} id
 * @property {string} status   success | error | crashed | canceled | running | waiting | new
 * @property {string} mode     webhook | trigger | manual | ...
 * @property {string} startedAt
 * @property {string | null} stoppedAt
 * @property {Record<string, any[]>} runData  data.resultData.runData (node name -> runs)
 * @property {any} [error]     data.resultData.error, when the execution failed
 * @property {string} [lastNodeExecuted]
 * @property {any} raw         the execution as the public API returned it
 */

/** @param {any} raw @returns {Execution} */
function toExecution(raw) {
	const resultData = raw?.data?.resultData ?? {};
	return {
		id: String(raw.id),
		status: raw.status,
		mode: raw.mode,
		startedAt: raw.startedAt,
		stoppedAt: raw.stoppedAt ?? null,
		runData: resultData.runData ?? {},
		error: resultData.error,
		lastNodeExecuted: resultData.lastNodeExecuted,
		raw,
	};
}

/** @param {Execution} execution @param {string} nodeName */
function firstRun(execution, nodeName) {
	const runs = execution.runData?.[nodeName];
	if (!runs || runs.length === 0) {
		const ran = Object.keys(execution.runData ?? {});
		throw new Error(
			`n8n harness: node "${nodeName}" did not run in execution ${execution.id} (status ${execution.status}); nodes that ran: ${ran.length ? ran.map((n) => `"${n}"`).join(', ') : '(none)'}` +
				(execution.error ? `; execution error: ${execution.error.message ?? JSON.stringify(execution.error)}` : ''),
		);
	}
	return runs[0];
}

/**
 * `json` of every item on output 0 of the node's first run.
 * @param {Execution} execution @param {string} nodeName @returns {any[]}
 */
function nodeOutput(execution, nodeName) {
	return nodeOutputs(execution, nodeName)[0] ?? [];
}

/**
 * `json` items of every output of the node's first run: result[outputIndex] = items
 * (for multi-output nodes such as a trigger with one output per status).
 * @param {Execution} execution @param {string} nodeName @returns {any[][]}
 */
function nodeOutputs(execution, nodeName) {
	const run = firstRun(execution, nodeName);
	const main = run?.data?.main ?? [];
	return main.map((/** @type {any[] | null} */ items) => (items ?? []).map((item) => item.json));
}

/**
 * The error of the node's first run (undefined when it succeeded or did not run). Shape:
 * `{ message, description?, name?, httpCode?, ... }` as n8n serialised it.
 * @param {Execution} execution @param {string} nodeName
 */
function nodeError(execution, nodeName) {
	const runs = execution.runData?.[nodeName];
	if (runs?.[0]?.error) return runs[0].error;
	if (execution.error && execution.lastNodeExecuted === nodeName) return execution.error;
	return undefined;
}

/**
 * The items a start node (trigger, webhook) handed to an execution, whether or not the node ran: a
 * run's output when it did, else the input n8n queued for it (`executionData.nodeExecutionStack`),
 * which is what an execution saved at its start and then cut off (crashed) still holds, even after
 * n8n's crash recovery replaced its run data with placeholders.
 * Every output's items, flattened. @param {Execution} execution @param {string} nodeName @returns {any[]}
 */
function startItems(execution, nodeName) {
	const run = execution.runData?.[nodeName]?.[0];
	const ran = (run?.data?.main ?? []).flatMap((/** @type {any[] | null} */ items) => (items ?? []).map((item) => item.json));
	// n8n's crash recovery rebuilds the run data of a crashed execution from its event log, with a
	// placeholder item per node ({ isArtificialRecoveredEventItem: true }); the real items are still
	// on the execution stack it saved at the start.
	if (ran.length > 0 && !ran.every((/** @type {any} */ json) => json?.isArtificialRecoveredEventItem === true)) return ran;
	const stack = execution.raw?.data?.executionData?.nodeExecutionStack ?? [];
	const queued = stack.find((/** @type {any} */ entry) => entry?.node?.name === nodeName);
	return (queued?.data?.main ?? []).flatMap((/** @type {any[] | null} */ items) => (items ?? []).map((item) => item.json));
}

/**
 * The custom data a node set on the execution (`$execution.customData`), as n8n 2.x's public API
 * returns it: a record, or a list of `{ key, value }`. Empty when none is set, or on an n8n that does not
 * return it. @param {Execution} execution @returns {Record<string, string>}
 */
function customDataOf(execution) {
	const data = execution.raw?.customData;
	if (Array.isArray(data)) return Object.fromEntries(data.map((/** @type {any} */ entry) => [String(entry.key), String(entry.value)]));
	return data && typeof data === 'object' ? /** @type {Record<string, string>} */ (data) : {};
}

/**
 * The events the 1MSG Trigger's run dropped as already run by another execution (their `dedupeKey`s),
 * from the custom data it sets on such an execution. @param {Execution} execution @returns {string[]}
 */
function repeatedEventsOf(execution) {
	const listed = customDataOf(execution).repeatedEvents;
	return listed ? listed.split(' ').filter(Boolean) : [];
}

module.exports = { TERMINAL_STATUSES, toExecution, nodeOutput, nodeOutputs, nodeError, startItems, customDataOf, repeatedEventsOf };
