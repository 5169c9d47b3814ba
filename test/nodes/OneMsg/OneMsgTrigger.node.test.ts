import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { OneMsgTrigger } from '../../../nodes/OneMsg/OneMsgTrigger.node';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, INBOX_WEBHOOK_URL, startFake1msg } from '../../fake-1msg/server';
import { REFERENCE, WAMID, ackBody, incomingMessageBody, quickReplyTapBody, textReplyBody } from '../../fixtures/webhookBodies';
import { hookContext, triggerRun, webhookContext } from '../../helpers/context';

type Fake = Awaited<ReturnType<typeof startFake1msg>>;

const trigger = new OneMsgTrigger();
const OUR_URL = 'http://127.0.0.1:5688/webhook/9d5a0c1e-6d3c-4a0a-9d7e-1a2b3c4d5e6f/webhook';
const CRM_URL = 'https://crm.example.com/1msg-hook';
let fake: Fake;

beforeAll(async () => {
	fake = await startFake1msg({ ackDelayMs: 5 });
});
afterAll(async () => fake.close());

const credentials = () => ({ channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl });
const lifecycle = trigger.webhookMethods.default;

function hooks(staticData: IDataObject) {
	return hookContext({ credentials: credentials(), webhookUrl: OUR_URL, staticData }) as unknown as IHookFunctions;
}

async function activate(staticData: IDataObject) {
	if (!(await lifecycle.checkExists.call(hooks(staticData)))) await lifecycle.create.call(hooks(staticData));
}

describe('1MSG Trigger lifecycle against the fake 1MSG server', () => {
	beforeEach(() => fake.reset());

	it('adds only its URL with a secret, keeps the other URLs and turns delivery statuses on', async () => {
		const staticData: IDataObject = {};
		expect(await lifecycle.checkExists.call(hooks(staticData))).toBe(false);
		await lifecycle.create.call(hooks(staticData));
		// Marked: it switched the statuses on, so it may switch them off when it is the last to need them.
		expect(fake.webhookUrls).toEqual([INBOX_WEBHOOK_URL, `${OUR_URL}?secret=${staticData.secret}&statusesOn=1`]);
		expect(String(staticData.secret)).toMatch(/^[0-9a-f]{48}$/);
		expect(fake.settings.ackNotificationsOn).toBe(true);
		expect(await lifecycle.checkExists.call(hooks(staticData))).toBe(true);
	});

	it('checks existence without writing anything', async () => {
		const staticData: IDataObject = { secret: 'abc' };
		const before = fake.requests.length;
		await lifecycle.checkExists.call(hooks(staticData));
		const made = fake.requests.slice(before);
		expect(made.every((r: { method: string }) => r.method === 'GET')).toBe(true);
	});

	it('never duplicates its URL when activated twice', async () => {
		const staticData: IDataObject = {};
		await activate(staticData);
		await lifecycle.create.call(hooks(staticData));
		await activate(staticData);
		expect(fake.webhookUrls.filter((u: string) => u.startsWith(OUR_URL))).toHaveLength(1);
	});

	it('refuses to register when five URLs are already there, quoting its URL', async () => {
		fake.webhookUrls.splice(0, fake.webhookUrls.length, ...[1, 2, 3, 4, 5].map((n) => `https://hooks.example.com/${n}`));
		const staticData: IDataObject = {};
		await expect(lifecycle.create.call(hooks(staticData))).rejects.toMatchObject({
			message: expect.stringMatching(
				new RegExp(`^The channel already has 5 webhook URLs, the most 1MSG allows \\(5\\)\\. .*by hand: ${OUR_URL.replace(/[.?]/g, '\\$&')}\\?secret=[0-9a-f]{48}&statusesOn=1$`),
			),
			description: expect.stringContaining(`${OUR_URL}?secret=${staticData.secret}`),
		});
		expect(fake.webhookUrls).toHaveLength(5);
	});

	it('on delete removes only its URL and turns statuses off only if it turned them on', async () => {
		fake.webhookUrls.push(CRM_URL);
		const staticData: IDataObject = {};
		await activate(staticData);
		await lifecycle.delete.call(hooks(staticData));
		expect(fake.webhookUrls).toEqual([INBOX_WEBHOOK_URL, CRM_URL]);
		expect(fake.settings.ackNotificationsOn).toBe(false);
		expect(staticData).toEqual({});
	});

	it('leaves delivery statuses on when they were on before activation', async () => {
		fake.settings.ackNotificationsOn = true;
		const staticData: IDataObject = {};
		await activate(staticData);
		await lifecycle.delete.call(hooks(staticData));
		expect(fake.settings.ackNotificationsOn).toBe(true);
		expect(fake.webhookUrls).toEqual([INBOX_WEBHOOK_URL]);
	});
});

describe('1MSG Trigger on a channel other consumers listen to', () => {
	beforeEach(() => fake.reset());

	const urlOf = (n: number) => `http://127.0.0.1:5688/webhook/9d5a0c1e-6d3c-4a0a-9d7e-00000000000${n}/webhook`;
	const triggerHooks = (n: number, staticData: IDataObject, logs: string[] = []) =>
		hookContext({ credentials: credentials(), webhookUrl: urlOf(n), staticData, logs }) as unknown as IHookFunctions;

	it.each([
		[[0, 1, 2]],
		[[1, 0, 2]],
		[[2, 1, 0]],
	])('of three triggers, deactivated in the order %j, only the last one switches statuses off', async (order) => {
		const staticData: IDataObject[] = [{}, {}, {}];
		for (const n of [0, 1, 2]) await lifecycle.create.call(triggerHooks(n, staticData[n]));
		expect(fake.settings.ackNotificationsOn).toBe(true);
		for (const [step, n] of order.entries()) {
			const logs: string[] = [];
			await lifecycle.delete.call(triggerHooks(n, staticData[n], logs));
			const last = step === order.length - 1;
			expect(fake.settings.ackNotificationsOn).toBe(!last);
			if (!last) expect(logs.join('\n')).toMatch(/delivery statuses stay on: \d other 1MSG Trigger URL\(s\) still receive them/);
		}
		expect(fake.webhookUrls).toEqual([INBOX_WEBHOOK_URL]);
	});

	it('leaves statuses on when a URL added after they were switched on remains', async () => {
		const staticData: IDataObject = {};
		await lifecycle.create.call(triggerHooks(0, staticData));
		fake.webhookUrls.push(CRM_URL);
		const logs: string[] = [];
		await lifecycle.delete.call(triggerHooks(0, staticData, logs));
		expect(fake.settings.ackNotificationsOn).toBe(true);
		expect(logs.join('\n')).toMatch(/1 webhook URL\(s\) added since they were switched on may need them/);
	});

	it('never takes over statuses that were on before any trigger of this package', async () => {
		fake.settings.ackNotificationsOn = true;
		const first: IDataObject = {};
		const second: IDataObject = {};
		await lifecycle.create.call(triggerHooks(0, first));
		await lifecycle.create.call(triggerHooks(1, second));
		await lifecycle.delete.call(triggerHooks(0, first));
		await lifecycle.delete.call(triggerHooks(1, second));
		expect(fake.settings.ackNotificationsOn).toBe(true);
	});
});

describe('1MSG Trigger webhook', () => {
	const staticData: IDataObject = { secret: 'a'.repeat(48) };
	let workflow = 0;

	function receive(body: unknown, query: IDataObject = { secret: staticData.secret }, params: IDataObject = {}, mode = 'webhook') {
		const { context, response, n8nAnswers, hangUp } = webhookContext({
			mode,
			credentials: { channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: 'http://127.0.0.1:9' },
			webhookUrl: OUR_URL,
			staticData,
			params: { statuses: ['sent', 'delivered', 'read', 'failed'], outputPerStatus: false, options: {}, ...params },
			workflowId: `wf-${workflow}`,
			body,
			query,
		});
		const start = async () => await trigger.webhook.call(context as unknown as IWebhookFunctions);
		const run = async (code = 200) => {
			const result = await start();
			n8nAnswers(result, code);
			return result;
		};
		const allParams = { statuses: ['sent', 'delivered', 'read', 'failed'], outputPerStatus: false, options: {}, ...params };
		/** The webhook, then the run it starts: the items on each of the trigger's outputs. */
		const emit = async () => {
			const result = await run();
			return result.workflowData ? await triggerRun(trigger, result.workflowData, allParams) : undefined;
		};
		return { run, emit, start, answer: n8nAnswers, hangUp, response };
	}

	beforeEach(() => {
		workflow++;
	});

	it('rejects a webhook without a secret with 401 and starts nothing', async () => {
		const { run, response } = receive(ackBody('delivered'), {});
		expect(await run()).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(401);
	});

	it('rejects a webhook with a wrong secret', async () => {
		const { run, response } = receive(ackBody('delivered'), { secret: 'b'.repeat(48) });
		expect((await run()).workflowData).toBeUndefined();
		expect(response.statusCode).toBe(401);
	});

	it('emits one normalised item per status and leaves the answer, a small JSON acknowledgement, to n8n', async () => {
		const body = { instanceId: DEFAULT_CHANNEL_ID, ack: [ackBody('sent').ack[0], ackBody('delivered').ack[0]] };
		const { context } = webhookContext({
			credentials: { channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: 'http://127.0.0.1:9' },
			webhookUrl: OUR_URL,
			staticData,
			params: { statuses: ['sent', 'delivered', 'read', 'failed'], outputPerStatus: false, options: {} },
			workflowId: `wf-${workflow}`,
			body,
			query: { secret: staticData.secret },
		});
		const result = await trigger.webhook.call(context as unknown as IWebhookFunctions);
		expect(result.workflowData![0].map((i) => i.json.status)).toEqual(['sent', 'delivered']);
		// Not written by the node: n8n sends it once it holds the execution.
		expect(result.noWebhookResponse).toBeUndefined();
		expect(result.webhookResponse).toEqual({ received: true, accepted: 2 });
	});

	it('says in its answer how many events of a body started nothing, and why', async () => {
		const body = { instanceId: DEFAULT_CHANNEL_ID, ack: [ackBody('read').ack[0], ackBody('sent').ack[0]] };
		const { run, response } = receive(body);
		await run();
		expect(response).toEqual({
			statusCode: 200,
			body: { received: true, accepted: 1, ignored: 1, reason: 'already received, older than a status already received, or not selected' },
		});
		const again = receive(ackBody('read'));
		expect((await again.run()).workflowData).toBeUndefined();
		expect(again.response).toEqual({ statusCode: 200, body: expect.objectContaining({ accepted: 0, ignored: 1 }) });
	});

	it('starts the run again for a status whose first delivery n8n could not take (a 5xx answer)', async () => {
		expect((await receive(ackBody('delivered')).run(500)).workflowData![0]).toHaveLength(1);
		// 1MSG retries the body it got no 2xx for: it is not a repeat.
		const retried = receive(ackBody('delivered'));
		expect((await retried.run()).workflowData![0]).toHaveLength(1);
		expect(retried.response).toEqual({ statusCode: 200, body: { received: true, accepted: 1 } });
		// Taken once: now a repeat.
		expect((await receive(ackBody('delivered')).run()).workflowData).toBeUndefined();
	});

	it('answers a retry 503 while the first delivery of its status still waits for n8n, and starts nothing twice', async () => {
		const first = receive(ackBody('delivered'));
		const held = await first.start();
		// 1MSG gave up waiting (n8n holds its answer while Redis is away) and posts the status again.
		first.hangUp();
		const retry = receive(ackBody('delivered'));
		expect((await retry.run()).workflowData).toBeUndefined();
		expect(retry.response).toEqual({ statusCode: 503, body: expect.objectContaining({ received: false, accepted: 0 }) });
		// n8n queued the first run after all and answers into the closed socket: the next retry is a repeat.
		first.answer(held, 200);
		const later = receive(ackBody('delivered'));
		expect((await later.run()).workflowData).toBeUndefined();
		expect(later.response).toEqual({ statusCode: 200, body: expect.objectContaining({ accepted: 0, ignored: 1 }) });
	});

	it('starts a retry whose first delivery n8n finally refused after 1MSG hung up', async () => {
		const first = receive(ackBody('read'));
		const held = await first.start();
		first.hangUp();
		first.answer(held, 500);
		const retry = receive(ackBody('read'));
		expect((await retry.run()).workflowData![0]).toHaveLength(1);
	});

	it('keeps a later status n8n took while an earlier delivery of the same message was still unanswered', async () => {
		const delivered = receive(ackBody('delivered'));
		const pending = await delivered.start();
		expect((await receive(ackBody('read')).run()).workflowData![0]).toHaveLength(1);
		delivered.answer(pending, 500);
		// read stays taken: its repeat is dropped, and so is the late retry of delivered.
		expect((await receive(ackBody('read')).run()).workflowData).toBeUndefined();
		expect((await receive(ackBody('delivered')).run()).workflowData).toBeUndefined();
	});

	it('drops a repeated status and a late status for a message that has moved on', async () => {
		expect((await receive(ackBody('read')).run()).workflowData![0]).toHaveLength(1);
		expect((await receive(ackBody('read')).run()).workflowData).toBeUndefined();
		expect((await receive(ackBody('sent')).run()).workflowData).toBeUndefined();
	});

	it("keeps the editor's test listener's repeat memory apart from the published trigger's", async () => {
		const asTest = (status: string) => receive(ackBody(status), undefined, {}, 'manual').run();
		const asProduction = (status: string) => receive(ackBody(status)).run();
		expect((await asTest('sent')).workflowData![0]).toHaveLength(1);
		expect((await asProduction('sent')).workflowData![0]).toHaveLength(1);
		expect((await asTest('sent')).workflowData).toBeUndefined();
		// Stopping the test listener forgets only its own memory.
		const stopHooks = hookContext({ credentials: credentials(), webhookUrl: OUR_URL, staticData: { listener: 'test' }, workflowId: `wf-${workflow}` });
		await lifecycle.delete.call(stopHooks as unknown as IHookFunctions);
		expect((await asProduction('sent')).workflowData).toBeUndefined();
		expect((await asTest('sent')).workflowData![0]).toHaveLength(1);
	});

	it("ignores a body naming another channel's instanceId", async () => {
		const { run, response } = receive({ ...ackBody('delivered'), instanceId: 'VID999999999' });
		expect((await run()).workflowData).toBeUndefined();
		expect(response.body).toMatchObject({ accepted: 0 });
	});

	it('routes each status to its own output when One Output per Status is on', async () => {
		const body = { instanceId: DEFAULT_CHANNEL_ID, ack: [
			{ ...ackBody('sent').ack[0], id: 'wamid.a' },
			{ ...ackBody('failed').ack[0], id: 'wamid.b', error: 'Message undeliverable' },
		] };
		const outputs = (await receive(body, undefined, { outputPerStatus: true }).emit())!;
		expect(outputs).toHaveLength(4);
		expect(outputs[0].map((i) => i.json.messageId)).toEqual(['wamid.a']);
		expect(outputs[3].map((i) => i.json.error)).toEqual([{ message: 'Message undeliverable' }]);
		expect(outputs[1]).toEqual([]);
	});

	it('emits incoming customer messages as their own event, on their own output, when asked to', async () => {
		const off = await receive(incomingMessageBody).run();
		expect(off.workflowData).toBeUndefined();
		const outputs = (await receive(incomingMessageBody, undefined, { outputPerStatus: true, options: { includeMessages: true } }).emit())!;
		expect(outputs).toHaveLength(6);
		expect(outputs[4].map((i) => i.json)).toEqual([expect.objectContaining({ event: 'message', messageId: 'wamid.incoming1', text: 'Confirm' })]);
		expect(outputs[5]).toEqual([]);
	});

	it.each(['chatApi', 'meta'] as const)(
		'puts a quick-reply tap (%s format) on Reply, tied to the template; only Meta\'s format carries a payload',
		async (format) => {
			const outputs = (await receive(quickReplyTapBody(format), undefined, { outputPerStatus: true, options: { includeMessages: true } }).emit())!;
			expect(outputs[4]).toEqual([]);
			// 1MSG's normalized tap has no payload field (production capture): the payload is null, never the button text.
			expect(outputs[5].map((i) => i.json)).toEqual([
				expect.objectContaining({ event: 'message', inReplyTo: WAMID, buttonText: 'Confirm', buttonPayload: format === 'meta' ? REFERENCE : null }),
			]);
		},
	);

	it.each(['chatApi', 'meta'] as const)('puts a plain text reply (%s format) on Reply, without button fields', async (format) => {
		const outputs = (await receive(textReplyBody(format), undefined, { outputPerStatus: true, options: { includeMessages: true } }).emit())!;
		const [reply] = outputs[5].map((i) => i.json);
		expect(reply).toMatchObject({ inReplyTo: WAMID, text: 'Can we move it to Friday?' });
		expect(reply).not.toHaveProperty('buttonPayload');
	});

	it('starts nothing for statuses that are not selected', async () => {
		const result = await receive(ackBody('delivered'), undefined, { statuses: ['failed'] }).run();
		expect(result.workflowData).toBeUndefined();
	});
});
