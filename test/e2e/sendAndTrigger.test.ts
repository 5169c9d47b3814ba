/**
 * End to end in a real n8n (2.41.1, and 1.123.81; Node 24) with the built package installed as a community package,
 * against the fake 1MSG server over real HTTP.
 */
import { nodeOutput } from '../harness/n8n';
import { DEFAULT_CHANNEL_ID, INBOX_WEBHOOK_URL } from '../fake-1msg/server';
import {
	CLIENT_INACTIVITY_EXAMPLE,
	ORDER_NO_RESPONSE_EXAMPLE,
	clientInactivitySeedBody,
	orderNoResponseSeedBody,
} from '../fixtures/seeds';
import {
	CLIENT_INACTIVITY,
	ORDER_NO_RESPONSE,
	STATUS_TRIGGER,
	clientInactivityWorkflow,
	orderNoResponseWorkflow,
	statusTriggerWorkflow,
} from './workflows';
import { type Fake, type N8n, startStack, statusesFor, stopStack } from './stack';

jest.setTimeout(240_000);

const CRM_URL = 'https://crm.example.com/1msg-hook';
const NAMESPACE = 'dummy_namespace_1a2b3c';
let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	({ fake, n8n } = await startStack({
		fake: { ackDelayMs: 150, webhookUrls: [INBOX_WEBHOOK_URL, CRM_URL] },
		workflows: [statusTriggerWorkflow(), orderNoResponseWorkflow(), clientInactivityWorkflow()],
		publish: [ORDER_NO_RESPONSE.id, CLIENT_INACTIVITY.id],
	}));
});

afterAll(() => stopStack({ fake, n8n }));

const sends = () => fake.requests.filter((r: { path: string }) => r.path.endsWith('/sendTemplate'));

describe('real n8n: send a template and receive its statuses through the trigger', () => {
	let ourUrl = '';

	it('activating the trigger registers its URL with a secret and keeps the other URLs', async () => {
		await n8n.activate(STATUS_TRIGGER.id);
		await fake.waitFor(() => fake.webhookUrls.length === 3, 15_000);
		ourUrl = fake.webhookUrls[2];
		expect(fake.webhookUrls.slice(0, 2)).toEqual([INBOX_WEBHOOK_URL, CRM_URL]);
		// Marked as holding the statuses it switched on (see trigger/statusConsumers).
		expect(ourUrl).toBe(`${n8n.webhookUrl(STATUS_TRIGGER.webhookId)}?secret=${new URL(ourUrl).searchParams.get('secret')}&statusesOn=1`);
		expect(new URL(ourUrl).searchParams.get('secret')).toMatch(/^[0-9a-f]{48}$/);
		expect(fake.settings.ackNotificationsOn).toBe(true);
	});

	it('sends the order no-response seed example with the seed body, and the trigger emits sent, delivered, read', async () => {
		const e = ORDER_NO_RESPONSE_EXAMPLE;
		const response = await n8n.postWebhook(`webhook/${ORDER_NO_RESPONSE.path}`, { ...e, reference: 'order-10482' });
		expect(response.status).toBe(200);
		const [item] = response.body as Array<Record<string, unknown>>;
		expect(item).toMatchObject({ status: 'accepted', sent: true, phone: '79991234567', reference: 'order-10482' });
		expect(sends()).toHaveLength(1);
		expect(sends()[0].body).toEqual(
			orderNoResponseSeedBody(
				{ template: 'order_no_response_notification', namespace: NAMESPACE, language: 'en' },
				{ phone: e.phone, customerName: e.customerName, ticketNumber: e.orderNumber, topic: e.pendingAction, nextStep: e.reminderNote },
			),
		);
		const messageId = String(item.messageId);
		expect(messageId).toBe(fake.sends[0].id);

		await n8n.waitForExecutions(STATUS_TRIGGER.id, 3, 20_000);
		const executions = await n8n.executions(STATUS_TRIGGER.id);
		expect(statusesFor(executions, messageId).sort()).toEqual(['delivered', 'read', 'sent']);
		const [first] = nodeOutput(executions.find((x) => statusesFor([x], messageId).includes('read'))!, '1MSG Trigger');
		expect(first).toMatchObject({ event: 'status', messageId, phone: '79991234567', chatId: '79991234567@c.us', instanceId: DEFAULT_CHANNEL_ID });
	});

	it('sends the client inactivity seed example with the seed body', async () => {
		const e = CLIENT_INACTIVITY_EXAMPLE;
		const response = await n8n.postWebhook(`webhook/${CLIENT_INACTIVITY.path}`, e);
		const [item] = response.body as Array<Record<string, unknown>>;
		expect(item).toMatchObject({ status: 'accepted', template: 'client_inactivity_notification' });
		expect(sends()[1].body).toEqual(
			clientInactivitySeedBody(
				{ template: 'client_inactivity_notification', namespace: NAMESPACE, language: 'en' },
				{ phone: e.phone, customerName: e.customerName, incompleteAction: e.incompleteAction },
			),
		);
		await n8n.waitForExecutions(STATUS_TRIGGER.id, 6, 20_000);
		expect(statusesFor(await n8n.executions(STATUS_TRIGGER.id), String(item.messageId)).sort()).toEqual(['delivered', 'read', 'sent']);
	});

	it('fails bad input per item with a message naming the field, and sends nothing', async () => {
		const before = sends().length;
		const empty = await n8n.postWebhook(`webhook/${ORDER_NO_RESPONSE.path}`, { ...ORDER_NO_RESPONSE_EXAMPLE, customerName: '' });
		expect((empty.body as Array<Record<string, unknown>>)[0]).toMatchObject({ error: 'Customer Name is empty', category: 'invalid_input' });
		const short = await n8n.postWebhook(`webhook/${CLIENT_INACTIVITY.path}`, { ...CLIENT_INACTIVITY_EXAMPLE, phone: '1234567' });
		expect((short.body as Array<Record<string, unknown>>)[0]).toMatchObject({ field: 'Recipient', category: 'invalid_input' });
		expect(String((short.body as Array<Record<string, unknown>>)[0].error)).toMatch(/has 7 digits/);
		expect(sends()).toHaveLength(before);
	});

	it('deactivating the trigger removes only its URL and turns statuses back off', async () => {
		await n8n.deactivate(STATUS_TRIGGER.id);
		await fake.waitFor(() => fake.webhookUrls.length === 2, 15_000);
		expect(fake.webhookUrls).toEqual([INBOX_WEBHOOK_URL, CRM_URL]);
		expect(fake.settings.ackNotificationsOn).toBe(false);
	});
});
