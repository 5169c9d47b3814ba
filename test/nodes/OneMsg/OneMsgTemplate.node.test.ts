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

describe('1MSG Template: every template kind and recipient, against the fake 1MSG server', () => {
	const customParams = (template: string, value: IDataObject, overrides: IDataObject = {}): IDataObject => ({
		operation: 'sendTemplate',
		scenario: 'custom',
		template: { __rl: true, mode: 'list', value: `${template}|en` },
		phone: '79991234567',
		templateVariables: { mappingMode: 'defineBelow', value },
		options: {},
		...overrides,
	});

	it('sends a coupon template the fake channel accepts, the coupon as copy_code', async () => {
		const [[item]] = await node.execute.call(
			executeContext({
				params: customParams('autumn_coupon_offer', { body_1: 'Maria', body_2: '25%', button_0_coupon: 'AUTUMN25', button_1_url: 'autumn' }),
				credentials: credentials(),
			}),
		);
		expect(item.json).toMatchObject({ status: 'accepted', messageId: fake.sends[0].id });
		expect(fake.rejected).toHaveLength(0);
		expect((sendRequests()[0].body as IDataObject).params).toEqual([
			{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: '25%' }] },
			{ type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'coupon_code', coupon_code: 'AUTUMN25' }] },
			{ type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: 'autumn' }] },
		]);
	});

	it('sends a 3-card carousel, an offer and a flow template the fake channel accepts', async () => {
		const cards = Object.fromEntries(
			[1, 2, 3].flatMap((n) => [
				[`card_${n}_header_media`, `https://example.com/p/${n}.jpg`],
				[`card_${n}_body_1`, `Product ${n}`],
				[`card_${n}_body_2`, '$9'],
				[`card_${n}_button_1_url`, `sku-${n}`],
			]),
		);
		const offer = {
			header_media: 'https://example.com/f.jpg',
			body_1: 'Maria',
			body_2: 'FLASH25',
			offer_expiration: new Date(Date.now() + 86_400_000).toISOString(),
			button_0_coupon: 'FLASH25',
			button_1_url: 'FLASH25',
		};
		const items = [{ json: {} }, { json: {} }, { json: {} }];
		const params = (i: number) =>
			[
				customParams('back_in_stock_carousel', { body_1: 'Maria', ...cards }),
				customParams('weekend_flash_offer', offer),
				customParams('visit_booking_flow', { body_1: 'Maria', button_0_flow_token: 'booking-1' }),
			][i];
		const [out] = await node.execute.call(executeContext({ params, items, credentials: credentials() }));
		expect(out.map((o) => o.json.status)).toEqual(['accepted', 'accepted', 'accepted']);
		expect(fake.rejected).toHaveLength(0);
		expect(fake.sends.map((s: { template: string }) => s.template).sort()).toEqual(['back_in_stock_carousel', 'visit_booking_flow', 'weekend_flash_offer']);
	});

	it('fails a blank coupon naming the field and sends nothing for it', async () => {
		const [[item]] = await node.execute.call(
			executeContext({
				params: customParams('autumn_coupon_offer', { body_1: 'Maria', body_2: '25%', button_0_coupon: '', button_1_url: 'a' }),
				credentials: credentials(),
				continueOnFail: true,
			}),
		);
		expect(item.json).toMatchObject({ status: 'failed', category: 'invalid_input', field: 'Coupon Code', error: 'Coupon Code is empty' });
		expect(sendRequests()).toHaveLength(0);
	});

	it.each([
		['79991234567@c.us', 'chatId', '79991234567@c.us', 'chatId', '79991234567@c.us'],
		// Sent in the newest source's form (1MSG's SDK and tool list): a chat ID ending @lid.
		['US.13491208655302741918', 'bsuid', 'US.13491208655302741918', 'chatId', 'US.13491208655302741918@lid'],
		['@maria.shop', 'username', 'maria.shop', 'username', 'maria.shop'],
	])('sends to %p as %s and says so in the output', async (recipient, type, shown, field, sent) => {
		const [[item]] = await node.execute.call(executeContext({ params: orderParams({ phone: recipient }), credentials: credentials() }));
		expect(item.json).toMatchObject({ status: 'accepted', recipient: shown, recipientType: type });
		expect(item.json).not.toHaveProperty('phone');
		const body = sendRequests()[0].body as IDataObject;
		expect(body[field]).toBe(sent);
		expect(['phone', 'chatId', 'bsuid', 'username'].filter((key) => key in body)).toEqual([field]);
	});

	it('says a phone was read as a phone', async () => {
		const [[item]] = await node.execute.call(executeContext({ params: orderParams(), credentials: credentials() }));
		expect(item.json).toMatchObject({ phone: '79991234567', recipient: '79991234567', recipientType: 'phone' });
	});

	it('sends the params of Params (JSON) mode as given, and refuses a malformed array before sending', async () => {
		const params = [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'date_time', date_time: { fallback_value: 'June 12' } }] }];
		const json = (paramsJson: string) => customParams('order_shipped_with_header', {}, { variablesInput: 'json', paramsJson });
		const header = { type: 'header', parameters: [{ type: 'text', text: '#10482' }] };
		const [[sent]] = await node.execute.call(executeContext({ params: json(JSON.stringify([header, ...params])), credentials: credentials() }));
		expect(sent.json).toMatchObject({ status: 'accepted', renderedText: 'Hello, Maria! Your order is on its way and should arrive by June 12.' });
		expect((sendRequests()[0].body as IDataObject).params).toEqual([header, ...params]);
		const [[refused]] = await node.execute.call(
			executeContext({ params: json('[{"type":"body","parameters":"Maria"}]'), credentials: credentials(), continueOnFail: true }),
		);
		expect(refused.json).toMatchObject({ category: 'invalid_input', field: 'Params (JSON)', error: 'Params (JSON): params[0].parameters must be a non-empty array' });
		expect(sendRequests()).toHaveLength(1);
	});
});
