/**
 * Trigger workflows that register on one channel at the same moment, in a real n8n against the fake
 * 1MSG channel. 1MSG's webhook list has no version and `POST /webhook` replaces it whole (at most 5
 * URLs, one of them 1MSG's own inbox URL), so triggers whose read-modify-writes overlap can lose each
 * other's entries. n8n 2.x activates published workflows together at start-up (its publication
 * outbox runs up to 5 at once); 1.x activated them one after another. The fake answers every API
 * call after API_LATENCY_MS (DEACTIVATION_LATENCY_MS while two workflows are deactivated together),
 * as a remote API does, so calls made at about the same moment really overlap.
 *
 * - four triggers published before start: every URL on the list once, the inbox URL kept, and a
 *   status reaches all four; then two deactivated at the same moment leave exactly the other two;
 * - five triggers published before start: the list holds only four of them next to the inbox URL,
 *   so exactly one fails to activate with the list-full error and the four others receive statuses.
 *
 * Each step prints the channel's list (INBOX, trigger letters; `*` = holds the statuses mark).
 */
import { ensureN8nInstalled, nodeOutput, startN8n } from '../harness/n8n';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, INBOX_WEBHOOK_URL, MAX_WEBHOOKS, startFake1msg } from '../fake-1msg/server';
import { ORDER_NO_RESPONSE_EXAMPLE } from '../fixtures/seeds';
import type { Execution, Fake, N8n } from './stack';
import { stopStack } from './stack';
import { ORDER_NO_RESPONSE, credentialJson, orderNoResponseWorkflow, statusTriggerWorkflow } from './workflows';

jest.setTimeout(120_000);

/** Every fake 1MSG API call answers after this long (webhook posts to n8n are not delayed). */
const API_LATENCY_MS = 250;
/**
 * While two workflows are deactivated together: n8n 2.x's outbox starts the two deactivations up to
 * ~0.4 s apart, so the fake answers slower than that and their read-modify-writes overlap.
 */
const DEACTIVATION_LATENCY_MS = 1000;
const LIST_FULL = /already has \d+ webhook URLs, the most 1MSG allows \(5\)/;
const ALL = ['sent', 'delivered', 'read'];

interface Trigger {
	name: string;
	id: string;
	webhookId: string;
}

const TRIGGERS: Trigger[] = ['A', 'B', 'C', 'D', 'E'].map((name, n) => ({
	name,
	id: `wfRegTrig${name}000001`,
	webhookId: `5b7c9d1e-2f3a-4b5c-8d6e-7f8091a2b3c${n}`,
}));
const FOUR = TRIGGERS.slice(0, 4);
const [A, B] = TRIGGERS;

function triggerWorkflow(trigger: Trigger) {
	const workflow = statusTriggerWorkflow();
	return {
		...workflow,
		id: trigger.id,
		name: `1MSG delivery statuses ${trigger.name} (registration)`,
		nodes: workflow.nodes.map((node) => ({ ...node, webhookId: trigger.webhookId })),
	};
}

interface Stack {
	fake: Fake;
	n8n: N8n;
	triggers: Trigger[];
	startup: Outcome[];
	/** ms: n8n's start (install, import, spawn until ready) and then until every trigger's activation ended. */
	timings: { ready: number; settled: number };
}

interface Outcome {
	trigger: Trigger;
	activated: boolean;
	/** 2.x: the publication status; 1.x: `activated` or `activation error`. */
	state: string;
	error: string;
}

/**
 * A fake channel holding only the inbox URL, and an n8n whose send workflow and `triggers` are all
 * published before `n8n start`, so start-up activates them together. Resolves once every trigger's
 * start-up activation has ended, with how each ended (a failure does not throw).
 */
async function startTogether(triggers: Trigger[], seed: string): Promise<Stack> {
	ensureN8nInstalled();
	const fake = await startFake1msg({ latencyMs: API_LATENCY_MS, seed, webhookUrls: [INBOX_WEBHOOK_URL] });
	let n8n: N8n | undefined;
	try {
		n8n = await startN8n({
			credentials: credentialJson({ baseUrl: fake.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
			workflows: [orderNoResponseWorkflow(), ...triggers.map(triggerWorkflow)],
			publish: [ORDER_NO_RESPONSE.id, ...triggers.map((trigger) => trigger.id)],
			// A failed trigger would make the harness' own wait throw: startupOutcome reads each one instead.
			waitForPublished: false,
		});
		const ready = Date.now();
		await n8n.waitForStartupActivation(ORDER_NO_RESPONSE.id, 60_000);
		const started = n8n;
		const startup = await Promise.all(triggers.map((trigger) => startupOutcome(started, trigger)));
		return { fake, n8n, triggers, startup, timings: { ready: n8n.timings.total, settled: Date.now() - ready } };
	} catch (error) {
		await stopStack({ fake, n8n });
		throw error;
	}
}

/**
 * How a trigger workflow's start-up activation ended. 2.x: its publication status once settled
 * (`published`, or `failed` with the trigger's errorMessage). 1.x activates before the ready line
 * and keeps a failure as the workflow's activation error.
 */
async function startupOutcome(n8n: N8n, trigger: Trigger): Promise<Outcome> {
	if (!n8n.runtime.publishes) {
		const failure = await n8n.rest('GET', `active-workflows/error/${trigger.id}`);
		const error = failure ? (typeof failure === 'string' ? failure : JSON.stringify(failure)) : '';
		return { trigger, activated: !failure, state: failure ? 'activation error' : 'activated', error };
	}
	const deadline = Date.now() + 90_000;
	for (;;) {
		const status = await n8n.publicationStatus(trigger.id);
		const settled = ['published', 'failed', 'partial'].includes(status.status);
		if (settled || Date.now() > deadline) {
			const error = (status.triggers as Array<{ errorMessage?: string | null }>)
				.map((t) => t.errorMessage)
				.filter(Boolean)
				.join(' | ');
			return { trigger, activated: status.status === 'published', state: settled ? status.status : `unsettled (${status.status})`, error };
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/** Entries of the list that are this trigger's URL (any secret, with or without the statuses mark). */
const entriesOf = (stack: Stack, trigger: Trigger) =>
	stack.fake.webhookUrls.filter((url: string) => url.startsWith(`${stack.n8n.webhookUrl(trigger.webhookId)}?`));

function label(stack: Stack, url: string): string {
	if (url === INBOX_WEBHOOK_URL) return 'INBOX';
	const trigger = stack.triggers.find((t) => url.startsWith(`${stack.n8n.webhookUrl(t.webhookId)}?`));
	if (!trigger) return `other(${url})`;
	return new URL(url).searchParams.get('statusesOn') === '1' ? `${trigger.name}*` : trigger.name;
}

function printList(stack: Stack, step: string, extra: string[] = []) {
	const list = stack.fake.webhookUrls.map((url: string) => label(stack, url));
	const lines = [
		`[n8n ${stack.n8n.runtime.version}] ${step}`,
		`  channel list (${list.length}/${MAX_WEBHOOKS}): [${list.join(', ')}]; statuses ${stack.fake.settings.ackNotificationsOn ? 'on' : 'off'}`,
		...extra.map((line) => `  ${line}`),
	];
	console.log(lines.join('\n'));
}

/**
 * The channel-list calls the fake received since `since` (R = GET /webhook, W = POST /webhook), with
 * their arrival in ms: a read arriving before the write of an earlier read is an overlapping
 * read-modify-write.
 */
function listCalls(stack: Stack, since: number): string {
	const calls = (stack.fake.requests as Array<{ method: string; path: string; at: number }>).filter(
		(r) => r.at >= since && r.path.endsWith('/webhook'),
	);
	const first = calls[0]?.at ?? since;
	return calls.map((r) => `${r.method === 'GET' ? 'R' : 'W'}+${r.at - first}`).join(' ') || '(none)';
}

function describeStartup(stack: Stack): string[] {
	return [
		`n8n ready after ${stack.timings.ready} ms; every trigger's activation ended ${stack.timings.settled} ms later`,
		...stack.startup.map((o) => `${o.trigger.name} (${o.trigger.id}): ${o.state}${o.error ? ` — ${o.error}` : ''}`),
		`list calls at start-up: ${listCalls(stack, 0)}`,
	];
}

/** n8n's own log lines about the triggers' activations (1.x logs a failed one; 2.x keeps its error in the publication status). */
function activationLogLines(stack: Stack): string[] {
	const ids = stack.triggers.map((t) => t.id);
	const lines = stack.n8n
		.logText()
		.split('\n')
		.filter((line) => !line.startsWith('[harness]'))
		.filter((line) => (ids.some((id) => line.includes(id)) && /activat|publish|fail|error/i.test(line)) || LIST_FULL.test(line))
		.slice(-20);
	return lines.length ? lines : ['(none)'];
}

/** Statuses a trigger workflow emitted for a message, over its successful non-manual executions. */
function statusesFor(executions: Execution[], messageId: string): string[] {
	return executions
		.filter((execution) => execution.status === 'success' && execution.mode !== 'manual')
		.flatMap((execution) => nodeOutput(execution, '1MSG Trigger') as Array<Record<string, unknown>>)
		.filter((item) => item.messageId === messageId)
		.map((item) => String(item.status));
}

let serial = 0;

interface Reach {
	messageId: string;
	/** Trigger name -> statuses its workflow emitted for the message. */
	statuses: Record<string, string[]>;
	/** Names of the triggers whose URL the fake posted the message's statuses to (answered 2xx). */
	postedTo: string[];
}

/**
 * Sends a template through the published send workflow, lets the fake post its statuses (sent,
 * delivered, read) to every URL on the list, and collects what each trigger workflow emitted for it.
 */
async function sendAndCollect(stack: Stack): Promise<Reach> {
	const { fake, n8n } = stack;
	const phone = `7994100${String(++serial).padStart(4, '0')}`;
	const response = await n8n.postWebhook(`webhook/${ORDER_NO_RESPONSE.path}`, { ...ORDER_NO_RESPONSE_EXAMPLE, phone });
	const [item] = response.body as Array<{ messageId: string; status: string }>;
	expect(item.status).toBe('accepted');
	const { messageId } = item;

	// The fake plays sent -> delivered -> read, posting each to the whole list before the next.
	await fake.waitFor(() => fake.statusesOf(messageId).some((s: { status: string }) => s.status === 'read'), 20_000);
	await new Promise((resolve) => setTimeout(resolve, 500));
	const deliveries = (fake.deliveries as Array<{ url: string; statusCode?: number; body: { ack?: Array<{ id: string }> } }>).filter(
		(d) => d.body.ack?.some((ack) => ack.id === messageId) && d.statusCode !== undefined && d.statusCode < 300,
	);
	const postedTo = stack.triggers.filter((t) => deliveries.some((d) => label(stack, d.url).replace('*', '') === t.name)).map((t) => t.name);

	const read = async () => {
		const statuses: Record<string, string[]> = {};
		for (const trigger of stack.triggers) statuses[trigger.name] = statusesFor(await n8n.executions(trigger.id), messageId);
		return statuses;
	};
	// Executions are saved a moment after the webhook answered.
	const deadline = Date.now() + 15_000;
	let statuses = await read();
	while (postedTo.some((name) => statuses[name].length < ALL.length) && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		statuses = await read();
	}
	await new Promise((resolve) => setTimeout(resolve, 500));
	statuses = await read();
	return { messageId, statuses, postedTo };
}

function describeReach(reach: Reach): string[] {
	return [
		`message ${reach.messageId}: the fake posted its statuses to [${reach.postedTo.join(', ')}]`,
		...Object.entries(reach.statuses).map(([name, statuses]) => `  trigger ${name} emitted: [${statuses.join(', ')}]`),
	];
}

const registeredNames = (stack: Stack, triggers: Trigger[]) => triggers.filter((t) => entriesOf(stack, t).length > 0).map((t) => t.name);

describe('four trigger workflows on one channel, published before n8n starts', () => {
	let stack: Stack | undefined;

	beforeAll(async () => {
		stack = await startTogether(FOUR, 'trigger-registration-four');
	}, 240_000);

	afterAll(async () => stopStack(stack ?? {}));

	it('start-up activates all four together and every trigger URL ends on the list once, next to the inbox URL; a status reaches all four', async () => {
		const s = stack!;
		printList(s, 'after start-up with four triggers published', describeStartup(s));
		const counts = Object.fromEntries(FOUR.map((t) => [t.name, entriesOf(s, t).length]));
		const inboxCount = s.fake.webhookUrls.filter((url: string) => url === INBOX_WEBHOOK_URL).length;
		const listLength = s.fake.webhookUrls.length;
		const statusesOn = s.fake.settings.ackNotificationsOn;
		const reach = await sendAndCollect(s);
		printList(s, 'a template sent after start-up', describeReach(reach));
		const reached = FOUR.filter((t) => reach.statuses[t.name].length > 0).map((t) => t.name);
		console.log(
			`[n8n ${s.n8n.runtime.version}] FOUR TOGETHER: ${registeredNames(s, FOUR).length} of 4 trigger URLs on the list ` +
				`(${FOUR.map((t) => `${t.name}×${counts[t.name]}`).join(' ')}, INBOX×${inboxCount}); statuses reached ${reached.length} of 4 [${reached.join(', ')}]`,
		);

		expect(s.startup.filter((o) => !o.activated).map((o) => `${o.trigger.name}: ${o.state} ${o.error}`)).toEqual([]);
		expect(inboxCount).toBe(1);
		expect(counts).toEqual({ A: 1, B: 1, C: 1, D: 1 });
		expect(listLength).toBe(1 + FOUR.length);
		expect(statusesOn).toBe(true);
		expect(reach.statuses).toEqual({ A: ALL, B: ALL, C: ALL, D: ALL });
	});

	it('deactivating two of the four at the same moment leaves exactly the other two and the inbox URL, and a status reaches only those two', async () => {
		const s = stack!;
		// Start from all four on the list, whatever start-up left: one at a time, nothing overlaps here.
		const repaired: string[] = [];
		for (const trigger of FOUR) {
			if (entriesOf(s, trigger).length === 1) continue;
			repaired.push(trigger.name);
			await s.n8n.deactivate(trigger.id);
			await s.n8n.activate(trigger.id);
			await s.fake.waitFor(() => entriesOf(s, trigger).length > 0, 15_000);
		}
		printList(s, 'before deactivating A and B together', [
			repaired.length ? `re-activated one at a time first (start-up had lost them): ${repaired.join(', ')}` : 'all four registered since start-up',
		]);
		expect(registeredNames(s, FOUR)).toEqual(['A', 'B', 'C', 'D']);

		s.fake.setLatency(DEACTIVATION_LATENCY_MS);
		const deactivating = Date.now();
		try {
			await Promise.all([s.n8n.deactivate(A.id), s.n8n.deactivate(B.id)]);
		} finally {
			s.fake.setLatency(API_LATENCY_MS);
		}
		const deactivated = Date.now() - deactivating;
		// 1.x has run the triggers' delete when the calls return, 2.x once each publication is not_published.
		const labels = s.fake.webhookUrls.map((url: string) => label(s, url).replace('*', ''));
		const statusesOn = s.fake.settings.ackNotificationsOn;
		printList(s, 'after deactivating A and B at the same moment', [
			`both deactivations ended after ${deactivated} ms (API latency ${DEACTIVATION_LATENCY_MS} ms meanwhile)`,
			`list calls while deactivating: ${listCalls(s, deactivating)}`,
		]);
		const reach = await sendAndCollect(s);
		printList(s, 'a template sent after A and B were deactivated', describeReach(reach));
		const reached = FOUR.filter((t) => reach.statuses[t.name].length > 0).map((t) => t.name);
		console.log(
			`[n8n ${s.n8n.runtime.version}] TWO DEACTIVATED TOGETHER: left on the list [${labels.join(', ')}] (expected INBOX, C, D); ` +
				`statuses reached [${reached.join(', ')}] (expected C, D)`,
		);

		expect([...labels].sort()).toEqual(['C', 'D', 'INBOX']);
		expect(statusesOn).toBe(true);
		expect(reach.statuses).toEqual({ A: [], B: [], C: ALL, D: ALL });
	});
});

describe('five trigger workflows on one channel, published before n8n starts', () => {
	let stack: Stack | undefined;

	beforeAll(async () => {
		stack = await startTogether(TRIGGERS, 'trigger-registration-five');
	}, 240_000);

	afterAll(async () => stopStack(stack ?? {}));

	it('the list holds the inbox URL and four triggers: exactly one fails to activate with the list-full error, the four others are registered and receive statuses', async () => {
		const s = stack!;
		const failed = s.startup.filter((o) => !o.activated);
		const registered = registeredNames(s, TRIGGERS);
		printList(s, 'after start-up with five triggers published', [
			...describeStartup(s),
			...(failed.length ? ['n8n log lines about the activations:', ...activationLogLines(s).map((line) => `  ${line}`)] : []),
		]);
		const counts = Object.fromEntries(TRIGGERS.map((t) => [t.name, entriesOf(s, t).length]));
		const inboxCount = s.fake.webhookUrls.filter((url: string) => url === INBOX_WEBHOOK_URL).length;
		const listLength = s.fake.webhookUrls.length;
		const reach = await sendAndCollect(s);
		printList(s, 'a template sent after start-up', describeReach(reach));
		const reached = TRIGGERS.filter((t) => reach.statuses[t.name].length > 0).map((t) => t.name);
		console.log(
			`[n8n ${s.n8n.runtime.version}] FIVE TOGETHER: ${failed.length} of 5 failed to activate [${failed.map((o) => o.trigger.name).join(', ')}]` +
				`${failed.some((o) => LIST_FULL.test(o.error)) ? ' with the list-full error' : ''}; ` +
				`${registered.length} of 5 trigger URLs on the list (${TRIGGERS.map((t) => `${t.name}×${counts[t.name]}`).join(' ')}, INBOX×${inboxCount}); ` +
				`statuses reached ${reached.length} of 5 [${reached.join(', ')}]`,
		);

		expect(failed.map((o) => o.trigger.name)).toHaveLength(1);
		const refused = failed[0];
		expect(refused.error).toMatch(LIST_FULL);
		const others = TRIGGERS.filter((t) => t !== refused.trigger).map((t) => t.name);
		expect(counts).toEqual({ ...Object.fromEntries(others.map((name) => [name, 1])), [refused.trigger.name]: 0 });
		expect(inboxCount).toBe(1);
		expect(listLength).toBe(MAX_WEBHOOKS);
		expect(reach.statuses).toEqual({ ...Object.fromEntries(others.map((name) => [name, ALL])), [refused.trigger.name]: [] });
	});
});
