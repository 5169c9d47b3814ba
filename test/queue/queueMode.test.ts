/**
 * Both nodes on n8n's distributed engine: PostgreSQL, Redis, n8n main (activation, API; production
 * webhooks off), one worker and two webhook processes behind a round-robin balancer.
 */
import { ackBody } from '../fixtures/webhookBodies';
import { nodeOutput } from '../harness/n8n';
import { startQueueCluster } from '../harness/queueMode';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../fake-1msg/server';
import { ORDER_NO_RESPONSE, credentialJson, orderNoResponseWorkflow } from '../e2e/workflows';
import { ORDER_NO_RESPONSE_EXAMPLE } from '../fixtures/seeds';
import { STATUS_TRIGGER, dedupedStatusWorkflow } from './queueWorkflows';
import { startEffectCounter } from './effectCounter';

jest.setTimeout(600_000);

type Fake = Awaited<ReturnType<typeof startFake1msg>>;
type Cluster = Awaited<ReturnType<typeof startQueueCluster>>;
type Effects = Awaited<ReturnType<typeof startEffectCounter>>;
type Item = Record<string, unknown>;

let fake: Fake;
let cluster: Cluster;
let effects: Effects;

beforeAll(async () => {
	fake = await startFake1msg({ ackDelayMs: 150, webhookUrls: [] });
	effects = await startEffectCounter();
	cluster = await startQueueCluster({
		credentials: credentialJson({ baseUrl: fake.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
		workflows: [dedupedStatusWorkflow(effects.url), orderNoResponseWorkflow()],
	});
	process.stdout.write(`n8n queue mode, processes and roles:\n${cluster.describe()}\n`);
}, 600_000);

afterAll(async () => {
	await cluster?.stop();
	await effects?.close();
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
		expect((await post(0, 'delivered')).body).toEqual({ received: true, accepted: 0 });
		const [run] = await runsFor();
		expect(nodeOutput(run, '1MSG Trigger')[0]).toMatchObject({ messageId, status: 'delivered', dedupeKey: key('delivered') });
	});

	it('stops a repeat posted to the other webhook process at Remove Duplicates (the database)', async () => {
		expect((await post(1, 'delivered')).body).toEqual({ received: true, accepted: 1 });
		await cluster.main.waitForExecutions(STATUS_TRIGGER.id, (await triggerRuns()).length + 0, 10_000);
		await waitUntil(async () => (await runsFor()).length === 2, 30_000);
		const runs = await runsFor();
		expect(nodeOutput(runs[1], 'Remove Repeated Statuses')).toEqual([]);
		expect(effectsOf('delivered')).toBe(1);
	});

	it('stops repeats after the worker and both webhook processes restart, and lets the next status through once', async () => {
		await cluster.restartWorkerAndWebhooks();
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

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
