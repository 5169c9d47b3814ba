// @ts-check
/**
 * Repeated statuses on several queue workers at the same moment: what gets through twice.
 *
 * PostgreSQL, Redis, n8n main, two workers (`n8n worker --concurrency=10` each) and two webhook
 * processes. Three status workflows on one channel, each 1MSG Trigger → a repeat filter on `dedupeKey`
 * → a downstream HTTP effect:
 *   - the trigger's own run (Run Each Event Once Across Processes, its default), nothing between,
 *   - the 1MSG Template node's Drop Repeated Events (the trigger's check off),
 *   - n8n's own Remove Duplicates (Remove Items Processed in Previous Executions), for comparison.
 * N statuses (distinct messages) are posted in bursts; each body goes to both webhook processes and
 * to every workflow at the same moment, so every status starts two runs per workflow (each process
 * sees it for the first time) and the two runs are queued side by side and taken by the two workers
 * together. A body without a 2xx answer is posted again (3 attempts, as 1MSG's guaranteedHooks does).
 *
 * The next burst goes out once fewer than --inflight runs are unfinished (default: 4 × the runs the
 * workers take at once), so the workers are always busy without the queue growing without end.
 *
 * Prints per workflow: runs started, runs that reached the repeat filter, repeats (runs at the filter
 * beyond one per status), effects, duplicates (effects beyond one per status), lost statuses (no
 * effect), failed runs (and where they failed), and `duplicates per 1,000 repeats: X`. It measures; it
 * asserts nothing (exit code 1 only when the setup itself fails).
 *
 *   node scripts/queue-repeats.js [--keys 1000] [--burst 50] [--inflight 80] [--workers 2] [--concurrency 10] [--pool 20] [--drain-timeout 900]
 */
'use strict';

const { flag } = require('./flags');
const { agent, sleep, deliverWithRetries, cleanupOnSignal } = require('./webhookPosts');
const { ensureN8nInstalled, TERMINAL_STATUSES, nodeOutput, repeatedEventsOf } = require('../test/harness/n8n');
const { startQueueCluster } = require('../test/harness/queueMode');
const { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } = require('../test/fake-1msg/server');
const { credentialJson } = require('../test/e2e/workflows');
const { DEDUPE_NODE, STATUS_TRIGGER, REMOVE_DUPLICATES_TRIGGER, OWN_CHECK_TRIGGER, dedupedStatusWorkflow } = require('../test/queue/queueWorkflows');
const { startEffectCounter } = require('../test/queue/effectCounter');

const KEYS = flag('keys', 1000);
const BURST = flag('burst', 50);
const WORKERS = flag('workers', 2);
const CONCURRENCY = flag('concurrency', 10);
const INFLIGHT = flag('inflight', 4 * WORKERS * CONCURRENCY);
// 2.41.1's default of 2 connections per process, and even 10, left workers at concurrency 10 on this
// 2-core machine failing runs with "timeout exceeded when trying to connect" before their first node.
const POOL = flag('pool', 20);
const DRAIN_TIMEOUT_S = flag('drain-timeout', 900);
const ATTEMPTS = 3;

/** @param {string} url @param {string} text */
const deliver = (url, text) => deliverWithRetries(url, text, { attempts: ATTEMPTS, delayMs: 1000 });

const cleanups = cleanupOnSignal();

async function main() {
	ensureN8nInstalled();
	const fake = await startFake1msg({ ackDelayMs: 5, webhookUrls: [] });
	const ownCheckEffects = await startEffectCounter();
	const oursEffects = await startEffectCounter();
	const theirsEffects = await startEffectCounter();
	const receivers = [
		{ label: "1MSG Trigger's own run (Run Each Event Once Across Processes)", spec: OWN_CHECK_TRIGGER, effects: ownCheckEffects, via: /** @type {const} */ ('trigger') },
		{ label: 'Drop Repeated Events (1MSG Template node)', spec: STATUS_TRIGGER, effects: oursEffects, via: /** @type {const} */ ('dropRepeatedEvents') },
		{ label: "Remove Duplicates (n8n's node)", spec: REMOVE_DUPLICATES_TRIGGER, effects: theirsEffects, via: /** @type {const} */ ('removeDuplicates') },
	];
	const setupStarted = Date.now();
	const cluster = await startQueueCluster({
		credentials: credentialJson({ baseUrl: fake.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
		workflows: receivers.map((r) => dedupedStatusWorkflow(r.effects.url, { via: r.via, spec: r.spec, name: `Statuses → ${r.label}` })),
		publish: receivers.map((r) => r.spec.id),
		workers: WORKERS,
		workerConcurrency: CONCURRENCY,
		env: { DB_POSTGRESDB_POOL_SIZE: String(POOL) },
	});
	cleanups.push(() => cluster.stop(), () => ownCheckEffects.close(), () => oursEffects.close(), () => theirsEffects.close(), () => fake.close());
	try {
		for (const r of receivers) await cluster.main.waitForStartupActivation(r.spec.id, 120_000);
		console.log(`n8n queue mode, processes and roles (up in ${Math.round((Date.now() - setupStarted) / 1000)} s):\n${cluster.describe()}\n`);
		/** @param {string} webhookId */
		const secretOf = (webhookId) => {
			const url = fake.webhookUrls.find((u) => u.includes(`/webhook/${webhookId}/`));
			if (!url) throw new Error(`no registration for ${webhookId} on the fake's list: ${JSON.stringify(fake.webhookUrls)}`);
			return String(new URL(url).searchParams.get('secret'));
		};
		const targets = receivers.map((r) => {
			const secret = secretOf(r.spec.webhookId);
			return cluster.webhooks.map((_, index) => `${cluster.webhookUrl(r.spec.webhookId, index)}?secret=${secret}`);
		});

		/** Runs the workers finished so far, from their logs (cheap: no API call). */
		const finishedRuns = () => cluster.workers.reduce((n, w) => n + (w.logText().match(/Worker finished execution \d+/g)?.length ?? 0), 0);
		const ids = Array.from({ length: KEYS }, (_, i) => `wamid.repeats-${String(i).padStart(6, '0')}`);
		const stats = receivers.map(() => ({ bodies: 0, started: 0, retried: 0, failures: /** @type {string[]} */ ([]) }));
		const postStarted = Date.now();
		for (let from = 0; from < ids.length; from += BURST) {
			const posts = [];
			for (const id of ids.slice(from, from + BURST)) {
				const text = JSON.stringify({ instanceId: DEFAULT_CHANNEL_ID, ack: [{ id, status: 'sent', chatId: '79991234567@c.us', phone: '79991234567' }] });
				for (const [r, urls] of targets.entries()) {
					for (const url of urls) {
						stats[r].bodies++;
						posts.push(
							deliver(url, text).then((answer) => {
								stats[r].retried += answer.retried;
								if (!answer.ok) stats[r].failures.push(answer.last);
								else if (answer.accepted > 0) stats[r].started++;
							}),
						);
					}
				}
			}
			await Promise.all(posts);
			const startedSoFar = () => stats.reduce((n, st) => n + st.started, 0);
			while (startedSoFar() - finishedRuns() >= INFLIGHT) await sleep(250);
		}
		const postSeconds = (Date.now() - postStarted) / 1000;

		// Drain: every run finished (or nothing moved for 60 s: a run whose enqueueing failed stays "new"), and neither runs nor effects moved for 10 s.
		const drainStarted = Date.now();
		let seen = '';
		let stableSince = Date.now();
		/** @type {Array<Array<{ id: string, status: string }>>} */
		let runs = [];
		for (;;) {
			runs = await Promise.all(receivers.map((r) => cluster.main.executions(r.spec.id, { includeData: false })));
			const state = `${runs.map((list) => `${list.length}:${list.filter((e) => TERMINAL_STATUSES.has(e.status)).length}`).join('/')}/${receivers.map((r) => r.effects.calls.length).join('/')}`;
			if (state !== seen) {
				seen = state;
				stableSince = Date.now();
			}
			const finished = runs.every((list, r) => list.length >= stats[r].started && list.every((e) => TERMINAL_STATUSES.has(e.status)));
			if (Date.now() - stableSince > (finished ? 10_000 : 60_000)) break;
			if (Date.now() - drainStarted > DRAIN_TIMEOUT_S * 1000) {
				console.log(`(drain timeout after ${DRAIN_TIMEOUT_S} s: the workers had not finished)`);
				break;
			}
			await sleep(3000);
		}
		const drainSeconds = (Date.now() - drainStarted) / 1000;

		const workerLogs = cluster.workers.map((w) => ({ role: w.role, text: w.logText() }));
		/** @type {Map<string, string>} execution id -> worker role */
		const ranOn = new Map();
		for (const { role, text } of workerLogs) for (const match of text.matchAll(/Worker finished execution (\d+)/g)) ranOn.set(match[1], role);
		const restored = workerLogs.map(({ text }) => [...text.matchAll(/1MSG: (\d+) record\(s\) erased by a write of another n8n process were recorded again/g)].reduce((n, m) => n + Number(m[1]), 0));
		const keys = ids.map((id) => `${DEFAULT_CHANNEL_ID}:${id}:sent`);

		console.log(
			`${KEYS} statuses (distinct messages), each posted to both webhook processes and to every workflow at the same moment, in bursts of ${BURST} statuses ` +
				`(${BURST * 2 * receivers.length} posts at once, the next burst once fewer than ${INFLIGHT} runs were unfinished): posted in ${postSeconds.toFixed(1)} s, runs drained ${drainSeconds.toFixed(1)} s later`,
		);
		console.log(
			`workers: ${cluster.workers.length} × --concurrency=${cluster.concurrency}, ${POOL} database connections per process; runs per worker: ${cluster.workers.map((w) => `${w.role} ${[...ranOn.values()].filter((v) => v === w.role).length}`).join(', ')}`,
		);
		console.log('');
		console.log('| repeat filter | bodies | runs started | runs at the filter | repeats | failed runs | effects | duplicates | lost statuses | duplicates per 1,000 repeats | pairs on both workers |');
		console.log('|---|---|---|---|---|---|---|---|---|---|---|');
		/** @type {string[]} */
		const lines = [];
		for (const [r, receiver] of receivers.entries()) {
			// The node whose run is the repeat filter: the trigger itself, or the node after it.
			const filter = receiver.via === 'trigger' ? '1MSG Trigger' : DEDUPE_NODE[receiver.via];
			const full = await cluster.main.executions(receiver.spec.id);
			/** @type {Map<string, string[]>} dedupeKey -> ids of the runs that reached the filter */
			const atFilter = new Map();
			/** @type {Map<string, number>} where failed runs stopped */
			const failedAt = new Map();
			for (const run of full) {
				if (run.status !== 'success') {
					const where = `${run.lastNodeExecuted ?? '(before the first node)'}: ${String(run.error?.message ?? run.status).slice(0, 60)}`;
					failedAt.set(where, (failedAt.get(where) ?? 0) + 1);
				}
				if (!run.runData[filter] || !run.runData['1MSG Trigger']) continue;
				// A run the trigger stopped names the events it dropped in its custom data.
				const reachedKeys = [...nodeOutput(run, '1MSG Trigger').map((item) => String(item.dedupeKey)), ...(receiver.via === 'trigger' ? repeatedEventsOf(run) : [])];
				for (const key of reachedKeys) {
					const list = atFilter.get(key) ?? [];
					list.push(run.id);
					atFilter.set(key, list);
				}
			}
			const byKey = receiver.effects.countBy('dedupeKey');
			const counts = keys.map((k) => byKey.get(k) ?? 0);
			const effects = counts.reduce((a, b) => a + b, 0);
			const duplicates = counts.reduce((n, c) => n + Math.max(0, c - 1), 0);
			const lost = counts.filter((c) => c === 0).length;
			const reached = keys.reduce((n, k) => n + (atFilter.get(k)?.length ?? 0), 0);
			const repeats = keys.reduce((n, k) => n + Math.max(0, (atFilter.get(k)?.length ?? 0) - 1), 0);
			const onBoth = keys.filter((k) => new Set((atFilter.get(k) ?? []).map((id) => ranOn.get(id))).size > 1).length;
			const failed = full.filter((e) => e.status !== 'success').length;
			const perThousand = repeats > 0 ? (duplicates / repeats) * 1000 : NaN;
			console.log(
				`| ${receiver.label} | ${stats[r].bodies} | ${stats[r].started} | ${reached} | ${repeats} | ${failed} | ${effects} | ${duplicates} | ${lost} | ${perThousand.toFixed(1)} | ${onBoth} |`,
			);
			lines.push(
				`${receiver.label}: duplicates per 1,000 repeats: ${perThousand.toFixed(1)} (${duplicates} of ${repeats}; lost ${lost}, failed runs ${failed}, posts retried ${stats[r].retried}, never answered 2xx ${stats[r].failures.length}` +
					`${stats[r].failures.length ? `: ${stats[r].failures.slice(0, 3).join('; ')}` : ''})` +
					(failedAt.size ? `\n  failed runs stopped at: ${[...failedAt].map(([where, n]) => `${n} × ${where}`).join('; ')}` : ''),
			);
		}
		console.log('');
		for (const line of lines) console.log(line);
		console.log(`The trigger's check and Drop Repeated Events: records restored by their read-back (confirm), from the workers' logs: ${restored.reduce((a, b) => a + b, 0)} (${workerLogs.map((w, i) => `${w.role} ${restored[i]}`).join(', ')})`);
	} finally {
		agent.destroy();
		await cluster.stop();
		await ownCheckEffects.close();
		await oursEffects.close();
		await theirsEffects.close();
		await fake.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
