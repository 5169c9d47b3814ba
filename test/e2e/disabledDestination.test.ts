/**
 * 1MSG as it really answers, in a real n8n against the fake 1MSG channel:
 *
 * - 1MSG disables a webhook destination that keeps failing and reports it per URL (`webhookStatuses`
 *   in `GET /webhook`, 1msg/1msg-for-agents references/reliability.md); no source shows the field's
 *   shape, so the fake writes it in an ASSUMED shape (its `webhookStatusesShape` switch). A trigger
 *   whose URL the fake marked disabled is re-enabled when n8n restarts (checkExists → false → create
 *   submits the complete list again through POST /webhook and reads it back), 1MSG's inbox URL and
 *   the other URL keep their place, and a status reaches the trigger afterwards. n8n 2.x calls a
 *   published trigger at start-up only with its publication service off: with it on (the default) the
 *   restart is shown to call nothing first.
 * - hookInfo is in the 2023 spec but not in 1MSG's current SDK or MCP tool list: against a fake whose
 *   hookInfo answers 404, Send and Wait puts its items on No Outcome Yet with the reason, at once, and
 *   the fake sees one hookInfo call for the run, said once in the log and once as the node's note.
 */
import { nodeOutputs } from '../harness/n8n';
import { INBOX_WEBHOOK_URL } from '../fake-1msg/server';
import { ORDER_NO_RESPONSE_EXAMPLE } from '../fixtures/seeds';
import { exampleNode, loadExample } from './editor/exampleWorkflows';
import { type Fake, type N8n, startStack, statusesFor, stopStack } from './stack';
import { sendWorkflow, statusTriggerWorkflow, templateNode } from './workflows';

jest.setTimeout(240_000);

type Item = Record<string, unknown>;
type Request = { method: string; path: string; body: unknown; at: number };

/** Another consumer's URL on the channel (not loopback, so the fake never posts to it); its query is its own secret. */
const CRM_URL = 'https://crm.example.com/1msg-hook?token=crm-own-secret';
const ALL = ['sent', 'delivered', 'read'];

const TRIGGER = { id: 'wfDisabledTrig01', webhookId: '6e2f1a3b-4c5d-4e6f-8a7b-9c0d1e2f3a41' };
const triggerWorkflow = () => {
	const workflow = statusTriggerWorkflow();
	return {
		...workflow,
		id: TRIGGER.id,
		name: '1MSG delivery statuses (disabled destination)',
		nodes: workflow.nodes.map((node: Record<string, unknown>) => ({ ...node, webhookId: TRIGGER.webhookId })),
	};
};

const SEND = { id: 'wfDisabledSend01', path: 'disabled-destination/send', webhookId: '6e2f1a3b-4c5d-4e6f-8a7b-9c0d1e2f3a42' };
const sendTemplateWorkflow = () =>
	sendWorkflow({
		...SEND,
		name: 'CRM event → Order No-Response template (disabled destination)',
		templateNode: templateNode('orderNoResponseNotification', 'order_no_response_notification|en', {
			customerName: '={{ $json.body.customerName }}',
			orderNumber: '={{ $json.body.orderNumber }}',
			pendingAction: '={{ $json.body.pendingAction }}',
			reminderNote: '={{ $json.body.reminderNote }}',
		}),
	});

const WAIT_LIMIT_S = 30;
const WAIT = { id: 'wfDisabledWait01', path: 'disabled-destination/orders', webhookId: '6e2f1a3b-4c5d-4e6f-8a7b-9c0d1e2f3a43' };
const waitWorkflow = loadExample('crm-send-and-wait-fallback.json');
waitWorkflow.id = WAIT.id;
waitWorkflow.name = 'Send and Wait on a channel without hookInfo';
exampleNode(waitWorkflow, 'Send and Wait for Outcome').parameters.waitTimeLimit = WAIT_LIMIT_S;
Object.assign(exampleNode(waitWorkflow, 'CRM Event'), { webhookId: WAIT.webhookId });
exampleNode(waitWorkflow, 'CRM Event').parameters.path = WAIT.path;

let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	({ fake, n8n } = await startStack({
		fake: { ackDelayMs: 200, webhookUrls: [INBOX_WEBHOOK_URL, CRM_URL] },
		workflows: [triggerWorkflow(), sendTemplateWorkflow(), waitWorkflow],
		publish: [TRIGGER.id, SEND.id, WAIT.id],
	}));
}, 180_000);

afterAll(() => stopStack({ fake, n8n }));

const triggerEntry = () => fake.webhookUrls.find((url: string) => url.startsWith(`${n8n.webhookUrl(TRIGGER.webhookId)}?`));
const requestsSince = (since: number) => (fake.requests as Request[]).slice(since);
const logLines = () => n8n.logText().split('\n');

let serial = 0;

/** Sends one template through the send workflow and collects the statuses the trigger emitted for it. */
async function sendAndCollect(): Promise<{ messageId: string; statuses: string[] }> {
	const phone = `7994200${String(++serial).padStart(4, '0')}`;
	const response = await n8n.postWebhook(`webhook/${SEND.path}`, { ...ORDER_NO_RESPONSE_EXAMPLE, phone });
	const [item] = response.body as Array<{ messageId: string; status: string }>;
	expect(item.status).toBe('accepted');
	const { messageId } = item;
	await fake.waitFor(() => fake.statusesOf(messageId).some((s: { status: string }) => s.status === 'read'), 20_000);
	const deadline = Date.now() + 15_000;
	let statuses = statusesFor(await n8n.executions(TRIGGER.id), messageId);
	while (statuses.length < ALL.length && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		statuses = statusesFor(await n8n.executions(TRIGGER.id), messageId);
	}
	return { messageId, statuses: [...statuses].sort((a, b) => ALL.indexOf(a) - ALL.indexOf(b)) };
}

describe('a trigger URL 1MSG disabled after failed deliveries', () => {
	const label = (url: string, ours: string | undefined) =>
		url === ours ? 'TRIGGER' : url === CRM_URL ? 'CRM' : url === INBOX_WEBHOOK_URL ? 'INBOX' : url;

	/** Restarts n8n and waits until its workflows are live again; `env` is extra env for this and later starts. */
	async function restart(env: Record<string, string> = {}) {
		Object.assign((n8n.options.env ??= {}), env);
		await n8n.restart();
		// Without its publication service 2.x has no publication status to wait for: its webhooks tell.
		if (n8n.runtime.publishes && !env.N8N_USE_WORKFLOW_PUBLICATION_SERVICE) await n8n.waitForStartupActivation(TRIGGER.id, 60_000);
		for (const path of [SEND.path, WAIT.path]) await n8n.waitForWebhook(`webhook/${path}`, { timeoutMs: 60_000 });
	}

	it('is re-enabled when n8n restarts: the complete list is submitted again in its order, read back and logged, and a status reaches the trigger', async () => {
		const ours = triggerEntry();
		expect(ours).toBeDefined();
		const before = [...fake.webhookUrls];
		expect(before).toEqual([INBOX_WEBHOOK_URL, CRM_URL, ours]);
		fake.disableWebhook(ours!);

		if (n8n.runtime.publishes) {
			// n8n 2.x's publication service (the default) keeps a published workflow's webhooks in its
			// database and calls no trigger method at start-up, not even checkExists: the restart leaves
			// the URL disabled. This documents why the README sends 2.x users to deactivate/activate.
			const since = fake.requests.length;
			await restart();
			// Past the publication reconciler's start-up pass and one 10 s interval.
			await new Promise((resolve) => setTimeout(resolve, 12_000));
			const calls = requestsSince(since).filter((r) => r.path.endsWith('/webhook'));
			console.log(`[n8n ${n8n.runtime.version}] restart with the publication service: ${calls.length} list call(s); disabled ${fake.disabledWebhooks.size}`);
			expect(calls).toEqual([]);
			expect([...fake.disabledWebhooks]).toEqual([ours]);
		}

		// 1.x activates every active workflow at start-up through checkExists → create; 2.x does so with its
		// publication service off (N8N_USE_WORKFLOW_PUBLICATION_SERVICE=false).
		const since = fake.requests.length;
		const fromLine = logLines().length;
		await restart(n8n.runtime.publishes ? { N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false' } : {});
		await fake.waitFor(() => fake.disabledWebhooks.size === 0, 60_000);
		const line = await n8n.waitForLog(/1MSG Trigger: re-enabled /, { fromLine, timeoutMs: 15_000 });

		const calls = requestsSince(since).filter((r) => r.path.endsWith('/webhook'));
		const writes = calls.filter((r) => r.method === 'POST');
		const writeAt = writes[0]?.at ?? Infinity;
		console.log(
			[
				`[n8n ${n8n.runtime.version}] after the restart: list [${fake.webhookUrls.map((url: string) => label(url, ours)).join(', ')}], disabled ${fake.disabledWebhooks.size}`,
				`  list calls: ${calls.map((r) => (r.method === 'GET' ? 'R' : 'W')).join(' ')}`,
				`  log: ${line}`,
			].join('\n'),
		);

		expect(fake.webhookUrls).toEqual(before);
		expect(writes.map((r) => r.body)).toEqual([{ webhookUrl: before }]);
		// Read before the write (checkExists, then create) and read back after it.
		expect(calls.filter((r) => r.method === 'GET' && r.at < writeAt).length).toBeGreaterThanOrEqual(2);
		expect(calls.some((r) => r.method === 'GET' && r.at >= writeAt)).toBe(true);
		expect(line).toContain(`re-enabled this trigger's URL ${n8n.webhookUrl(TRIGGER.webhookId)}?…`);
		expect(line).not.toContain('secret=');

		const reach = await sendAndCollect();
		expect(reach.statuses).toEqual(ALL);
	});
});

describe('Send and Wait on a channel whose hookInfo answers 404', () => {
	const orders = Array.from({ length: 6 }, (_, i) => ({
		orderId: `H-${20_000 + i}`,
		phone: `+7 999 100-${String(i).padStart(2, '0')}-00`,
		customerName: `Customer ${i}`,
		orderNumber: String(20_000 + i),
		pendingAction: 'delivery slot confirmation',
		reminderNote: 'Please reply by 6:00 PM',
	}));

	it('puts every item on No Outcome Yet with the reason, without waiting for the limit, after a bounded number of hookInfo calls, said once', async () => {
		fake.setHookInfo('absent');
		const since = fake.requests.length;
		const fromLine = logLines().length;
		const response = await n8n.postWebhook(`webhook/${WAIT.path}`, { orders });
		expect(response.status).toBe(200);
		const [execution] = await n8n.waitForExecutions(WAIT.id, 1, 90_000);
		expect(execution.status).toBe('success');

		const [delivered, failed, pending] = nodeOutputs(execution, 'Send and Wait for Outcome') as Item[][];
		const hookInfoCalls = requestsSince(since).filter((r) => r.path.endsWith('/hookInfo')).length;
		const nodeRun = execution.runData['Send and Wait for Outcome'][0] as { executionTime: number; hints?: Array<{ message: string; type?: string }> };
		const warnings = logLines()
			.slice(fromLine)
			.filter((line) => line.includes("1MSG's GET /hookInfo answered HTTP 404"));
		console.log(
			[
				`[n8n ${n8n.runtime.version}] Send and Wait without hookInfo: ${pending.length} of ${orders.length} on No Outcome Yet, ` +
					`${hookInfoCalls} hookInfo call(s), node took ${nodeRun.executionTime} ms (limit ${WAIT_LIMIT_S} s)`,
				`  outcomeReason: ${String(pending[0]?.outcomeReason)}`,
				`  note(s) on the node: ${JSON.stringify(nodeRun.hints ?? [])}`,
				`  log line(s): ${warnings.length}`,
			].join('\n'),
		);

		expect([delivered, failed]).toEqual([[], []]);
		expect(pending.map((item) => item.orderId).sort()).toEqual(orders.map((order) => order.orderId).sort());
		const reason = String(pending[0].outcomeReason);
		expect(reason).toMatch(/^1MSG's GET \/hookInfo answered HTTP 404 \(Method not found\): delivery outcomes cannot be polled on this channel/);
		for (const item of pending) {
			expect(item).toMatchObject({ outcome: 'noOutcomeYet', deliveryStatus: 'unknown', status: 'accepted', outcomeReason: reason });
		}
		expect(fake.sends.filter((send: { phone: string }) => orders.some((order) => order.phone.replace(/\D/g, '') === send.phone))).toHaveLength(orders.length);
		// The run's first poll finds hookInfo missing; the waits held back by it never call.
		expect(hookInfoCalls).toBe(1);
		expect(Number(nodeRun.executionTime)).toBeLessThan(WAIT_LIMIT_S * 1000 / 2);
		expect((nodeRun.hints ?? []).filter((hint) => hint.message === reason)).toHaveLength(1);
		expect(warnings).toHaveLength(1);
	});
});
