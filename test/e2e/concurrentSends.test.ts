/**
 * What users do at the same moment, in a real n8n against the fake 1MSG channel (which counts
 * accepted sends per recipient): a CRM posting one order event per customer for 50 customers at
 * once and then posting them all again, and n8n's Retry of a failed batch execution while other
 * executions of the same workflow run. With Skip Messages Already Sent: Always, every customer must
 * get exactly one message, and every repeat must be skipped with the id of that first message.
 *
 * n8n's deduplication store keeps one row per node holding the whole list; executions that record
 * different keys at the same moment must not erase each other's keys. The figures are printed
 * (sends per customer, repeats skipped, repeats with the first message's id) as well as asserted.
 */
import { nodeOutput } from '../harness/n8n';
import { INBOX_WEBHOOK_URL } from '../fake-1msg/server';
import type { Execution, Fake, N8n } from './stack';
import { startStack, stopStack } from './stack';
import { batchWorkflow, templateNode } from './workflows';

// Under load n8n 1.x on SQLite takes its time with 100 events at once: a timeout must not be what fails.
jest.setTimeout(300_000);

type Item = Record<string, unknown>;
type Customer = Item & { phone: string; orderNumber: string };

const ORDER_VARIABLES = {
	customerName: '={{ $json.customerName }}',
	orderNumber: '={{ $json.orderNumber }}',
	pendingAction: '={{ $json.pendingAction }}',
	reminderNote: '={{ $json.reminderNote }}',
};

/** Unique to this suite: the store rows are per workflow and node, the key names the order. */
const SKIP_KEY = '=concurrent-order-{{ $json.orderNumber }}-reminder';
const keyOf = (customer: Customer) => `concurrent-order-${customer.orderNumber}-reminder`;

interface Spec {
	id: string;
	path: string;
	webhookId: string;
	options?: Record<string, unknown>;
}

/** CRM Event (answers with the 1MSG Template node's items) → one item per `body.items` entry → 1MSG Template, Stop on error. */
function concurrentWorkflow(spec: Spec) {
	const node = templateNode('orderNoResponseNotification', 'order_no_response_notification|en', ORDER_VARIABLES, {
		skipAlreadySent: 'always',
		skipKey: SKIP_KEY,
		...spec.options,
	});
	const parameters = { ...node.parameters, phone: '={{ $json.phone }}', options: { ...(node.parameters.options as object), reference: '={{ $json.ref }}' } };
	// onError left out (undefined is not saved): n8n's default, Stop Workflow.
	return batchWorkflow(spec, `Concurrent sends: ${spec.path}`, { ...node, onError: undefined, parameters });
}

const SIMULTANEOUS: Spec = { id: 'wfConcurSend0001', path: 'concurrent-crm', webhookId: '0c9f3a1e-2b4d-4e6f-8a1b-3c5d7e9f0a01' };
// One item at a time, so the batch stops after exactly the items before the refused one.
const WITH_RETRY: Spec = { id: 'wfConcurSend0002', path: 'concurrent-retry', webhookId: '0c9f3a1e-2b4d-4e6f-8a1b-3c5d7e9f0a02', options: { concurrency: 1 } };

let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	({ fake, n8n } = await startStack({
		fake: { ackDelayMs: 20, seed: 'concurrent-sends', webhookUrls: [INBOX_WEBHOOK_URL] },
		workflows: [SIMULTANEOUS, WITH_RETRY].map(concurrentWorkflow),
		publish: [SIMULTANEOUS.id, WITH_RETRY.id],
	}));
}, 180_000);

afterAll(async () => stopStack({ fake, n8n }));

let serial = 0;
function customers(count: number): Customer[] {
	const run = ++serial;
	return Array.from({ length: count }, (_v, i) => ({
		ref: `concurrent-${run}-${i}`,
		phone: `7994${String(run).padStart(3, '0')}${String(i).padStart(4, '0')}`,
		customerName: `Customer ${run}-${i}`,
		orderNumber: `CS${run}-${String(i).padStart(3, '0')}`,
		pendingAction: 'delivery slot confirmation',
		reminderNote: 'Please choose a convenient time by tomorrow 6:00 PM',
	}));
}

const refusal = (phone: string) => ({
	method: 'sendTemplate',
	phone,
	count: 1,
	response: { status: 200, body: { sent: false, message: '(#131026) Message undeliverable' } },
});

const print = (line: string) => process.stdout.write(`[concurrentSends, n8n ${n8n.runtime.version}] ${line}\n`);

/**
 * Events n8n turned away before running anything and the CRM delivered again. n8n 1.x on SQLite
 * (no read pool, its default) answers every request with 503 "Database is not ready!" for a moment
 * when its database ping times out under load; that answer comes before any route, so no execution
 * started and a CRM's redelivery is what a user sees next.
 */
let redelivered = 0;
const NOT_READY_ATTEMPTS = 10;

/** One CRM event; the 1MSG Template node's items, or one stand-in item per customer when the execution did not answer with them. */
async function post(spec: Spec, batch: Customer[]): Promise<Item[]> {
	let response = await n8n.postWebhook(`webhook/${spec.path}`, { items: batch }, { timeoutMs: 120_000 });
	for (let attempt = 1; attempt < NOT_READY_ATTEMPTS && response.status === 503 && /Database is not ready/.test(JSON.stringify(response.body)); attempt++) {
		redelivered++;
		await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
		response = await n8n.postWebhook(`webhook/${spec.path}`, { items: batch }, { timeoutMs: 120_000 });
	}
	if (response.status === 200 && Array.isArray(response.body)) return response.body as Item[];
	return batch.map((customer) => ({ status: `http ${response.status}`, phone: customer.phone, body: response.body }));
}

/** The id the fake gave the first accepted message to this phone. */
const firstMessageId = (phone: string) => (fake.sends as Array<{ id: string; phone: string }>).find((send) => send.phone === phone)?.id;

/** `{1: 48, 2: 2}`: how many customers got how many messages. */
function sendsHistogram(all: Customer[]): Record<number, number> {
	const histogram: Record<number, number> = {};
	for (const customer of all) {
		const count = fake.sendCount(customer.phone);
		histogram[count] = (histogram[count] ?? 0) + 1;
	}
	return histogram;
}
const showHistogram = (histogram: Record<number, number>) =>
	`{${Object.entries(histogram)
		.sort(([a], [b]) => Number(a) - Number(b))
		.map(([count, customersWithIt]) => `${count}: ${customersWithIt}`)
		.join(', ')}}`;

/** Repeat items and what they should say: skipped, with the first message's id. */
function repeatFigures(repeats: Item[], firstIds: Map<string, string | undefined>) {
	const skipped = repeats.filter((item) => item.status === 'skipped');
	const withFirstId = skipped.filter((item) => item.messageId !== undefined && item.messageId !== null && item.messageId === firstIds.get(String(item.phone)));
	const statuses: Record<string, number> = {};
	for (const item of repeats) statuses[String(item.status)] = (statuses[String(item.status)] ?? 0) + 1;
	return { skipped: skipped.length, withFirstId: withFirstId.length, total: repeats.length, statuses };
}

/** Executions that did not answer with the node's items (a failed execution, an n8n that refused the request): `http 500 ×1: {...}`. */
function unanswered(items: Item[]): string {
	const byStatus = new Map<string, { count: number; body: unknown }>();
	for (const item of items) {
		if (!String(item.status).startsWith('http ')) continue;
		const entry = byStatus.get(String(item.status)) ?? { count: 0, body: item.body };
		entry.count++;
		byStatus.set(String(item.status), entry);
	}
	return [...byStatus].map(([status, { count, body }]) => `; ${status} ×${count}: ${JSON.stringify(body).slice(0, 300)}`).join('');
}

/** Runs `calls` started at the same moment, and how long they took together. */
async function atOnce<T>(calls: Array<() => Promise<T>>): Promise<{ results: T[]; ms: number }> {
	const started = Date.now();
	const results = await Promise.all(calls.map((call) => call()));
	return { results, ms: Date.now() - started };
}

async function finishedExecutions(workflowId: string, count: number): Promise<Execution[]> {
	return await n8n.waitForExecutions(workflowId, count, 120_000);
}

/** The distinct errors of the workflow's failed executions (other than `except`), for the printout: `2× Skip Messages Already Sent cannot read …`. */
async function executionErrors(workflowId: string, except: string[] = []): Promise<string> {
	const failed = (await n8n.executions(workflowId, { includeData: false })).filter((execution) => execution.status === 'error' && !except.includes(execution.id));
	if (failed.length === 0) return 'none';
	const messages = new Map<string, number>();
	for (const { id } of failed.slice(0, 10)) {
		const execution = await n8n.execution(id);
		const message = String(execution.error?.message ?? 'no error message').slice(0, 200);
		messages.set(message, (messages.get(message) ?? 0) + 1);
	}
	return `${failed.length} (${[...messages].map(([message, count]) => `${count}× ${message}`).join('; ')}${failed.length > 10 ? '; first 10 read' : ''})`;
}

/**
 * n8n's Retry from the execution list ("Retry with original workflow"); n8n answers once the retry
 * has run, which with 20 other executions running can take longer than the 30 s n8n.rest() waits:
 * the same call through n8n.request() with the owner's cookie and a longer timeout.
 */
async function retry(execution: Execution): Promise<Execution> {
	await n8n.setupOwner();
	const response = await n8n.request('POST', `/rest/executions/${execution.id}/retry`, {
		body: { loadWorkflow: false },
		headers: { cookie: String(n8n._cookie) },
		timeoutMs: 120_000,
	});
	if (response.status !== 200) throw new Error(`retry of execution ${execution.id} answered ${response.status}: ${JSON.stringify(response.body)}`);
	return await n8n.execution(String((response.body as { data: { id: string | number } }).data.id));
}

describe('50 customers posted by a CRM at the same moment, Skip Messages Already Sent: Always', () => {
	it('every customer gets exactly one message over four rounds, and every repeat is skipped with the first message id', async () => {
		const all = customers(50);
		const postEach = () => all.map((customer) => () => post(SIMULTANEOUS, [customer]));

		const round1 = await atOnce(postEach());
		const first = round1.results.flat();
		const firstIds = new Map(all.map((customer) => [customer.phone, firstMessageId(customer.phone)]));
		print(`round 1: 50 simultaneous events in ${round1.ms} ms, ${first.filter((item) => item.status === 'accepted').length}/50 accepted, ${fake.sends.length} sends${unanswered(first)}`);

		const round2 = await atOnce(postEach());
		print(`round 2: the same 50 again at once in ${round2.ms} ms, ${fake.sends.length} sends in all${unanswered(round2.results.flat())}`);
		const rounds34 = await atOnce([...postEach(), ...postEach()]);
		print(`rounds 3 and 4: 100 events at once in ${rounds34.ms} ms, ${fake.sends.length} sends in all${unanswered(rounds34.results.flat())}`);

		const repeats = [...round2.results.flat(), ...rounds34.results.flat()];
		const figures = repeatFigures(repeats, firstIds);
		const histogram = sendsHistogram(all);
		print(`sends per customer: ${showHistogram(histogram)}${redelivered ? ` (events redelivered after n8n's 503 "Database is not ready!": ${redelivered})` : ''}`);
		print(`repeats skipped: ${figures.skipped}/${figures.total} (statuses ${JSON.stringify(figures.statuses)})`);
		print(`repeats with the first message's id: ${figures.withFirstId}/${figures.total}`);
		print(`failed executions: ${await executionErrors(SIMULTANEOUS.id)}`);

		expect(showHistogram(histogram)).toBe('{1: 50}');
		expect(all.filter((customer) => fake.sendCount(customer.phone) !== 1).map((customer) => `${customer.phone}: ${fake.sendCount(customer.phone)}`)).toEqual([]);
		expect(first.map((item) => item.status)).toEqual(all.map(() => 'accepted'));
		expect(first.map((item) => item.messageId)).toEqual(all.map((customer) => firstIds.get(customer.phone)));
		expect(`${figures.skipped}/${figures.total}`).toBe('150/150');
		expect(`${figures.withFirstId}/${figures.total}`).toBe('150/150');
		expect(repeats).toEqual(
			[...all, ...all, ...all].map((customer) =>
				expect.objectContaining({ status: 'skipped', sent: false, key: keyOf(customer), phone: customer.phone, messageId: firstIds.get(customer.phone) }),
			),
		);
	});
});

describe('n8n Retry of a failed batch execution while other executions of the workflow run', () => {
	it('the retry and 20 simultaneous single-customer executions send every customer once; skipped items carry the earlier message id', async () => {
		const batch = customers(6);
		const singles = customers(20);
		const everyone = [...batch, ...singles];
		const refused = batch[3];

		// The batch stops on 1MSG's refusal of its fourth customer, after three were sent.
		fake.setFaults([refusal(refused.phone)]);
		const failedAnswer = await post(WITH_RETRY, batch);
		const [failed] = await finishedExecutions(WITH_RETRY.id, 1);
		print(`batch of 6 with customer 3 refused: execution ${failed.id} ${failed.status} (answer ${String(failedAnswer[0]?.status)}), sends ${batch.map((c) => fake.sendCount(c.phone)).join(',')}`);
		expect(failed.status).toBe('error');
		expect(batch.map((customer) => fake.sendCount(customer.phone))).toEqual([1, 1, 1, 0, 0, 0]);
		fake.setFaults([]);

		// Retry while 20 other executions of the same workflow run.
		const together = await atOnce<Item[] | Execution>([() => retry(failed), ...singles.map((customer) => () => post(WITH_RETRY, [customer]))]);
		const retried = together.results[0] as Execution;
		const singleItems = (together.results.slice(1) as Item[][]).flat();
		const retriedItems = nodeOutput(retried, '1MSG Template') as Item[];
		const firstIds = new Map(everyone.map((customer) => [customer.phone, firstMessageId(customer.phone)]));
		print(
			`retry ${retried.id} (${retried.mode}, ${retried.status}) with 20 simultaneous executions in ${together.ms} ms: retry items ${retriedItems.map((item) => item.status).join(',')}, ` +
				`singles ${singleItems.filter((item) => item.status === 'accepted').length}/20 accepted${unanswered(singleItems)}`,
		);

		// Once more, all of them at the same moment: the retry again, the batch event again, the 20 again.
		const again = await atOnce<Item[] | Execution>([
			() => retry(failed),
			() => post(WITH_RETRY, batch),
			...singles.map((customer) => () => post(WITH_RETRY, [customer])),
		]);
		const retriedAgain = again.results[0] as Execution;
		const retriedAgainItems = nodeOutput(retriedAgain, '1MSG Template') as Item[];
		const repeats = [...retriedAgainItems, ...(again.results.slice(1) as Item[][]).flat()];
		print(`all again at once (retry ${retriedAgain.id}, the batch event, the 20) in ${again.ms} ms${unanswered(repeats)}`);

		const retrySkipped = repeatFigures(retriedItems.slice(0, 3), firstIds);
		const figures = repeatFigures(repeats, firstIds);
		const histogram = sendsHistogram(everyone);
		print(`sends per customer: ${showHistogram(histogram)} (refused customer: ${fake.sendCount(refused.phone)}${redelivered ? `; events redelivered after n8n's 503 "Database is not ready!" in this suite: ${redelivered}` : ''})`);
		print(`retried execution's items sent before the stop, skipped with the earlier message id: ${retrySkipped.withFirstId}/3 (skipped ${retrySkipped.skipped}/3)`);
		print(`repeats skipped: ${figures.skipped}/${figures.total} (statuses ${JSON.stringify(figures.statuses)})`);
		print(`repeats with the first message's id: ${figures.withFirstId}/${figures.total}`);
		print(`failed executions besides the refused batch: ${await executionErrors(WITH_RETRY.id, [failed.id])}`);

		expect(showHistogram(histogram)).toBe('{1: 26}');
		expect(everyone.filter((customer) => fake.sendCount(customer.phone) !== 1).map((customer) => `${customer.phone}: ${fake.sendCount(customer.phone)}`)).toEqual([]);
		expect(fake.sendCount(refused.phone)).toBe(1);
		expect(retried.mode).toBe('retry');
		expect(retried.status).toBe('success');
		expect(retriedItems.map((item) => item.status)).toEqual(['skipped', 'skipped', 'skipped', 'accepted', 'accepted', 'accepted']);
		expect(retriedItems.slice(0, 3).map((item) => item.messageId)).toEqual(batch.slice(0, 3).map((customer) => firstIds.get(customer.phone)));
		expect(singleItems.map((item) => item.status)).toEqual(singles.map(() => 'accepted'));
		expect(`${figures.skipped}/${figures.total}`).toBe('32/32');
		expect(`${figures.withFirstId}/${figures.total}`).toBe('32/32');
		expect(repeats).toEqual(
			[...batch, ...batch, ...singles].map((customer) =>
				expect.objectContaining({ status: 'skipped', key: keyOf(customer), phone: customer.phone, messageId: firstIds.get(customer.phone) }),
			),
		);
	});
});
