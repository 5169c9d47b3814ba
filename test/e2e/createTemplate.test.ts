/**
 * From scenario to approved template in a real n8n against the fake 1MSG server: the scenario's
 * template is created for approval, is pending, then approved, and a send with the preset works.
 */
import { cloneTemplates } from '../fake-1msg/templates';
import {
	CLIENT_INACTIVITY_EXAMPLE,
	CLIENT_INACTIVITY_SEED_TEXT,
	ORDER_NO_RESPONSE_EXAMPLE,
	ORDER_NO_RESPONSE_SEED_TEXT,
	clientInactivitySeedBody,
	orderNoResponseExampleBody,
} from '../fixtures/seeds';
import {
	CLIENT_INACTIVITY,
	CREDENTIAL,
	ORDER_NO_RESPONSE,
	TEMPLATE_TYPE,
	clientInactivityWorkflow,
	createTemplateNode,
	orderNoResponseWorkflow,
	sendWorkflow,
	templateStatusNode,
} from './workflows';
import { type Fake, type N8n, startStack, stopStack } from './stack';

jest.setTimeout(240_000);

type Item = Record<string, unknown>;

const NAMESPACE = 'dummy_namespace_1a2b3c';
const APPROVAL_DELAY_MS = 4000;
const CREATE_ORDER = { id: 'wfCreateOrder001', path: 'create-order-template', webhookId: '4e5f6071-8293-44a5-b6c7-d8e9f0a1b2c3' };
const CREATE_INACTIVITY = { id: 'wfCreateInact001', path: 'create-inactivity-template', webhookId: '5f607182-93a4-45b6-c7d8-e9f0a1b2c3d4' };
const STATUS = { id: 'wfTemplateStat01', path: 'template-status', webhookId: '60718293-a4b5-46c7-d8e9-f0a1b2c3d4e5' };
const SCENARIO_TEMPLATES = ['order_no_response_notification', 'client_inactivity_notification'];

let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	({ fake, n8n } = await startStack({
		// The channel starts without the two scenarios' templates: they are created by the node.
		fake: { approvalDelayMs: APPROVAL_DELAY_MS, templates: cloneTemplates().filter((t) => !SCENARIO_TEMPLATES.includes(t.name)) },
		workflows: [
			sendWorkflow({
				...CREATE_ORDER,
				name: 'Create the order template',
				templateNode: createTemplateNode('orderNoResponseNotification', {
					orderNoResponseNotificationExample2: '={{ $json.body.orderNumberExample ?? "10482" }}',
				}),
			}),
			sendWorkflow({ ...CREATE_INACTIVITY, name: 'Create the inactivity template', templateNode: createTemplateNode('clientInactivityNotification') }),
			sendWorkflow({ ...STATUS, name: 'Template status', templateNode: templateStatusNode() }),
			orderNoResponseWorkflow(),
			clientInactivityWorkflow(),
		],
		publish: [CREATE_ORDER.id, CREATE_INACTIVITY.id, STATUS.id, ORDER_NO_RESPONSE.id, CLIENT_INACTIVITY.id],
	}));
});

afterAll(() => stopStack({ fake, n8n }));

const post = async (path: string, body: Item) => ((await n8n.postWebhook(`webhook/${path}`, body)).body as Item[])[0];
const creations = () => fake.requests.filter((r: { path: string }) => r.path.endsWith('/addTemplate'));
const statusOf = (templateName: string) => post(STATUS.path, { templateName });

async function pickerFor(scenario: string) {
	await n8n.setupOwner();
	const response = await n8n.rest('POST', '/dynamic-node-parameters/resource-locator-results', {
		nodeTypeAndVersion: { name: TEMPLATE_TYPE, version: 1 },
		methodName: 'searchTemplates',
		path: 'parameters.template',
		currentNodeParameters: { operation: 'sendTemplate', scenario },
		credentials: { oneMsgChannelApi: { ...CREDENTIAL } },
	});
	return (response.data ?? response).results as Array<{ name: string; value: string }>;
}

const seeds = [
	{
		scenario: 'orderNoResponseNotification',
		create: CREATE_ORDER,
		template: 'order_no_response_notification',
		text: ORDER_NO_RESPONSE_SEED_TEXT,
		examples: ['Alexey', '10482', 'delivery slot confirmation', ORDER_NO_RESPONSE_EXAMPLE.reminderNote],
		button: { type: 'URL', text: 'Confirm order', url: 'https://shop.example.com/orders' },
		sendPath: ORDER_NO_RESPONSE.path,
		event: ORDER_NO_RESPONSE_EXAMPLE,
		seedBody: orderNoResponseExampleBody({ template: 'order_no_response_notification', namespace: NAMESPACE, language: 'en' }),
	},
	{
		scenario: 'clientInactivityNotification',
		create: CREATE_INACTIVITY,
		template: 'client_inactivity_notification',
		text: CLIENT_INACTIVITY_SEED_TEXT,
		examples: ['Maria', 'account setup'],
		button: { type: 'URL', text: 'Continue', url: 'https://app.example.com/setup' },
		sendPath: CLIENT_INACTIVITY.path,
		event: CLIENT_INACTIVITY_EXAMPLE,
		seedBody: clientInactivitySeedBody(
			{ template: 'client_inactivity_notification', namespace: NAMESPACE, language: 'en' },
			CLIENT_INACTIVITY_EXAMPLE,
		),
	},
];

describe('Create Template From Scenario, for both seed scenarios', () => {
	it("submits the seed's text, one example per variable, the button and a valid name", async () => {
		for (const seed of seeds) {
			const before = creations().length;
			const created = await post(seed.create.path, { buttonUrl: seed.button.url });
			expect(created).toMatchObject({ template: seed.template, language: 'en', category: 'UTILITY', status: 'pending' });
			expect(String(created.nextStep)).toMatch(/Get Template Status/);
			expect(creations()).toHaveLength(before + 1);
			const body = creations().at(-1)?.body as Item;
			expect(body).toEqual({
				name: seed.template,
				category: 'UTILITY',
				language: 'en',
				components: [
					{ type: 'BODY', text: seed.text, example: { body_text: [seed.examples] } },
					{ type: 'BUTTONS', buttons: [seed.button] },
				],
			});
			expect(String(body.name)).toMatch(/^[a-z0-9_]{1,512}$/);
		}
	});

	it('shows both templates as pending: in Get Template Status and the picker, and a send is refused', async () => {
		for (const seed of seeds) {
			expect(await statusOf(seed.template)).toMatchObject({ template: seed.template, status: 'pending', approved: false });
			const picker = await pickerFor(seed.scenario);
			expect(picker[0]).toEqual({
				name: `${seed.template} · en · UTILITY — pending approval, cannot be sent yet`,
				value: `${seed.template}|en`,
			});
			const sendsBefore = fake.sends.length;
			expect(await post(seed.sendPath, seed.event)).toMatchObject({ category: 'template_not_found', field: 'Template' });
			expect(fake.sends).toHaveLength(sendsBefore);
		}
	});

	it("approves them, after which a send with the preset has the seed's body", async () => {
		for (const seed of seeds) {
			await fake.waitFor(() => fake.templates.some((t) => t.name === seed.template && t.status === 'APPROVED'), APPROVAL_DELAY_MS * 3);
			expect(await statusOf(seed.template)).toMatchObject({ status: 'approved', approved: true, rejectedReason: null });
			const sendsBefore = fake.sends.length;
			const sent = await post(seed.sendPath, seed.event);
			expect(sent).toMatchObject({ status: 'accepted', template: seed.template });
			expect(fake.sends).toHaveLength(sendsBefore + 1);
			expect(fake.sends.at(-1)?.body).toEqual(seed.seedBody);
		}
	});
});

describe('Create Template From Scenario refuses bad input before any request', () => {
	const bad: Array<[string, Item, string, RegExp]> = [
		['a name with spaces', { templateName: 'order reminder' }, 'Template Name', /contains spaces/],
		['a name with capitals', { templateName: 'OrderReminder' }, 'Template Name', /contains capital letters/],
		[
			'a text whose variable was removed',
			{ templateName: 'order_reminder_two', templateText: 'Hello, {{1}}! Order #{{2}}: {{3}}.' },
			'Template Text',
			/the scenario needs \{\{1\}\}, \{\{2\}\}, \{\{3\}\}, \{\{4\}\}/,
		],
		[
			'a text whose variables were renumbered',
			{ templateName: 'order_reminder_three', templateText: 'Hello, {{1}}! Order #{{3}}: {{2}}. {{4}}.' },
			'Template Text',
			/has the variables \{\{1\}\}, \{\{3\}\}, \{\{2\}\}, \{\{4\}\}/,
		],
		['an empty example', { templateName: 'order_reminder_four', orderNumberExample: '' }, 'Example: Order Number', /is empty/],
	];

	it.each(bad)('%s fails naming the field, and nothing is submitted', async (_, change, field, message) => {
		const requestsBefore = creations().length;
		const item = await post(CREATE_ORDER.path, { buttonUrl: 'https://shop.example.com/orders', ...change });
		expect(item).toMatchObject({ status: 'failed', category: 'invalid_input', field });
		expect(String(item.error)).toMatch(message);
		expect(creations()).toHaveLength(requestsBefore);
	});

	it("reports 1MSG's refusal of a name already taken", async () => {
		const item = await post(CREATE_ORDER.path, { templateName: 'payment_overdue_reminder', buttonUrl: 'https://shop.example.com/orders' });
		expect(item).toMatchObject({ status: 'failed', category: 'invalid_input', statusCode: 400 });
		expect(String(item.error)).toMatch(/already exists/);
	});
});
