// @ts-check
'use strict';

/**
 * The fake's template list and sendTemplate checks against the contract corpus (test/fixtures/contract/):
 * authentication templates as Meta lists them, the invented quick-reply refusal switch, and BSUID recipients.
 */

const fs = require('node:fs');
const path = require('node:path');
const { describe, test, expect } = require('@jest/globals');
const { NAMESPACE, TEMPLATES, listedCodeButton } = require('./templates');
const { compileTemplate, inventedQuickReplyRefusal, readRecipient, validateParams } = require('./validation');

/**
 * One fixture of the contract corpus, by its file and name.
 * @param {string} file @param {string} name
 * @returns {any}
 */
function contract(file, name) {
	const { fixtures } = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/contract', file), 'utf8'));
	const fixture = fixtures.find((/** @type {{ name: string }} */ candidate) => candidate.name === name);
	if (!fixture) throw new Error(`no fixture "${name}" in ${file}`);
	return fixture.body;
}

/** @param {string} name */
const fixtureSpec = (name) => {
	const template = TEMPLATES.find((t) => t.name === name);
	if (!template) throw new Error(`no fixture template ${name}`);
	return compileTemplate(template, NAMESPACE);
};

/** Meta's example send of an authentication template (copy-code page, Jun 24, 2026). */
const META_AUTH_SEND = contract('meta-send-bodies.json', 'send authentication template — example request');
const LISTED_AUTH = contract('meta-templates.json', 'authentication template AS LISTED (components): OTP button comes back as type URL');

/**
 * @param {string} category @param {unknown[]} components
 * @returns {import('./templates').TemplateRecord}
 */
const record = (category, components) => ({ id: '1', name: 'auth', language: 'en_US', category, status: 'APPROVED', namespace: NAMESPACE, components: /** @type {any} */ (components) });

/** @param {string} code */
const authParams = (code, index = /** @type {string | number} */ ('0')) => [
	{ type: 'body', parameters: [{ type: 'text', text: code }] },
	{ type: 'button', sub_type: 'url', index, parameters: [{ type: 'text', text: code }] },
];

describe('authentication templates in the fake list', () => {
	test('list their code button as Meta lists a created one: a URL button with the otp/code link', () => {
		const authentication = TEMPLATES.filter((t) => t.category === 'AUTHENTICATION' && t.name !== 'otp_button_typed_otp');
		expect(authentication.map((t) => t.name)).toEqual(['otp_verification', 'otp_registration', 'otp_resend', 'otp_one_tap_login']);
		for (const t of authentication) {
			const buttons = /** @type {any[]} */ (t.components).find((c) => c.type === 'BUTTONS').buttons;
			expect(buttons).toEqual([
				{ type: 'URL', text: 'Copy code', url: expect.stringMatching(/^https:\/\/www\.whatsapp\.com\/otp\/code\/\?otp_type=(COPY_CODE|ONE_TAP)&code=otp\{\{1\}\}$/), example: [expect.any(String)] },
			]);
		}
		// The copy-code button is the one Microsoft's ACS docs print for a listed template.
		const listedButton = LISTED_AUTH.find((/** @type {any} */ c) => c.type === 'BUTTONS').buttons[0];
		expect(listedCodeButton()).toEqual(listedButton);
	});

	test.each([
		['as Meta lists it (Microsoft ACS docs)', record('AUTHENTICATION', LISTED_AUTH)],
		['one-tap, listed with otp_type=ONE_TAP', record('AUTHENTICATION', [{ type: 'BODY', text: '{{1}} is your code.' }, { type: 'BUTTONS', buttons: [listedCodeButton('ONE_TAP')] }])],
		['typed OTP, as the creation request names it', record('AUTHENTICATION', [{ type: 'BODY', text: '{{1}} is your code.' }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] }])],
		["of the 2023 spec's category OTP", record('OTP', [{ type: 'BODY', text: '{{1}} is your code.' }, { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', text: 'Copy code' }] }])],
	])("accept Meta's example send to a template %s, and refuse the body alone", (_form, template) => {
		const spec = compileTemplate(template, NAMESPACE);
		expect(validateParams(spec, META_AUTH_SEND.template.components)).toBeNull();
		expect(validateParams(spec, authParams('482915', 0))).toBeNull();
		expect(validateParams(spec, authParams('482915').slice(0, 1))).toMatchObject({ message: expect.stringMatching(/^\(#132000\)/) });
	});

	test('refuse a button code that differs from the body code (Meta: the value must appear twice)', () => {
		const params = [authParams('482915')[0], { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '111111' }] }];
		expect(validateParams(fixtureSpec('otp_verification'), params)).toMatchObject({ message: '(#131009) Parameter value is not valid' });
	});

	test('keep a URL button with a variable that is not an otp/code link a URL suffix', () => {
		const spec = fixtureSpec('invoice_with_document');
		expect(spec.buttons).toEqual([
			{ index: 0, type: 'QUICK_REPLY', vars: [], otp: false },
			{ index: 1, type: 'URL', vars: ['1'], otp: false },
		]);
	});
});

describe('the invented quick-reply refusal switch', () => {
	const body = { type: 'body', parameters: ['Maria', 'massage', 'June 12', '3:30 PM'].map((text) => ({ type: 'text', text })) };
	const tap = (/** @type {number} */ index) => ({ type: 'button', sub_type: 'quick_reply', index, parameters: [{ type: 'payload', payload: `booking-77|${index}` }] });
	const spec = fixtureSpec('pending_booking_confirmation');

	test('is off by default: quick_reply payloads are accepted as Meta documents them', () => {
		expect(validateParams(spec, [body, tap(0), tap(1)])).toBeNull();
	});

	test('refuses a quick_reply component with the invented (#131009) answer, and accepts the send without one', () => {
		const checks = { inventedQuickReplyRefusal: true };
		expect(validateParams(spec, [body, tap(0)], checks)).toEqual(inventedQuickReplyRefusal('button at index 0'));
		expect(inventedQuickReplyRefusal('button at index 0')).toEqual({
			message: '(#131009) Parameter value is not valid',
			description: 'button at index 0 is a quick reply: quick_reply components are not accepted on this channel',
		});
		expect(validateParams(spec, [body], checks)).toBeNull();
	});

	test("refuses a carousel card's quick_reply component too", () => {
		const carousel = fixtureSpec('back_in_stock_carousel');
		const card = (/** @type {number} */ n) => ({
			card_index: n,
			components: [
				{ type: 'header', parameters: [{ type: 'image', image: { link: `https://example.com/${n}.jpg` } }] },
				{ type: 'body', parameters: [{ type: 'text', text: 'Shoes' }, { type: 'text', text: '$9' }] },
				tap(0),
				{ type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: `sku-${n}` }] },
			],
		});
		const params = [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }, { type: 'carousel', cards: [0, 1, 2].map(card) }];
		expect(validateParams(carousel, params)).toBeNull();
		expect(validateParams(carousel, params, { inventedQuickReplyRefusal: true })).toEqual(inventedQuickReplyRefusal('carousel card 0: button at index 0'));
	});
});

describe('BSUID recipients (onemsg-recipient-forms.json)', () => {
	test.each([
		[{ chatId: 'CO.1000000000000001@lid' }, 'CO.1000000000000001@lid'],
		[{ bsuid: 'AB.954395553956302' }, 'AB.954395553956302'],
		[{ phone: 'CO.1000000000000001' }, 'CO.1000000000000001'],
	])('accepts %p, each form a source sends', (recipient, key) => {
		expect(readRecipient(recipient)).toEqual({ key });
	});

	test('still refuses a BSUID in phone next to another recipient', () => {
		expect(readRecipient({ phone: 'CO.1000000000000001', chatId: 'CO.1000000000000001@lid' })).toMatchObject({ message: 'Phone number is not valid' });
	});
});
