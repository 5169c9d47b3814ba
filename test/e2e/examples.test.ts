/**
 * The example workflows in examples/, imported as they are into a real n8n (2.41.1, and 1.123.81)
 * with the built package, and run against the fake 1MSG server.
 */
import { nodeOutput, nodeOutputs, repeatedEventsOf } from '../harness/n8n';
import { DEFAULT_CHANNEL_ID, FAILING_PHONE, INBOX_WEBHOOK_URL } from '../fake-1msg/server';
import { ORDER_NO_RESPONSE_EXAMPLE, clientInactivitySeedBody, orderNoResponseExampleBody } from '../fixtures/seeds';
import { CREDENTIAL, TEMPLATE_TYPE, TRIGGER_TYPE } from './workflows';
import { type Execution, type Fake, type N8n, startStack, stopStack } from './stack';
import { EXAMPLE_FILES, exampleNode, loadExample, nodeOfType } from './editor/exampleWorkflows';

jest.setTimeout(240_000);

type Item = Record<string, unknown>;

const NAMESPACE = 'dummy_namespace_1a2b3c';
const crm = loadExample(EXAMPLE_FILES.crm);
const fallback = loadExample(EXAMPLE_FILES.fallback);
const schedule = loadExample(EXAMPLE_FILES.schedule);
const approval = loadExample(EXAMPLE_FILES.approval);
const sendAndWait = loadExample(EXAMPLE_FILES.sendAndWait);
const examples = [crm, fallback, schedule, approval, sendAndWait];

const crmPath = `webhook/${String(exampleNode(crm, 'CRM Event').parameters.path)}`;
const remindersPath = `webhook/${String(exampleNode(sendAndWait, 'CRM Event').parameters.path)}`;
const triggerWebhookId = String(nodeOfType(fallback, TRIGGER_TYPE).webhookId);

let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	({ fake, n8n } = await startStack({ fake: { ackDelayMs: 100, webhookUrls: [INBOX_WEBHOOK_URL] }, workflows: examples, publish: [crm.id, sendAndWait.id] }));
});

afterAll(() => stopStack({ fake, n8n }));

const sendsTo = (phone: string) => fake.sends.filter((s: { phone: string }) => s.phone === phone);
const ran = (execution: Execution, node: string) => (execution.runData[node]?.length ?? 0) > 0;

describe('example workflows import into n8n as they are', () => {
	it('uses only node types this n8n knows, and the shared 1MSG credential on every 1MSG node', async () => {
		const known = new Set(await n8n.nodeTypeNames());
		for (const workflow of examples) {
			for (const node of workflow.nodes) expect({ workflow: workflow.name, type: node.type, known: known.has(node.type) }).toMatchObject({ known: true });
			const oneMsgNodes = workflow.nodes.filter((n) => n.type === TEMPLATE_TYPE || n.type === TRIGGER_TYPE);
			expect(oneMsgNodes.length).toBeGreaterThan(0);
			for (const node of oneMsgNodes) expect(node.credentials).toEqual({ oneMsgChannelApi: CREDENTIAL });
			const stored = await n8n.workflow(workflow.id);
			expect(stored.nodes.map((n: { name: string }) => n.name).sort()).toEqual(workflow.nodes.map((n) => n.name).sort());
		}
	});
});

describe('CRM event → Order No-Response reminder', () => {
	it("sends the order template with the event's fields and answers the CRM with the message id", async () => {
		const response = await n8n.postWebhook(crmPath, ORDER_NO_RESPONSE_EXAMPLE);
		expect(response.status).toBe(200);
		const sent = sendsTo('79991234567');
		expect(sent).toHaveLength(1);
		expect(sent[0].body).toEqual(
			orderNoResponseExampleBody({ template: 'order_no_response_notification', namespace: NAMESPACE, language: 'en' }),
		);
		const answer = response.body as Item;
		expect(answer).toMatchObject({
			status: 'accepted',
			messageId: sent[0].id,
			reference: 'order-10482',
			summary: `Sent order_no_response_notification to 79991234567 as ${sent[0].id}`,
		});
		const [execution] = await n8n.waitForExecutions(crm.id, 1);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Log Result')).toEqual([answer]);
	});

	it('answers with a typed error and sends nothing when the event lacks a field', async () => {
		const before = fake.sends.length;
		const response = await n8n.postWebhook(crmPath, { ...ORDER_NO_RESPONSE_EXAMPLE, orderNumber: '' });
		expect(response.status).toBe(200);
		expect(response.body).toMatchObject({
			category: 'invalid_input',
			summary: 'Not sent (invalid_input): Order Number is empty',
		});
		expect(fake.sends).toHaveLength(before);
	});
});

describe('delivery statuses with an email fallback', () => {
	let failedBody: Item = {};

	it('once active, sends a failed delivery to Prepare Fallback and logs every status', async () => {
		await n8n.activate(fallback.id);
		const ourUrl = () => fake.webhookUrls.find((u: string) => u.startsWith(n8n.webhookUrl(triggerWebhookId)));
		await fake.waitFor(() => ourUrl() !== undefined, 15_000);
		expect(fake.webhookUrls[0]).toBe(INBOX_WEBHOOK_URL);

		const failing = (await n8n.postWebhook(crmPath, { ...ORDER_NO_RESPONSE_EXAMPLE, phone: FAILING_PHONE, orderNumber: '20001' })).body as Item;
		const delivered = (await n8n.postWebhook(crmPath, { ...ORDER_NO_RESPONSE_EXAMPLE, orderNumber: '20002' })).body as Item;
		expect(failing).toMatchObject({ status: 'accepted', phone: FAILING_PHONE });
		expect(delivered).toMatchObject({ status: 'accepted', phone: '79991234567' });
		const failingId = String(failing.messageId);
		const deliveredId = String(delivered.messageId);

		// sent + failed for one message, sent + delivered + read for the other: one execution each.
		const executions = await n8n.waitForExecutions(fallback.id, 5, 30_000);
		expect(executions.map((e) => e.status)).toEqual(Array(executions.length).fill('success'));
		const logged = executions.filter((e) => ran(e, 'Log Status')).flatMap((e) => nodeOutput(e, 'Log Status') as Item[]);
		const statusesOf = (id: string) => logged.filter((item) => item.messageId === id).map((item) => item.status).sort();
		expect(statusesOf(failingId)).toEqual(['failed', 'sent']);
		expect(statusesOf(deliveredId)).toEqual(['delivered', 'read', 'sent']);
		expect(logged.find((item) => item.messageId === failingId && item.status === 'failed')).toMatchObject({
			phone: FAILING_PHONE,
			detail: expect.stringMatching(/undeliverable/i),
		});

		const fallbacks = executions.filter((e) => ran(e, 'Prepare Fallback'));
		expect(fallbacks).toHaveLength(1);
		expect(nodeOutput(fallbacks[0], 'Prepare Fallback')).toEqual([
			{
				toEmail: 'support@example.com',
				subject: `WhatsApp message to +${FAILING_PHONE} was not delivered`,
				text: expect.stringContaining(`message ${failingId} to +${FAILING_PHONE}: Message undeliverable`),
				messageId: failingId,
			},
		]);
		failedBody = { instanceId: DEFAULT_CHANNEL_ID, ack: [{ id: failingId, status: 'failed', chatId: `${FAILING_PHONE}@c.us`, phone: FAILING_PHONE, error: 'Message undeliverable' }] };
	});

	it("sends a repeated failed to the fallback only once, also after n8n restarts (the trigger's run checks n8n's database on dedupeKey)", async () => {
		const url = () => String(fake.webhookUrls.find((u: string) => u.startsWith(n8n.webhookUrl(triggerWebhookId))));
		const before = (await n8n.executions(fallback.id)).length;
		// Same process: the trigger's memory drops the repeat before any run.
		expect((await n8n.postWebhook(url(), failedBody)).body).toMatchObject({ received: true, accepted: 0, ignored: 1 });
		await n8n.restart();
		// A new process remembers nothing: the repeat starts an execution, and the trigger's own run finds the
		// status in n8n's database and passes nothing on (Drop Repeated Events behind it is not reached).
		expect((await n8n.postWebhook(url(), failedBody)).body).toEqual({ received: true, accepted: 1 });
		const executions = await n8n.waitForExecutions(fallback.id, before + 1, 30_000);
		const repeat = executions[executions.length - 1];
		expect(nodeOutputs(repeat, '1MSG Trigger').flat()).toEqual([]);
		// n8n 2.x's public API returns the execution's custom data, which names the dropped event; 1.x's does not.
		if (n8n.runtime.publishes) expect(repeatedEventsOf(repeat)).toEqual([`${DEFAULT_CHANNEL_ID}:${(failedBody.ack as Item[])[0].id}:failed`]);
		expect(ran(repeat, 'Once per Failed Message')).toBe(false);
		expect(ran(repeat, 'Prepare Fallback')).toBe(false);
		expect(executions.filter((e) => ran(e, 'Prepare Fallback'))).toHaveLength(1);
	});
});

describe('daily Client Inactivity reminder', () => {
	it('run once from its schedule trigger, sends the inactivity template to every client of its list', async () => {
		const trigger = exampleNode(schedule, 'Every Day at 10:00');
		expect(trigger.type).toBe('n8n-nodes-base.scheduleTrigger');
		const before = fake.sends.length;
		await n8n.runManually(schedule.id, trigger.name);
		const [execution] = await n8n.waitForExecutions(schedule.id, 1, 30_000);
		expect(execution).toMatchObject({ status: 'success', mode: 'manual' });

		const clients = [
			{ clientId: 'client-2041', phone: '+55 11 98765-4321', customerName: 'Maria', incompleteAction: 'account setup' },
			{ clientId: 'client-2077', phone: '+49 151 1234 5678', customerName: 'Jonas', incompleteAction: 'order checkout' },
		];
		const made = fake.sends.slice(before);
		expect(made.map((s: { body: unknown }) => s.body)).toEqual(
			clients.map((client) =>
				clientInactivitySeedBody({ template: 'client_inactivity_notification', namespace: NAMESPACE, language: 'en' }, client),
			),
		);
		const log = nodeOutput(execution, 'Log Result') as Item[];
		expect(log.map((item) => [item.reference, item.status, item.messageId])).toEqual(
			clients.map((client, i) => [client.clientId, 'accepted', made[i].id]),
		);
	});
});

describe("create the scenario's template, wait for approval, send it", () => {
	it('creates order_no_response_notification, polls its status until approved, then sends it', async () => {
		// The channel does not have the scenario's template yet; Meta's review takes a few seconds here.
		const fixtures = fake.templates;
		fake.setTemplates(fixtures.filter((t: { name: string }) => t.name !== 'order_no_response_notification'));
		fake.approvalDelayMs = 20_000;
		try {
			const sendsBefore = sendsTo('79991234567').length;
			await n8n.runManually(approval.id, 'Run Once');
			const [execution] = await n8n.waitForExecutions(approval.id, 1, 90_000);
			expect(execution.status).toBe('success');
			expect(fake.templateCreations).toHaveLength(1);
			expect(fake.templateCreations[0]).toMatchObject({ status: 200, body: { name: 'order_no_response_notification', category: 'UTILITY' } });
			// Approved after 20 s: the first look (after 15 s) sees it pending and loops back to Wait, the second sees it approved.
			const looks = (execution.runData['Template Status'] ?? []).map(
				(run: { data?: { main?: Array<Array<{ json: Item }> | null> } }) => run.data?.main?.[0]?.[0]?.json.status,
			);
			expect(looks).toEqual(['pending', 'approved']);
			expect(ran(execution, 'Stop: Rejected')).toBe(false);
			const sent = sendsTo('79991234567');
			expect(sent).toHaveLength(sendsBefore + 1);
			expect(sent.at(-1)?.body).toEqual(
				orderNoResponseExampleBody({ template: 'order_no_response_notification', namespace: NAMESPACE, language: 'en' }),
			);
			expect(nodeOutput(execution, 'Send Template')).toEqual([expect.objectContaining({ status: 'accepted', template: 'order_no_response_notification' })]);
		} finally {
			fake.reset();
			fake.setTemplates(fixtures);
		}
	});
});

describe('CRM event → Send and Wait → SMS fallback for failed deliveries', () => {
	it("waits for each order's outcome and builds the SMS fallback from the failed order's own fields", async () => {
		const order = (orderNumber: string, phone: string) => ({ ...ORDER_NO_RESPONSE_EXAMPLE, orderId: `A-${orderNumber}`, orderNumber, phone });
		const response = await n8n.postWebhook(remindersPath, { orders: [order('30001', '79991234567'), order('30002', FAILING_PHONE)] });
		expect(response.status).toBe(200);
		const [execution] = await n8n.waitForExecutions(sendAndWait.id, 1, 90_000);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Log Delivered')).toEqual([
			{ orderId: 'A-30001', messageId: expect.stringMatching(/^wamid\./), summary: expect.stringMatching(/^Order 30001: WhatsApp reminder (delivered|read) after \d+ s$/) },
		]);
		expect(nodeOutput(execution, 'Prepare SMS Fallback')).toEqual([
			{
				orderId: 'A-30002',
				toPhone: FAILING_PHONE,
				smsText: `Hello, ${ORDER_NO_RESPONSE_EXAMPLE.customerName}! We are waiting for your reply regarding order #30002: ${ORDER_NO_RESPONSE_EXAMPLE.pendingAction}. ${ORDER_NO_RESPONSE_EXAMPLE.reminderNote}.`,
				whyNotWhatsApp: 'recipient_unreachable: Message Undeliverable: the recipient is not a WhatsApp user or cannot receive this message.',
			},
		]);
		expect(ran(execution, 'Create Follow-up Task')).toBe(false);
	});
});
