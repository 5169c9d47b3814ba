#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Throughput benchmark: a real n8n (2.41.1; N8N_UNDER_TEST=1.x: 1.123.81) and the fake 1MSG channel with injected latency.
 * Prints one table: the 1MSG Template node at concurrency 1 and 10, the ideal N·L/C, n8n's own HTTP
 * Request node posting the same bodies with its default settings, the node's CPU time per item and
 * peak memory. Medians of several runs; a benchmark, not a test: nothing here passes or fails.
 *
 *   npm run bench [-- --items 1000 --latency 100 --runs 3 --c1-runs 1 --cpu-items 10000]
 */

const { flag } = require('./flags');
const fs = require('node:fs');
const path = require('node:path');

const { ensureN8nInstalled, selectRuntime, startN8n } = require('../test/harness/n8n');
const { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } = require('../test/fake-1msg/server');
const { CREDENTIAL, TEMPLATE_TYPE, credentialJson } = require('../test/e2e/workflows');


const N = flag('items', 1000);
const LATENCY = flag('latency', 100);
const RUNS = flag('runs', 3);
const C1_RUNS = flag('c1-runs', 1);
const CPU_ITEMS = flag('cpu-items', 10_000);
/** WhatsApp's default throughput per business number, messages per second. */
const RATE = flag('rate', 80);

const TEMPLATE = 'client_inactivity_notification';
const NAMESPACE = 'dummy_namespace_1a2b3c';

/** @param {number} i */
const phoneOf = (i) => `7999${String(i).padStart(7, '0')}`;

/** The body the 1MSG Template node sends for item i, posted as-is by the HTTP Request node. */
function sendBody(/** @type {number} */ i) {
	return {
		phone: phoneOf(i),
		template: TEMPLATE,
		namespace: NAMESPACE,
		language: { policy: 'deterministic', code: 'en' },
		params: [{ type: 'body', parameters: [{ type: 'text', text: `Client ${i}` }, { type: 'text', text: 'account setup' }] }],
	};
}

/** Webhook → Split Out (body.items) → one sending node; answers when the run ends. */
function benchWorkflow(/** @type {string} */ id, /** @type {string} */ pathName, /** @type {Record<string, any>} */ sender) {
	return {
		id,
		name: `bench ${pathName}`,
		active: false,
		nodes: [
			{
				id: `${id}-in`,
				name: 'Items',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id}-hook`,
				parameters: { httpMethod: 'POST', path: pathName, responseMode: 'lastNode', responseData: 'noData', options: {} },
			},
			{
				id: `${id}-split`,
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [200, 0],
				parameters: { fieldToSplitOut: 'body.items', options: {} },
			},
			{ ...sender, id: `${id}-send`, name: 'Send', position: [400, 0] },
		],
		connections: {
			Items: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

function templateSender(/** @type {number} */ concurrency, /** @type {number} */ maxPerSecond = 0, skipAlreadySent = 'retries') {
	return {
		type: TEMPLATE_TYPE,
		typeVersion: 1,
		onError: 'continueRegularOutput',
		credentials: { oneMsgChannelApi: { ...CREDENTIAL } },
		parameters: {
			operation: 'sendTemplate',
			scenario: 'clientInactivityNotification',
			template: { __rl: true, mode: 'list', value: `${TEMPLATE}|en` },
			phone: '={{ $json.phone }}',
			customerName: '={{ $json.name }}',
			incompleteAction: '={{ $json.action }}',
			// `retries` is the default: every send's key is recorded in n8n's store. `off` records nothing.
			options: { concurrency, maxPerSecond, maxRetries: maxPerSecond ? 5 : 0, skipAlreadySent },
		},
	};
}

function httpRequestSender(/** @type {string} */ baseUrl) {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		onError: 'continueRegularOutput',
		parameters: {
			method: 'POST',
			url: `${baseUrl}/${DEFAULT_CHANNEL_ID}/sendTemplate`,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${DEFAULT_TOKEN}` }] },
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json.request) }}',
			options: {},
		},
	};
}

const median = (/** @type {number[]} */ values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** CPU seconds (user + system) of a process and its peak RSS, from /proc. */
function procStats(/** @type {number} */ pid) {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const ticks = Number(fields[11]) + Number(fields[12]);
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
	return { cpuSeconds: ticks / 100, peakRssMb: hwm / 1024 };
}

async function main() {
	ensureN8nInstalled();
	const fake = await startFake1msg({ latencyMs: LATENCY });
	const workflows = [
		benchWorkflow('wfBenchTplC00001', 'bench-c1', templateSender(1)),
		benchWorkflow('wfBenchTplC00010', 'bench-c10', templateSender(10)),
		benchWorkflow('wfBenchTplSkpOff', 'bench-c10-skip-off', templateSender(10, 0, 'off')),
		benchWorkflow('wfBenchHttpReq01', 'bench-http', httpRequestSender(fake.baseUrl)),
		benchWorkflow('wfBenchTplRate80', 'bench-rate80', templateSender(10, RATE)),
	];
	const n8n = await startN8n({
		credentials: credentialJson({ baseUrl: fake.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
		workflows,
		publish: workflows.map((w) => w.id),
	});

	/** Runs one workflow over `count` items; returns the sending node's time and what the fake saw. */
	async function measure(
		/** @type {string} */ pathName,
		/** @type {string} */ workflowId,
		/** @type {number} */ count,
		/** @type {boolean} */ http,
		rateLimit = 0,
	) {
		fake.reset();
		fake.setLatency(LATENCY);
		fake.setRateLimit(rateLimit);
		const items = Array.from({ length: count }, (_v, i) =>
			http ? { request: sendBody(i) } : { phone: phoneOf(i), name: `Client ${i}`, action: 'account setup' },
		);
		const before = (await n8n.executions(workflowId, { includeData: false })).length;
		const started = Date.now();
		const response = await n8n.postWebhook(`webhook/${pathName}`, { items }, { timeoutMs: 600_000 });
		const wallMs = Date.now() - started;
		if (response.status !== 200) throw new Error(`${pathName} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
		const executions = await n8n.waitForExecutions(workflowId, before + 1, 60_000);
		const execution = executions[executions.length - 1];
		const run = execution.runData?.Send?.[0];
		const sent = new Set(fake.sends.map((/** @type {{ phone: string }} */ s) => s.phone)).size;
		const duplicates = fake.sends.length - sent;
		const templateLists = fake.requests.filter((/** @type {{ path: string }} */ r) => r.path.endsWith('/templates')).length;
		const refused429 = fake.rejected.filter((/** @type {{ status: number }} */ r) => r.status === 429).length;
		return { nodeMs: run?.executionTime ?? NaN, wallMs, sent, duplicates, templateLists, refused429 };
	}

	/** @type {Record<string, Array<Awaited<ReturnType<typeof measure>>>>} */
	const results = { c1: [], c10: [], c10SkipOff: [], http: [], httpLimited: [], rateLimited: [] };
	try {
		for (let r = 0; r < RUNS; r++) {
			process.stderr.write(`run ${r + 1}/${RUNS}: concurrency 10, HTTP Request\n`);
			results.c10.push(await measure('bench-c10', 'wfBenchTplC00010', N, false));
			results.c10SkipOff.push(await measure('bench-c10-skip-off', 'wfBenchTplSkpOff', N, false));
			results.http.push(await measure('bench-http', 'wfBenchHttpReq01', N, true));
		}
		for (let r = 0; r < RUNS; r++) {
			process.stderr.write(`run ${r + 1}/${RUNS}: channel limited to ${RATE} messages/s\n`);
			results.httpLimited.push(await measure('bench-http', 'wfBenchHttpReq01', N, true, RATE));
			results.rateLimited.push(await measure('bench-rate80', 'wfBenchTplRate80', N, false, RATE));
		}
		for (let r = 0; r < C1_RUNS; r++) {
			process.stderr.write(`run ${r + 1}/${C1_RUNS}: concurrency 1 (about ${((N * LATENCY) / 1000).toFixed(0)} s)\n`);
			results.c1.push(await measure('bench-c1', 'wfBenchTplC00001', N, false));
		}

		// Zero latency, many items: CPU of n8n's main process per item, and its peak memory.
		process.stderr.write(`CPU run: ${CPU_ITEMS} items, no latency\n`);
		const pid = /** @type {number} */ (n8n.pid);
		const cpuBefore = procStats(pid);
		const cpuRun = await (async () => {
			fake.reset();
			fake.setLatency(0); // after reset(), which restores the starting latency
			const items = Array.from({ length: CPU_ITEMS }, (_v, i) => ({ phone: phoneOf(i), name: `Client ${i}`, action: 'account setup' }));
			const before = (await n8n.executions('wfBenchTplC00010', { includeData: false })).length;
			await n8n.postWebhook('webhook/bench-c10', { items }, { timeoutMs: 600_000 });
			const executions = await n8n.waitForExecutions('wfBenchTplC00010', before + 1, 120_000);
			return { nodeMs: executions[executions.length - 1].runData?.Send?.[0]?.executionTime ?? NaN, sent: fake.sends.length };
		})();
		const cpuAfter = procStats(pid);

		// The node's own code per item (checks, params, output), apart from HTTP and n8n: see bench-node-cpu.js.
		const { nodeCpuPerItemMs } = require('./bench-node-cpu');
		const ownCpu = await nodeCpuPerItemMs(CPU_ITEMS);

		const ideal = (/** @type {number} */ c) => (N * LATENCY) / c;
		const row = (/** @type {string} */ label, /** @type {typeof results.c1} */ runs, /** @type {number} */ idealMs) => {
			const ms = median(runs.map((x) => x.nodeMs));
			return { label, seconds: ms / 1000, ratio: idealMs ? ms / idealMs : NaN, sent: Math.min(...runs.map((x) => x.sent)), duplicates: Math.max(...runs.map((x) => x.duplicates)), lists: Math.max(...runs.map((x) => x.templateLists)), runs: runs.length };
		};
		const limitedRow = (/** @type {string} */ label, /** @type {typeof results.c1} */ runs) =>
			`| ${label} | ${runs.length} | ${(median(runs.map((x) => x.nodeMs)) / 1000).toFixed(2)} | ${(N / RATE).toFixed(2)} | ${median(runs.map((x) => x.sent))} | ${median(runs.map((x) => x.refused429))} | ${Math.max(...runs.map((x) => x.duplicates))} |`;
		const rows = [
			row('1MSG Template, concurrency 1', results.c1, ideal(1)),
			row('1MSG Template, concurrency 10', results.c10, ideal(10)),
			row('HTTP Request node, defaults', results.http, 0),
			row('1MSG Template, concurrency 10, Skip Messages Already Sent off', results.c10SkipOff, ideal(10)),
		];
		const c10 = rows[1].seconds;
		const http = rows[2].seconds;
		const lines = [
			`N = ${N} items, latency L = ${LATENCY} ms (fake 1MSG on loopback), n8n ${selectRuntime().version}; times are the sending node's execution time, median of the runs`,
			'',
			'| run | runs | time (s) | ideal N·L/C (s) | time / ideal | sent | duplicates | template-list requests |',
			'|---|---|---|---|---|---|---|---|',
			`| ${rows[0].label} | ${rows[0].runs} | ${rows[0].seconds.toFixed(2)} | ${(ideal(1) / 1000).toFixed(2)} | ${rows[0].ratio.toFixed(3)} | ${rows[0].sent} | ${rows[0].duplicates} | ${rows[0].lists} |`,
			`| ${rows[1].label} | ${rows[1].runs} | ${rows[1].seconds.toFixed(2)} | ${(ideal(10) / 1000).toFixed(2)} | ${rows[1].ratio.toFixed(3)} | ${rows[1].sent} | ${rows[1].duplicates} | ${rows[1].lists} |`,
			`| ${rows[2].label} | ${rows[2].runs} | ${rows[2].seconds.toFixed(2)} | – | – | ${rows[2].sent} | ${rows[2].duplicates} | – |`,
			`| ${rows[3].label} | ${rows[3].runs} | ${rows[3].seconds.toFixed(2)} | ${(ideal(10) / 1000).toFixed(2)} | ${rows[3].ratio.toFixed(3)} | ${rows[3].sent} | ${rows[3].duplicates} | ${rows[3].lists} |`,
			'',
			`Skip Messages Already Sent (records in n8n's store, default) against off, C = 10: ${((rows[1].seconds * 1000) / N).toFixed(2)} vs ${((rows[3].seconds * 1000) / N).toFixed(2)} ms per send, ${(((rows[1].seconds - rows[3].seconds) * 1000) / N).toFixed(3)} ms per send for the records (${(rows[1].seconds / rows[3].seconds).toFixed(3)}×)`,
			'',
			`HTTP Request node time / 1MSG Template (C = 10) time: ${(http / c10).toFixed(2)}× (at its defaults the HTTP Request node sends all items at once)`,
			'',
			`With the channel limited to ${RATE} messages/s (WhatsApp's default per number; the fake answers 429 beyond, sending nothing):`,
			'',
			'| run | runs | time (s) | ideal N/rate (s) | sent | refused with 429 | duplicates |',
			'|---|---|---|---|---|---|---|',
			limitedRow('HTTP Request node, defaults', results.httpLimited),
			limitedRow(`1MSG Template, concurrency 10, Max Messages per Second ${RATE}`, results.rateLimited),
			'',
			`Node's own CPU per item (checks, params, output; ${CPU_ITEMS} items, no network): ${ownCpu.toFixed(4)} ms`,
			`n8n main process CPU per item (${CPU_ITEMS} items, latency 0, C = 10, incl. HTTP, n8n and execution saving): ${(((cpuAfter.cpuSeconds - cpuBefore.cpuSeconds) * 1000) / CPU_ITEMS).toFixed(3)} ms; node time ${(cpuRun.nodeMs / 1000).toFixed(2)} s for ${cpuRun.sent} sends`,
			`n8n main process peak RSS over the whole benchmark: ${cpuAfter.peakRssMb.toFixed(0)} MB`,
		];
		console.log(lines.join('\n'));
		const out = path.join(__dirname, '..', '.bench');
		fs.mkdirSync(out, { recursive: true });
		fs.writeFileSync(path.join(out, 'throughput.md'), `${lines.join('\n')}\n`);
	} finally {
		await n8n.stop();
		await fake.close();
	}
}

main().catch((error) => {
	console.error(error?.stack ?? error);
	process.exitCode = 1;
});
