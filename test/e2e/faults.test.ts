/**
 * Faults through a real n8n (2.41.1, and 1.123.81): a CRM webhook posts a list of recipients, Split Out makes one
 * item per recipient, and 1MSG Template sends them while the fake 1MSG server misbehaves (auth
 * errors, rate-limit storms, 5xx before and after the send, hangs, queued or malformed answers, a
 * closed port). Every run checks the same invariants: with Continue On Fail one output item per
 * input item, in order; never more than one send per recipient; a typed category per failure; and
 * without Continue On Fail an error that names the item. Then the trigger against forged requests
 * and a channel whose webhook list is full.
 */
import { TERMINAL_STATUSES, ensureN8nInstalled, freePort, nodeError, nodeOutput, selectRuntime, startN8n } from '../harness/n8n';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, INBOX_WEBHOOK_URL, startFake1msg } from '../fake-1msg/server';
import { ReliabilityCounters } from '../reliability/summary';
import { CREDENTIAL, STATUS_TRIGGER, batchWorkflow, statusTriggerWorkflow } from './workflows';
import type { Execution } from './stack';

jest.setTimeout(300_000);

type Fake = Awaited<ReturnType<typeof startFake1msg>>;
type N8n = Awaited<ReturnType<typeof startN8n>>;
type Item = Record<string, unknown>;
type FaultRule = Extract<NonNullable<Parameters<Fake['setFaults']>[0]>, unknown[]>[number];
type FaultResponse = NonNullable<FaultRule['response']>;

const REVOKED = { id: 'credOneMsgRevokd', name: '1MSG Channel (revoked token)' };
const CLOSED = { id: 'credOneMsgClosed', name: '1MSG Channel (nothing listening)' };

const BATCH = { id: 'wfFaultBatch0001', path: 'fault-batch', webhookId: '5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c01' };
const REVOKED_BATCH = { id: 'wfFaultRevoked01', path: 'fault-revoked', webhookId: '5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c02' };
const CLOSED_BATCH = { id: 'wfFaultClosed001', path: 'fault-closed', webhookId: '5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c03' };
const STOP_BATCH = { id: 'wfFaultStop00001', path: 'fault-stop', webhookId: '5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c04' };

const ORDER = {
	customerName: 'Alexey',
	orderNumber: '10482',
	pendingAction: 'delivery slot confirmation',
	reminderNote: 'Please choose a convenient time by tomorrow 6:00 PM',
};

function orderTemplateNode(credential: { id: string; name: string }) {
	return {
		onError: 'continueRegularOutput',
		credentials: { oneMsgChannelApi: { ...credential } },
		parameters: {
			operation: 'sendTemplate',
			scenario: 'orderNoResponseNotification',
			template: { __rl: true, mode: 'list', value: 'order_no_response_notification|en', cachedResultName: 'order_no_response_notification · en' },
			phone: '={{ $json.phone }}',
			customerName: '={{ $json.customerName }}',
			orderNumber: '={{ $json.orderNumber }}',
			pendingAction: '={{ $json.pendingAction }}',
			reminderNote: '={{ $json.reminderNote }}',
			options: { reference: '={{ $json.ref }}', maxRetries: 10, timeoutMs: 2000 },
		},
	};
}

/** Without Continue On Fail: an OTP template in Custom Template mode, whose copy-code button may differ from the body code. */
function stopTemplateNode() {
	const schema = ['body_1', 'button_0_code'].map((id) => ({ id, displayName: id, required: false, defaultMatch: false, display: true, canBeUsedToMatch: false, type: 'string' }));
	return {
		credentials: { oneMsgChannelApi: { ...CREDENTIAL } },
		parameters: {
			operation: 'sendTemplate',
			scenario: 'custom',
			template: { __rl: true, mode: 'list', value: 'otp_verification|en', cachedResultName: 'otp_verification · en' },
			phone: '={{ $json.phone }}',
			templateVariables: {
				mappingMode: 'defineBelow',
				value: { body_1: '={{ $json.code }}', button_0_code: '={{ $json.buttonCode ?? "" }}' },
				matchingColumns: [],
				schema,
			},
			options: { reference: '={{ $json.ref }}' },
		},
	};
}

// One row set per n8n version: the suite runs on each (the file name keeps the runs apart).
const counters = new ReliabilityCounters(`faults n8n ${selectRuntime().version}`);
let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	ensureN8nInstalled();
	fake = await startFake1msg({ ackDelayMs: 20, seed: 'faults-e2e', webhookUrls: [INBOX_WEBHOOK_URL] });
	const closedPort = await freePort();
	const credential = (ref: { id: string; name: string }, data: Record<string, string>) => ({ ...ref, type: 'oneMsgChannelApi', data });
	n8n = await startN8n({
		credentials: [
			credential(CREDENTIAL, { channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl }),
			credential(REVOKED, { channelId: DEFAULT_CHANNEL_ID, token: 'revoked-1msg-token-fedcba9876543210', baseUrl: fake.baseUrl }),
			credential(CLOSED, { channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: `http://127.0.0.1:${closedPort}` }),
		],
		workflows: [
			batchWorkflow(BATCH, 'Fault batch (Continue On Fail)', orderTemplateNode(CREDENTIAL)),
			batchWorkflow(REVOKED_BATCH, 'Fault batch (revoked token)', orderTemplateNode(REVOKED)),
			batchWorkflow(CLOSED_BATCH, 'Fault batch (closed port)', orderTemplateNode(CLOSED)),
			batchWorkflow(STOP_BATCH, 'Fault batch (stop on error)', stopTemplateNode()),
			statusTriggerWorkflow(),
		],
		publish: [BATCH.id, REVOKED_BATCH.id, CLOSED_BATCH.id, STOP_BATCH.id],
	});
});

afterAll(async () => {
	await n8n?.stop();
	await fake?.close();
});

// ------------------------------------------------------------------------------------------------
// Runs and their invariants

let runSerial = 0;

function recipients(count: number, extra: (i: number) => Item = () => ({})): Item[] {
	const run = ++runSerial;
	return Array.from({ length: count }, (_v, i) => ({
		ref: `run-${run}-item-${i}`,
		phone: `7991${String(run).padStart(3, '0')}${String(i).padStart(4, '0')}`,
		...ORDER,
		...extra(i),
	}));
}

interface SendRecord {
	id: string;
	phone: string;
}

interface Run {
	status: number;
	items: Item[];
	out: Item[];
	sends: (phone: string) => SendRecord[];
	requests: (phone: string) => number;
}

async function postBatch(path: string, items: Item[], faults: FaultRule[] = []): Promise<Run> {
	fake.reset();
	fake.setFaults(faults);
	const response = await n8n.postWebhook(`webhook/${path}`, { items }, { timeoutMs: 120_000 });
	const sendRecords = fake.sends as SendRecord[];
	const sendRequests = (fake.requests as Array<{ method: string; path: string; body?: { phone?: string } }>).filter(
		(r) => r.method === 'POST' && r.path.endsWith('/sendTemplate'),
	);
	return {
		status: response.status,
		items,
		out: Array.isArray(response.body) ? (response.body as Item[]) : [],
		sends: (phone) => sendRecords.filter((s) => s.phone === phone),
		requests: (phone) => sendRequests.filter((r) => r.body?.phone === phone).length,
	};
}

type ItemCheck = (out: Item, run: Run, input: Item) => string[];

/**
 * The invariants every Continue On Fail run must keep, plus the class' own expectation per item.
 * Records the counters and returns the problems, one line each.
 */
function checkRun(className: string, run: Run, expectItem: ItemCheck): string[] {
	const problems: string[] = [];
	let passed = 0;
	let lost = 0;
	let duplicates = 0;
	if (run.status !== 200) problems.push(`webhook answered ${run.status}`);
	if (run.out.length !== run.items.length) problems.push(`${run.items.length} items in, ${run.out.length} out`);
	run.items.forEach((input, i) => {
		const out = run.out[i];
		const phone = String(input.phone);
		const sent = run.sends(phone).length;
		duplicates += Math.max(0, sent - 1);
		if (!out) {
			lost++;
			problems.push(`${String(input.ref)}: no output item`);
			return;
		}
		const own: string[] = [];
		if (out.reference !== input.ref) own.push(`output ${i} belongs to ${String(out.reference)}`);
		if (sent > 1) own.push(`sent ${sent} times`);
		if (out.status === 'accepted' && typeof out.messageId !== 'string') {
			lost++;
			own.push('accepted without a messageId');
		}
		own.push(...expectItem(out, run, input));
		if (own.length === 0) passed++;
		else problems.push(...own.map((p) => `${String(input.ref)}: ${p}`));
	});
	counters.add(className, { tried: run.items.length, passed, lost, duplicates });
	return problems;
}

const accepted: ItemCheck = (out, run, input) => {
	const sends = run.sends(String(input.phone));
	if (out.status !== 'accepted') return [`not accepted: ${String(out.category)} "${String(out.error)}"`];
	if (sends.length !== 1 || out.messageId !== sends[0].id) return [`messageId ${String(out.messageId)} does not match 1MSG's ${sends.map((s) => s.id).join(', ')}`];
	return [];
};

interface FailureExpectation {
	category: string;
	/** Messages 1MSG recorded as sent for the item: 0 when the fault answered before the send, 1 after it. */
	sent: 0 | 1;
	/** Send requests that reached 1MSG for the item (1 = never repeated). */
	requests?: number;
	statusCode?: number | null;
	messageMatches?: RegExp;
	descriptionMatches?: RegExp;
}

function failedWith(expected: FailureExpectation): ItemCheck {
	return (out, run, input) => {
		const problems: string[] = [];
		const phone = String(input.phone);
		const status = expected.category === 'unknown_outcome' ? 'unknown' : 'failed';
		if (out.category !== expected.category) problems.push(`category ${String(out.category)} ("${String(out.error)}"), expected ${expected.category}`);
		if (out.status !== status) problems.push(`status ${String(out.status)}, expected ${status}`);
		if (run.sends(phone).length !== expected.sent) problems.push(`1MSG recorded ${run.sends(phone).length} sends, expected ${expected.sent}`);
		if (expected.requests !== undefined && run.requests(phone) !== expected.requests) problems.push(`${run.requests(phone)} send requests, expected ${expected.requests}`);
		if (expected.statusCode !== undefined && out.statusCode !== expected.statusCode) problems.push(`statusCode ${String(out.statusCode)}, expected ${String(expected.statusCode)}`);
		if (expected.messageMatches && !expected.messageMatches.test(String(out.error))) problems.push(`error "${String(out.error)}" does not match ${expected.messageMatches}`);
		if (expected.descriptionMatches && !expected.descriptionMatches.test(String(out.description))) problems.push(`description "${String(out.description)}" does not match ${expected.descriptionMatches}`);
		if (out.itemIndex !== run.items.indexOf(input)) problems.push(`itemIndex ${String(out.itemIndex)}, expected ${run.items.indexOf(input)}`);
		return problems;
	};
}

/** Every send answered the same way (or, with `afterSend`, answered so after 1MSG recorded it). */
const always = (response: FaultResponse, extra: Partial<FaultRule> = {}): FaultRule[] => [{ method: 'sendTemplate', response, ...extra }];

// ------------------------------------------------------------------------------------------------

describe('send faults through real n8n, with Continue On Fail', () => {
	it('sends a clean batch once per recipient (the baseline the faults are measured against)', async () => {
		const run = await postBatch(BATCH.path, recipients(8));
		expect(checkRun('baseline', run, accepted)).toEqual([]);
	});

	it('401 from the send: category auth, nothing sent, not retried', async () => {
		const run = await postBatch(BATCH.path, recipients(5), always({ status: 401, body: { error: `Wrong token "revoke…" for channel "${DEFAULT_CHANNEL_ID}". Please provide token as a GET parameter.` } }));
		expect(checkRun('401 auth', run, failedWith({ category: 'auth', sent: 0, requests: 1, statusCode: 401, descriptionMatches: /token/ }))).toEqual([]);
	});

	it('a revoked token in the credential: every item fails as auth and no send is attempted', async () => {
		const run = await postBatch(REVOKED_BATCH.path, recipients(4));
		expect(checkRun('401 auth (credential)', run, failedWith({ category: 'auth', sent: 0, requests: 0, statusCode: 401 }))).toEqual([]);
	});

	it('404 from the send: category server, described as a wrong method or channel', async () => {
		const run = await postBatch(BATCH.path, recipients(4), always({ status: 404, body: { error: 'Method not found' } }));
		expect(checkRun('404 not found', run, failedWith({ category: 'server', sent: 0, requests: 1, statusCode: 404, descriptionMatches: /not found.*Base URL and Channel ID/ }))).toEqual([]);
	});

	it('400 "Dialog window is closed": category window_closed', async () => {
		const run = await postBatch(BATCH.path, recipients(4), always({ status: 400, body: { error: 'Dialog window is closed' } }));
		expect(checkRun('400 window closed', run, failedWith({ category: 'window_closed', sent: 0, requests: 1, statusCode: 400, messageMatches: /^Dialog window is closed$/ }))).toEqual([]);
	});

	it('a 429 storm hitting half the requests: every message is still sent exactly once', async () => {
		const items = recipients(16);
		const run = await postBatch(BATCH.path, items, [
			{ method: 'sendTemplate', probability: 0.5, count: 16, response: { status: 429, body: { error: 'Rate limit exceeded' }, headers: { 'retry-after': '0' } } },
		]);
		const throttled = (fake.rejected as Array<{ status: number }>).filter((r) => r.status === 429).length;
		expect(throttled).toBeGreaterThan(0);
		expect(checkRun('429 storm', run, accepted)).toEqual([]);
		const requests = items.map((i) => run.requests(String(i.phone)));
		expect(requests.reduce((a, b) => a + b, 0)).toBe(items.length + throttled);
		expect(run.out.some((o) => Number(o.attempts) > 1)).toBe(true);
	});

	it.each([500, 502, 503])('%i before the send: unknown_outcome, nothing sent and nothing repeated', async (status) => {
		const run = await postBatch(BATCH.path, recipients(4), always({ status, body: { error: 'Internal Server Error' } }));
		expect(checkRun(`${status} before send`, run, failedWith({ category: 'unknown_outcome', sent: 0, requests: 1, statusCode: status }))).toEqual([]);
	});

	it.each([500, 502, 503])('%i after the send: unknown_outcome, the message counted once and never resent', async (status) => {
		const run = await postBatch(BATCH.path, recipients(4), always({ status, body: { error: 'upstream failed' } }, { afterSend: true }));
		expect(checkRun(`${status} after send`, run, failedWith({ category: 'unknown_outcome', sent: 1, requests: 1, statusCode: status }))).toEqual([]);
	});

	it('an HTML 502 page from a gateway: unknown_outcome, the page text kept readable', async () => {
		const page = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
		const run = await postBatch(BATCH.path, recipients(4), always({ status: 502, raw: page }, { afterSend: true }));
		expect(checkRun('HTML 502 page', run, failedWith({ category: 'unknown_outcome', sent: 1, requests: 1, statusCode: 502, messageMatches: /502 Bad Gateway/ }))).toEqual([]);
	});

	it('a server that never answers, with Timeout 2000 ms: unknown_outcome and not resent', async () => {
		const run = await postBatch(BATCH.path, recipients(3), always({ status: 200 }, { hang: true }));
		expect(checkRun('hang (timeout)', run, failedWith({ category: 'unknown_outcome', sent: 0, requests: 1, descriptionMatches: /may or may not have been sent/ }))).toEqual([]);
	});

	it('a server that sends, then never answers: unknown_outcome, the message counted once', async () => {
		const run = await postBatch(BATCH.path, recipients(3), always({ status: 200 }, { hang: true, afterSend: true }));
		expect(checkRun('hang after send', run, failedWith({ category: 'unknown_outcome', sent: 1, requests: 1 }))).toEqual([]);
	});

	it('a connection dropped after the send: unknown_outcome, the message counted once', async () => {
		const run = await postBatch(BATCH.path, recipients(3), always({ status: 200 }, { destroy: true, afterSend: true }));
		expect(checkRun('connection reset after send', run, failedWith({ category: 'unknown_outcome', sent: 1, requests: 1 }))).toEqual([]);
	});

	it('sent:false with a message: typed by its Meta code', async () => {
		const notFound = await postBatch(BATCH.path, recipients(3), always({ status: 200, body: { sent: false, message: '(#132001) Template name does not exist in the translation' } }));
		expect(checkRun('sent:false template', notFound, failedWith({ category: 'template_not_found', sent: 0, requests: 1, statusCode: 200 }))).toEqual([]);
		const unreachable = await postBatch(BATCH.path, recipients(3), always({ status: 200, body: { sent: false, message: '(#131026) Message undeliverable' } }));
		expect(checkRun('sent:false unreachable', unreachable, failedWith({ category: 'recipient_unreachable', sent: 0, requests: 1, statusCode: 200, descriptionMatches: /Do not retry/ }))).toEqual([]);
	});

	it('sent:false with a jobId: unknown_outcome, the queued message not sent again', async () => {
		const run = await postBatch(BATCH.path, recipients(3), always({ status: 200, body: { sent: false, jobId: 'job-7f3a9c', message: 'Message queued' } }));
		expect(checkRun('sent:false jobId', run, failedWith({ category: 'unknown_outcome', sent: 0, requests: 1, messageMatches: /queued the message as job job-7f3a9c/ }))).toEqual([]);
	});

	it('a 200 whose JSON is cut off: unknown_outcome, the message counted once', async () => {
		const run = await postBatch(BATCH.path, recipients(3), always({ status: 200, raw: '{"sent":true,"id":"wamid.HBgLNzk5OTEy', headers: { 'content-type': 'application/json' } }, { afterSend: true }));
		expect(checkRun('malformed JSON 200', run, failedWith({ category: 'unknown_outcome', sent: 1, requests: 1 }))).toEqual([]);
	});

	it('a closed port in the credential: category server, "Nothing was sent"', async () => {
		const run = await postBatch(CLOSED_BATCH.path, recipients(3));
		expect(checkRun('connection refused', run, failedWith({ category: 'server', sent: 0, requests: 0, messageMatches: /ECONNREFUSED/, descriptionMatches: /^Nothing was sent/ }))).toEqual([]);
	});

	it('a mixed storm of faults: one output per item, at most one send each, and a definite failure only when nothing was sent', async () => {
		const items = recipients(30);
		const run = await postBatch(BATCH.path, items, [
			{ method: 'sendTemplate', probability: 0.25, count: 20, response: { status: 429, body: { error: 'Rate limit exceeded' }, headers: { 'retry-after': '0' } } },
			{ method: 'sendTemplate', probability: 0.1, response: { status: 503, body: { error: 'Service Unavailable' } } },
			{ method: 'sendTemplate', probability: 0.1, response: { status: 200, body: { sent: false, jobId: 'job-mixed', message: 'queued' } } },
			{ method: 'sendTemplate', probability: 0.1, response: { status: 200, body: { sent: false, message: '(#131026) Message undeliverable' } } },
			{ method: 'sendTemplate', afterSend: true, probability: 0.15, response: { status: 502, raw: '<html><body>Bad Gateway</body></html>' } },
		]);
		const outcome: ItemCheck = (out, r, input) => {
			const sent = r.sends(String(input.phone)).length;
			if (out.status === 'accepted') return accepted(out, r, input);
			if (out.category === 'unknown_outcome') return sent <= 1 ? [] : [`unknown outcome but sent ${sent} times`];
			if (out.category === 'recipient_unreachable') return sent === 0 ? [] : [`${String(out.category)} although 1MSG recorded ${sent} send(s)`];
			return [`unexpected outcome ${String(out.category)} "${String(out.error)}"`];
		};
		expect(checkRun('mixed fault storm', run, outcome)).toEqual([]);
		const categories = new Set(run.out.map((o) => (o.status === 'accepted' ? 'accepted' : String(o.category))));
		expect(categories.has('accepted')).toBe(true);
		expect(categories.size).toBeGreaterThan(1);
	});
});

describe('send faults through real n8n, without Continue On Fail', () => {
	async function failedExecution() {
		const executions = await n8n.waitForExecutions(STOP_BATCH.id, ++stopRuns, 30_000);
		const last = executions[executions.length - 1];
		return { execution: last, error: nodeError(last, '1MSG Template') as Record<string, unknown> | undefined };
	}
	let stopRuns = 0;
	const otpItems = (count: number, extra: (i: number) => Item = () => ({})) => recipients(count, (i) => ({ code: `4829${String(i).padStart(2, '0')}`, ...extra(i) }));

	function checkStop(className: string, items: Item[], error: Record<string, unknown> | undefined, itemIndex: number, messageMatches: RegExp): string[] {
		const problems: string[] = [];
		const message = String(error?.message ?? '');
		if (!error) problems.push('the execution has no error for 1MSG Template');
		// The item is named; what went out before the stop follows it (shared/stoppedRun).
		if (!new RegExp(`\\[item ${itemIndex}\\](; before the stop .*)?$`).test(message)) problems.push(`error "${message}" does not name [item ${itemIndex}] at its end`);
		const sentOthers = items.filter((item, i) => i !== itemIndex && fake.sendCount(String(item.phone)) > 0).length;
		if (sentOthers > 0 && !message.includes('before the stop')) problems.push(`error "${message}" does not say that ${sentOthers} other item(s) went out before the stop`);
		if (!messageMatches.test(message)) problems.push(`error "${message}" does not match ${messageMatches}`);
		const context = (error?.context ?? {}) as Record<string, unknown>;
		if (context.itemIndex !== itemIndex) problems.push(`error context itemIndex ${String(context.itemIndex)}, expected ${itemIndex}`);
		const duplicates = items.reduce((sum, i) => sum + Math.max(0, fake.sendCount(String(i.phone)) - 1), 0);
		counters.add(className, { tried: 1, passed: problems.length === 0 ? 1 : 0, duplicates });
		return problems;
	}

	it('a bad phone on item 2 stops the run before any send, and the error names item 2', async () => {
		const items = otpItems(5, (i) => (i === 2 ? { phone: '+7 999 CALL NOW' } : {}));
		const response = await postBatch(STOP_BATCH.path, items);
		expect(response.status).toBeGreaterThanOrEqual(400);
		const { execution, error } = await failedExecution();
		expect(execution.status).toBe('error');
		expect(checkStop('stop: bad input', items, error, 2, /^Recipient "\+7 999 CALL NOW" contains "C"/)).toEqual([]);
		expect(fake.sends).toHaveLength(0);
	});

	it('a send refused by WhatsApp on item 3 fails the run with an error naming item 3', async () => {
		const items = otpItems(6, (i) => (i === 3 ? { buttonCode: '000000' } : {}));
		const response = await postBatch(STOP_BATCH.path, items);
		expect(response.status).toBeGreaterThanOrEqual(400);
		const { error } = await failedExecution();
		expect(checkStop('stop: refused send', items, error, 3, /^\(#131009\) Parameter value is not valid/)).toEqual([]);
		expect(items.every((i) => fake.sendCount(String(i.phone)) <= 1)).toBe(true);
		expect(fake.sendCount(String(items[3].phone))).toBe(0);
	});

	it('a 503 on every send fails the run at the first item and sends nothing twice', async () => {
		const items = otpItems(4);
		const response = await postBatch(STOP_BATCH.path, items, always({ status: 503, body: { error: 'Service Unavailable' } }, { afterSend: true }));
		expect(response.status).toBeGreaterThanOrEqual(400);
		const { error } = await failedExecution();
		expect(checkStop('stop: 503 after send', items, error, 0, /^1MSG answered HTTP 503/)).toEqual([]);
		const requests = (fake.requests as Array<{ method: string; path: string }>).filter((r) => r.method === 'POST' && r.path.endsWith('/sendTemplate'));
		expect(requests.length).toBe(fake.sends.length);
		expect(items.every((i) => fake.sendCount(String(i.phone)) <= 1)).toBe(true);
	});
});

describe('the trigger through real n8n', () => {
	const TEN_MB = 10 * 1024 * 1024;
	let ourUrl = '';

	beforeAll(async () => {
		fake.reset();
		await n8n.activate(STATUS_TRIGGER.id);
		await fake.waitFor(() => fake.webhookUrls.length === 2, 15_000);
		ourUrl = fake.webhookUrls[1];
	});

	const triggerExecutions = async () => (await n8n.executions(STATUS_TRIGGER.id, { includeData: false })).length;

	it('answers 401 to requests without the right secret, wherever the secret is put, and starts nothing', async () => {
		const url = new URL(ourUrl);
		const secret = url.searchParams.get('secret')!;
		const bare = `${url.origin}${url.pathname}`;
		const body = { instanceId: DEFAULT_CHANNEL_ID, ack: [{ id: 'wamid.forged-e2e', status: 'failed', phone: '79991234567', error: 'Message undeliverable' }] };
		const before = await triggerExecutions();
		const attempts = [
			await n8n.postWebhook(bare, body),
			await n8n.postWebhook(`${bare}?secret=${'0'.repeat(secret.length)}`, body),
			await n8n.postWebhook(`${bare}?secret=${secret.toUpperCase()}`, body),
			await n8n.postWebhook(bare, body, { headers: { secret, 'x-webhook-secret': secret, authorization: `Bearer ${secret}` } }),
			await n8n.postWebhook(bare, { ...body, secret }),
		];
		const statuses = attempts.map((a) => a.status);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const after = await triggerExecutions();
		counters.add('forged trigger requests (n8n)', { tried: attempts.length, passed: after === before ? statuses.filter((s) => s === 401).length : 0 });
		expect(statuses).toEqual([401, 401, 401, 401, 401]);
		expect(after).toBe(before);
		// The same body with the secret in its place does start the workflow.
		const genuine = await n8n.postWebhook(ourUrl, body);
		expect(genuine.body).toEqual({ received: true, accepted: 1 });
		await n8n.waitForExecutions(STATUS_TRIGGER.id, before + 1, 15_000);
	});

	it('a secret put in the path instead of the query reaches no webhook (404) and starts nothing', async () => {
		const url = new URL(ourUrl);
		const before = await triggerExecutions();
		const response = await n8n.postWebhook(`${url.origin}${url.pathname}/${url.searchParams.get('secret')}`, { instanceId: DEFAULT_CHANNEL_ID, ack: [{ id: 'wamid.path', status: 'read' }] }, { retry404Ms: 0 });
		expect(response.status).toBe(404);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(await triggerExecutions()).toBe(before);
	});

	it('takes a 10 MB body with the secret and starts one execution for its one status', async () => {
		const before = await triggerExecutions();
		const body = { instanceId: DEFAULT_CHANNEL_ID, ack: [{ id: 'wamid.ten-mb', status: 'delivered', chatId: '79991234567@c.us' }], padding: 'x'.repeat(TEN_MB) };
		const response = await n8n.postWebhook(ourUrl, body, { timeoutMs: 60_000 });
		counters.add('large bodies (n8n)', { tried: 1, passed: response.status === 200 ? 1 : 0 });
		expect(response.body).toEqual({ received: true, accepted: 1 });
		await n8n.waitForExecutions(STATUS_TRIGGER.id, before + 1, 20_000);
	});

	it('a status with a field nested 10,000 levels deep leaves an execution n8n can still read', async () => {
		// Runs after the other checks that read this workflow's executions: an execution n8n cannot read breaks them.
		const before = await triggerExecutions();
		const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
		const text = `{"instanceId":"${DEFAULT_CHANNEL_ID}","ack":[{"id":"wamid.deep-e2e","status":"read","chatId":"79991234567@c.us","extra":${deep}}]}`;
		const response = await n8n.postWebhook(ourUrl, text, { headers: { 'content-type': 'application/json' }, timeoutMs: 60_000 });
		expect(response.body).toEqual({ received: true, accepted: 1 });
		const deadline = Date.now() + 30_000;
		// Listed is not finished: on a busy machine the new execution can still be running when first seen.
		const finished = (list: Execution[]) => list.length > before && TERMINAL_STATUSES.has(list[list.length - 1].status);
		let listed = await n8n.executions(STATUS_TRIGGER.id, { includeData: false });
		while (!finished(listed) && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 200));
			listed = await n8n.executions(STATUS_TRIGGER.id, { includeData: false });
		}
		const last = listed[listed.length - 1];
		const read = await n8n.execution(last.id).then(
			(execution) => execution,
			(error: Error) => error,
		);
		const readable = !(read instanceof Error);
		counters.add('large bodies (n8n)', { tried: 1, passed: readable ? 1 : 0 });
		expect(read instanceof Error ? read.message.split('\n')[0] : 'readable').toBe('readable');
		expect(nodeOutput(read as Parameters<typeof nodeOutput>[0], '1MSG Trigger')).toEqual([expect.objectContaining({ messageId: 'wamid.deep-e2e', status: 'read' })]);
	});

	describe('on a channel whose five webhook URLs are taken', () => {
		const taken = [INBOX_WEBHOOK_URL, 'https://crm.example.com/1msg-hook', 'https://hooks.example.com/a', 'https://hooks.example.com/b', 'https://hooks.example.com/c'];
		let refusal: (Error & { publication?: unknown }) | undefined;
		let reported = '';

		beforeAll(async () => {
			await n8n.deactivate(STATUS_TRIGGER.id);
			await fake.waitFor(() => fake.webhookUrls.length === 1, 15_000);
			fake.webhookUrls.splice(0, fake.webhookUrls.length, ...taken);
			refusal = await n8n.activate(STATUS_TRIGGER.id, { timeoutMs: 60_000 }).then(
				() => undefined,
				(error: Error & { publication?: unknown }) => error,
			);
			// What n8n keeps of the failure and shows the user: the publication status, or the API's answer.
			reported = refusal ? JSON.stringify(refusal.publication ?? refusal.message) : '';
		});

		it('activation fails with a clear error, and the channel keeps its five URLs', () => {
			counters.add('webhook list full', { tried: 1, passed: refusal && /already has 5 webhook URLs/.test(reported) ? 1 : 0 });
			expect(refusal).toBeDefined();
			expect(reported).toMatch(/The channel already has 5 webhook URLs, the most 1MSG allows \(5\)/);
			expect(fake.webhookUrls).toEqual(taken);
		});

		it('the error n8n reports quotes the URL to add by hand', () => {
			counters.add('webhook list full: URL quoted', { tried: 1, passed: reported.includes(`${n8n.webhookUrl(STATUS_TRIGGER.webhookId)}?secret=`) ? 1 : 0 });
			expect(reported).toContain(`${n8n.webhookUrl(STATUS_TRIGGER.webhookId)}?secret=`);
		});
	});
});
