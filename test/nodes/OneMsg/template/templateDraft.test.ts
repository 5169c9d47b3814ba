import { InputError } from '../../../../nodes/OneMsg/shared/failures';
import { SCENARIO_PRESETS, findPreset, type ScenarioPreset } from '../../../../nodes/OneMsg/template/presets';
import {
	MAX_TEMPLATE_NAME_LENGTH,
	buildAddTemplateBody,
	checkTemplateName,
	checkTemplateText,
	templateNameFor,
} from '../../../../nodes/OneMsg/template/templateDraft';
import { placeholdersOf } from '../../../../nodes/OneMsg/template/templates';

const preset = (value: string): ScenarioPreset => findPreset(value) as ScenarioPreset;
const orderNoResponse = preset('orderNoResponseNotification');
const examplesOf = (p: ScenarioPreset) => p.variables.map((v) => v.example);
/** The Order No-Response draft as the form gives it by default, with a button link. */
const orderDraft = {
	preset: orderNoResponse,
	name: '',
	language: 'en',
	text: '',
	examples: examplesOf(orderNoResponse),
	buttonUrl: 'https://shop.example.com/orders',
};

function inputError(run: () => unknown): InputError {
	try {
		run();
	} catch (error) {
		if (error instanceof InputError) return error;
		throw error;
	}
	throw new Error('expected an InputError');
}

describe('templateNameFor', () => {
	it("derives Meta's name from the scenario title", () => {
		expect(templateNameFor(orderNoResponse)).toBe('order_no_response_notification');
		expect(templateNameFor(preset('otpVerification'))).toBe('otp_verification_code');
		expect(templateNameFor(preset('proposalFollowup'))).toBe('proposal_follow_up');
	});

	it('gives every preset a name that passes the naming rule', () => {
		for (const p of SCENARIO_PRESETS) expect(checkTemplateName(templateNameFor(p))).toBe(templateNameFor(p));
	});
});

describe('buildAddTemplateBody', () => {
	it("builds the scenario's body: its text, one example per variable, its URL button and category", () => {
		const body = buildAddTemplateBody(orderDraft);
		expect(body).toEqual({
			name: 'order_no_response_notification',
			category: 'UTILITY',
			language: 'en',
			components: [
				{
					type: 'BODY',
					text: 'Hello, {{1}}! We are waiting for your reply regarding order #{{2}}: {{3}}. {{4}}.',
					example: {
						body_text: [
							[
								'Alexey',
								'10482',
								'delivery slot confirmation',
								'Please choose a convenient time by tomorrow 6:00 PM, otherwise shipment may be rescheduled',
							],
						],
					},
				},
				{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Confirm order', url: 'https://shop.example.com/orders' }] },
			],
		});
	});

	it('gives quick replies for booking confirmations and a copy-code button in an authentication template for OTPs', () => {
		const booking = preset('pendingBookingConfirmation');
		const quick = buildAddTemplateBody({ preset: booking, name: '', language: 'en', text: '', examples: examplesOf(booking) });
		expect(quick.components[1].buttons).toEqual([
			{ type: 'QUICK_REPLY', text: 'Confirm' },
			{ type: 'QUICK_REPLY', text: 'Cancel' },
		]);
		const otp = preset('otpVerification');
		const code = buildAddTemplateBody({ preset: otp, name: '', language: 'en_US', text: '', examples: ['482915'] });
		expect(code.category).toBe('AUTHENTICATION');
		expect(code.components[0]).toEqual({ type: 'BODY', add_security_recommendation: true });
		expect(inputError(() => buildAddTemplateBody({ preset: otp, name: '', language: 'en', text: 'Your code: {{1}}', examples: ['1'] })).field).toBe(
			'Template Text',
		);
		expect(code.components[1].buttons).toEqual([{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }]);
	});

	it('builds a valid body for every preset with its own examples', () => {
		for (const p of SCENARIO_PRESETS.filter((candidate) => candidate.templateCategory !== 'AUTHENTICATION')) {
			const body = buildAddTemplateBody({ preset: p, name: '', language: 'en', text: '', examples: examplesOf(p), buttonUrl: 'https://example.com/x' });
			const [bodyComponent] = body.components;
			expect(bodyComponent.example?.body_text[0]).toHaveLength(placeholdersOf(bodyComponent.text).length);
		}
	});

	it('accepts an edited text that keeps the variables in order', () => {
		const text = 'Hi {{1}}, order #{{2}} still needs {{3}}. {{4}}. Thank you!';
		expect(checkTemplateText(text, orderNoResponse)).toBe(text);
	});

	const bad: Array<[string, Partial<Parameters<typeof buildAddTemplateBody>[0]>, string, RegExp]> = [
		['a name with spaces', { name: 'order reminder' }, 'Template Name', /contains spaces/],
		['a name with capitals', { name: 'OrderReminder' }, 'Template Name', /contains capital letters/],
		['a name over 512 characters', { name: 'a'.repeat(MAX_TEMPLATE_NAME_LENGTH + 1) }, 'Template Name', /513 characters/],
		['a removed variable', { text: 'Hello, {{1}}! Order #{{2}}: {{3}}.' }, 'Template Text', /\{\{1\}\}, \{\{2\}\}, \{\{3\}\}; the scenario needs/],
		['renumbered variables', { text: 'Hello, {{2}}! Order #{{1}}: {{3}}. {{4}}.' }, 'Template Text', /\{\{2\}\}, \{\{1\}\}/],
		['a named variable', { text: 'Hello, {{name}}! Order #{{2}}: {{3}}. {{4}}.' }, 'Template Text', /\{\{name\}\}/],
		['a text over 1024 characters', { text: `Hello, {{1}}! {{2}} {{3}} {{4}} ${'x'.repeat(1024)}` }, 'Template Text', /WhatsApp allows 1024/],
		['an empty example', { examples: ['Alexey', '', 'slot', 'soon'] }, 'Example: Order Number', /is empty/],
		['an example with a line break', { examples: ['Alexey', '1\n2', 'slot', 'soon'] }, 'Example: Order Number', /line break/],
		['no button URL', { buttonUrl: '' }, 'Button URL', /is empty/],
		['an http button URL', { buttonUrl: 'http://shop.example.com' }, 'Button URL', /not an https/],
		['a bad language', { language: 'English' }, 'Language', /not a WhatsApp language code/],
	];

	it.each(bad)('refuses %s, naming the field', (_, change, field, message) => {
		const error = inputError(() => buildAddTemplateBody({ ...orderDraft, ...change }));
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
		expect(error.category).toBe('invalid_input');
	});
});
