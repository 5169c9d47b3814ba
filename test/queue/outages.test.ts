/**
 * Nothing acknowledged is lost in queue mode: a stream of delivery statuses from a channel with
 * guaranteedHooks on (the fake posts a status again, with a doubling back-off, until it gets a 2xx)
 * while Redis is stopped for ~20 s, and later while PostgreSQL is stopped for ~20 s. Main, one
 * worker (--concurrency=10) and two webhook processes behind the round-robin balancer.
 *
 * Every status must end in an execution that ran (or one that holds it), whether its first post got
 * a 2xx or not: 1MSG gets a 2xx only once n8n (2.x) has saved and queued the execution, and a 5xx
 * (so it retries) when it cannot. The downstream effect sits behind Drop Repeated Events. n8n's processes exit when Redis is away longer than
 * QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD (10 s by default); here it is 120 s, as the README advises.
 */
import { startItems } from '../harness/n8n';
import { startQueueCluster } from '../harness/queueMode';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../fake-1msg/server';
import { credentialJson } from '../e2e/workflows';
import type { FakeDelivery } from '../e2e/stack';
import { acceptedIn, sendStraightToChannel } from '../e2e/stack';
import { dedupedStatusWorkflow } from './queueWorkflows';
import { startEffectCounter } from './effectCounter';

jest.setTimeout(900_000);

type Item = Record<string, unknown>;
type Cluster = Awaited<ReturnType<typeof startQueueCluster>>;

const OUTAGE_TRIGGER = { id: 'wfQueueOutages01', webhookId: '7e6d5c4b-3a29-4f18-8e07-d6c5b4a39281' };
const SENDS_PER_SECOND = 2;
/**
 * QUEUE_OUTAGES (default `Redis`; `npm run test:outages` runs both): the PostgreSQL case is not yet in
 * `npm run test:queue`, because its figures still vary from run to run (see the README).
 */
const OUTAGES = (process.env.QUEUE_OUTAGES ?? 'Redis').split(',').map((name) => name.trim());
const OUTAGE_MS = 20_000;

let fake: Awaited<ReturnType<typeof startFake1msg>>;
let effects: Awaited<ReturnType<typeof startEffectCounter>>;
let cluster: Cluster;

beforeAll(async () => {
	// 14 posts at most, 0.5 s doubling to 8 s between them: about 80 s, longer than each outage.
	fake = await startFake1msg({ ackDelayMs: 100, webhookUrls: [], seed: 'queue-outages', settings: { guaranteedHooks: true }, hookRetry: { attempts: 14, firstDelayMs: 500, maxDelayMs: 8000 } });
	effects = await startEffectCounter();
	cluster = await startQueueCluster({
		credentials: credentialJson({ baseUrl: fake.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
		workflows: [dedupedStatusWorkflow(effects.url, { spec: OUTAGE_TRIGGER, name: 'Statuses through outages' })],
		publish: [OUTAGE_TRIGGER.id],
		env: { QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD: '120000' },
	});
	await cluster.main.waitForStartupActivation(OUTAGE_TRIGGER.id, 120_000);
	await fake.waitFor(() => fake.webhookUrls.some((url: string) => url.includes(OUTAGE_TRIGGER.webhookId)), 30_000);
}, 900_000);

afterAll(async () => {
	await cluster?.stop();
	await effects?.close();
	await fake?.close();
});

const deliveries = () => (fake.deliveries as unknown as FakeDelivery[]).filter((d) => d.url.includes(OUTAGE_TRIGGER.webhookId));
const keyOf = (d: FakeDelivery) => `${d.body.ack?.[0]?.id}:${d.body.ack?.[0]?.status}`;

describe('queue mode: statuses keep coming while Redis, then PostgreSQL, is stopped', () => {
	it.each(
		([
			['Redis', () => cluster.redis],
			['PostgreSQL', () => cluster.postgres],
		] as const).filter(([service]) => OUTAGES.includes(service)),
	)('loses no status and lets no downstream effect happen twice while %s is stopped for about 20 s', async (service, serviceOf) => {
		const ids: string[] = [];
		let sending = true;
		const sender = (async () => {
			for (let i = 0; sending; i++) {
				ids.push(await sendStraightToChannel(fake, `7994${service === 'Redis' ? 1 : 2}${String(i).padStart(6, '0')}`));
				await new Promise((resolve) => setTimeout(resolve, 1000 / SENDS_PER_SECOND));
			}
		})();
		await new Promise((resolve) => setTimeout(resolve, 5000));
		const stoppedAt = Date.now();
		await serviceOf().pause();
		await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
		await serviceOf().resume();
		const outageMs = Date.now() - stoppedAt;
		await new Promise((resolve) => setTimeout(resolve, 8000));
		sending = false;
		await sender;

		const keys = ids.flatMap((id) => ['sent', 'delivered', 'read'].map((status) => `${id}:${status}`));
		const settledKey = (key: string) => deliveries().some((d) => keyOf(d) === key && (d.statusCode === 200 || d.attempt >= fake.hookRetry.attempts));
		await fake.waitFor(() => keys.every(settledKey), 180_000);
		const mine = new Set(ids);
		// This case's runs (the list also holds the earlier case's). A run whose end the worker could not
		// save while the database was away stays "running": the list is taken once it stops changing.
		const ran = (await cluster.main.settledExecutions(OUTAGE_TRIGGER.id, { min: keys.length, unfinishedQuietMs: 30_000, timeoutMs: 180_000, pollMs: 1000 })).filter((run) => startItems(run, '1MSG Trigger').some((item: Item) => mine.has(String(item.messageId))));

		const posts = deliveries().filter((d) => ids.includes(String(d.body.ack?.[0]?.id)));
		const ok = posts.filter((d) => d.statusCode === 200);
		const taken = new Set(ok.filter((d) => acceptedIn(d) > 0).map(keyOf));
		const firstRefused = new Set(posts.filter((d) => d.attempt === 1 && d.statusCode !== 200).map(keyOf));
		const runsPerKey = new Map<string, number>();
		const heldPerKey = new Map<string, number>();
		for (const run of ran) {
			for (const item of startItems(run, '1MSG Trigger') as Item[]) {
				const key = `${item.messageId}:${item.status}`;
				heldPerKey.set(key, (heldPerKey.get(key) ?? 0) + 1);
				if (run.status === 'success') runsPerKey.set(key, (runsPerKey.get(key) ?? 0) + 1);
			}
		}
		const lost = keys.filter((key) => !heldPerKey.has(key));
		const twice = keys.filter((key) => (runsPerKey.get(key) ?? 0) > 1);
		const effectCounts = effects.countBy('dedupeKey');
		const effectKey = (key: string) => `${DEFAULT_CHANNEL_ID}:${key}`;
		const effectTwice = keys.filter((key) => (effectCounts.get(effectKey(key)) ?? 0) > 1);
		// The database's own count, next to what main's API listed.
		const inDatabase = await cluster.postgres.query(`SELECT status, count(*) FROM execution_entity WHERE "workflowId" = '${OUTAGE_TRIGGER.id}' GROUP BY status ORDER BY status`);
		const listed = (await cluster.main.executions(OUTAGE_TRIGGER.id, { includeData: false })).length;
		const byStatus = new Map<string, number>();
		for (const run of ran) byStatus.set(run.status, (byStatus.get(run.status) ?? 0) + 1);
		const answers = new Map<string, number>();
		for (const d of posts.filter((p) => p.statusCode !== 200)) {
			const what = d.statusCode ? String(d.statusCode) : String(d.error ?? 'no answer').replace(/:.*$/, '');
			answers.set(what, (answers.get(what) ?? 0) + 1);
		}
		process.stdout.write(
			`${service} stopped ${(outageMs / 1000).toFixed(1)} s during a stream of ${SENDS_PER_SECOND} sends/s: statuses ${keys.length}; posts ${posts.length} (2xx ${ok.length}, ` +
				`non-2xx or no answer ${posts.length - ok.length}: ${[...answers].map(([what, n]) => `${n} × ${what}`).join(', ') || 'none'}); statuses whose first post got no 2xx ${firstRefused.size}, ` +
				`taken after a retry ${[...firstRefused].filter((key) => taken.has(key)).length}; executions ${ran.length} (${[...byStatus].map(([s, n]) => `${s} ${n}`).join(', ')}); ` +
				`lost ${lost.length}; statuses run twice ${twice.length}; downstream effects twice ${effectTwice.length} ` +
				`(the workflow's executions in the database: ${inDatabase.rows.map(([status, n]) => `${status} ${n}`).join(', ')}; listed by main's API ${listed})\n`,
		);
		expect(firstRefused.size).toBeGreaterThan(0);
		expect({ lost, effectTwice }).toEqual({ lost: [], effectTwice: [] });
		// With PostgreSQL away n8n should answer 503 at once, so that 1MSG's retry is the only run (not yet
		// steady: see the README). With Redis away
		// n8n holds the answer until Redis is back, past 1MSG's timeout: the retry, at the other webhook
		// process, starts a second run of the status (printed above; the README says so), and only the
		// database filter after the trigger keeps the effect single.
		if (service === 'PostgreSQL') expect(twice).toEqual([]);
	});
});
