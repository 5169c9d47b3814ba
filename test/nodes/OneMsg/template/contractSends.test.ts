/**
 * The send bodies for the shapes the contract corpus (test/fixtures/contract/, see SOURCES.md) shows:
 * an authentication template as Meta lists it, quick-reply payloads only when asked for, the 2023
 * spec's `currency_code`, and BSUID recipients. Each expected body is the source's own where it has one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { OneMsgTemplate } from '../../../../nodes/OneMsg/OneMsgTemplate.node';
import { failureFromResponse } from '../../../../nodes/OneMsg/shared/apiAnswers';
import { FIX, type OneMsgFailure } from '../../../../nodes/OneMsg/shared/failures';
import { paramsFromJson } from '../../../../nodes/OneMsg/template/paramsJson';
import { findPreset } from '../../../../nodes/OneMsg/template/presets';
import { planSend, QUICK_REPLY_PAYLOADS_OPTION, quickReplyRefusalFix, type SendInput } from '../../../../nodes/OneMsg/template/sendPlan';
import { buildAddTemplateBody } from '../../../../nodes/OneMsg/template/templateDraft';
import { type TemplateRecord, templateRecordsOf, templateSlots } from '../../../../nodes/OneMsg/template/templates';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../../../fake-1msg/server';
import { cloneTemplates, listedCodeButton } from '../../../fake-1msg/templates';
import { inventedQuickReplyRefusal } from '../../../fake-1msg/validation';
import { executeContext } from '../../../helpers/context';
import { inputErrorOf as errorOf } from '../../../helpers/inputError';

interface Fixture {
	name: string;
	body: unknown;
}

/** One fixture of the contract corpus, by its file and name. */
function contract(file: string, name: string): unknown {
	const { fixtures } = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../fixtures/contract', file), 'utf8')) as { fixtures: Fixture[] };
	const fixture = fixtures.find((candidate) => candidate.name === name);
	if (!fixture) throw new Error(`no fixture "${name}" in ${file}`);
	return fixture.body;
}

/** Meta's example send of an authentication template: the code "J$FpnYnP" in the body and in the url button at index "0". */
const META_AUTH_SEND = contract('meta-send-bodies.json', 'send authentication template — example request') as {
	template: { components: unknown[] };
};
const META_CODE = 'J$FpnYnP';

/** The listed components of a copy-code authentication template (Microsoft's ACS docs; Meta says the OTP button becomes URL). */
const LISTED_AUTH_COMPONENTS = contract('meta-templates.json', 'authentication template AS LISTED (components): OTP button comes back as type URL');

function record(name: string, category: string, components: unknown): TemplateRecord {
	const [parsed] = templateRecordsOf({ templates: [{ name, language: 'en_US', category, status: 'APPROVED', namespace: 'ns_auth', components }] });
	return parsed;
}

const listed = record('auth_sample_template', 'AUTHENTICATION', LISTED_AUTH_COMPONENTS);
const fakeTemplates = templateRecordsOf({ templates: cloneTemplates() });

function send(templates: TemplateRecord[], input: Partial<SendInput> & Pick<SendInput, 'templateChoice'>) {
	return planSend({ phone: '12015553931', cleanText: true, ...input }, templates);
}

describe('an authentication template as Meta lists it (code button typed URL, otp/code link)', () => {
	it('needs only the code: the button is read as the code button, not as a URL suffix to fill', () => {
		expect(templateSlots(listed).map(({ id, label, optional }) => ({ id, label, optional }))).toEqual([
			{ id: 'body_1', label: 'Body Variable {{1}}', optional: undefined },
			{ id: 'button_0_code', label: 'Button "Copy code" Code', optional: true },
		]);
	});

	it.each(['otpVerification', 'otpRegistration', 'otpResend'])('the %s preset sends exactly the components of Meta\'s example request', (scenario) => {
		const plan = send([listed], {
			preset: findPreset(scenario),
			templateChoice: { name: 'auth_sample_template', language: 'en_US' },
			presetValues: { code: META_CODE },
		});
		expect(plan.body.params).toEqual(META_AUTH_SEND.template.components);
		expect(plan.variables).toEqual({ 'Verification Code': META_CODE });
	});

	it('Custom Template sends the same body, the button repeating the body code', () => {
		const plan = send([listed], { templateChoice: { name: 'auth_sample_template', language: 'en_US' }, slotValues: { body_1: META_CODE } });
		expect(plan.body.params).toEqual(META_AUTH_SEND.template.components);
	});

	it.each([
		['a one-tap template (otp_type=ONE_TAP)', 'AUTHENTICATION', [listedCodeButton('ONE_TAP')]],
		['the creation form still typed OTP', 'AUTHENTICATION', [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }]],
		['a list naming the button COPY_CODE', 'AUTHENTICATION', [{ type: 'COPY_CODE', text: 'Copy code' }]],
		["the 2023 spec's category OTP", 'OTP', [{ type: 'COPY_CODE', text: 'Copy code' }]],
	])('sends %s the same way', (_form, category, buttons) => {
		const template = record('login_code', category, [
			{ type: 'BODY', text: '*{{1}}* is your verification code.' },
			{ type: 'BUTTONS', buttons },
		]);
		const plan = send([template], { preset: findPreset('otpVerification'), templateChoice: { name: 'login_code', language: 'en_US' }, presetValues: { code: '482915' } });
		expect(plan.body.params).toEqual([
			{ type: 'body', parameters: [{ type: 'text', text: '482915' }] },
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482915' }] },
		]);
	});

	it("sends the fake channel's Security templates, listed as Meta lists them, with the OTP preset", () => {
		for (const name of ['otp_verification', 'otp_registration', 'otp_resend', 'otp_one_tap_login', 'otp_button_typed_otp']) {
			const plan = send(fakeTemplates, { preset: findPreset('otpVerification'), templateChoice: { name, language: 'en' }, presetValues: { code: '004821' } });
			expect(plan.body.params).toEqual([
				{ type: 'body', parameters: [{ type: 'text', text: '004821' }] },
				{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '004821' }] },
			]);
		}
	});

	it('keeps a marketing URL button with a variable a URL suffix to fill', () => {
		const slot = templateSlots(fakeTemplates.find((t) => t.name === 'invoice_with_document')!).find((s) => s.component === 'button');
		expect(slot).toMatchObject({ id: 'button_1_url', buttonSubType: 'url', label: 'Button "View invoice" URL Suffix' });
	});

	it('is still created with the OTP button type that Meta\'s creation request requires', () => {
		const body = buildAddTemplateBody({ preset: findPreset('otpVerification')!, name: '', language: 'en_US', text: '', examples: ['482915'] });
		expect(body.components[1]).toEqual({ type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] });
	});
});

describe('quick-reply payloads', () => {
	const booking = (extra: Partial<SendInput>) =>
		send(fakeTemplates, {
			preset: findPreset('pendingBookingConfirmation'),
			templateChoice: { name: 'pending_booking_confirmation', language: 'en' },
			presetValues: { customerName: 'Maria', serviceName: 'massage', date: 'June 12', time: '3:30 PM' },
			...extra,
		});
	const BODY = { type: 'body', parameters: ['Maria', 'massage', 'June 12', '3:30 PM'].map((text) => ({ type: 'text', text })) };

	it("are not sent by default, Reference or not: 1MSG's help says quick-reply buttons are always omitted", () => {
		expect(booking({ reference: 'booking-77' }).body.params).toEqual([BODY]);
		expect(booking({}).body.params).toEqual([BODY]);
		expect(booking({ reference: 'booking-77' }).quickReplyPayloads).toBe(false);
	});

	it('are sent with the option, one per button, each naming the reference and the button', () => {
		const plan = booking({ reference: 'booking-77', quickReplyPayloads: true });
		expect(plan.body.params).toEqual([
			BODY,
			{ type: 'button', sub_type: 'quick_reply', index: 0, parameters: [{ type: 'payload', payload: 'booking-77|0' }] },
			{ type: 'button', sub_type: 'quick_reply', index: 1, parameters: [{ type: 'payload', payload: 'booking-77|1' }] },
		]);
		expect(plan.quickReplyPayloads).toBe(true);
	});

	it('fail the item before sending when the option is on but Reference is empty', () => {
		const error = errorOf(() => booking({ reference: ' ', quickReplyPayloads: true }));
		expect(error.field).toBe('Reference');
		expect(error.message).toBe(`${QUICK_REPLY_PAYLOADS_OPTION} is on, but Reference is empty`);
	});

	it('change nothing for a template without quick replies', () => {
		const plan = send(fakeTemplates, {
			preset: findPreset('clientInactivityNotification'),
			templateChoice: { name: 'client_inactivity_notification', language: 'en' },
			presetValues: { customerName: 'Maria', incompleteAction: 'your order' },
			quickReplyPayloads: true,
		});
		expect(plan.body.params?.some((param) => param.type === 'button')).toBe(false);
		expect(plan.quickReplyPayloads).toBe(false);
	});

	it('is an option named as the errors name it, off by default, whose hint says what it needs', () => {
		const options = new OneMsgTemplate().description.properties.find((p) => p.name === 'options' && p.options?.some((o) => 'name' in o && o.name === 'reference'));
		const option = (options?.options as INodeProperties[]).find((o) => o.name === 'quickReplyPayloads');
		expect(option).toMatchObject({ displayName: QUICK_REPLY_PAYLOADS_OPTION, type: 'boolean', default: false });
		expect(option?.hint).toMatch(/raw hooks/);
		expect(FIX.quickReplyPayloads).toContain(`"${QUICK_REPLY_PAYLOADS_OPTION}"`);
	});

	const refusal = (body: IDataObject): OneMsgFailure => failureFromResponse({ statusCode: 200, body, isSend: true })!;

	it("name the option when 1MSG's refusal names a quick reply (the fake's invented refusal)", () => {
		const failure = refusal({ sent: false, ...inventedQuickReplyRefusal('button at index 0') });
		expect(failure).toMatchObject({ category: 'invalid_input', description: FIX.quickReplyPayloads, metaCode: 131009 });
	});

	it('name the option when a send that carried them is refused for its values, whatever the words', () => {
		const withPayloads = booking({ reference: 'booking-77', quickReplyPayloads: true });
		const mismatch = refusal({ sent: false, message: '(#132000) Number of parameters does not match the expected number of params - button at index 0' });
		expect(quickReplyRefusalFix(withPayloads, mismatch)).toBe(`${FIX.quickReplyPayloads} ${mismatch.description}`);
		expect(quickReplyRefusalFix(booking({ reference: 'booking-77' }), mismatch)).toBeUndefined();
		expect(quickReplyRefusalFix(withPayloads, refusal({ sent: false, message: 'Phone number is not valid' }))).toBeUndefined();
		expect(quickReplyRefusalFix(withPayloads, refusal({ sent: false, message: 'Dialog window is closed' }))).toBeUndefined();
	});
});

describe('currency parameters in Params (JSON)', () => {
	// 1MSG's 2023 spec (spec-2023-templates.json) names the field currency_code, with amount_1000 as a string.
	const spec2023 = contract('spec-2023-templates.json', 'sendTemplate currency parameter object') as { currency: IDataObject };

	it("accept the 2023 spec's currency_code and send Meta's code, the amount as a number", () => {
		const given = [{ type: 'body', parameters: [{ type: 'currency', currency: { fallback_value: '$100.99', ...spec2023.currency } }] }];
		expect(paramsFromJson(JSON.stringify(given))).toEqual([
			{ type: 'body', parameters: [{ type: 'currency', currency: { fallback_value: '$100.99', code: 'USD', amount_1000: 100990 } }] },
		]);
	});

	it("send Meta's form as given (WhatsApp Node.js SDK's Currency Object)", () => {
		const currency = contract('meta-send-bodies.json', 'currency object (WhatsApp Node.js SDK docs)');
		const given = [{ type: 'body', parameters: [{ type: 'currency', currency }] }];
		expect(paramsFromJson(given)).toEqual(given);
	});

	it.each([
		['code and currency_code disagreeing', { fallback_value: '$1', code: 'USD', currency_code: 'EUR', amount_1000: 1000 }, /currency\.currency_code "EUR" differs from code "USD"/],
		['a currency_code that is not ISO 4217', { fallback_value: '$1', currency_code: 'usd', amount_1000: 1000 }, /currency\.currency_code must be an ISO 4217 code/],
		['an amount that is not whole', { fallback_value: '$1', code: 'USD', amount_1000: '10.5' }, /currency\.amount_1000 must be a whole number/],
	])('refuse %s, naming the place', (_what, currency, message) => {
		const error = errorOf(() => paramsFromJson([{ type: 'body', parameters: [{ type: 'currency', currency }] }]));
		expect(error.message).toMatch(message);
	});
});

describe('BSUID recipients', () => {
	it('send a bare BSUID as its @lid chat id, the form of the newest sources, and keep recipientType bsuid', () => {
		const plan = send(fakeTemplates, {
			phone: 'US.13491208655302741918',
			templateChoice: { name: 'lowercase_status_notice', language: 'en' },
			slotValues: { body_1: 'Maria', body_2: 'INV-1' },
		});
		expect(plan.recipient).toMatchObject({ type: 'bsuid', value: 'US.13491208655302741918' });
		expect(plan.body).toEqual({
			chatId: 'US.13491208655302741918@lid',
			template: 'lowercase_status_notice',
			namespace: 'dummy_namespace_1a2b3c',
			language: { policy: 'deterministic', code: 'en' },
			params: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: 'INV-1' }] }],
		});
	});
});

describe('against the fake channel', () => {
	type Fake = Awaited<ReturnType<typeof startFake1msg>>;
	const node = new OneMsgTemplate();
	let fake: Fake;
	beforeAll(async () => {
		fake = await startFake1msg({ ackDelayMs: 5 });
	});
	afterAll(async () => fake.close());
	beforeEach(() => fake.reset());

	const credentials = () => ({ channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl });
	const bookingParams = (options: IDataObject): IDataObject => ({
		operation: 'sendTemplate',
		scenario: 'pendingBookingConfirmation',
		template: { __rl: true, mode: 'list', value: 'pending_booking_confirmation|en' },
		phone: '79991234567',
		customerName: 'Maria',
		serviceName: 'massage',
		date: 'June 12',
		time: '3:30 PM',
		options,
	});
	const run = async (params: IDataObject) => {
		const [[item]] = await node.execute.call(executeContext({ params, credentials: credentials(), continueOnFail: true }));
		return item.json;
	};
	const buttons = () => (fake.sends.at(-1)?.body.params as IDataObject[]).filter((param) => param.type === 'button');

	it('sends the OTP preset to the URL-listed otp_verification with the body Meta documents', async () => {
		const json = await run({
			operation: 'sendTemplate',
			scenario: 'otpVerification',
			template: { __rl: true, mode: 'list', value: 'otp_verification|en' },
			phone: '12015553931',
			code: META_CODE,
		});
		expect(json).toMatchObject({ status: 'accepted' });
		expect(fake.sends[0].body.params).toEqual(META_AUTH_SEND.template.components);
	});

	it('sends a Reference without quick_reply components, and with the option one distinct payload per button', async () => {
		expect(await run(bookingParams({ reference: 'booking-77' }))).toMatchObject({ status: 'accepted', reference: 'booking-77' });
		expect(buttons()).toEqual([]);
		expect(await run(bookingParams({ reference: 'booking-77', quickReplyPayloads: true }))).toMatchObject({ status: 'accepted' });
		expect(buttons().map((button) => (button.parameters as IDataObject[])[0].payload)).toEqual(['booking-77|0', 'booking-77|1']);
	});

	it.each([
		['its invented quick-reply refusal', { sent: false, ...inventedQuickReplyRefusal('button at index 0') }],
		['a count refusal that does not say why', { sent: false, message: '(#132000) Number of parameters does not match the expected number of params' }],
	])('fails a send with payloads that 1MSG refuses with %s, naming the option', async (_what, answer) => {
		fake.setFaults({ method: 'sendTemplate', count: 1, response: { status: 200, body: answer } });
		const json = await run(bookingParams({ reference: 'booking-77', quickReplyPayloads: true }));
		expect(json).toMatchObject({ status: 'failed', reference: 'booking-77' });
		expect(String(json.description)).toContain(`"${QUICK_REPLY_PAYLOADS_OPTION}"`);
		expect(String(json.description)).toMatch(/Turn the option off/);
	});

	it('sends a BSUID as chatId …@lid, which the fake accepts, and says it was a BSUID', async () => {
		const json = await run({ ...bookingParams({}), phone: 'US.13491208655302741918' });
		expect(json).toMatchObject({ status: 'accepted', recipient: 'US.13491208655302741918', recipientType: 'bsuid' });
		expect(fake.sends[0].body.chatId).toBe('US.13491208655302741918@lid');
		expect(['phone', 'chatId', 'bsuid', 'username'].filter((key) => key in fake.sends[0].body)).toEqual(['chatId']);
	});
});
