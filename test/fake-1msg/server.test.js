// @ts-check
'use strict';

const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { describe, test, expect, beforeAll, afterAll, beforeEach } = require('@jest/globals');
const {
	startFake1msg,
	DEFAULT_CHANNEL_ID,
	DEFAULT_TOKEN,
	FAILING_PHONE,
	INBOX_WEBHOOK_URL,
} = require('./server');
const { NAMESPACE, TEMPLATES } = require('./templates');
const { replyPayload } = require('./replies');

const PHONE = '5511999990001';

/**
 * @param {import('./server').FakeOneMsg} fake
 * @param {string} method
 * @param {string} apiPath e.g. "sendTemplate" or "templates?limit=2"
 * @param {unknown} [body]
 * @param {{ token?: string | null, raw?: string, channel?: string }} [opts]
 */
async function api(fake, method, apiPath, body, opts = {}) {
	/** @type {Record<string, string>} */
	const headers = { 'content-type': 'application/json' };
	const token = opts.token === undefined ? fake.token : opts.token;
	if (token !== null) headers.authorization = `Bearer ${token}`;
	const res = await fetch(`${fake.baseUrl}/${opts.channel || fake.channelId}/${apiPath}`, {
		method,
		headers,
		body: opts.raw !== undefined ? opts.raw : body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	/** @type {any} */
	let json = null;
	try {
		json = JSON.parse(text);
	} catch {
		json = null;
	}
	return { status: res.status, json, text, headers: res.headers };
}

/**
 * A seed-shaped sendTemplate body.
 * @param {string} template
 * @param {unknown[]} [params]
 * @param {Record<string, unknown>} [extra]
 */
function sendBody(template, params, extra = {}) {
	return {
		phone: PHONE,
		template,
		namespace: NAMESPACE,
		language: { policy: 'deterministic', code: 'en' },
		...(params ? { params } : {}),
		...extra,
	};
}

/** @param {...string} texts */
const bodyParams = (...texts) => ({ type: 'body', parameters: texts.map((text) => ({ type: 'text', text })) });

const ORDER_PARAMS = [bodyParams('Alexey', '10482', 'delivery slot confirmation', 'Please choose a time by tomorrow 6:00 PM')];

/** A loopback HTTP receiver that records JSON POST bodies. */
async function startReceiver(status = 200) {
	/** @type {any[]} */
	const bodies = [];
	const server = http.createServer((req, res) => {
		let data = '';
		req.on('data', (c) => (data += c));
		req.on('end', () => {
			bodies.push(JSON.parse(data));
			const body = bodies[bodies.length - 1];
			res.writeHead(receiver.answer?.(body) ?? receiver.status);
			res.end('ok');
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
	const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
	const receiver = {
		status,
		/** @type {((body: any) => number | undefined) | undefined} the answer to one body, `status` when undefined */
		answer: undefined,
		bodies,
		url: `http://127.0.0.1:${port}/webhook/abc`,
		close: () => new Promise((r) => {
			server.close(() => r(undefined));
			server.closeAllConnections();
		}),
	};
	return receiver;
}

describe('fake 1MSG server', () => {
	/** @type {import('./server').FakeOneMsg} */
	let fake;
	beforeAll(async () => {
		fake = await startFake1msg({ ackDelayMs: 5, seed: 42 });
	});
	afterAll(() => fake.close());
	beforeEach(() => fake.reset());

	test('listens on 127.0.0.1 with the default channel, a dummy token and the inbox webhook preset', async () => {
		expect(fake.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(fake.channelId).toBe(DEFAULT_CHANNEL_ID);
		expect(DEFAULT_TOKEN).toContain('dummy');
		expect(INBOX_WEBHOOK_URL).toBe(`https://app.1msg.io/service/whatsapp/hook/${DEFAULT_CHANNEL_ID}`);
		const r = await api(fake, 'GET', 'webhook');
		expect(r.json).toEqual({ webhookUrl: [INBOX_WEBHOOK_URL] });
		expect((await api(fake, 'GET', 'status')).json).toMatchObject({ status: 'connected' });
		expect((await api(fake, 'GET', 'me')).json).toHaveProperty('websites');
	});

	describe('auth and routing', () => {
		test('a wrong Bearer token gets 401 with the truncated token in the message', async () => {
			const r = await api(fake, 'GET', 'status', undefined, { token: 'abcdefghijklmnop' });
			expect(r.status).toBe(401);
			expect(r.json).toEqual({
				error: `Wrong token "abcdef…" for channel "${DEFAULT_CHANNEL_ID}". Please provide token as a GET parameter.`,
			});
		});

		test('a missing token gets 401 and the token may also come as ?token=', async () => {
			expect((await api(fake, 'GET', 'status', undefined, { token: null })).status).toBe(401);
			const r = await api(fake, 'GET', `status?token=${encodeURIComponent(fake.token)}`, undefined, { token: null });
			expect(r.status).toBe(200);
		});

		test('another channel id gets 404 Channel not found; an unknown method gets 404 Method not found', async () => {
			const other = await api(fake, 'GET', 'status', undefined, { channel: 'VID000000000' });
			expect(other).toMatchObject({ status: 404, json: { error: 'Channel not found' } });
			const unknown = await api(fake, 'GET', 'noSuchMethod');
			expect(unknown).toMatchObject({ status: 404, json: { error: 'Method not found' } });
		});

		test('a non-JSON POST body gets 400 Invalid JSON', async () => {
			const r = await api(fake, 'POST', 'sendTemplate', undefined, { raw: '{not json' });
			expect(r).toMatchObject({ status: 400, json: { error: 'Invalid JSON' } });
		});
	});

	describe('sendTemplate', () => {
		test('the seed body for order_no_response_notification is accepted and recorded', async () => {
			const r = await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', ORDER_PARAMS));
			expect(r.status).toBe(200);
			expect(r.json).toMatchObject({
				sent: true,
				message: `Sent to ${PHONE}@c.us`,
				description: 'Message has been sent to the provider',
			});
			expect(r.json.id).toMatch(/^wamid\.[A-Za-z0-9+/=]{20,}$/);
			expect(fake.sends).toHaveLength(1);
			expect(fake.sends[0]).toMatchObject({ id: r.json.id, phone: PHONE, template: 'order_no_response_notification' });
			expect(fake.sendCount(PHONE)).toBe(1);
			expect(fake.requests[0]).toMatchObject({ method: 'POST', path: `/${DEFAULT_CHANNEL_ID}/sendTemplate` });
			expect(fake.requests[0].headers.authorization).toBe(`Bearer ${DEFAULT_TOKEN}`);
		});

		test('the client_inactivity_notification seed (2 body vars) is accepted, also addressed by chatId', async () => {
			const params = [bodyParams('Maria', 'account setup')];
			const r = await api(fake, 'POST', 'sendTemplate', sendBody('client_inactivity_notification', params));
			expect(r.json.sent).toBe(true);
			const { phone, ...rest } = sendBody('client_inactivity_notification', params);
			const byChat = await api(fake, 'POST', 'sendTemplate', { ...rest, chatId: `${phone}@c.us` });
			expect(byChat.json.sent).toBe(true);
			expect(fake.sendCount(PHONE)).toBe(2);
		});

		test('a missing template, namespace or language is HTTP 400 "template is not defined"', async () => {
			for (const drop of ['template', 'namespace', 'language']) {
				/** @type {Record<string, unknown>} */
				const body = sendBody('order_no_response_notification', ORDER_PARAMS);
				delete body[drop];
				const r = await api(fake, 'POST', 'sendTemplate', body);
				expect(r).toMatchObject({ status: 400, json: { message: 'template is not defined' } });
			}
			expect(fake.sends).toHaveLength(0);
			expect(fake.rejected).toHaveLength(3);
		});

		test.each([
			['an unknown name', { template: 'no_such_template' }],
			['the wrong language', { language: { policy: 'deterministic', code: 'de' } }],
			['the wrong namespace', { namespace: 'other_namespace' }],
			['a PENDING template', { template: 'pending_review_notice', params: [bodyParams('x')] }],
			['a REJECTED template', { template: 'rejected_promo_notice', params: [bodyParams('x')] }],
		])('%s answers 200 sent:false (#132001)', async (_label, override) => {
			const r = await api(fake, 'POST', 'sendTemplate', { ...sendBody('order_no_response_notification', ORDER_PARAMS), ...override });
			expect(r.status).toBe(200);
			expect(r.json).toEqual({ sent: false, message: '(#132001) Template name does not exist in the translation' });
			expect(fake.sends).toHaveLength(0);
		});

		test('a body parameter count mismatch answers sent:false with the Meta #132000 text', async () => {
			const r = await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', [bodyParams('Alexey', '10482')]));
			expect(r.status).toBe(200);
			expect(r.json).toEqual({
				sent: false,
				message:
					'(#132000) Number of parameters does not match the expected number of params - body: number of localizable_params (2) does not match the expected number of params (4)',
			});
			const none = await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification'));
			expect(none.json.message).toContain('number of localizable_params (0) does not match the expected number of params (4)');
		});

		test.each([
			['+5511999990001'],
			['55 11 99999 0001'],
			['1234567'],
			['1234567890123456'],
		])('phone "%s" is rejected as not valid', async (phone) => {
			const r = await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', ORDER_PARAMS, { phone }));
			expect(r.status).toBe(200);
			expect(r.json).toMatchObject({ sent: false, message: 'Phone number is not valid' });
		});

		test.each([
			['a new-line', 'line one\nline two'],
			['a tab', 'a\tb'],
			['five consecutive spaces', 'a     b'],
		])('parameter text with %s answers (#100) Invalid parameter', async (_label, text) => {
			const r = await api(fake, 'POST', 'sendTemplate', sendBody('client_inactivity_notification', [bodyParams('Maria', text)]));
			expect(r.json).toEqual({
				sent: false,
				message: '(#100) Invalid parameter',
				description: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
			});
		});

		test('four consecutive spaces are allowed, an empty text is not', async () => {
			const ok = await api(fake, 'POST', 'sendTemplate', sendBody('client_inactivity_notification', [bodyParams('Maria', 'a    b')]));
			expect(ok.json.sent).toBe(true);
			const empty = await api(fake, 'POST', 'sendTemplate', sendBody('client_inactivity_notification', [bodyParams('Maria', '')]));
			expect(empty.json).toMatchObject({ sent: false, message: '(#100) Invalid parameter' });
		});

		test('a text header with a variable needs its header parameter', async () => {
			const body = [bodyParams('Maria', 'Friday')];
			const missing = await api(fake, 'POST', 'sendTemplate', sendBody('order_shipped_with_header', body));
			expect(missing.json.message).toContain('header: number of localizable_params (0) does not match the expected number of params (1)');
			const ok = await api(fake, 'POST', 'sendTemplate', sendBody('order_shipped_with_header', [{ type: 'header', parameters: [{ type: 'text', text: '#10482' }] }, ...body]));
			expect(ok.json.sent).toBe(true);
		});

		test('an IMAGE header needs an image parameter with an https link', async () => {
			const body = bodyParams('Maria', '20%');
			/** @param {unknown} header */
			const send = (header) => api(fake, 'POST', 'sendTemplate', sendBody('summer_sale_promo', header ? [header, body] : [body]));
			expect((await send(null)).json.sent).toBe(false);
			const wrongType = await send({ type: 'header', parameters: [{ type: 'video', video: { link: 'https://example.com/a.mp4' } }] });
			expect(wrongType.json.message).toContain('#132012');
			const http_ = await send({ type: 'header', parameters: [{ type: 'image', image: { link: 'http://example.com/a.jpg' } }] });
			expect(http_.json).toMatchObject({ sent: false, message: '(#100) Invalid parameter' });
			const ok = await send({ type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/a.jpg' } }] });
			expect(ok.json.sent).toBe(true);
		});

		test('invoice_with_document needs the document header and the URL button at its template index 1', async () => {
			const header = { type: 'header', parameters: [{ type: 'document', document: { link: 'https://example.com/inv.pdf', filename: 'inv.pdf' } }] };
			const body = bodyParams('Maria', 'INV-1001');
			/** @param {number} index */
			const button = (index) => ({ type: 'button', sub_type: 'url', index, parameters: [{ type: 'text', text: 'INV-1001' }] });
			const noButton = await api(fake, 'POST', 'sendTemplate', sendBody('invoice_with_document', [header, body]));
			expect(noButton.json).toMatchObject({ sent: false });
			expect(noButton.json.message).toContain('#132000');
			const wrongIndex = await api(fake, 'POST', 'sendTemplate', sendBody('invoice_with_document', [header, body, button(0)]));
			expect(wrongIndex.json.sent).toBe(false);
			const ok = await api(fake, 'POST', 'sendTemplate', sendBody('invoice_with_document', [header, body, button(1)]));
			expect(ok.json.sent).toBe(true);
		});

		test('a static URL button must not be sent as a parameter', async () => {
			const r = await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', [
				...ORDER_PARAMS,
				{ type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: 'x' }] },
			]));
			expect(r.json).toMatchObject({ sent: false, message: '(#131009) Parameter value is not valid' });
		});

		test('an OTP template sent with the body only is refused; body plus copy_code button is accepted', async () => {
			const bodyOnly = await api(fake, 'POST', 'sendTemplate', sendBody('otp_verification', [bodyParams('482913')]));
			expect(bodyOnly.json.sent).toBe(false);
			const ok = await api(fake, 'POST', 'sendTemplate', sendBody('otp_verification', [
				bodyParams('482913'),
				{ type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'coupon_code', coupon_code: '482913' }] },
			]));
			expect(ok.json.sent).toBe(true);
			const viaUrl = await api(fake, 'POST', 'sendTemplate', sendBody('otp_resend', [
				bodyParams('111222'),
				{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '111222' }] },
			]));
			expect(viaUrl.json.sent).toBe(true);
		});

		test('named placeholders need matching parameter_name values', async () => {
			const positional = await api(fake, 'POST', 'sendTemplate', sendBody('named_params_pickup', [bodyParams('Maria', '10482')]));
			expect(positional.json).toMatchObject({ sent: false, message: '(#100) Invalid parameter' });
			const named = await api(fake, 'POST', 'sendTemplate', sendBody('named_params_pickup', [{
				type: 'body',
				parameters: [
					{ type: 'text', parameter_name: 'order_id', text: '10482' },
					{ type: 'text', parameter_name: 'customer_name', text: 'Maria' },
				],
			}]));
			expect(named.json.sent).toBe(true);
		});

		test('template quirks: string components, lowercase approved, namespace borrowed from siblings, language object', async () => {
			for (const name of ['string_components_reminder', 'lowercase_status_notice', 'missing_namespace_notice']) {
				const r = await api(fake, 'POST', 'sendTemplate', sendBody(name, [bodyParams('Maria', 'x')]));
				expect([name, r.json.sent]).toEqual([name, true]);
			}
			const es = await api(fake, 'POST', 'sendTemplate', sendBody('language_object_notice', [bodyParams('Maria', '1')], {
				language: { policy: 'deterministic', code: 'es' },
			}));
			expect(es.json.sent).toBe(true);
		});

		test('the same name in en and pt_BR is validated against the requested language', async () => {
			const en = await api(fake, 'POST', 'sendTemplate', sendBody('order_status_update', [bodyParams('Maria', '1', 'shipped')]));
			expect(en.json.sent).toBe(true);
			const ptWrong = await api(fake, 'POST', 'sendTemplate', sendBody('order_status_update', [bodyParams('Maria', '1', 'shipped')], {
				language: { policy: 'deterministic', code: 'pt_BR' },
			}));
			expect(ptWrong.json.message).toContain('(3) does not match the expected number of params (2)');
		});

		test('every approved preset fixture accepts exactly its body variable count', async () => {
			const { compileTemplate } = require('./server');
			for (const t of TEMPLATES.filter((x) => x.category === 'UTILITY' && typeof x.components !== 'string')) {
				const spec = compileTemplate(t, NAMESPACE);
				if (spec.header || spec.named || spec.buttons.some((b) => b.vars.length) || !spec.approved || typeof t.language !== 'string') continue;
				const values = spec.bodyVars.map((_v, i) => `value ${i + 1}`);
				const r = await api(fake, 'POST', 'sendTemplate', sendBody(t.name, values.length ? [bodyParams(...values)] : undefined, { language: { policy: 'deterministic', code: t.language } }));
				expect([t.name, r.json.sent]).toEqual([t.name, true]);
			}
		});
	});

	describe('template kinds, checked as Meta does', () => {
		const coupon = (code = 'AUTUMN25', subType = 'copy_code') => ({
			type: 'button',
			sub_type: subType,
			index: 0,
			parameters: [{ type: 'coupon_code', coupon_code: code }],
		});
		const couponSend = (/** @type {unknown[]} */ buttons) =>
			sendBody('autumn_coupon_offer', [bodyParams('Maria', '25%'), ...buttons, { type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: 'a' }] }]);
		const card = (/** @type {number} */ i) => ({
			card_index: i,
			components: [
				{ type: 'header', parameters: [{ type: 'image', image: { link: `https://example.com/${i}.jpg` } }] },
				bodyParams(`Product ${i}`, '$9'),
				{ type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: `sku-${i}` }] },
			],
		});
		const carouselSend = (/** @type {unknown[]} */ cards) => sendBody('back_in_stock_carousel', [bodyParams('Maria'), { type: 'carousel', cards }]);
		const offer = (/** @type {number} */ ms) => ({ type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: ms } }] });
		const offerSend = (/** @type {unknown[]} */ extra) =>
			sendBody('weekend_flash_offer', [
				{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/f.jpg' } }] },
				bodyParams('Maria', 'FLASH25'),
				...extra,
				{ type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'coupon_code', coupon_code: 'FLASH25' }] },
				{ type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: 'FLASH25' }] },
			]);

		test('accepts a coupon, a 3-card carousel, an offer in the future and a flow button in their documented shapes', async () => {
			const flow = sendBody('visit_booking_flow', [bodyParams('Maria'), { type: 'button', sub_type: 'flow', index: '0', parameters: [{ type: 'action', action: { flow_token: 'unused' } }] }]);
			for (const body of [couponSend([coupon()]), carouselSend([card(0), card(1), card(2)]), offerSend([offer(Date.now() + 3_600_000)]), flow]) {
				const r = await api(fake, 'POST', 'sendTemplate', body);
				expect([body.template, r.json]).toEqual([body.template, expect.objectContaining({ sent: true })]);
			}
			expect(fake.sends).toHaveLength(4);
		});

		test.each([
			['a coupon sent like an OTP, as sub_type url', () => couponSend([{ type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: 'AUTUMN25' }] }]), '(#131009) Parameter value is not valid', /sub_type must be copy_code/],
			['a missing coupon', () => couponSend([]), /^\(#132000\) Number of parameters does not match.*button at index 0/, undefined],
			['an empty coupon', () => couponSend([coupon(' ')]), '(#100) Invalid parameter', /coupon_code cannot be empty/],
			['a coupon over 15 characters', () => couponSend([coupon('AUTUMN-2026-VIP-25')]), '(#131009) Parameter value is not valid', /longer than 15/],
			['a carousel with 2 of its 3 cards', () => carouselSend([card(0), card(1)]), /^\(#132000\).*carousel: number of localizable_params \(2\) does not match the expected number of params \(3\)/, undefined],
			['cards out of order', () => carouselSend([card(1), card(0), card(2)]), '(#100) Invalid parameter', /carousel card 0: card_index must be 0/],
			['a card without its image', () => carouselSend([card(0), { ...card(1), components: card(1).components.slice(1) }, card(2)]), /^\(#132000\).*carousel card 1: header/, undefined],
			['an offer without its expiration', () => offerSend([]), /^\(#132000\).*limited_time_offer/, undefined],
			['an offer that has ended', () => offerSend([offer(Date.now() - 1000)]), '(#131009) Parameter value is not valid', /must be in the future/],
		])('refuses %s with the failure answer 1MSG gives', async (_what, body, message, description) => {
			const r = await api(fake, 'POST', 'sendTemplate', body());
			expect(r.status).toBe(200);
			expect(r.json.sent).toBe(false);
			if (typeof message === 'string') expect(r.json.message).toBe(message);
			else expect(r.json.message).toMatch(message);
			if (description) expect(r.json.description).toMatch(description);
			expect(fake.sends).toHaveLength(0);
		});

		test.each([
			[{ chatId: `${PHONE}@c.us` }, PHONE],
			[{ bsuid: 'US.13491208655302741918' }, 'US.13491208655302741918'],
			[{ username: 'maria.shop' }, 'maria.shop'],
			[{ chatId: 'US.13491208655302741918@lid' }, 'US.13491208655302741918@lid'],
		])('sends to the recipient %p', async (recipient, key) => {
			const body = { ...sendBody('otp_verification', [bodyParams('482915'), { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: '482915' }] }]), phone: undefined };
			const r = await api(fake, 'POST', 'sendTemplate', { ...body, ...recipient });
			expect(r.json.sent).toBe(true);
			expect(fake.sends[0].phone).toBe(key);
		});

		test('refuses two recipients and a malformed BSUID', async () => {
			const base = sendBody('otp_verification', [bodyParams('482915'), { type: 'button', sub_type: 'url', index: 0, parameters: [{ type: 'text', text: '482915' }] }]);
			const noPhone = { ...base, phone: undefined };
			expect((await api(fake, 'POST', 'sendTemplate', { ...base, bsuid: 'US.1' })).json).toMatchObject({ sent: false, message: 'Provide either phone or chatId, not both' });
			expect((await api(fake, 'POST', 'sendTemplate', { ...noPhone, bsuid: 'not-a-bsuid' })).json).toMatchObject({ sent: false, message: 'bsuid is not valid' });
			expect(fake.sends).toHaveLength(0);
		});
	});

	describe('templates, webhook and settings', () => {
		test('GET /templates pages by limit and offset and reports the total', async () => {
			const all = await api(fake, 'GET', 'templates');
			expect(all.json.total).toBe(TEMPLATES.length);
			expect(all.json.templates).toHaveLength(TEMPLATES.length);
			const page = await api(fake, 'GET', 'templates?limit=5&offset=5');
			expect(page.json.total).toBe(TEMPLATES.length);
			expect(page.json.templates.map((/** @type {any} */ t) => t.id)).toEqual(TEMPLATES.slice(5, 10).map((t) => t.id));
			const strComponents = all.json.templates.find((/** @type {any} */ t) => t.name === 'string_components_reminder');
			expect(typeof strComponents.components).toBe('string');
		});

		test('POST /webhook replaces the whole list, accepts a comma-separated string and refuses more than 5', async () => {
			const set = await api(fake, 'POST', 'webhook', { webhookUrl: [INBOX_WEBHOOK_URL, 'http://127.0.0.1:5678/webhook/a'] });
			expect(set.json).toEqual({ set: true, webhookUrl: [INBOX_WEBHOOK_URL, 'http://127.0.0.1:5678/webhook/a'] });
			const csv = await api(fake, 'POST', 'webhook', { webhookUrl: 'http://localhost/a,http://localhost/b' });
			expect(csv.json.webhookUrl).toEqual(['http://localhost/a', 'http://localhost/b']);
			expect((await api(fake, 'GET', 'settings')).json.webhookUrl).toEqual(['http://localhost/a', 'http://localhost/b']);
			const six = Array.from({ length: 6 }, (_x, i) => `http://localhost/${i}`);
			const tooMany = await api(fake, 'POST', 'webhook', { webhookUrl: six });
			expect(tooMany).toMatchObject({ status: 400, json: { error: 'You can set at most 5 webhook URLs' } });
			expect(fake.webhookUrls).toEqual(['http://localhost/a', 'http://localhost/b']);
		});

		test('POST /settings updates only the given fields and webhookUrl "" clears the list', async () => {
			const r = await api(fake, 'POST', 'settings', { ackNotificationsOn: true });
			expect(r.json).toMatchObject({ ackNotificationsOn: true, guaranteedHooks: false, rawHooks: false, webhookUrl: [INBOX_WEBHOOK_URL], update: { ackNotificationsOn: true } });
			const cleared = await api(fake, 'POST', 'settings', { webhookUrl: '' });
			expect(cleared.json).toMatchObject({ webhookUrl: [], ackNotificationsOn: true, update: { webhookUrl: [] } });
			expect((await api(fake, 'GET', 'webhook')).json).toEqual({ webhookUrl: [] });
			fake.reset();
			expect(fake.settings).toMatchObject({ ackNotificationsOn: false, webhookUrl: [INBOX_WEBHOOK_URL] });
		});

		test('GET /settings writes its flags as true/false, or as 1, "1" or "true" when switched to (forms 1MSG\'s own node reads)', async () => {
			await api(fake, 'POST', 'settings', { ackNotificationsOn: true });
			expect((await api(fake, 'GET', 'settings')).json).toMatchObject({ ackNotificationsOn: true, rawHooks: false });
			/** @type {Array<[import('./server').FlagForm, unknown, unknown]>} */
			const forms = [['number', 1, 0], ['digit', '1', '0'], ['word', 'true', 'false']];
			for (const [form, on, off] of forms) {
				fake.settingsFlagsAs = form;
				expect((await api(fake, 'GET', 'settings')).json).toMatchObject({ ackNotificationsOn: on, rawHooks: off, webhookUrl: [INBOX_WEBHOOK_URL] });
			}
			expect(fake.settings.ackNotificationsOn).toBe(true);
			fake.reset();
			expect((await api(fake, 'GET', 'settings')).json.ackNotificationsOn).toBe(false);
		});

		test('GET /hookInfo answers 404 "Method not found" when switched to absent, as the current API would without it', async () => {
			expect((await api(fake, 'GET', 'hookInfo?messageId=wamid.x')).json).toEqual({ hooks: [] });
			fake.setHookInfo('absent');
			expect(await api(fake, 'GET', 'hookInfo?messageId=wamid.x')).toMatchObject({ status: 404, json: { error: 'Method not found' } });
			fake.reset();
			expect((await api(fake, 'GET', 'hookInfo?messageId=wamid.x')).status).toBe(200);
			const absent = await startFake1msg({ hookInfo: 'absent' });
			try {
				expect((await api(absent, 'GET', 'hookInfo?messageId=wamid.x')).status).toBe(404);
			} finally {
				await absent.close();
			}
		});

		describe('a destination 1MSG disabled', () => {
			const CRM = 'https://crm.example.com/1msg-hook';
			const N8N = 'http://127.0.0.1:5678/webhook/abc/webhook?secret=s';

			beforeEach(async () => {
				await api(fake, 'POST', 'webhook', { webhookUrl: [INBOX_WEBHOOK_URL, N8N, CRM] });
			});

			test('GET /webhook carries no webhookStatuses until a URL is disabled (no source shows the field)', async () => {
				expect((await api(fake, 'GET', 'webhook')).json).toEqual({ webhookUrl: [INBOX_WEBHOOK_URL, N8N, CRM] });
			});

			test('is reported per URL in the assumed shape the switch names: keyed by URL, or a list', async () => {
				fake.disableWebhook(N8N);
				expect((await api(fake, 'GET', 'webhook')).json).toEqual({
					webhookUrl: [INBOX_WEBHOOK_URL, N8N, CRM],
					webhookStatuses: { [INBOX_WEBHOOK_URL]: { status: 'active' }, [N8N]: { status: 'disabled' }, [CRM]: { status: 'active' } },
				});
				fake.disableWebhook(N8N, { shape: 'assumed-list' });
				expect((await api(fake, 'GET', 'webhook')).json.webhookStatuses).toEqual([
					{ url: INBOX_WEBHOOK_URL, status: 'active' },
					{ url: N8N, status: 'disabled' },
					{ url: CRM, status: 'active' },
				]);
				expect(() => fake.disableWebhook('https://not-on-the-list.example.com')).toThrow(/not on the webhook list/);
			});

			test('is re-enabled by POST /webhook with the complete list, not by the same list through POST /settings', async () => {
				fake.disableWebhook(N8N);
				await api(fake, 'POST', 'settings', { webhookUrl: [INBOX_WEBHOOK_URL, N8N, CRM] });
				expect([...fake.disabledWebhooks]).toEqual([N8N]);
				await api(fake, 'POST', 'webhook', { webhookUrl: [INBOX_WEBHOOK_URL, N8N, CRM] });
				expect([...fake.disabledWebhooks]).toEqual([]);
				expect((await api(fake, 'GET', 'webhook')).json).toEqual({ webhookUrl: [INBOX_WEBHOOK_URL, N8N, CRM] });
			});

			test('loses its status when it leaves the list, and on reset', async () => {
				fake.disableWebhook(CRM);
				await api(fake, 'POST', 'settings', { webhookUrl: [INBOX_WEBHOOK_URL, N8N] });
				expect([...fake.disabledWebhooks]).toEqual([]);
				fake.disableWebhook(N8N, { shape: 'assumed-list' });
				fake.reset();
				expect([...fake.disabledWebhooks]).toEqual([]);
				expect(fake.webhookStatusesShape).toBe('assumed-by-url');
			});
		});
	});

	describe('delivery statuses', () => {
		/** @type {Awaited<ReturnType<typeof startReceiver>>} */
		let receiver;
		beforeAll(async () => {
			receiver = await startReceiver();
		});
		afterAll(() => receiver.close());
		beforeEach(() => {
			receiver.bodies.length = 0;
			receiver.status = 200;
			receiver.answer = undefined;
		});

		/** @param {string} [phone] */
		async function sendOne(phone = PHONE) {
			const r = await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', ORDER_PARAMS, { phone }));
			expect(r.json.sent).toBe(true);
			return /** @type {string} */ (r.json.id);
		}

		test('ack format: sent, delivered, read go to loopback URLs only; the inbox URL is skipped', async () => {
			await api(fake, 'POST', 'webhook', { webhookUrl: [INBOX_WEBHOOK_URL, receiver.url, 'http://10.1.2.3/hook'] });
			await api(fake, 'POST', 'settings', { ackNotificationsOn: true });
			const id = await sendOne();
			await fake.waitFor(() => receiver.bodies.length === 3, 3000);
			expect(receiver.bodies.map((b) => b.ack[0].status)).toEqual(['sent', 'delivered', 'read']);
			expect(receiver.bodies[1]).toEqual({
				instanceId: DEFAULT_CHANNEL_ID,
				ack: [{ id, status: 'delivered', chatId: `${PHONE}@c.us`, phone: PHONE }],
			});
			expect(fake.deliveries.map((d) => [d.url, d.statusCode])).toEqual(Array(3).fill([receiver.url, 200]));
			expect(new Set(fake.skippedDeliveries.map((s) => s.url))).toEqual(new Set([INBOX_WEBHOOK_URL, 'http://10.1.2.3/hook']));
			const info = await api(fake, 'GET', `hookInfo?messageId=${encodeURIComponent(id)}`);
			expect(info.json.hooks.map((/** @type {any} */ h) => h.status)).toEqual(['sent', 'delivered', 'read']);
			expect(info.json.hooks[0]).toMatchObject({ id, type: 'message', recipient_id: PHONE, timestamp: expect.stringMatching(/^\d{10}$/) });
			expect((await api(fake, 'GET', 'hookInfo?messageId=wamid.unknown')).json).toEqual({ hooks: [] });
		});

		test('a localhost webhook URL is delivered to (resolved and checked as loopback)', async () => {
			const localhostUrl = receiver.url.replace('127.0.0.1', 'localhost');
			await api(fake, 'POST', 'settings', { webhookUrl: [localhostUrl], ackNotificationsOn: true });
			await sendOne();
			await fake.waitFor(() => receiver.bodies.length === 3, 3000);
			expect(fake.deliveries.every((d) => d.url === localhostUrl && d.statusCode === 200)).toBe(true);
		});

		test('FAILING_PHONE goes sent then failed with "Message undeliverable"', async () => {
			await api(fake, 'POST', 'webhook', { webhookUrl: receiver.url });
			await api(fake, 'POST', 'settings', { ackNotificationsOn: true });
			const id = await sendOne(FAILING_PHONE);
			await fake.waitFor(() => receiver.bodies.length === 2, 3000);
			expect(receiver.bodies.map((b) => b.ack[0].status)).toEqual(['sent', 'failed']);
			expect(receiver.bodies[1].ack[0]).toMatchObject({ id, error: 'Message undeliverable' });
			expect(fake.statusesOf(id)[1].errors).toEqual([expect.objectContaining({ code: 131026, title: 'Message undeliverable' })]);
		});

		test('no status webhooks are posted while ackNotificationsOn is false, but hookInfo still progresses', async () => {
			await api(fake, 'POST', 'webhook', { webhookUrl: receiver.url });
			const id = await sendOne();
			await fake.waitFor((f) => f.statusesOf(id).length === 3, 3000);
			await new Promise((r) => setTimeout(r, 30));
			expect(receiver.bodies).toHaveLength(0);
			expect(fake.deliveries).toHaveLength(0);
		});

		test.each([
			['meta', (/** @type {any} */ b) => b.entry[0].changes[0].value.statuses[0]],
			['hooks', (/** @type {any} */ b) => b.hooks[0]],
		])('%s format carries Meta-style status records with errors on failure', async (format, pick) => {
			const other = await startFake1msg({ ackFormat: /** @type {any} */ (format), ackDelayMs: 2, webhookUrls: [receiver.url], settings: { ackNotificationsOn: true } });
			try {
				const r = await api(other, 'POST', 'sendTemplate', sendBody('order_no_response_notification', ORDER_PARAMS, { phone: FAILING_PHONE }));
				await other.waitFor(() => receiver.bodies.length === 2, 3000);
				const statuses = receiver.bodies.map(pick);
				expect(statuses.map((s) => s.status)).toEqual(['sent', 'failed']);
				expect(statuses[1]).toMatchObject({ id: r.json.id, recipient_id: FAILING_PHONE, errors: [{ code: 131026, title: 'Message undeliverable' }] });
				expect(receiver.bodies[0].instanceId).toBe(DEFAULT_CHANNEL_ID);
				if (format === 'meta') expect(receiver.bodies[0].entry[0].changes[0]).toMatchObject({ field: 'messages', value: { messaging_product: 'whatsapp' } });
			} finally {
				await other.close();
			}
		});

		test('a failing receiver is recorded; guaranteedHooks posts again with a doubling back-off until a 2xx', async () => {
			const saved = fake.hookRetry;
			fake.hookRetry = { attempts: 5, firstDelayMs: 60, maxDelayMs: 1000 };
			try {
				const answers = [500, 503, 500];
				receiver.answer = (body) => (body.ack?.[0]?.status === 'sent' ? answers.shift() : undefined);
				await api(fake, 'POST', 'webhook', { webhookUrl: receiver.url });
				await api(fake, 'POST', 'settings', { ackNotificationsOn: true, guaranteedHooks: true });
				const id = await sendOne();
				await fake.waitFor((f) => f.deliveries.filter((d) => d.body.ack[0].id === id && d.body.ack[0].status === 'sent').some((d) => d.statusCode === 200), 5000);
				const sent = fake.deliveries.filter((d) => d.body.ack[0].id === id && d.body.ack[0].status === 'sent');
				expect(sent.map((d) => [d.attempt, d.statusCode])).toEqual([[1, 500], [2, 503], [3, 500], [4, 200]]);
				const gaps = sent.slice(1).map((d, i) => d.at - (sent[i].at + sent[i].ms));
				// 60, 120, 240 ms (timer slack allowed).
				expect(gaps.map((gap, i) => gap >= 60 * 2 ** i - 5)).toEqual([true, true, true]);
			} finally {
				fake.hookRetry = saved;
			}
		});

		test('guaranteedHooks stops after its last attempt; without it a failed post is not retried', async () => {
			const saved = fake.hookRetry;
			fake.hookRetry = { attempts: 3, firstDelayMs: 20, maxDelayMs: 20 };
			try {
				receiver.status = 500;
				await api(fake, 'POST', 'webhook', { webhookUrl: receiver.url });
				await api(fake, 'POST', 'settings', { ackNotificationsOn: true, guaranteedHooks: true });
				const id = await sendOne();
				await fake.waitFor((f) => f.deliveries.filter((d) => d.body.ack[0].id === id).length >= 9, 5000);
				await new Promise((r) => setTimeout(r, 200));
				expect(fake.deliveries.filter((d) => d.body.ack[0].id === id && d.body.ack[0].status === 'sent').map((d) => d.attempt)).toEqual([1, 2, 3]);
				await api(fake, 'POST', 'settings', { guaranteedHooks: false });
				const once = await sendOne();
				await fake.waitFor((f) => f.deliveries.filter((d) => d.body.ack[0].id === once).length >= 3, 5000);
				await new Promise((r) => setTimeout(r, 200));
				expect(fake.deliveries.filter((d) => d.body.ack[0].id === once).map((d) => d.attempt)).toEqual([1, 1, 1]);
			} finally {
				fake.hookRetry = saved;
			}
		});

	});

	describe('faults and latency', () => {
		test('a count-limited 429 answers the next sends and they are not sends', async () => {
			fake.setFaults([{ method: 'sendTemplate', count: 2, response: { status: 429, body: { error: 'Rate limit exceeded' } } }]);
			const a = await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', ORDER_PARAMS));
			const b = await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', ORDER_PARAMS));
			const c = await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', ORDER_PARAMS));
			expect([a.status, b.status, c.status]).toEqual([429, 429, 200]);
			expect(a.json).toEqual({ error: 'Rate limit exceeded' });
			expect(fake.sendCount(PHONE)).toBe(1);
			expect(fake.rejected).toHaveLength(2);
		});

		test('a rule naming a phone answers only sends to that recipient', async () => {
			const other = '5511999990002';
			fake.setFaults([{ method: 'sendTemplate', phone: other, response: { status: 200, body: { sent: false, message: '(#131026) Message undeliverable' } } }]);
			const refused = await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', ORDER_PARAMS, { phone: other }));
			const accepted = await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', ORDER_PARAMS));
			expect(refused.json).toEqual({ sent: false, message: '(#131026) Message undeliverable' });
			expect(accepted.json).toMatchObject({ sent: true });
			expect([fake.sendCount(other), fake.sendCount(PHONE)]).toEqual([0, 1]);
		});

		test('an afterSend 502 records and acks the send but answers with the fault', async () => {
			fake.setFaults([{ method: 'sendTemplate', count: 1, afterSend: true, response: { status: 502, raw: '<html>Bad Gateway</html>' } }]);
			const r = await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', ORDER_PARAMS));
			expect(r.status).toBe(502);
			expect(r.text).toBe('<html>Bad Gateway</html>');
			expect(fake.sendCount(PHONE)).toBe(1);
			await fake.waitFor((f) => f.statusesOf(f.sends[0].id).length === 3, 3000);
		});

		test('a hanging request stays open until close(); a destroyed socket fails the client', async () => {
			const other = await startFake1msg();
			other.setFaults([{ method: 'status', count: 1, hang: true }, { method: 'me', destroy: true }]);
			const hanging = api(other, 'GET', 'status').then(() => 'answered', () => 'failed');
			await other.waitFor((f) => f.requests.length === 1, 2000);
			const raced = await Promise.race([hanging, new Promise((r) => setTimeout(() => r('still hanging'), 100))]);
			expect(raced).toBe('still hanging');
			await expect(api(other, 'GET', 'me')).rejects.toThrow();
			await other.close();
			expect(await hanging).toBe('failed');
		});

		test('probability faults are deterministic for a given seed', async () => {
			/** @param {number} seed */
			const run = async (seed) => {
				const f = await startFake1msg({ seed });
				f.setFaults([{ method: 'status', probability: 0.5, response: { status: 503, body: { error: 'busy' } } }]);
				const out = [];
				for (let i = 0; i < 20; i++) out.push((await api(f, 'GET', 'status')).status);
				await f.close();
				return out;
			};
			const first = await run(7);
			expect(await run(7)).toEqual(first);
			expect(first).toContain(503);
			expect(first).toContain(200);
		});

		test('setLatency delays every API answer', async () => {
			fake.setLatency(120);
			const t0 = Date.now();
			await api(fake, 'GET', 'status');
			expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
		});
	});

	describe('admin endpoints', () => {
		test('GET /__fake/state, POST /__fake/faults and POST /__fake/reset work without auth', async () => {
			await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', ORDER_PARAMS));
			const state = await (await fetch(`${fake.baseUrl}/__fake/state`)).json();
			expect(state.sends).toHaveLength(1);
			expect(state.requests).toHaveLength(1);
			expect(state.webhookUrls).toEqual([INBOX_WEBHOOK_URL]);
			await fetch(`${fake.baseUrl}/__fake/faults`, { method: 'POST', body: JSON.stringify([{ method: 'templates', count: 1, response: { status: 500, body: { error: 'boom' } } }]) });
			expect((await api(fake, 'GET', 'templates')).status).toBe(500);
			await fetch(`${fake.baseUrl}/__fake/reset`, { method: 'POST' });
			expect(fake.sends).toHaveLength(0);
			expect(fake.requests).toHaveLength(0);
		});
	});

	test('keeps exact per-recipient counts over 2,000 concurrent sends', async () => {
		const N = 2000;
		/** @type {Promise<unknown>[]} */
		const jobs = [];
		for (let i = 0; i < N; i++) {
			const phone = `55119${String(i % 100).padStart(8, '0')}`;
			jobs.push(api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', ORDER_PARAMS, { phone })));
			if (jobs.length % 200 === 0) await Promise.all(jobs.slice(-200));
		}
		await Promise.all(jobs);
		expect(fake.sends).toHaveLength(N);
		expect(new Set(fake.sends.map((s) => s.id)).size).toBe(N);
		expect(fake.sendCount('5511900000007')).toBe(N / 100);
	}, 120_000);
});

describe('cli', () => {
	test.each([['SIGTERM'], ['SIGINT']])('prints one JSON line, serves the API and stops cleanly on %s', async (signal) => {
		const child = spawn(process.execPath, [path.join(__dirname, 'cli.js'), '--port', '0', '--channel', 'VID999', '--token', 'dummy-cli'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const line = await new Promise((resolve, reject) => {
			let out = '';
			child.stdout.on('data', (c) => {
				out += c;
				if (out.includes('\n')) resolve(out.split('\n')[0]);
			});
			child.on('exit', (code) => reject(new Error(`cli exited early with ${code}`)));
		});
		const info = JSON.parse(/** @type {string} */ (line));
		expect(info).toEqual({ baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), channelId: 'VID999', token: 'dummy-cli' });
		const r = await fetch(`${info.baseUrl}/VID999/status`, { headers: { authorization: 'Bearer dummy-cli' } });
		expect(await r.json()).toMatchObject({ status: 'connected' });
		const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
		child.kill(/** @type {NodeJS.Signals} */ (signal));
		expect(await exited).toBe(0);
	});
});

describe('fake 1MSG server rate limit', () => {
	test('accepts at most the configured sends per second and answers 429 beyond, sending nothing', async () => {
		const { startFake1msg, DEFAULT_CHANNEL_ID, DEFAULT_TOKEN } = require('./server');
		const fake = await startFake1msg({ rateLimitPerSecond: 5 });
		try {
			const body = (i) => ({
				phone: `7999000${String(i).padStart(4, '0')}`,
				template: 'client_inactivity_notification',
				namespace: 'dummy_namespace_1a2b3c',
				language: { policy: 'deterministic', code: 'en' },
				params: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: 'setup' }] }],
			});
			const answers = await Promise.all(
				Array.from({ length: 8 }, (_v, i) =>
					fetch(`${fake.baseUrl}/${DEFAULT_CHANNEL_ID}/sendTemplate`, {
						method: 'POST',
						headers: { 'content-type': 'application/json', authorization: `Bearer ${DEFAULT_TOKEN}` },
						body: JSON.stringify(body(i)),
					}).then((r) => r.status),
				),
			);
			expect(answers.filter((s) => s === 200)).toHaveLength(5);
			expect(answers.filter((s) => s === 429)).toHaveLength(3);
			expect(fake.sends).toHaveLength(5);
		} finally {
			await fake.close();
		}
	});
});

describe('fake 1MSG server: delivery plans and replies', () => {
	/** @type {import('./server').FakeOneMsg} */
	let fake;
	beforeAll(async () => {
		fake = await startFake1msg({ ackDelayMs: 20 });
	});
	afterAll(async () => fake.close());
	beforeEach(() => fake.reset());

	const hookStatuses = async (/** @type {string} */ id) =>
		(await api(fake, 'GET', `hookInfo?messageId=${encodeURIComponent(id)}`)).json.hooks.map((/** @type {any} */ h) => h.status);
	const send = async (/** @type {string} */ phone) =>
		(await api(fake, 'POST', 'sendTemplate', sendBody('order_no_response_notification', ORDER_PARAMS, { phone }))).json.id;

	test("hookInfo's history grows by the recipient's plan: delivered after a while, failed with a Meta error, or never", async () => {
		fake.setDeliveryPlan('5511999990010', { outcome: 'delivered', afterMs: 300 });
		fake.setDeliveryPlan('5511999990011', { outcome: 'failed', afterMs: 300, error: { text: "User's number is part of an experiment" } });
		fake.setDeliveryPlan('5511999990012', { outcome: 'never' });
		const [delivered, failed, never] = [await send('5511999990010'), await send('5511999990011'), await send('5511999990012')];
		await new Promise((r) => setTimeout(r, 100));
		expect(await hookStatuses(delivered)).toEqual(['sent']);
		await new Promise((r) => setTimeout(r, 400));
		expect(await hookStatuses(delivered)).toEqual(['sent', 'delivered']);
		expect(await hookStatuses(failed)).toEqual(['sent', 'failed']);
		expect(fake.statusesOf(failed)[1].errors).toEqual([
			{ title: "User's number is part of an experiment", message: "User's number is part of an experiment", error_data: { details: "User's number is part of an experiment" } },
		]);
		expect(await hookStatuses(never)).toEqual(['sent']);
	});

	test.each(['ack', 'meta'])('posts a quick-reply tap in %s format; only Meta\'s raw one carries the payload the send gave the button', async (format) => {
		/** @type {unknown[]} */
		const bodies = [];
		const receiver = http.createServer((req, res) => {
			let text = '';
			req.on('data', (chunk) => (text += chunk));
			req.on('end', () => {
				bodies.push(JSON.parse(text));
				res.end('{}');
			});
		});
		await new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve(undefined)));
		try {
			const address = /** @type {import('node:net').AddressInfo} */ (receiver.address());
			await api(fake, 'POST', 'webhook', { webhookUrl: `http://127.0.0.1:${address.port}/hook` });
			const body = {
				phone: PHONE,
				template: 'pending_booking_confirmation',
				namespace: NAMESPACE,
				language: { policy: 'deterministic', code: 'en' },
				params: [
					{ type: 'body', parameters: ['Anna', 'haircut', 'Friday', '10:00'].map((text) => ({ type: 'text', text })) },
					{ type: 'button', sub_type: 'quick_reply', index: 0, parameters: [{ type: 'payload', payload: 'booking-77' }] },
				],
			};
			const sent = await api(fake, 'POST', 'sendTemplate', body);
			expect(sent.json.sent).toBe(true);
			await fake.postReply(sent.json.id, { format: /** @type {'ack' | 'meta'} */ (format), buttonIndex: 0 });
			const [posted] = /** @type {any[]} */ (bodies);
			if (format === 'ack') {
				expect(posted.messages[0]).toMatchObject({ type: 'button', body: 'Confirm', quotedMsgId: sent.json.id, self: 0, fromMe: false });
				expect(JSON.stringify(posted)).not.toContain('booking-77');
			} else {
				expect(posted.entry[0].changes[0].value.messages[0]).toMatchObject({
					type: 'button',
					context: { id: sent.json.id },
					button: { text: 'Confirm', payload: 'booking-77' },
				});
			}
		} finally {
			receiver.close();
		}
	});

	/** The keys 1MSG's normalized `messages[]` records have in the production capture (capture-messages.json). */
	const CAPTURE_MESSAGE_KEYS = require('../fixtures/contract/capture-messages.json').fixtures.find(
		(/** @type {{ name: string }} */ f) => f.name === 'message key inventory (union of keys seen in production)',
	).body;

	/** The normalized body `replyPayload` builds for a template sent to PHONE, without posting it. */
	const normalizedBody = async (/** @type {import('./replies').ReplySpec} */ spec) => {
		const id = await send(PHONE);
		const sent = fake.sends.find((candidate) => candidate.id === id);
		return { id, body: /** @type {any} */ (replyPayload(fake, /** @type {any} */ (sent), 'wamid.answer1', { format: 'ack', ...spec })) };
	};

	test.each([
		['a text', { text: 'Can we do 4 PM?' }],
		['a tap', { button: { text: 'Confirm', payload: 'booking-77' } }],
		['a reaction', { reaction: '👍' }],
		['an echo', { echo: /** @type {true} */ (true), text: 'Hello' }],
	])("%s in 1MSG's normalized format uses only keys of the capture's inventory, with its value types", async (_what, spec) => {
		const { body } = await normalizedBody(spec);
		const [message] = body.messages;
		for (const key of Object.keys(message)) expect(CAPTURE_MESSAGE_KEYS).toContain(key);
		expect(message.time).toMatch(/^\d{10}$/);
	});

	test("a reaction in 1MSG's normalized format carries the emoji in body and the message reacted to in quotedMsgId", async () => {
		const { id, body } = await normalizedBody({ reaction: '👍' });
		expect(body.messages[0]).toMatchObject({ type: 'reaction', body: '👍', quotedMsgId: id, self: 0, fromMe: false });
	});

	test("a reaction in Meta's raw format names its message in reaction.message_id, without context", async () => {
		const id = await send(PHONE);
		const sent = /** @type {any} */ (fake.sends.find((candidate) => candidate.id === id));
		const [message] = /** @type {any} */ (replyPayload(fake, sent, 'wamid.answer2', { format: 'meta', reaction: '👍' })).entry[0].changes[0].value.messages;
		expect(message).toEqual({ id: 'wamid.answer2', from: sent.phone, timestamp: expect.stringMatching(/^\d{10}$/), type: 'reaction', reaction: { message_id: id, emoji: '👍' } });
	});

	test("an echo is the sent message coming back with the capture's flags, or with the ones given", async () => {
		const { id, body } = await normalizedBody({ echo: true, text: 'Hello' });
		expect(body.messages[0]).toMatchObject({ id, type: 'chat', body: 'Hello', self: 1, fromMe: true, quotedMsgId: null });
		const strings = await normalizedBody({ echo: { fromMe: '1', self: '1' } });
		expect(strings.body.messages[0]).toMatchObject({ self: '1', fromMe: '1' });
		const sent = /** @type {any} */ (fake.sends[0]);
		expect(() => replyPayload(fake, sent, 'x', { format: 'meta', echo: true })).toThrow(/no source shows an echo/);
	});
});
