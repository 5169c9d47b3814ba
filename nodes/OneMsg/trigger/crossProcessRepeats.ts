/**
 * The repeat check a trigger's run makes in n8n's database, where every n8n process sees it.
 *
 * The repeat filter of `repeats.ts` lives in the memory of the process that receives a webhook. In
 * queue mode with several webhook processes, a status 1MSG posts again (its retry after a timeout, a
 * guaranteedHooks repeat) can reach another process, which starts a second execution: n8n offers a
 * webhook no store it can write before n8n answers (`IWebhookFunctions` has no deduplication helpers,
 * and static data is saved only after the answer, whole). The run itself can: n8n calls the trigger's
 * `execute` first in every execution, on the worker, with the events the webhook took, and there the
 * deduplication store is at hand. An event whose key a run of another execution recorded is dropped,
 * so the second execution ends at the trigger with nothing to pass on.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { NodeRecords } from '../shared/nodeRecords';

/** Keys kept in the store by default: each run writes the whole list, so it stays a few hundred kB. */
export const DEFAULT_EVENTS_REMEMBERED = 10_000;

/**
 * Pauses between tries when the database does not answer (it restarts, a failover): about a minute
 * in all, then the run fails and keeps its events for a Retry.
 */
const STORE_RETRY_PAUSES_MS = [500, 1000, 2000, 4000, 8000, 15_000, 30_000];

/**
 * Modes whose events are checked. A production webhook run is `webhook`; the editor's test listener
 * (`manual`) must see every event, and a Retry from the execution list (`retry`) is the user asking
 * for the events to run again, e.g. after a run that crashed once it had recorded them.
 */
const CHECKED_MODES = new Set(['webhook']);

/** The value that marks one execution's run: a run of the same execution again keeps its events. */
export function executionMark(executionId: string): string {
	return `execution:${executionId}`;
}

/**
 * Which events a run passes on, given what the store answered was recorded before this run's call
 * (`processed`). Pure: the store is asked by `dropRepeatsSeenElsewhere`.
 * - the execution's own mark recorded before: this execution ran already (a worker picked its job up
 *   again after a crash), so its events are its own and all pass;
 * - otherwise an event passes when its key was not recorded, and once per run.
 */
export function eventsToPass(keys: readonly string[], processed: ReadonlySet<string>, executionId: string): boolean[] {
	if (processed.has(executionMark(executionId))) return keys.map(() => true);
	const passed = new Set<string>();
	return keys.map((key) => {
		// An event without a key cannot be told apart from another: it passes, as before the check.
		if (key === '') return true;
		if (processed.has(key) || passed.has(key)) return false;
		passed.add(key);
		return true;
	});
}

export interface RepeatCheck {
	/** The events that go on, in their order. */
	items: INodeExecutionData[];
	/** The keys of the events dropped as repeats another execution had already run. */
	dropped: string[];
	/** False when the run was not checked (test listener, Retry, an n8n without the store). */
	checked: boolean;
}

/**
 * Records this run's event keys (`dedupeKey`) with the execution's mark, and drops the events another
 * execution recorded first. Two runs of one worker take turns on the store (NodeRecords); a second
 * worker's run is covered by NodeRecords' read-back, within the window the README gives.
 */
export async function dropRepeatsSeenElsewhere(this: IExecuteFunctions, items: INodeExecutionData[], eventsRemembered: number): Promise<RepeatCheck> {
	const records = new NodeRecords(this, eventsRemembered);
	if (!CHECKED_MODES.has(this.getMode()) || !records.available || items.length === 0) {
		return { items, dropped: [], checked: false };
	}
	const executionId = String(this.getExecutionId() ?? '');
	const keys = items.map((item) => String((item.json as IDataObject).dedupeKey ?? ''));
	const values = [executionMark(executionId), ...new Set(keys.filter((key) => key !== ''))];
	const processed = await recordWithPatience.call(this, records, values);
	const pass = eventsToPass(keys, processed, executionId);
	await records.confirm(values.filter((value) => !processed.has(value)));
	return { items: items.filter((_item, i) => pass[i]), dropped: keys.filter((_key, i) => !pass[i]), checked: true };
}

async function recordWithPatience(this: IExecuteFunctions, records: NodeRecords, values: string[]): Promise<Set<string>> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await records.record(values);
		} catch (error) {
			if (attempt >= STORE_RETRY_PAUSES_MS.length) {
				throw new NodeOperationError(this.getNode(), `Could not check n8n's database for repeated events: ${(error as Error).message}`, {
					description:
						'The events are kept in this execution. Retry it from the execution list once the database answers: a Retry passes them on without the check.',
				});
			}
			await sleep(STORE_RETRY_PAUSES_MS[attempt]);
		}
	}
}
