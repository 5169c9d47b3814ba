// @ts-check
/**
 * Status storm on n8n's queue mode (npm run bench:queue): PostgreSQL, Redis, n8n main, one worker and
 * two webhook processes. A workflow on the worker sends N templates through the 1MSG Template node to
 * the fake 1MSG channel; the fake records 3 statuses per message (sent, delivered, read). Those
 * statuses, plus 10 % of them again as repeats, are then posted at a fixed rate, alternating between
 * the two webhook processes, to two receivers in the same setup:
 *   - the 1MSG Trigger → Drop Repeated Events (the 1MSG Template node, on dedupeKey) → downstream effect,
 *   - n8n's own Webhook node (answers at once) → the same downstream effect,
 * each body to both, from the same process, at the same moment. Prints executions started, items
 * emitted, duplicates reaching the effect, lost statuses and each receiver's answer time (p50/p95, every
 * attempt; a body without a 2xx answer is posted again, 3 attempts in all, as 1MSG's guaranteedHooks does).
 * It measures; it asserts nothing.
 *
 *   node scripts/queue-storm.js [--templates 1000] [--rate 100] [--repeat 0.1] [--drain-timeout 900]
 */
'use strict';

const { flag } = require('./flags');
const { agent, sleep, deliverWithRetries, cleanupOnSignal } = require('./webhookPosts');
const { ensureN8nInstalled, nodeOutput } = require('../test/harness/n8n');
const { startQueueCluster } = require('../test/harness/queueMode');
const { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } = require('../test/fake-1msg/server');
const { CREDENTIAL, TEMPLATE_TYPE, credentialJson } = require('../test/e2e/workflows');
const { STATUS_TRIGGER, PLAIN_WEBHOOK, dedupedStatusWorkflow, plainWebhookWorkflow } = require('../test/queue/queueWorkflows');
const { startEffectCounter } = require('../test/queue/effectCounter');


const TEMPLATES = flag('templates', 1000);
const RATE = flag('rate', 100);
const REPEAT_SHARE = flag('repeat', 0.1);
const DRAIN_TIMEOUT_S = flag('drain-timeout', 900);
const SEND_WORKFLOW = { id: 'wfStormSends0001', path: 'storm-sends' };

/** Webhook (body.contacts) → Split Out → 1MSG Template, concurrency 10; answers when the sends are done. */
function sendWorkflow() {
	return {
		id: SEND_WORKFLOW.id,
		name: 'Storm: send templates',
		active: false,
		nodes: [
			{
				id: 'storm-in',
				name: 'Contacts',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '2c4e6a8b-0d1f-4a3b-9c5d-7e9f1a3b5c7d',
				parameters: { httpMethod: 'POST', path: SEND_WORKFLOW.path, responseMode: 'lastNode', responseData: 'noData', options: {} },
			},
			{ id: 'storm-split', name: 'One per Contact', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [200, 0], parameters: { fieldToSplitOut: 'body.contacts', options: {} } },
			{
				id: 'storm-send',
				name: '1MSG Template',
				type: TEMPLATE_TYPE,
				typeVersion: 1,
				position: [400, 0],
				onError: 'continueRegularOutput',
				credentials: { oneMsgChannelApi: { ...CREDENTIAL } },
				parameters: {
					operation: 'sendTemplate',
					scenario: 'clientInactivityNotification',
					template: { __rl: true, mode: 'list', value: 'client_inactivity_notification|en' },
					phone: '={{ $json.phone }}',
					customerName: '={{ $json.name }}',
					incompleteAction: 'account setup',
					options: { concurrency: 10 },
				},
			},
		],
		connections: {
			Contacts: { main: [[{ node: 'One per Contact', type: 'main', index: 0 }]] },
			'One per Contact': { main: [[{ node: '1MSG Template', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** @param {number[]} values @param {number} q */
function quantile(values, q) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
}

/** Like 1MSG with `guaranteedHooks`: a body that gets no 2xx is posted again, 3 attempts in all, 1 s apart. */
const ATTEMPTS = 3;

/** @param {string} url @param {string} text @param {number[]} times every attempt's answer time */
const deliver = (url, text, times) => deliverWithRetries(url, text, { attempts: ATTEMPTS, delayMs: 1000, times });

const cleanups = cleanupOnSignal();

async function main() {
	ensureN8nInstalled();
	const fake = await startFake1msg({ ackDelayMs: 5, webhookUrls: [] });
	const effects = await startEffectCounter();
	const cluster = await startQueueCluster({
		credentials: credentialJson({ baseUrl: fake.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
		workflows: [dedupedStatusWorkflow(effects.url), plainWebhookWorkflow(effects.url), sendWorkflow()],
	});
	cleanups.push(() => cluster.stop(), () => effects.close(), () => fake.close());
	try {
		console.log(`n8n queue mode, processes and roles:\n${cluster.describe()}\n`);
		await cluster.main.activate(STATUS_TRIGGER.id);
		await cluster.main.activate(PLAIN_WEBHOOK.id);
		await cluster.main.activate(SEND_WORKFLOW.id);
		await fake.waitFor(() => fake.webhookUrls.length === 1, 15_000);
		const secret = String(new URL(fake.webhookUrls[0]).searchParams.get('secret'));
		// The statuses are posted by this script at a fixed rate, not by the fake as they happen.
		fake.settings.ackNotificationsOn = false;

		const contacts = Array.from({ length: TEMPLATES }, (_, i) => ({ phone: `7999${String(i).padStart(7, '0')}`, name: `Client ${i}` }));
		const sendStarted = Date.now();
		const sendAnswer = await cluster.main.request('POST', `${cluster.balancer.url}/webhook/${SEND_WORKFLOW.path}`, { body: { contacts }, timeoutMs: 600_000 });
		const sendSeconds = (Date.now() - sendStarted) / 1000;
		if (sendAnswer.status !== 200) throw new Error(`send workflow answered ${sendAnswer.status}: ${JSON.stringify(sendAnswer.body).slice(0, 300)}`);
		await fake.waitFor(() => fake.sends.every((/** @type {{ id: string }} */ s) => fake.statusesOf(s.id).length === 3), 60_000);

		/** @type {Array<{ id: string, status: string, phone: string }>} */
		const perMessage = fake.sends.map((/** @type {{ id: string }} */ s) => fake.statusesOf(s.id).map((/** @type {any} */ r) => ({ id: r.id, status: r.status, phone: r.recipient_id })));
		// Every message's sent, then every delivered, then every read: how they come in real traffic, a
		// message's next status long after its previous one (a status that overtakes an earlier one of its
		// message counts as late, and late statuses start nothing by design).
		const statuses = [0, 1, 2].flatMap((step) => perMessage.map((list) => list[step]).filter(Boolean));
		const bodies = statuses.map((s) => ({ instanceId: DEFAULT_CHANNEL_ID, ack: [{ id: s.id, status: s.status, chatId: `${s.phone}@c.us`, phone: s.phone }] }));
		// Every tenth-or-so body again, a little later (1MSG retrying a webhook until it gets a 2xx).
		const repeats = Math.round(bodies.length * REPEAT_SHARE);
		const schedule = [...bodies];
		for (let i = 0; i < repeats; i++) {
			const original = Math.floor((i * bodies.length) / repeats);
			schedule.splice(Math.min(schedule.length, original + i + 1 + 25), 0, bodies[original]);
		}

		const triggerTimes = /** @type {number[]} */ ([]);
		const plainTimes = /** @type {number[]} */ ([]);
		const failures = /** @type {string[]} */ ([]);
		let retried = 0;
		const pending = [];
		const stormStarted = Date.now();
		for (let i = 0; i < schedule.length; i++) {
			const due = stormStarted + (i * 1000) / RATE;
			const wait = due - Date.now();
			if (wait > 0) await sleep(wait);
			const proc = cluster.webhooks[i % 2];
			const text = JSON.stringify(schedule[i]);
			const count = (/** @type {string} */ who) => (/** @type {{ ok: boolean, retried: number, last: string }} */ r) => {
				retried += r.retried;
				if (!r.ok) failures.push(`${who} ${proc.role}: ${r.last}`);
			};
			pending.push(
				deliver(`${proc.baseUrl}/webhook/${STATUS_TRIGGER.webhookId}/webhook?secret=${secret}`, text, triggerTimes).then(count('trigger')),
				deliver(`${proc.baseUrl}/webhook/${PLAIN_WEBHOOK.path}`, text, plainTimes).then(count('plain')),
			);
		}
		await Promise.all(pending);
		const stormSeconds = (Date.now() - stormStarted) / 1000;

		// Wait for the worker to drain the queue: every expected effect arrived and nothing moves any more.
		const expectedPlain = schedule.length;
		const drainStarted = Date.now();
		let last = -1;
		let stableSince = Date.now();
		for (;;) {
			const count = effects.calls.length;
			if (count !== last) {
				last = count;
				stableSince = Date.now();
			}
			const plainDone = effects.calls.filter((c) => c.plain).length >= expectedPlain;
			if (Date.now() - stableSince > (plainDone ? 10_000 : 60_000)) break;
			if (Date.now() - drainStarted > DRAIN_TIMEOUT_S * 1000) {
				console.log(`(drain timeout after ${DRAIN_TIMEOUT_S} s: the worker had not finished)`);
				break;
			}
			await sleep(1000);
		}
		const drainSeconds = (Date.now() - drainStarted) / 1000;

		const triggerRuns = await cluster.main.executions(STATUS_TRIGGER.id);
		const itemsEmitted = triggerRuns.reduce((n, e) => n + (e.runData['1MSG Trigger'] ? nodeOutput(e, '1MSG Trigger').length : 0), 0);
		const plainRuns = await cluster.main.executions(PLAIN_WEBHOOK.id, { includeData: false });
		const byKey = effects.countBy('dedupeKey');
		byKey.delete('undefined');
		const expectedKeys = new Set(statuses.map((s) => `${DEFAULT_CHANNEL_ID}:${s.id}:${s.status}`));
		const lost = [...expectedKeys].filter((k) => !byKey.has(k)).length;
		const duplicates = [...byKey.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
		const plainEffects = effects.calls.filter((c) => c.plain).length;
		const round = (/** @type {number} */ v) => Math.round(v * 10) / 10;

		console.log(`templates sent: ${fake.sends.length} of ${TEMPLATES} in ${round(sendSeconds)} s (one execution on the worker)`);
		console.log(`statuses: ${bodies.length} + ${repeats} repeats = ${schedule.length} bodies, posted to each receiver at ${RATE}/s in ${round(stormSeconds)} s, alternating webhook-1/webhook-2; worker drained ${round(drainSeconds)} s later`);
		console.log(`posts retried after a non-2xx answer: ${retried}; bodies never answered 2xx in ${ATTEMPTS} attempts: ${failures.length}${failures.length ? ` (${failures.slice(0, 5).join('; ')})` : ''}`);
		console.log('');
		console.log('| receiver | bodies | executions started | items emitted | effects | duplicate effects | lost statuses | answer p50 (ms) | answer p95 (ms) |');
		console.log('|---|---|---|---|---|---|---|---|---|');
		console.log(
			`| 1MSG Trigger → Drop Repeated Events | ${schedule.length} | ${triggerRuns.length} | ${itemsEmitted} | ${[...byKey.values()].reduce((a, b) => a + b, 0)} | ${duplicates} | ${lost} | ${round(quantile(triggerTimes, 0.5))} | ${round(quantile(triggerTimes, 0.95))} |`,
		);
		console.log(`| n8n Webhook node | ${schedule.length} | ${plainRuns.length} | – | ${plainEffects} | – | ${expectedPlain - plainEffects} | ${round(quantile(plainTimes, 0.5))} | ${round(quantile(plainTimes, 0.95))} |`);
		console.log('');
		console.log(`trigger p95 / Webhook node p95: ${(quantile(triggerTimes, 0.95) / quantile(plainTimes, 0.95)).toFixed(2)}`);
	} finally {
		agent.destroy();
		await cluster.stop();
		await effects.close();
		await fake.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
