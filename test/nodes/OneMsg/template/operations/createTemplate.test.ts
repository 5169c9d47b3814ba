import type { IDataObject } from 'n8n-workflow';

import { OneMsgTemplate } from '../../../../../nodes/OneMsg/OneMsgTemplate.node';
import { exampleParameterName } from '../../../../../nodes/OneMsg/template/operations/createTemplate';
import { findPreset } from '../../../../../nodes/OneMsg/template/presets';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../../../../fake-1msg/server';
import { REJECTED_NAME_PREFIX, REJECTION_REASON } from '../../../../fake-1msg/templateReview';
import { executeContext } from '../../../../helpers/context';

let fake: Awaited<ReturnType<typeof startFake1msg>>;
const node = new OneMsgTemplate();

beforeAll(async () => {
	fake = await startFake1msg({ approvalDelayMs: 100 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const credentials = () => ({ channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl });
const creations = () => fake.requests.filter((r: { path: string }) => r.path.endsWith('/addTemplate'));

function createParams(templateName: string): IDataObject {
	const preset = findPreset('paymentLinkSend')!;
	return {
		operation: 'createTemplate',
		scenario: preset.value,
		templateName,
		templateLanguage: 'en',
		templateText: '',
		buttonUrl: 'https://pay.example.com',
		...Object.fromEntries(preset.variables.map((v, i) => [exampleParameterName(preset.value, i + 1), v.example])),
	};
}

const run = async (params: IDataObject) =>
	(await node.execute.call(executeContext({ params, credentials: credentials(), continueOnFail: true })))[0][0].json;

describe('Create Template From Scenario and Get Template Status', () => {
	it("reports a template Meta rejected, with Meta's reason and what to do", async () => {
		const name = `${REJECTED_NAME_PREFIX}payment_link`;
		expect(await run(createParams(name))).toMatchObject({ template: name, status: 'pending', category: 'UTILITY' });
		await fake.waitFor(() => fake.templates.some((t) => t.name === name && t.status === 'REJECTED'), 2000);
		const status = await run({ operation: 'getTemplateStatus', templateName: name, templateLanguage: 'en' });
		expect(status).toMatchObject({ template: name, status: 'rejected', approved: false, rejectedReason: REJECTION_REASON });
		expect(String(status.nextStep)).toMatch(/create it again under a new name/);
	});

	it('does not repeat a create whose answer was a server error, and reports it as unknown', async () => {
		fake.setFaults({ method: 'addTemplate', count: 1, response: { status: 502, body: { error: 'Bad gateway' } } });
		const item = await run(createParams('payment_link_request'));
		expect(item).toMatchObject({ status: 'unknown', category: 'unknown_outcome', template: 'payment_link_request' });
		expect(String(item.description)).toMatch(/Get Template Status/);
		expect(creations()).toHaveLength(1);
	});

	it('creates an OTP preset as an authentication template with a copy-code button, which sends once approved', async () => {
		const created = await run({
			operation: 'createTemplate',
			scenario: 'otpVerification',
			templateName: 'login_code',
			templateLanguage: 'en',
			templateText: '',
			[exampleParameterName('otpVerification', 1)]: '482915',
		});
		expect(created).toMatchObject({ template: 'login_code', category: 'AUTHENTICATION', status: 'pending' });
		expect(creations().at(-1)?.body).toEqual({
			name: 'login_code',
			category: 'AUTHENTICATION',
			language: 'en',
			components: [
				{ type: 'BODY', add_security_recommendation: true },
				{ type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
			],
		});
		await fake.waitFor(() => fake.templates.some((t) => t.name === 'login_code' && t.status === 'APPROVED'), 2000);
		const sent = await run({
			operation: 'sendTemplate',
			scenario: 'otpVerification',
			template: { __rl: true, mode: 'list', value: 'login_code|en' },
			phone: '79991234567',
			code: '551204',
			options: {},
		});
		expect(sent).toMatchObject({ status: 'accepted', template: 'login_code', renderedText: expect.stringMatching(/^551204 is your verification code/) });
	});

	it('names the template field when the template is not on the channel', async () => {
		const item = await run({ operation: 'getTemplateStatus', templateName: 'no_such_template', templateLanguage: 'en' });
		expect(item).toMatchObject({ category: 'template_not_found', field: 'Template Name' });
	});
});
