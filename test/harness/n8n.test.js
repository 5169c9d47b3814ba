// @ts-check
/* global describe, test, expect, beforeAll, afterAll */
// Proves the n8n harness with built-in nodes only: import + publish before start, a production
// webhook answering with the last node's output, the executions API, deactivate/activate.
'use strict';

const { ensureN8nInstalled, startN8n, nodeOutput, nodeOutputs, nodeError } = require('./n8n');

const WORKFLOW_ID = 'wfHarnessProof01';
const WEBHOOK_ID = '6f1d2c3b-4a59-4e7f-9a1b-2c3d4e5f6a7b';
const WEBHOOK_PATH = 'harness-proof';

const workflow = {
	id: WORKFLOW_ID,
	name: 'Harness proof: Webhook -> Set',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'a0f3c2d1-0000-4000-8000-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: {
				httpMethod: 'POST',
				path: WEBHOOK_PATH,
				responseMode: 'lastNode',
				responseData: 'allEntries',
				options: {},
			},
		},
		{
			id: 'a0f3c2d1-0000-4000-8000-000000000002',
			name: 'Set',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: {
				mode: 'manual',
				includeOtherFields: false,
				assignments: {
					assignments: [
						{ id: 'f1', name: 'greeting', value: '={{ "hello " + $json.body.name }}', type: 'string' },
						{ id: 'f2', name: 'marker', value: 'set-ran', type: 'string' },
					],
				},
				options: {},
			},
		},
	],
	connections: { Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
};

describe('n8n harness (built-in nodes)', () => {
	/** @type {import('./n8n').N8n} */
	let n8n;
	/** @type {number} */
	let startMs;

	beforeAll(async () => {
		ensureN8nInstalled(); // no-op when the install stamp is current; a cold install takes ~2.5 min
		const started = Date.now();
		n8n = await startN8n({ packageDir: null, workflows: [workflow], publish: [WORKFLOW_ID] });
		startMs = Date.now() - started;
	}, 600_000);

	afterAll(async () => {
		if (!n8n) return;
		const memory = n8n.memoryKb();
		const stopStarted = Date.now();
		await n8n.stop();
		// One line for the record: how expensive a harness instance is.
		process.stdout.write(
			`[n8n harness] start ${startMs} ms (${JSON.stringify(n8n.timings)}), stop ${Date.now() - stopStarted} ms, ` +
				`rss main ${Math.round((memory?.main ?? 0) / 1024)} MB + runner ${Math.round((memory?.children ?? []).reduce((a, c) => a + c.rss, 0) / 1024)} MB\n`,
		);
	}, 60_000);

	const url = () => `${n8n.baseUrl}/webhook/${WEBHOOK_PATH}`;

	test('a published webhook answers with the last node output and the execution is recorded', async () => {
		const response = await n8n.postWebhook(url(), { name: 'harness' });
		expect(response.status).toBe(200);
		expect(response.body).toEqual([{ greeting: 'hello harness', marker: 'set-ran' }]);

		const executions = await n8n.waitForExecutions(WORKFLOW_ID, 1);
		expect(executions).toHaveLength(1);
		const [execution] = executions;
		expect(execution).toMatchObject({ status: 'success', mode: 'webhook' });
		expect(nodeOutput(execution, 'Set')).toEqual([{ greeting: 'hello harness', marker: 'set-ran' }]);
		expect(nodeOutputs(execution, 'Webhook')).toHaveLength(1);
		expect(nodeOutput(execution, 'Webhook')[0].body).toEqual({ name: 'harness' });
		expect(nodeError(execution, 'Set')).toBeUndefined();
		expect(() => nodeOutput(execution, 'Nope')).toThrow(/did not run.*"Webhook", "Set"/);
	});

	test('deactivate unregisters the webhook (404); activate brings it back', async () => {
		await n8n.deactivate(WORKFLOW_ID);
		expect((await n8n.workflow(WORKFLOW_ID)).active).toBe(false);
		expect(await n8n.isWebhookRegistered(url())).toBe(false);
		const gone = await n8n.postWebhook(url(), { name: 'nobody' }, { retry404Ms: 0 });
		expect(gone.status).toBe(404);

		await n8n.activate(WORKFLOW_ID);
		expect(await n8n.isWebhookRegistered(url())).toBe(true);
		const back = await n8n.postWebhook(url(), { name: 'again' });
		expect(back.status).toBe(200);
		expect(back.body).toEqual([{ greeting: 'hello again', marker: 'set-ran' }]);
		const executions = await n8n.waitForExecutions(WORKFLOW_ID, 2);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
	});

	test('errors carry the tail of the n8n log', async () => {
		await expect(n8n.waitForLog('this line never appears', { timeoutMs: 200 })).rejects.toThrow(/last 60 lines of the n8n log[\s\S]*Editor is now accessible/);
	});
});
