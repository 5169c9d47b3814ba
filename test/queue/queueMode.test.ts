/**
 * Both nodes on n8n's distributed engine: PostgreSQL, Redis, n8n main (activation, API; production
 * webhooks off), one worker (`--concurrency=10`) and two webhook processes behind a round-robin
 * balancer. The status trigger's downstream effect sits behind the 1MSG Template node's Drop
 * Repeated Events; a second fake channel carries four triggers that main activates at its start.
 *
 * QUEUE_RESTARTS (default 20) sets how often the restart case is repeated.
 */
import { ackBody } from '../fixtures/webhookBodies';
import { TERMINAL_STATUSES, nodeOutput } from '../harness/n8n';
import { startQueueCluster } from '../harness/queueMode';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, INBOX_WEBHOOK_URL, startFake1msg } from '../fake-1msg/server';
import { ORDER_NO_RESPONSE, credentialJson, orderNoResponseWorkflow } from '../e2e/workflows';
import { ORDER_NO_RESPONSE_EXAMPLE } from '../fixtures/seeds';
import {
	DEDUPE_NODE,
	FOUR_TRIGGERS,
	SECOND_CHANNEL_SEND,
	STATUS_TRIGGER,
	dedupedStatusWorkflow,
	fourTriggerWorkflows,
	secondChannelSendWorkflow,
	secondCredentialJson,
} from './queueWorkflows';
import { startEffectCounter } from './effectCounter';

jest.setTimeout(600_000);

type Fake = Awaited<ReturnType<typeof startFake1msg>>;
type Cluster = Awaited<ReturnType<typeof startQueueCluster>>;
type Effects = Awaited<ReturnType<typeof startEffectCounter>>;
type Item = Record<string, unknown>;

const WORKER_CONCURRENCY = 10;
const RESTARTS = Number(process.env.QUEUE_RESTARTS ?? 20);

let fake: Fake;
/** The second channel: 1MSG's inbox URL on its list before any trigger registers. */
let fake2: Fake;
let cluster: Cluster;
let effects: Effects;

beforeAll(async () => {
	fake = await startFake1msg({ ackDelayMs: 150, webhookUrls: [] });
	fake2 = await startFake1msg({ ackDelayMs: 150, webhookUrls: [INBOX_WEBHOOK_URL] });
	effects = await startEffectCounter();
	const started = Date.now();
	cluster = await startQueueCluster({
		credentials: [
			...credentialJson({ baseUrl: fake.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
			...secondCredentialJson({ baseUrl: fake2.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
		],
		workflows: [dedupedStatusWorkflow(effects.url), orderNoResponseWorkflow(), ...fourTriggerWorkflows(), secondChannelSendWorkflow()],
		// Published before main starts: main activates the four triggers (and their send workflow) at startup, together.
		publish: [...FOUR_TRIGGERS.map((t) => t.id), SECOND_CHANNEL_SEND.id],
		workerConcurrency: WORKER_CONCURRENCY,
	});
	process.stdout.write(`n8n queue mode, processes and roles (started in ${seconds(Date.now() - started)} s):\n${cluster.describe()}\n`);
}, 900_000);

afterAll(async () => {
	await cluster?.stop();
	await effects?.close();
	await fake2?.close();
	await fake?.close();
});

const triggerRuns = () => cluster.main.executions(STATUS_TRIGGER.id);
const registrations = () => fake.requests.filter((r: { path: string; method: string }) => r.method === 'POST' && r.path.endsWith('/webhook'));
const secretOf = (url: string) => String(new URL(url).searchParams.get('secret'));

describe('queue mode: activation in main, webhooks in the webhook processes, runs on the worker', () => {
	it('registers the trigger once, from main, with the balancer URL that fronts both webhook processes', async () => {
		await cluster.main.activate(STATUS_TRIGGER.id);
		await fake.waitFor(() => fake.webhookUrls.length === 1, 15_000);
		const [url] = fake.webhookUrls;
		expect(url.startsWith(`${cluster.webhookUrl(STATUS_TRIGGER.webhookId)}?secret=${secretOf(url)}`)).toBe(true);
		expect(secretOf(url)).toMatch(/^[0-9a-f]{48}$/);
		await cluster.main.activate(ORDER_NO_RESPONSE.id);
		// Webhook processes and the worker only read the active workflows; they never register again.
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(registrations()).toHaveLength(1);
		expect(cluster.main.logText()).toMatch(/Activated workflow "1MSG delivery statuses"|Activated/);
	});

	it('checks the secret in either webhook process: the wrong one is 401 from both, the right one 200', async () => {
		const secret = secretOf(fake.webhookUrls[0]);
		const body = ackBody('sent', { id: 'wamid.queue-secret-check' });
		for (const index of [0, 1]) {
			const wrong = await cluster.webhooks[index].postWebhook(`${cluster.webhookUrl(STATUS_TRIGGER.webhookId, index)}?secret=${'0'.repeat(48)}`, body);
			expect({ process: cluster.webhooks[index].role, status: wrong.status }).toEqual({ process: cluster.webhooks[index].role, status: 401 });
			const missing = await cluster.webhooks[index].postWebhook(cluster.webhookUrl(STATUS_TRIGGER.webhookId, index), body);
			expect(missing.status).toBe(401);
		}
		const right = await cluster.webhooks[1].postWebhook(`${cluster.webhookUrl(STATUS_TRIGGER.webhookId, 1)}?secret=${secret}`, body);
		expect(right).toMatchObject({ status: 200, body: { received: true, accepted: 1 } });
		await cluster.main.waitForExecutions(STATUS_TRIGGER.id, 1, 30_000);
		expect(effects.countBy('dedupeKey').get(`${DEFAULT_CHANNEL_ID}:wamid.queue-secret-check:sent`)).toBe(1);
	});

	it('runs a send on the worker and receives its sent, delivered, read through both webhook processes', async () => {
		const before = [...cluster.balancer.received];
		const response = await cluster.main.postWebhook(`${cluster.balancer.url}/webhook/${ORDER_NO_RESPONSE.path}`, ORDER_NO_RESPONSE_EXAMPLE);
		expect(response.status).toBe(200);
		const [item] = response.body as Item[];
		expect(item).toMatchObject({ status: 'accepted', sent: true, phone: '79991234567' });
		const messageId = String(item.messageId);
		const [send] = await cluster.main.waitForExecutions(ORDER_NO_RESPONSE.id, 1, 30_000);
		expect(send).toMatchObject({ status: 'success', mode: 'webhook' });
		// Received by a webhook process, put on the queue there, run by the worker; main only hears it finished.
		const enqueued = new RegExp(`Enqueued execution ${send.id} `);
		const ranOnWorker = new RegExp(`Worker finished execution ${send.id} `);
		await cluster.worker.waitForLog(ranOnWorker, { timeoutMs: 10_000 });
		expect(cluster.webhooks.filter((w) => enqueued.test(w.logText())).map((w) => w.role)).toHaveLength(1);
		expect(ranOnWorker.test(cluster.main.logText())).toBe(false);

		await fake.waitFor(() => effects.calls.filter((c) => c.messageId === messageId).length === 3, 30_000);
		expect(effects.calls.filter((c) => c.messageId === messageId).map((c) => c.status).sort()).toEqual(['delivered', 'read', 'sent']);
		const received = cluster.balancer.received.map((n, i) => n - before[i]);
		// The send's own webhook and the three statuses, alternating: each process got two.
		expect(received).toEqual([2, 2]);
		// An effect is called before its run ends; a run still going has no data yet.
		await lastSettledRunId();
		const runs = (await triggerRuns()).filter((e) => nodeOutput(e, '1MSG Trigger').some((i: Item) => i.messageId === messageId));
		expect(runs).toHaveLength(3);
		for (const run of runs) expect(run.status).toBe('success');
	});
});

describe('queue mode: a repeated status causes no second downstream effect, wherever and whenever it arrives', () => {
	const messageId = 'wamid.HBgLNzk5OTEyMzQ1NjcVAgARGBJRUVVFVUVfUkVQRUFUAA==';
	const key = (status: string) => `${DEFAULT_CHANNEL_ID}:${messageId}:${status}`;
	const post = (index: number, status: string) =>
		cluster.webhooks[index].postWebhook(`${cluster.webhookUrl(STATUS_TRIGGER.webhookId, index)}?secret=${secretOf(fake.webhookUrls[0])}`, ackBody(status, { id: messageId }));
	const effectsOf = (status: string) => effects.countBy('dedupeKey').get(key(status)) ?? 0;
	const runsFor = async () => (await triggerRuns()).filter((e) => e.status === 'success' && nodeOutput(e, '1MSG Trigger').some((i: Item) => i.messageId === messageId));

	it('drops a repeat in the same webhook process before any run (its memory), and carries dedupeKey on every item', async () => {
		expect((await post(0, 'delivered')).body).toEqual({ received: true, accepted: 1 });
		await fake.waitFor(() => effectsOf('delivered') === 1, 30_000);
		expect((await post(0, 'delivered')).body).toMatchObject({ received: true, accepted: 0, ignored: 1 });
		const [run] = await runsFor();
		expect(nodeOutput(run, '1MSG Trigger')[0]).toMatchObject({ messageId, status: 'delivered', dedupeKey: key('delivered') });
	});

	it('stops a repeat posted to the other webhook process at Drop Repeated Events (the database)', async () => {
		expect((await post(1, 'delivered')).body).toEqual({ received: true, accepted: 1 });
		await cluster.main.waitForExecutions(STATUS_TRIGGER.id, (await triggerRuns()).length + 0, 10_000);
		await waitUntil(async () => (await runsFor()).length === 2, 30_000);
		const runs = await runsFor();
		expect(nodeOutput(runs[1], DEDUPE_NODE.dropRepeatedEvents)).toEqual([]);
		expect(effectsOf('delivered')).toBe(1);
	});

	it('stops repeats after the worker and both webhook processes restart, and lets the next status through once', async () => {
		await cluster.restartWorkerAndWebhooks({ parallel: true });
		const runsBefore = (await runsFor()).length;
		for (const index of [0, 1]) expect((await post(index, 'delivered')).status).toBe(200);
		expect((await post(0, 'read')).body).toEqual({ received: true, accepted: 1 });
		await waitUntil(async () => effectsOf('read') === 1 && (await runsFor()).length >= runsBefore + 2, 30_000);
		expect((await post(1, 'read')).status).toBe(200);
		await waitUntil(async () => (await runsFor()).length >= runsBefore + 3, 30_000);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect({ delivered: effectsOf('delivered'), read: effectsOf('read') }).toEqual({ delivered: 1, read: 1 });
	});
});

describe('queue mode: four 1MSG Triggers on one channel, activated together by main at its start', () => {
	it("puts every trigger's URL on the channel's list next to 1MSG's inbox URL, and a status reaches every trigger", async () => {
		const started = Date.now();
		for (const trigger of FOUR_TRIGGERS) await cluster.main.waitForStartupActivation(trigger.id, 120_000);
		const list = [...fake2.webhookUrls];
		const writes = fake2.requests.filter((r: { path: string; method: string }) => r.method === 'POST' && r.path.endsWith('/webhook')).length;
		process.stdout.write(
			`four triggers activated by main at startup (all published ${seconds(Date.now() - started)} s after the check began); ` +
				`${writes} list write(s); the channel's list:\n${list.map((url) => `  ${url}`).join('\n')}\n`,
		);
		expect(list[0]).toBe(INBOX_WEBHOOK_URL);
		expect(list).toHaveLength(1 + FOUR_TRIGGERS.length);
		for (const trigger of FOUR_TRIGGERS) {
			expect({ trigger: trigger.id, urls: list.filter((url) => url.startsWith(`${cluster.webhookUrl(trigger.webhookId)}?secret=`)).length }).toEqual({
				trigger: trigger.id,
				urls: 1,
			});
		}
		expect(fake2.settings.ackNotificationsOn).toBe(true);

		await cluster.main.waitForStartupActivation(SECOND_CHANNEL_SEND.id, 60_000);
		const response = await cluster.main.postWebhook(`${cluster.balancer.url}/webhook/${SECOND_CHANNEL_SEND.path}`, ORDER_NO_RESPONSE_EXAMPLE);
		expect(response.status).toBe(200);
		const [item] = response.body as Item[];
		expect(item).toMatchObject({ status: 'accepted', sent: true });
		const messageId = String(item.messageId);
		for (const trigger of FOUR_TRIGGERS) {
			const runs = await cluster.main.waitForExecutions(trigger.id, 3, 60_000);
			const seen = runs.flatMap((run) => nodeOutput(run, '1MSG Trigger')).filter((i: Item) => i.messageId === messageId);
			expect({ trigger: trigger.id, statuses: seen.map((i: Item) => i.status).sort() }).toEqual({ trigger: trigger.id, statuses: ['delivered', 'read', 'sent'] });
		}
		const delivered = fake2.deliveries.filter((d: { url: string; statusCode?: number }) => d.statusCode === 200).length;
		process.stdout.write(`one send on the second channel: ${delivered} status posts answered 200, sent/delivered/read reached each of the ${FOUR_TRIGGERS.length} triggers\n`);
	});
});

describe(`queue mode: statuses and their repeats at both webhook processes at once, one worker at concurrency ${WORKER_CONCURRENCY}`, () => {
	const secret = () => secretOf(fake.webhookUrls[0]);

	it('passes each status of 20 messages exactly once when every status comes 2 or 3 times, alternating processes, in one burst per status', async () => {
		const messages = Array.from({ length: 20 }, (_, i) => `wamid.queue-burst-${String(i).padStart(2, '0')}`);
		const afterId = await lastSettledRunId();
		let started = 0;
		let bodies = 0;
		const burstStarted = Date.now();
		// One burst per status: a status that overtakes an earlier one of its message in a process is
		// "late" and starts nothing there by design, so each burst is answered before the next goes out.
		for (const status of ['sent', 'delivered', 'read']) {
			const posts = messages.flatMap((id, m) => Array.from({ length: 2 + (m % 2) }, (_, copy) => deliver((m + copy) % 2, ackBody(status, { id }), secret())));
			bodies += posts.length;
			for (const answer of await Promise.all(posts)) if (answer.accepted > 0) started++;
		}
		const keys = messages.flatMap((id) => ['sent', 'delivered', 'read'].map((status) => `${DEFAULT_CHANNEL_ID}:${id}:${status}`));
		const runs = await settle(keys, afterId, started, 180_000);
		const figures = effectFigures(keys);
		process.stdout.write(
			`burst: ${messages.length} messages × sent/delivered/read, ${bodies} bodies (each status 2 or 3 times, alternating processes, one burst per status), ` +
				`${started} runs started (the other bodies dropped by the receiving process' memory), all finished ${seconds(Date.now() - burstStarted)} s after the first post; ` +
				`effects ${figures.effects} for ${keys.length} statuses, duplicates ${figures.duplicates}, missing ${figures.missing}\n`,
		);
		expect(runs.filter((run) => run.status !== 'success')).toEqual([]);
		expect(figures.perKey).toEqual(Object.fromEntries(keys.map((key) => [key, 1])));
	});

	it(`stops repeats after the worker and both webhook processes restart, ${RESTARTS} times, and lets each next status through once`, async () => {
		const perRepetition = 5;
		const sets = Array.from({ length: RESTARTS }, (_, r) => Array.from({ length: perRepetition }, (_, m) => `wamid.queue-restart-${String(r).padStart(2, '0')}-${m}`));
		const key = (id: string, status: string) => `${DEFAULT_CHANNEL_ID}:${id}:${status}`;
		// Every message of every repetition has its `delivered` before the first restart.
		let afterId = await lastSettledRunId();
		let started = 0;
		for (const answer of await Promise.all(sets.flat().map((id, i) => deliver(i % 2, ackBody('delivered', { id }), secret())))) if (answer.accepted > 0) started++;
		let runs = await settle(sets.flat().map((id) => key(id, 'delivered')), afterId, started, 180_000);

		const restartMs: number[] = [];
		const loopStarted = Date.now();
		let bodies = 0;
		for (const [r, set] of sets.entries()) {
			afterId = Math.max(afterId, ...runs.map((run) => Number(run.id)));
			const timing = await cluster.restartWorkerAndWebhooks({ parallel: true });
			restartMs.push(timing.totalMs);
			started = 0;
			// The repeat of the last status and the next status, each to both processes, all at once.
			const posts = set.flatMap((id) => ['delivered', 'read'].flatMap((status) => [0, 1].map((index) => deliver(index, ackBody(status, { id }), secret()))));
			bodies += posts.length;
			for (const answer of await Promise.all(posts)) if (answer.accepted > 0) started++;
			runs = await settle(set.map((id) => key(id, 'read')), afterId, started, 120_000);
			expect({ repetition: r + 1, failedRuns: runs.filter((run) => run.status !== 'success').map((run) => run.id) }).toEqual({ repetition: r + 1, failedRuns: [] });
		}
		const keys = sets.flat().flatMap((id) => [key(id, 'delivered'), key(id, 'read')]);
		const figures = effectFigures(keys);
		const sorted = [...restartMs].sort((a, b) => a - b);
		process.stdout.write(
			`restarts: ${RESTARTS} repetitions (worker + both webhook processes restarted in parallel, then ${perRepetition} messages' delivered repeat and read, each to both processes at once), ` +
				`${bodies} bodies in ${seconds(Date.now() - loopStarted)} s; effects ${figures.effects} for ${keys.length} statuses, duplicates ${figures.duplicates}, missing ${figures.missing}; ` +
				`one restart: median ${seconds(sorted[Math.floor(sorted.length / 2)])} s, max ${seconds(sorted[sorted.length - 1])} s\n`,
		);
		expect(figures.perKey).toEqual(Object.fromEntries(keys.map((k) => [k, 1])));
	}, 3_600_000);
});

/** POSTs a body to the status trigger on one webhook process; a non-2xx answer is posted again (3 attempts, as 1MSG's guaranteedHooks). */
async function deliver(index: number, body: unknown, secret: string): Promise<{ status: number; accepted: number }> {
	const url = `${cluster.webhookUrl(STATUS_TRIGGER.webhookId, index)}?secret=${secret}`;
	let last = '';
	for (let attempt = 1; attempt <= 3; attempt++) {
		const answer = await cluster.webhooks[index].postWebhook(url, body, { timeoutMs: 60_000 }).catch((error: Error) => ({ status: 0, body: error.message }));
		if (answer.status >= 200 && answer.status < 300) return { status: answer.status, accepted: Number((answer.body as { accepted?: number })?.accepted ?? 0) };
		last = `${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	throw new Error(`${cluster.webhooks[index].role} never answered 2xx in 3 attempts: ${last}`);
}

type RunSummary = { id: string; status: string };

/** The status trigger's executions with an id above `afterId` (the newest first in n8n's list), oldest first. */
async function runsAfter(afterId: number): Promise<RunSummary[]> {
	const found: RunSummary[] = [];
	let cursor: string | undefined;
	for (;;) {
		const page = await cluster.main.api('GET', 'executions', { query: { workflowId: STATUS_TRIGGER.id, includeData: false, limit: 100, cursor } });
		const data = ((page?.data ?? []) as Array<{ id: string | number; status: string }>).map((e) => ({ id: String(e.id), status: e.status }));
		const newer = data.filter((e) => Number(e.id) > afterId);
		found.push(...newer);
		cursor = page?.nextCursor ?? undefined;
		if (!cursor || newer.length < data.length) break;
	}
	return found.sort((a, b) => Number(a.id) - Number(b.id));
}

/** The id of the status trigger's newest execution, once all of its executions have finished. */
async function lastSettledRunId(): Promise<number> {
	let all: RunSummary[] = [];
	await waitUntil(async () => (all = await runsAfter(0)).every((e) => TERMINAL_STATUSES.has(e.status)), 120_000);
	return Math.max(0, ...all.map((e) => Number(e.id)));
}

/**
 * Waits until every key has had its effect, at least `minRuns` executions exist after `afterId` and
 * all have finished, and neither those nor the effects changed for 2 s. Answers those executions.
 */
async function settle(keys: string[], afterId: number, minRuns: number, timeoutMs: number): Promise<RunSummary[]> {
	const deadline = Date.now() + timeoutMs;
	let seen = '';
	let stableSince = Date.now();
	for (;;) {
		const runs = await runsAfter(afterId);
		const counts = effects.countBy('dedupeKey');
		const finished = runs.filter((e) => TERMINAL_STATUSES.has(e.status)).length;
		const state = `${runs.length}/${finished}/${effects.calls.length}`;
		if (state !== seen) {
			seen = state;
			stableSince = Date.now();
		}
		const done = runs.length >= minRuns && finished === runs.length && keys.every((k) => (counts.get(k) ?? 0) >= 1);
		if (done && Date.now() - stableSince >= 2000) return runs;
		if (Date.now() > deadline) {
			const missing = keys.filter((k) => !counts.has(k));
			throw new Error(
				`not settled after ${timeoutMs} ms: runs ${runs.length} (want ≥ ${minRuns}), unfinished ${runs.length - finished}, keys without an effect ${missing.length} (${missing.slice(0, 3).join(', ')})`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 400));
	}
}

/** Effects per key (every key given, 0 when none), their sum, those beyond one per key, keys without one. @param {string[]} keys */
function effectFigures(keys: string[]) {
	const counts = effects.countBy('dedupeKey');
	const perKey = Object.fromEntries(keys.map((key) => [key, counts.get(key) ?? 0]));
	const values = Object.values(perKey);
	return {
		perKey,
		effects: values.reduce((a, b) => a + b, 0),
		duplicates: values.reduce((n, c) => n + Math.max(0, c - 1), 0),
		missing: values.filter((c) => c === 0).length,
	};
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
