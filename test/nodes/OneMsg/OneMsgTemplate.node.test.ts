import type { IDataObject } from 'n8n-workflow';

import { OneMsgTemplate } from '../../../nodes/OneMsg/OneMsgTemplate.node';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../../fake-1msg/server';
import { ORDER_NO_RESPONSE_EXAMPLE, orderNoResponseSeedBody } from '../../fixtures/seeds';
import { type HttpCall, executeContext } from '../../helpers/context';

type Fake = Awaited<ReturnType<typeof startFake1msg>>;

const node = new OneMsgTemplate();
let fake: Fake;

beforeAll(async () => {
	fake = await startFake1msg({ ackDelayMs: 5 });
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const credentials = () => ({ channelId: DEFAULT_CHANNEL_ID, token: `Bearer ${DEFAULT_TOKEN}`, baseUrl: fake.baseUrl });

const orderParams = (overrides: IDataObject = {}): IDataObject => ({
	operation: 'sendTemplate',
	scenario: 'orderNoResponseNotification',
	template: { __rl: true, mode: 'list', value: 'order_no_response_notification|en' },
	phone: ORDER_NO_RESPONSE_EXAMPLE.phone,
	customerName: ORDER_NO_RESPONSE_EXAMPLE.customerName,
	orderNumber: ORDER_NO_RESPONSE_EXAMPLE.orderNumber,
	pendingAction: ORDER_NO_RESPONSE_EXAMPLE.pendingAction,
	reminderNote: ORDER_NO_RESPONSE_EXAMPLE.reminderNote,
	options: { reference: 'order-10482' },
	...overrides,
});

const sendRequests = () => fake.requests.filter((r: { path: string }) => r.path.endsWith('/sendTemplate'));

describe('1MSG Template node against the fake 1MSG server', () => {
	it('sends the order no-response template with the seed body and returns the message id', async () => {
		const calls: HttpCall[] = [];
		const [[item]] = await node.execute.call(executeContext({ params: orderParams(), credentials: credentials(), calls }));
		expect(sendRequests()).toHaveLength(1);
		const e = ORDER_NO_RESPONSE_EXAMPLE;
		expect(sendRequests()[0].body).toEqual(
			orderNoResponseSeedBody(
				{ template: 'order_no_response_notification', namespace: 'dummy_namespace_1a2b3c', language: 'en' },
				{ phone: e.phone, customerName: e.customerName, ticketNumber: e.orderNumber, topic: e.pendingAction, nextStep: e.reminderNote },
			),
		);
		expect(sendRequests()[0].headers.authorization).toBe(`Bearer ${DEFAULT_TOKEN}`);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			messageId: fake.sends[0].id,
			status: 'accepted',
			sent: true,
			phone: '79991234567',
			template: 'order_no_response_notification',
			language: 'en',
			scenario: 'orderNoResponseNotification',
			reference: 'order-10482',
			variables: { 'Customer Name': 'Alexey', 'Order Number': '10482' },
		});
		expect(String(item.json.renderedText)).toMatch(/^Hello, Alexey! We are waiting for your reply regarding order #10482/);
		expect(calls.every((c) => c.credentialType === 'oneMsgChannelApi')).toBe(true);
	});

	it('fetches the template list once per execution, whatever the item count', async () => {
		const items = Array.from({ length: 12 }, () => ({ json: {} }));
		const [out] = await node.execute.call(executeContext({ params: orderParams(), items, credentials: credentials() }));
		expect(out).toHaveLength(12);
		expect(fake.requests.filter((r: { path: string }) => r.path.endsWith('/templates'))).toHaveLength(1);
		expect(out.map((i) => i.pairedItem)).toEqual(items.map((_i, index) => ({ item: index })));
	});

	it('fails an item with an empty variable or a short phone by name, and sends nothing for it', async () => {
		const items = [{ json: {} }, { json: {} }, { json: {} }];
		const params = (i: number) =>
			i === 0
				? orderParams({ customerName: '' })
				: i === 1
					? orderParams({ phone: '12345' })
					: orderParams();
		const [out] = await node.execute.call(executeContext({ params, items, credentials: credentials(), continueOnFail: true }));
		expect(out).toHaveLength(3);
		expect(out[0].json).toMatchObject({ error: 'Customer Name is empty', category: 'invalid_input', field: 'Customer Name' });
		expect(out[1].json).toMatchObject({ category: 'invalid_input', field: 'Recipient' });
		expect(String(out[1].json.error)).toMatch(/has 5 digits/);
		expect(out[2].json.status).toBe('accepted');
		expect(sendRequests()).toHaveLength(1);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('stops with an error naming the item when Continue On Fail is off, before any send', async () => {
		const items = [{ json: {} }, { json: {} }];
		const params = (i: number) => (i === 1 ? orderParams({ phone: 'abc' }) : orderParams());
		await expect(node.execute.call(executeContext({ params, items, credentials: credentials() }))).rejects.toThrow(
			/Recipient "abc" contains "a".*\[item 1\]/,
		);
		expect(sendRequests()).toHaveLength(0);
	});

	it('stops a variable-count mismatch before any request is sent', async () => {
		const [[item]] = await node.execute.call(
			executeContext({
				params: orderParams({ template: { __rl: true, mode: 'list', value: 'client_inactivity_notification|en' } }),
				credentials: credentials(),
				continueOnFail: true,
			}),
		);
		expect(item.json).toMatchObject({ category: 'param_mismatch', field: 'Template' });
		expect(String(item.json.error)).toMatch(/has 2 body variables, but the scenario "Order No-Response Notification" fills 4/);
		expect(sendRequests()).toHaveLength(0);
	});

	it('turns a sent:false answer into a typed error item', async () => {
		fake.setFaults([{ method: 'sendTemplate', count: 1, response: { status: 200, body: { sent: false, message: '(#131047) Re-engagement message' } } }]);
		const [[item]] = await node.execute.call(executeContext({ params: orderParams(), credentials: credentials(), continueOnFail: true }));
		expect(item.json).toMatchObject({ status: 'failed', category: 'window_closed', statusCode: 200, error: '(#131047) Re-engagement message' });
	});

	it('reports a 502 after the send as an unknown outcome and never resends it', async () => {
		fake.setFaults([{ method: 'sendTemplate', count: 1, afterSend: true, response: { status: 502, raw: '<html><body>Bad Gateway</body></html>' } }]);
		const [[item]] = await node.execute.call(executeContext({ params: orderParams(), credentials: credentials(), continueOnFail: true }));
		expect(item.json).toMatchObject({ status: 'unknown', category: 'unknown_outcome', statusCode: 502 });
		expect(fake.sendCount('79991234567')).toBe(1);
		expect(sendRequests()).toHaveLength(1);
	});

	it('retries a 429 and sends the message exactly once', async () => {
		fake.setFaults([{ method: 'sendTemplate', count: 2, response: { status: 429, body: { error: 'Rate limit exceeded' }, headers: { 'retry-after': '0' } } }]);
		const params = orderParams({ options: { maxRetries: 3 } });
		const [[item]] = await node.execute.call(executeContext({ params, credentials: credentials() }));
		expect(item.json).toMatchObject({ status: 'accepted', attempts: 3 });
		expect(fake.sendCount('79991234567')).toBe(1);
	});

	it('reads the delivery status of a sent message', async () => {
		const [[sent]] = await node.execute.call(executeContext({ params: orderParams(), credentials: credentials() }));
		await fake.waitFor(() => fake.statusesOf(String(sent.json.messageId)).length >= 3, 5000);
		const [[status]] = await node.execute.call(
			executeContext({ params: { operation: 'getDeliveryStatus', messageId: sent.json.messageId }, credentials: credentials() }),
		);
		expect(status.json).toMatchObject({ messageId: sent.json.messageId, status: 'read', found: true, phone: '79991234567' });
		expect((status.json.history as IDataObject[]).map((h) => h.status)).toEqual(['sent', 'delivered', 'read']);
	});

	it('rejects a wrong token with an auth error that says how to fix it', async () => {
		const [[item]] = await node.execute.call(
			executeContext({ params: orderParams(), credentials: { ...credentials(), token: 'wrong-token' }, continueOnFail: true }),
		);
		expect(item.json).toMatchObject({ category: 'auth', statusCode: 401 });
		expect(String(item.json.description)).toMatch(/token/);
	});
});
