/**
 * Template picker, Custom Template mode, checks and typed errors, and the trigger's outputs and
 * authenticity, in a real n8n against the fake 1MSG server.
 */
import { nodeOutputs } from '../harness/n8n';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, FAILING_PHONE, INBOX_WEBHOOK_URL, startFake1msg } from '../fake-1msg/server';
import { CREDENTIAL, STATUS_TRIGGER, TEMPLATE_TYPE, sendWorkflow, statusTriggerWorkflow, templateNode } from './workflows';
import { type Execution, type Fake, type N8n, startStack, stopStack } from './stack';
import { CAROUSEL_CARD_LABELS } from '../fixtures/templates';

jest.setTimeout(240_000);

type Item = Record<string, unknown>;

const PRESET = { id: 'wfPresetSend0001', path: 'preset-send', webhookId: '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9' };
const CUSTOM = { id: 'wfCustomSend0001', path: 'custom-send', webhookId: '1c2d3e4f-5061-4728-93a4-b5c6d7e8f9a0' };
const MISMATCH = { id: 'wfMismatch000001', path: 'mismatch-send', webhookId: '2d3e4f50-6172-4839-a4b5-c6d7e8f9a0b1' };
const CAROUSEL = { id: 'wfCarousel000001', path: 'carousel-send', webhookId: '3e4f5061-7283-494a-b5c6-d7e8f9a0b1c2' };
const COUPON = { id: 'wfCouponSend0001', path: 'coupon-send', webhookId: '4f506172-8394-4a5b-86d7-e8f9a0b1c2d3' };

/** Custom Template mode with the resource mapper filled by expressions, as the editor saves it. */
function customNode(template: string, value: Record<string, string>) {
	return templateNode('custom', template, {
		templateVariables: {
			mappingMode: 'defineBelow',
			value,
			matchingColumns: [],
			schema: Object.keys(value).map((id) => ({
				id,
				displayName: id,
				required: true,
				defaultMatch: false,
				display: true,
				canBeUsedToMatch: false,
				type: 'string',
			})),
		},
	});
}

function carouselWorkflow() {
	const cards = [1, 2, 3].flatMap((n) => [
		[`card_${n}_header_media`, `={{ $json.body.cards[${n - 1}].image }}`],
		[`card_${n}_body_1`, `={{ $json.body.cards[${n - 1}].product }}`],
		[`card_${n}_body_2`, `={{ $json.body.cards[${n - 1}].price }}`],
		[`card_${n}_button_1_url`, `={{ $json.body.cards[${n - 1}].sku }}`],
	]);
	const node = customNode('back_in_stock_carousel|en', { body_1: '={{ $json.body.name }}', ...Object.fromEntries(cards) });
	return sendWorkflow({ ...CAROUSEL, name: 'Carousel send', templateNode: node });
}

function couponWorkflow() {
	const node = customNode('autumn_coupon_offer|en', {
		body_1: '={{ $json.body.name }}',
		body_2: '={{ $json.body.discount }}',
		button_0_coupon: '={{ $json.body.coupon }}',
		button_1_url: '={{ $json.body.campaign }}',
	});
	return sendWorkflow({ ...COUPON, name: 'Coupon send', templateNode: node });
}

function presetWorkflow() {
	return sendWorkflow({
		...PRESET,
		name: 'Preset send',
		templateNode: templateNode('paymentOverdueReminder', 'payment_overdue_reminder|en', {
			customerName: '={{ $json.body.name }}',
			outstandingAmount: '={{ $json.body.amount }}',
			overdueDate: '={{ $json.body.date }}',
		}),
	});
}

function customWorkflow() {
	const node = customNode('invoice_with_document|en', {
		header_media: '={{ $json.body.invoiceUrl }}',
		body_1: '={{ $json.body.name }}',
		body_2: '={{ $json.body.invoice }}',
		button_1_url: '={{ $json.body.invoice }}',
	});
	return sendWorkflow({ ...CUSTOM, name: 'Custom send', templateNode: node });
}

function mismatchWorkflow() {
	// A 4-variable scenario with a 2-variable template: stopped before any request.
	return sendWorkflow({
		...MISMATCH,
		name: 'Mismatch send',
		templateNode: templateNode('orderNoResponseNotification', 'client_inactivity_notification|en', {
			customerName: 'Alexey',
			orderNumber: '10482',
			pendingAction: 'slot',
			reminderNote: 'soon',
		}),
	});
}

let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	({ fake, n8n } = await startStack({
		fake: { ackDelayMs: 100, webhookUrls: [INBOX_WEBHOOK_URL] },
		workflows: [
			statusTriggerWorkflow({ outputPerStatus: true }),
			presetWorkflow(),
			customWorkflow(),
			mismatchWorkflow(),
			carouselWorkflow(),
			couponWorkflow(),
		],
		publish: [PRESET.id, CUSTOM.id, MISMATCH.id, CAROUSEL.id, COUPON.id],
	}));
	await n8n.activate(STATUS_TRIGGER.id);
	await fake.waitFor(() => fake.webhookUrls.length === 2, 15_000);
});

afterAll(() => stopStack({ fake, n8n }));

const sends = () => fake.requests.filter((r: { path: string }) => r.path.endsWith('/sendTemplate'));
const post = async (path: string, body: Item) => (await n8n.postWebhook(`webhook/${path}`, body)).body as Item[];

describe('1MSG Template in real n8n', () => {
	it("lists the channel's approved templates for the picker, the scenario's variable count first", async () => {
		await n8n.setupOwner();
		const response = await n8n.rest('POST', '/dynamic-node-parameters/resource-locator-results', {
			nodeTypeAndVersion: { name: TEMPLATE_TYPE, version: 1 },
			methodName: 'searchTemplates',
			path: 'parameters.template',
			currentNodeParameters: { operation: 'sendTemplate', scenario: 'orderNoResponseNotification' },
			credentials: { oneMsgChannelApi: { ...CREDENTIAL } },
		});
		const results = (response.data ?? response).results as Array<{ name: string; value: string }>;
		const names = results.map((r) => r.value);
		expect(names).toContain('order_no_response_notification|en');
		expect(names).not.toContain('pending_review_notice|en');
		expect(names).not.toContain('rejected_promo_notice|en');
		const firstMisfit = results.findIndex((r) => / variables, scenario needs 4\)$/.test(r.name));
		const orderIndex = names.indexOf('order_no_response_notification|en');
		expect(firstMisfit).toBeGreaterThan(orderIndex);
		expect(results[orderIndex].name).toBe('order_no_response_notification · en · UTILITY');
	});

	it("gives Custom Template the carousel's labelled card fields, read by n8n from the template", async () => {
		await n8n.setupOwner();
		const response = await n8n.rest('POST', '/dynamic-node-parameters/resource-mapper-fields', {
			nodeTypeAndVersion: { name: TEMPLATE_TYPE, version: 1 },
			methodName: 'getTemplateVariables',
			path: 'parameters.templateVariables',
			currentNodeParameters: {
				operation: 'sendTemplate',
				scenario: 'custom',
				template: { __rl: true, mode: 'list', value: 'back_in_stock_carousel|en' },
			},
			credentials: { oneMsgChannelApi: { ...CREDENTIAL } },
		});
		const fields = (response.data ?? response).fields as Array<{ id: string; displayName: string; required: boolean }>;
		expect(fields.map((f) => f.displayName)).toEqual(['Body Variable {{1}}', ...CAROUSEL_CARD_LABELS]);
		expect(fields.find((f) => f.displayName.startsWith('Card 2 – Header'))).toMatchObject({ id: 'card_2_header_media', required: true });
	});

	it('sends a preset picked from the list', async () => {
		const [item] = await post(PRESET.path, { phone: '+49 151 1234 5678', name: 'Jonas', amount: '€80.00', date: 'June 3' });
		expect(item).toMatchObject({ status: 'accepted', template: 'payment_overdue_reminder', variables: { 'Outstanding Amount': '€80.00' } });
		expect((sends().at(-1)?.body as Item).params).toEqual([
			{ type: 'body', parameters: [{ type: 'text', text: 'Jonas' }, { type: 'text', text: '€80.00' }, { type: 'text', text: 'June 3' }] },
		]);
	});

	it('sends a custom template with a document header and a URL-button variable', async () => {
		const [item] = await post(CUSTOM.path, {
			phone: '79991234567',
			name: 'Maria',
			invoice: 'INV-1042',
			invoiceUrl: 'https://example.com/invoices/INV-1042.pdf',
		});
		expect(item).toMatchObject({ status: 'accepted', template: 'invoice_with_document' });
		expect((sends().at(-1)?.body as Item).params).toEqual([
			{ type: 'header', parameters: [{ type: 'document', document: { link: 'https://example.com/invoices/INV-1042.pdf' } }] },
			{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: 'INV-1042' }] },
			{ type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: 'INV-1042' }] },
		]);
	});

	it('sends a 3-card carousel template through Custom Template, every card in order', async () => {
		const cards = [1, 2, 3].map((n) => ({ image: `https://example.com/p/${n}.jpg`, product: `Trail shoe ${n}`, price: `$${n}9`, sku: `sku-${n}` }));
		const [item] = await post(CAROUSEL.path, { phone: '79991234567', name: 'Maria', cards });
		expect(item).toMatchObject({ status: 'accepted', template: 'back_in_stock_carousel', renderedText: 'Hi Maria, these picks are back in stock:' });
		expect(fake.rejected).toHaveLength(0);
		expect((sends().at(-1)?.body as Item).params).toEqual([
			{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] },
			{
				type: 'carousel',
				cards: cards.map((card, index) => ({
					card_index: index,
					components: [
						{ type: 'header', parameters: [{ type: 'image', image: { link: card.image } }] },
						{ type: 'body', parameters: [{ type: 'text', text: card.product }, { type: 'text', text: card.price }] },
						{ type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: card.sku }] },
					],
				})),
			},
		]);
	});

	it('sends a coupon template with the coupon as copy_code, and refuses a blank coupon by name', async () => {
		const body = { phone: '79991234567', name: 'Maria', discount: '25%', coupon: 'AUTUMN25', campaign: 'autumn' };
		const [item] = await post(COUPON.path, body);
		expect(item).toMatchObject({ status: 'accepted', template: 'autumn_coupon_offer', variables: { 'Coupon Code': 'AUTUMN25' } });
		expect((sends().at(-1)?.body as Item).params).toEqual([
			{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: '25%' }] },
			{ type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'coupon_code', coupon_code: 'AUTUMN25' }] },
			{ type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: 'autumn' }] },
		]);
		const before = sends().length;
		const [blank] = await post(COUPON.path, { ...body, coupon: '' });
		expect(blank).toMatchObject({ status: 'failed', category: 'invalid_input', field: 'Coupon Code', error: 'Coupon Code is empty' });
		expect(sends()).toHaveLength(before);
	});

	it('refuses a plain-http media link before sending', async () => {
		const before = sends().length;
		const [item] = await post(CUSTOM.path, { phone: '79991234567', name: 'Maria', invoice: 'INV-1', invoiceUrl: 'http://example.com/a.pdf' });
		expect(item).toMatchObject({ category: 'invalid_input', error: 'Header Document Link (HTTPS URL) must start with https://' });
		expect(sends()).toHaveLength(before);
	});

	it('stops a variable-count mismatch before any request', async () => {
		const before = fake.requests.length;
		const [item] = await post(MISMATCH.path, { phone: '79991234567' });
		expect(item).toMatchObject({ category: 'param_mismatch', field: 'Template' });
		const made = fake.requests.slice(before).map((r: { path: string }) => r.path);
		expect(made.filter((p: string) => p.endsWith('/sendTemplate'))).toEqual([]);
	});

	it('turns sent:false into a typed error item under Continue On Fail', async () => {
		fake.setFaults([{ method: 'sendTemplate', count: 1, response: { status: 200, body: { sent: false, message: '(#132001) Template name does not exist in the translation' } } }]);
		const [item] = await post(PRESET.path, { phone: '79991234567', name: 'Jonas', amount: '€80.00', date: 'June 3' });
		expect(item).toMatchObject({ status: 'failed', category: 'template_not_found', statusCode: 200 });
		expect(String(item.description)).toMatch(/approved/);
	});
});

describe('1MSG Trigger in real n8n', () => {
	const triggerUrl = () => fake.webhookUrls.find((u: string) => u.includes(STATUS_TRIGGER.webhookId))!;

	it('routes a failing delivery to the Failed output with its error text', async () => {
		const [item] = await post(PRESET.path, { phone: FAILING_PHONE, name: 'Jonas', amount: '€80.00', date: 'June 3' });
		const messageId = String(item.messageId);
		await fake.waitFor(() => fake.statusesOf(messageId).length >= 2, 10_000);
		const deadline = Date.now() + 15_000;
		let failed: Item[] = [];
		let sentOut: Item[] = [];
		while (Date.now() < deadline && failed.length === 0) {
			const executions = await n8n.executions(STATUS_TRIGGER.id);
			const outputs = executions.filter((e: Execution) => e.status === 'success').map((e: Execution) => nodeOutputs(e, '1MSG Trigger') as Item[][]);
			sentOut = outputs.flatMap((o: Item[][]) => o[0] ?? []).filter((i: Item) => i.messageId === messageId);
			failed = outputs.flatMap((o: Item[][]) => o[3] ?? []).filter((i: Item) => i.messageId === messageId);
			await new Promise((r) => setTimeout(r, 200));
		}
		expect(sentOut).toHaveLength(1);
		expect(failed).toHaveLength(1);
		expect(failed[0]).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/undeliverable/i) } });
	});

	it('answers 401 without or with a wrong secret and starts no execution', async () => {
		const before = (await n8n.executions(STATUS_TRIGGER.id)).length;
		const url = new URL(triggerUrl());
		const body = { instanceId: DEFAULT_CHANNEL_ID, ack: [{ id: 'wamid.forged', status: 'failed', phone: '79991234567', error: 'x' }] };
		const noSecret = await n8n.postWebhook(`${url.origin}${url.pathname}`, body);
		const wrong = await n8n.postWebhook(`${url.origin}${url.pathname}?secret=${'0'.repeat(48)}`, body);
		expect(noSecret.status).toBe(401);
		expect(wrong.status).toBe(401);
		await new Promise((r) => setTimeout(r, 1000));
		expect(await n8n.executions(STATUS_TRIGGER.id)).toHaveLength(before);
	});

	it('starts no second execution for a repeated status, and answers with a small JSON acknowledgement', async () => {
		const body = { instanceId: DEFAULT_CHANNEL_ID, ack: [{ id: 'wamid.repeat1', status: 'delivered', chatId: '79991234567@c.us', phone: '79991234567' }] };
		const executionsWithRepeat = async () =>
			(await n8n.executions(STATUS_TRIGGER.id)).filter((e: Execution) =>
				e.status === 'success' && (nodeOutputs(e, '1MSG Trigger') as Item[][]).flat().some((i) => i.messageId === 'wamid.repeat1'),
			).length;
		const first = await n8n.postWebhook(triggerUrl(), body);
		expect(first.status).toBe(200);
		expect(first.body).toEqual({ received: true, accepted: 1 });
		const deadline = Date.now() + 10_000;
		while ((await executionsWithRepeat()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
		expect(await executionsWithRepeat()).toBe(1);
		const again = await n8n.postWebhook(triggerUrl(), body);
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ received: true, accepted: 0, ignored: 1 });
		await new Promise((r) => setTimeout(r, 1000));
		expect(await executionsWithRepeat()).toBe(1);
	});
});

describe('1MSG Channel API credential in real n8n', () => {
	const testCredential = async (data: Record<string, string>) => {
		await n8n.setupOwner();
		const response = await n8n.rest('POST', '/credentials/test', {
			credentials: { ...CREDENTIAL, type: 'oneMsgChannelApi', data },
		});
		return (response.data ?? response) as { status: string; message: string };
	};

	it('passes the credential test with the channel id and token, and fails it with a wrong token', async () => {
		const ok = await testCredential({ channelId: DEFAULT_CHANNEL_ID, token: `Bearer ${DEFAULT_TOKEN}`, baseUrl: fake.baseUrl });
		expect(ok.status).toBe('OK');
		expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: `/${DEFAULT_CHANNEL_ID}/status` });
		const bad = await testCredential({ channelId: DEFAULT_CHANNEL_ID, token: 'wrong-dummy-token', baseUrl: fake.baseUrl });
		expect(bad.status).toBe('Error');
	});

	it("finds the channel in a JWT token's instanceId claim when Channel ID is empty", async () => {
		const claims = Buffer.from(JSON.stringify({ instanceId: 'instance371267300' })).toString('base64url');
		const jwtToken = `eyJhbGciOiJIUzI1NiJ9.${claims}.dummy-signature`;
		const jwtFake = await startFake1msg({ channelId: '371267300', token: jwtToken });
		try {
			const ok = await testCredential({ channelId: '', token: jwtToken, baseUrl: jwtFake.baseUrl });
			expect(ok.status).toBe('OK');
			expect(jwtFake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/371267300/status' });
		} finally {
			await jwtFake.close();
		}
	});
});
