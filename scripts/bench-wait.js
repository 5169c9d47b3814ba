#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Send and Wait benchmark: the example workflow (CRM event → Send and Wait for Outcome → fallbacks) in a
 * real n8n 2.41.1 against the fake 1MSG channel. Of the items, two thirds are delivered after 1 to 4 s,
 * one sixth fail, one sixth are never delivered. Prints the node's time against its time limit and the
 * hookInfo polls per message (median and max, per outcome). A benchmark, not a test.
 *
 *   npm run bench:wait [-- --items 30 --limit 10 --runs 3 --latency 50 --rate 0]
 */

const { flag } = require('./flags');
const { ensureN8nInstalled, startN8n } = require('../test/harness/n8n');
const { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } = require('../test/fake-1msg/server');
const { credentialJson } = require('../test/e2e/workflows');
const example = require('../examples/crm-send-and-wait-fallback.json');


const N = flag('items', 30);
const LIMIT_S = flag('limit', 10);
const RUNS = flag('runs', 3);
const LATENCY = flag('latency', 50);
/** Max Messages per Second of the node; 0 = no cap. */
const RATE = flag('rate', 0);

const NODE = 'Send and Wait for Outcome';

/** @param {number} i */
const phoneOf = (i) => `7998${String(i).padStart(7, '0')}`;

/** @param {number} i @returns {'delivered' | 'failed' | 'never'} */
const planOf = (i) => (i % 6 < 4 ? 'delivered' : i % 6 === 4 ? 'failed' : 'never');

/** @param {number[]} values */
function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function workflow() {
	const copy = JSON.parse(JSON.stringify(example));
	const node = copy.nodes.find((/** @type {any} */ candidate) => candidate.name === NODE);
	node.parameters.waitTimeLimit = LIMIT_S;
	node.parameters.options = { ...node.parameters.options, ...(RATE > 0 ? { maxPerSecond: RATE } : {}) };
	return copy;
}

async function main() {
	ensureN8nInstalled();
	const fake = await startFake1msg({ ackDelayMs: 200, latencyMs: LATENCY });
	const flow = workflow();
	const n8n = await startN8n({
		credentials: credentialJson({ baseUrl: fake.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
		workflows: [flow],
		publish: [flow.id],
	});
	const path = `webhook/${flow.nodes.find((/** @type {any} */ n) => n.name === 'CRM Event').parameters.path}`;
	/** @type {Array<{ ms: number, polls: Record<string, number[]>, outputs: number[] }>} */
	const runs = [];
	try {
		for (let run = 0; run < RUNS; run++) {
			fake.reset();
			const orders = Array.from({ length: N }, (_, i) => {
				const phone = phoneOf(i);
				const plan = planOf(i);
				if (plan === 'delivered') fake.setDeliveryPlan(phone, { outcome: 'delivered', afterMs: 1000 + (i % 4) * 1000 });
				else if (plan === 'failed') fake.setDeliveryPlan(phone, { outcome: 'failed', afterMs: 2000, error: { text: "User's number is part of an experiment" } });
				else fake.setDeliveryPlan(phone, { outcome: 'never' });
				return { orderId: `B-${i}`, phone, customerName: `Client ${i}`, orderNumber: String(50_000 + i), pendingAction: 'delivery slot confirmation', reminderNote: 'Please reply by 6:00 PM' };
			});
			await n8n.postWebhook(path, { orders });
			const executions = await n8n.waitForExecutions(flow.id, run + 1, (LIMIT_S + 120) * 1000);
			const execution = executions[executions.length - 1];
			const task = execution.runData[NODE][0];
			const pollsById = new Map();
			for (const request of fake.requests) {
				if (!request.path.endsWith('/hookInfo')) continue;
				pollsById.set(request.query.messageId, (pollsById.get(request.query.messageId) ?? 0) + 1);
			}
			/** @type {Record<string, number[]>} */
			const polls = { delivered: [], failed: [], never: [], all: [] };
			fake.sends.forEach((/** @type {{ id: string, phone: string }} */ send) => {
				const count = pollsById.get(send.id) ?? 0;
				polls[planOf(Number(send.phone.slice(4)))].push(count);
				polls.all.push(count);
			});
			runs.push({ ms: Number(task.executionTime), polls, outputs: task.data.main.map((/** @type {any[]} */ items) => (items ?? []).length) });
		}
	} finally {
		await n8n.stop();
		await fake.close();
	}

	const rows = runs.map((run, i) => {
		const figure = (/** @type {number[]} */ values) => `${median(values)} / ${Math.max(...values)}`;
		return `| ${i + 1} | ${(run.ms / 1000).toFixed(2)} | ${LIMIT_S} | ${run.outputs.join(' / ')} | ${figure(run.polls.all)} | ${figure(run.polls.delivered)} | ${figure(run.polls.failed)} | ${figure(run.polls.never)} |`;
	});
	const lines = [
		`Send and Wait for Outcome: ${N} items, time limit ${LIMIT_S} s, ${LATENCY} ms latency per request, Max Messages per Second ${RATE || 'off'}; polls are median / max per message`,
		'',
		'| run | node time (s) | time limit (s) | delivered / failed / no outcome yet | polls, all | polls, delivered | polls, failed | polls, never delivered |',
		'|---|---|---|---|---|---|---|---|',
		...rows,
	];
	process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
