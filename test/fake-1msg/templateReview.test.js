// @ts-check
'use strict';

const { describe, test, expect, beforeAll, afterAll, beforeEach } = require('@jest/globals');
const { startFake1msg } = require('./server');
const { REJECTED_NAME_PREFIX, REJECTION_REASON } = require('./templateReview');

/** @type {import('./server').FakeOneMsg} */
let fake;

/** @param {string} method @param {string} apiPath @param {unknown} [body] */
async function call(method, apiPath, body) {
	const res = await fetch(`${fake.baseUrl}/${fake.channelId}/${apiPath}`, {
		method,
		headers: { 'content-type': 'application/json', authorization: `Bearer ${fake.token}` },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, json: /** @type {any} */ (await res.json()) };
}

/** @param {Record<string, unknown>} [change] */
const newTemplate = (change = {}) => ({
	name: 'restock_alert',
	category: 'UTILITY',
	language: 'en',
	components: [
		{ type: 'BODY', text: 'Hello, {{1}}! {{2}} is back in stock.', example: { body_text: [['Maria', 'Wireless headphones']] } },
		{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Shop now', url: 'https://shop.example.com' }] },
	],
	...change,
});

/** @param {string} name */
async function statusOf(name) {
	const { json } = await call('GET', 'templates?limit=100');
	return json.templates.find((/** @type {any} */ t) => t.name === name);
}

beforeAll(async () => {
	fake = await startFake1msg({ approvalDelayMs: 150 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('fake addTemplate', () => {
	test('keeps a new template pending for the approval delay, then approves it and accepts sends of it', async () => {
		const before = fake.templates.length;
		const created = await call('POST', 'addTemplate', newTemplate());
		expect(created.status).toBe(200);
		expect(created.json).toMatchObject({ status: 'PENDING', category: 'UTILITY' });
		expect(await statusOf('restock_alert')).toMatchObject({ id: created.json.id, status: 'PENDING', rejected_reason: 'NONE' });
		await fake.waitFor(() => fake.templates.some((t) => t.name === 'restock_alert' && t.status === 'APPROVED'), 2000);
		const send = await call('POST', 'sendTemplate', {
			phone: '5511999990001',
			template: 'restock_alert',
			namespace: 'dummy_namespace_1a2b3c',
			language: { policy: 'deterministic', code: 'en' },
			params: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: 'Headphones' }] }],
		});
		expect(send.json.sent).toBe(true);
		fake.reset();
		expect(fake.templates).toHaveLength(before);
	});

	test('rejects a template whose name is reserved for rejection, with a reason', async () => {
		const name = `${REJECTED_NAME_PREFIX}promo`;
		await call('POST', 'addTemplate', newTemplate({ name }));
		await fake.waitFor(() => fake.templates.some((t) => t.name === name && t.status === 'REJECTED'), 2000);
		expect(await statusOf(name)).toMatchObject({ status: 'REJECTED', rejected_reason: REJECTION_REASON });
	});

	test.each([
		['a name with capitals', { name: 'Restock Alert' }, /lowercase letters/],
		['an unknown category', { category: 'PROMO' }, /Category must be/],
		[
			'renumbered variables',
			{ components: [{ type: 'BODY', text: 'Hi {{2}} and {{1}}', example: { body_text: [['a', 'b']] } }] },
			/numbered in order/,
		],
		[
			'an empty example',
			{ components: [{ type: 'BODY', text: 'Hi {{1}}, {{2}}.', example: { body_text: [['Maria', ' ']] } }] },
			/one non-empty example for each/,
		],
		['a URL button without url', { components: [{ type: 'BODY', text: 'Hi.' }, { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Go' }] }] }, /valid url/],
	])('refuses %s with Meta\'s error and stores nothing', async (_, change, message) => {
		const before = fake.templates.length;
		const refused = await call('POST', 'addTemplate', newTemplate(change));
		expect(refused.status).toBe(400);
		expect(refused.json.error).toMatchObject({ code: 100, error_user_title: 'Message template could not be created' });
		expect(refused.json.error.error_user_msg).toMatch(message);
		expect(fake.templates).toHaveLength(before);
		expect(fake.templateCreations.at(-1)).toMatchObject({ status: 400 });
	});

	test('refuses a second template of the same name and language', async () => {
		const refused = await call('POST', 'addTemplate', newTemplate({ name: 'order_no_response_notification' }));
		expect(refused.status).toBe(400);
		expect(refused.json.error).toMatchObject({ error_subcode: 2388024 });
	});
});
