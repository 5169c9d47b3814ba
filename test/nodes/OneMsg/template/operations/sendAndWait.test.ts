import type { IDataObject } from 'n8n-workflow';

import { OneMsgTemplate } from '../../../../../nodes/OneMsg/OneMsgTemplate.node';
import { OUTCOMES, WAIT_OUTPUTS } from '../../../../../nodes/OneMsg/template/operations/sendAndWait';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../../../../fake-1msg/server';
import { ORDER_NO_RESPONSE_EXAMPLE } from '../../../../fixtures/seeds';
import { executeContext } from '../../../../helpers/context';

type Fake = Awaited<ReturnType<typeof startFake1msg>>;

const node = new OneMsgTemplate();
let fake: Fake;

beforeAll(async () => {
	fake = await startFake1msg({ ackDelayMs: 50 });
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const credentials = () => ({ channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl });

/** One CRM order per item; the phone decides how the fake channel delivers it. */
const orders = (phones: string[]) =>
	phones.map((phone, i) => ({ json: { orderId: `A-${100 + i}`, customer: `Customer ${i}`, crmPhone: phone } }));

const params = (phones: string[], overrides: IDataObject = {}) => (i: number): IDataObject => ({
	operation: 'sendAndWait',
	scenario: 'orderNoResponseNotification',
	template: { __rl: true, mode: 'list', value: 'order_no_response_notification|en' },
	phone: phones[i],
	customerName: `Customer ${i}`,
	orderNumber: `A-${100 + i}`,
	pendingAction: ORDER_NO_RESPONSE_EXAMPLE.pendingAction,
	reminderNote: ORDER_NO_RESPONSE_EXAMPLE.reminderNote,
	waitTimeLimit: 3,
	options: {},
	...overrides,
});

const DELIVERED = '79990000001';
const EXPERIMENT = '79990000002';
const NEVER = '79990000003';

describe('Send and Wait for Outcome against the fake 1MSG server', () => {
	beforeEach(() => {
		fake.setDeliveryPlan(DELIVERED, { outcome: 'delivered', afterMs: 600 });
		fake.setDeliveryPlan(EXPERIMENT, { outcome: 'failed', afterMs: 600, error: { text: "User's number is part of an experiment" } });
		fake.setDeliveryPlan(NEVER, { outcome: 'never' });
	});

	it('routes each item to Delivered, Failed or No Outcome Yet, keeping its input fields and pairing', async () => {
		const phones = [DELIVERED, EXPERIMENT, NEVER, DELIVERED];
		const started = Date.now();
		const [delivered, failed, pending] = await node.execute.call(
			executeContext({ params: params(phones), items: orders(phones), credentials: credentials() }),
		);
		const elapsed = Date.now() - started;
		expect(delivered.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
		expect(delivered[0].json).toMatchObject({ orderId: 'A-100', customer: 'Customer 0', outcome: 'delivered', deliveryStatus: 'delivered', sent: true });
		expect(failed.map((item) => item.json)).toEqual([
			expect.objectContaining({
				orderId: 'A-101',
				outcome: 'failed',
				deliveryStatus: 'failed',
				category: 'recipient_unreachable',
				metaCode: 130472,
				failureReason: "User's number is part of an experiment",
			}),
		]);
		expect(pending.map((item) => item.json)).toEqual([
			expect.objectContaining({ orderId: 'A-102', outcome: 'noOutcomeYet', deliveryStatus: 'sent', waitedMs: expect.any(Number) }),
		]);
		expect(pending[0].json.waitedMs).toBeGreaterThanOrEqual(3000);
		// The items waited side by side: the run is one time limit long, not four.
		expect(elapsed).toBeLessThan(2 * 3000);
		expect(fake.sends).toHaveLength(4);
	});

	it('sends a message whose send was refused to Failed with its send category, and never polls for it', async () => {
		const phones = [DELIVERED, '12345'];
		const [delivered, failed, pending] = await node.execute.call(
			executeContext({ params: params(phones), items: orders(phones), credentials: credentials(), continueOnFail: true }),
		);
		expect(delivered).toHaveLength(1);
		expect(pending).toHaveLength(0);
		expect(failed).toEqual([
			{
				json: expect.objectContaining({ orderId: 'A-101', outcome: 'failed', stage: 'send', category: 'invalid_input', field: 'Recipient' }),
				pairedItem: { item: 1 },
			},
		]);
		const polls = fake.requests.filter((request: { path: string }) => request.path.endsWith('/hookInfo'));
		expect(polls.every((request: { query: Record<string, string> }) => request.query.messageId === fake.sends[0].id)).toBe(true);
	});

	it('without Continue On Fail, stops on a refused send and stops polling for the messages already accepted', async () => {
		fake.setFaults({ method: 'sendTemplate', count: 1, response: { status: 200, body: { sent: false, message: '(#132001) Template name does not exist in the translation' } } });
		const phones = [DELIVERED, NEVER];
		await expect(
			node.execute.call(executeContext({ params: params(phones, { waitTimeLimit: 30 }), items: orders(phones), credentials: credentials() })),
		).rejects.toThrow(/does not exist in the translation/);
		const polls = () => fake.requests.filter((request: { path: string }) => request.path.endsWith('/hookInfo')).length;
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect(polls()).toBe(0);
	});

	it('counts only read as delivered when asked, and waits for it', async () => {
		fake.setDeliveryPlan(DELIVERED, { outcome: 'read', afterMs: 400 });
		const [delivered] = await node.execute.call(
			executeContext({ params: params([DELIVERED], { deliveredWhen: 'read' }), items: orders([DELIVERED]), credentials: credentials() }),
		);
		expect(delivered[0].json).toMatchObject({ outcome: 'delivered', deliveryStatus: 'read' });
	});

	it('keeps polls under Max Messages per Second together with the sends', async () => {
		const phones = Array.from({ length: 6 }, () => NEVER);
		await node.execute.call(
			executeContext({ params: params(phones, { waitTimeLimit: 2, options: { maxPerSecond: 4 } }), items: orders(phones), credentials: credentials() }),
		);
		const paced = fake.requests
			.filter((request: { path: string }) => /\/(sendTemplate|hookInfo)$/.test(request.path))
			.map((request: { at: number }) => request.at);
		const busiest = Math.max(...paced.map((at: number) => paced.filter((other: number) => other >= at && other < at + 1000).length));
		expect(busiest).toBeLessThanOrEqual(4);
	});
});

describe('Send and Wait on a channel whose hookInfo cannot be polled', () => {
	// hookInfo is in the 2023 spec but not in 1MSG's current SDK or MCP tool list
	// (test/fixtures/contract/onemsg-current-endpoints.json): the channel may answer 404.
	const listened = () => {
		const warnings: string[] = [];
		const hints: Array<{ message: string; type?: string }> = [];
		const extras = {
			logger: { warn: (message: string) => warnings.push(message), info: () => {}, debug: () => {}, error: () => {} },
			addExecutionHints: (...added: Array<{ message: string; type?: string }>) => hints.push(...added),
		};
		return { warnings, hints, extras };
	};
	const hookInfoCalls = () => fake.requests.filter((request: { path: string }) => request.path.endsWith('/hookInfo')).length;

	it('sends every item to No Outcome Yet with the reason at once, after one hookInfo call, and says so once', async () => {
		fake.setHookInfo('absent');
		const phones = [DELIVERED, EXPERIMENT, NEVER, DELIVERED];
		const { warnings, hints, extras } = listened();
		const started = Date.now();
		const [delivered, failed, pending] = await node.execute.call(
			Object.assign(executeContext({ params: params(phones, { waitTimeLimit: 30 }), items: orders(phones), credentials: credentials() }), extras),
		);
		expect([delivered, failed]).toEqual([[], []]);
		expect(pending.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		const reason = String(pending[0].json.outcomeReason);
		expect(reason).toMatch(/^1MSG's GET \/hookInfo answered HTTP 404 \(Method not found\): delivery outcomes cannot be polled on this channel/);
		for (const item of pending) {
			expect(item.json).toMatchObject({ outcome: 'noOutcomeYet', deliveryStatus: 'unknown', status: 'accepted', outcomeReason: reason });
		}
		expect(pending[0].json.orderId).toBe('A-100');
		expect(fake.sends).toHaveLength(4);
		expect(hookInfoCalls()).toBe(1);
		expect(warnings.filter((line) => line.includes('hookInfo'))).toEqual([`1MSG Template: ${reason}`]);
		expect(hints).toEqual([{ message: reason, type: 'warning', location: 'outputPane' }]);
		// Nothing waited for the 30 s limit.
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('does the same when hookInfo answers a shape no source shows', async () => {
		fake.setFaults({ method: 'hookInfo', response: { status: 200, body: { result: 'ok' } } });
		const phones = [DELIVERED, NEVER];
		const { warnings, extras } = listened();
		const [, , pending] = await node.execute.call(
			Object.assign(executeContext({ params: params(phones, { waitTimeLimit: 30 }), items: orders(phones), credentials: credentials() }), extras),
		);
		expect(pending.map((item) => item.json.outcomeReason)).toEqual([
			expect.stringMatching(/answered without the \{hooks:\[…\]\} list the 2023 API spec shows \(keys: result\)/),
			expect.stringMatching(/keys: result/),
		]);
		expect(warnings.filter((line) => line.includes('hookInfo'))).toHaveLength(1);
		expect(hookInfoCalls()).toBe(1);
	});

	it('gives no outcomeReason when the time limit simply came first', async () => {
		fake.setDeliveryPlan(NEVER, { outcome: 'never' });
		const [, , pending] = await node.execute.call(
			executeContext({ params: params([NEVER], { waitTimeLimit: 2 }), items: orders([NEVER]), credentials: credentials() }),
		);
		expect(pending[0].json).toMatchObject({ outcome: 'noOutcomeYet', deliveryStatus: 'sent' });
		expect(pending[0].json).not.toHaveProperty('outcomeReason');
	});
});

describe('the Template node outputs', () => {
	const drawn = (operation: string): unknown => {
		const expression = String(node.description.outputs).slice('={{'.length, -'}}'.length);
		return new Function('$parameter', `return (${expression});`)({ operation });
	};

	it('are Delivered, Failed and No Outcome Yet for Send and Wait, in the order the items are routed', () => {
		const names = (drawn('sendAndWait') as Array<{ displayName: string }>).map((output) => output.displayName);
		expect(names).toEqual(OUTCOMES.map((outcome) => WAIT_OUTPUTS[outcome].name));
		expect(names).toEqual(['Delivered', 'Failed', 'No Outcome Yet']);
	});

	it('stay one output for the other operations', () => {
		expect(drawn('sendTemplate')).toEqual(['main']);
		expect(drawn('getDeliveryStatus')).toEqual(['main']);
	});

	it("show Send Template's fields for Send and Wait too, and the wait fields only there", () => {
		const shownFor = (name: string) => node.description.properties.find((field) => field.name === name)?.displayOptions?.show?.operation;
		expect(shownFor('scenario')).toEqual(['sendTemplate', 'sendAndWait']);
		expect(shownFor('options')).toEqual(['sendTemplate', 'sendAndWait']);
		expect(shownFor('waitTimeLimit')).toEqual(['sendAndWait']);
		expect(shownFor('messageId')).toEqual(['getDeliveryStatus']);
	});
});

describe('Send and Wait with Skip Messages Already Sent', () => {
	beforeEach(() => fake.setDeliveryPlan(DELIVERED, { outcome: 'delivered', afterMs: 300 }));

	it('waits for the outcome of the message sent in the first run when a retried run skips it, sending nothing', async () => {
		const phones = [DELIVERED];
		const processedValues = new Set<string>();
		const staticData = {};
		const skipAlways = params(phones, { options: { skipAlreadySent: 'always' } });
		const [first] = await node.execute.call(
			executeContext({ params: skipAlways, items: orders(phones), credentials: credentials(), processedValues, staticData }),
		);
		expect(first.map((item) => item.json)).toEqual([expect.objectContaining({ outcome: 'delivered', status: 'accepted' })]);
		const firstId = first[0].json.messageId;

		const [delivered, failed, pending] = await node.execute.call(
			executeContext({ params: skipAlways, items: orders(phones), credentials: credentials(), processedValues, staticData }),
		);
		expect(fake.sends).toHaveLength(1);
		expect([failed, pending]).toEqual([[], []]);
		expect(delivered.map((item) => item.json)).toEqual([
			expect.objectContaining({ orderId: 'A-100', status: 'skipped', messageId: firstId, outcome: 'delivered', deliveryStatus: 'delivered' }),
		]);
	});

	it('puts a skipped message whose earlier id is unknown on No Outcome Yet, not Failed', async () => {
		const phones = [DELIVERED];
		const processedValues = new Set<string>();
		const skipAlways = params(phones, { options: { skipAlreadySent: 'always' } });
		await node.execute.call(executeContext({ params: skipAlways, items: orders(phones), credentials: credentials(), processedValues }));
		// Another process with a fresh static data: the key is in n8n's store, the earlier message id is not known.
		const [delivered, failed, pending] = await node.execute.call(
			executeContext({ params: skipAlways, items: orders(phones), credentials: credentials(), processedValues, staticData: {}, workflowId: 'wf-other-process' }),
		);
		expect(fake.sends).toHaveLength(1);
		expect([delivered, failed]).toEqual([[], []]);
		expect(pending.map((item) => item.json)).toEqual([
			expect.objectContaining({ status: 'skipped', messageId: null, outcome: 'noOutcomeYet', deliveryStatus: 'unknown' }),
		]);
	});
});
