/**
 * Nothing 1MSG was told arrived is lost: n8n is killed with SIGKILL during a burst of delivery
 * statuses from a channel with guaranteedHooks on (the fake posts again, with a doubling back-off,
 * every status that got no 2xx), then started again on the same database.
 *
 * The trigger workflow holds each run for a moment (a Wait node), so the kill cuts runs off in the
 * middle, as it would in production. Afterwards every status 1MSG got a 2xx for must be in n8n's
 * database: in an execution that ran, or in one n8n marked crashed that still holds the trigger's
 * items on its saved start data (and that the execution list's Retry runs to the end with them). Printed per n8n version; n8n 1.x answers a webhook before
 * it saves the execution, so what it loses is counted and printed, and asserted to be 0 only on 2.x.
 */
import { startItems } from '../harness/n8n';
import { INBOX_WEBHOOK_URL } from '../fake-1msg/server';
import type { Execution, Fake, FakeDelivery, N8n } from './stack';
import { acceptedIn, sendStraightToChannel, startStack, stopStack } from './stack';
import { CREDENTIAL, TRIGGER_TYPE } from './workflows';

jest.setTimeout(600_000);

type Item = Record<string, unknown>;

const TRIGGER = { id: 'wfAckedStatuses1', webhookId: '3c2d1e0f-9a8b-4c7d-8e6f-5a4b3c2d1e0f' };
const MESSAGES = 40;
const STATUSES = ['sent', 'delivered', 'read'];

/** 1MSG Trigger → Wait 2 s: runs are still going when n8n is killed. */
function heldTriggerWorkflow() {
	return {
		id: TRIGGER.id,
		name: 'Statuses, each run held 2 s',
		active: false,
		nodes: [
			{
				id: 'trg-acked',
				name: '1MSG Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: TRIGGER.webhookId,
				parameters: { statuses: STATUSES, outputPerStatus: false, options: {} },
				credentials: { oneMsgChannelApi: { ...CREDENTIAL } },
			},
			{ id: 'wait-acked', name: 'Hold', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [220, 0], parameters: { amount: 2, unit: 'seconds' } },
		],
		connections: { '1MSG Trigger': { main: [[{ node: 'Hold', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	({ fake, n8n } = await startStack({
		// 12 posts at most, 0.5 s doubling to 5 s between them: about 45 s, longer than n8n takes to start again.
		fake: { ackDelayMs: 150, seed: 'acked-statuses', webhookUrls: [INBOX_WEBHOOK_URL], settings: { guaranteedHooks: true }, hookRetry: { attempts: 12, firstDelayMs: 500, maxDelayMs: 5000 } },
		workflows: [heldTriggerWorkflow()],
		publish: [TRIGGER.id],
	}));
	await fake.waitFor(() => fake.webhookUrls.some((url: string) => url.includes(TRIGGER.webhookId)), 30_000);
}, 900_000);

afterAll(async () => stopStack({ fake, n8n }));

type Delivery = FakeDelivery;

/** The fake's webhook posts, typed. */
const deliveries = () => fake.deliveries as unknown as Delivery[];

describe('n8n killed (SIGKILL) during a burst of statuses, then started again', () => {
	it('keeps in its database every status 1MSG got a 2xx for, and the fake’s retries bring the others', async () => {
		const ours = (d: Delivery) => d.url.includes(TRIGGER.webhookId);
		const ids: string[] = [];
		for (let i = 0; i < MESSAGES; i++) ids.push(await sendStraightToChannel(fake, `7993${String(i).padStart(7, '0')}`));
		// Killed once about a third of the statuses were posted.
		await fake.waitFor(() => deliveries().filter(ours).length >= MESSAGES, 60_000);
		const killedAt = Date.now();
		await n8n.crash();
		const answeredBeforeKill = deliveries().filter((d: Delivery) => ours(d) && d.statusCode === 200).length;
		await n8n.restart();
		if (n8n.runtime.publishes) await n8n.waitForStartupActivation(TRIGGER.id, 120_000);
		const backAfterMs = Date.now() - killedAt;

		const keys = ids.flatMap((id) => STATUSES.map((status) => `${id}:${status}`));
		const keyOf = (d: Delivery) => `${d.body.ack?.[0]?.id}:${d.body.ack?.[0]?.status}`;
		// Settled: every status got a 2xx, or the fake gave up on it.
		await fake.waitFor(
			() => keys.every((key) => deliveries().some((d: Delivery) => ours(d) && keyOf(d) === key && (d.statusCode === 200 || d.attempt >= fake.hookRetry.attempts))),
			120_000,
		);
		// Runs started before the kill and not finished are marked crashed by the restarted n8n. The
		// list is read until every execution has finished and it has not changed for 3 s (a run
		// answered 200 a moment ago may not be listed yet).
		const executions = await n8n.settledExecutions(TRIGGER.id, { timeoutMs: 90_000 });

		const posts = deliveries().filter(ours) as Delivery[];
		const acknowledged = new Set(posts.filter((d) => d.statusCode === 200).map(keyOf));
		// Answered 200 with `accepted: 0`: the trigger had already taken a later status of the message
		// (a retry of `delivered` that arrives after `read`), which it ignores by design.
		const taken = new Set(posts.filter((d) => d.statusCode === 200 && acceptedIn(d) > 0).map(keyOf));
		const ignored = [...acknowledged].filter((key) => !taken.has(key));
		const refused = posts.filter((d) => d.statusCode !== 200);
		const heldBy = new Map<string, Execution[]>();
		for (const execution of executions) {
			for (const item of startItems(execution, '1MSG Trigger') as Item[]) {
				const key = `${item.messageId}:${item.status}`;
				heldBy.set(key, [...(heldBy.get(key) ?? []), execution]);
			}
		}
		const lost = [...taken].filter((key) => !heldBy.has(key));
		const crashed = executions.filter((e) => e.status === 'crashed');
		const crashedHolding = crashed.filter((e) => startItems(e, '1MSG Trigger').length > 0);
		const twice = [...heldBy.values()].filter((runs) => runs.length > 1).length;
		const never = keys.filter((key) => !acknowledged.has(key));
		console.log(
			`[n8n ${n8n.runtime.version}] SIGKILL during ${keys.length} statuses (${MESSAGES} messages × ${STATUSES.join('/')}), back ${(backAfterMs / 1000).toFixed(1)} s later: ` +
				`posts ${posts.length} (2xx ${posts.length - refused.length}, non-2xx or no answer ${refused.length}), statuses acknowledged ${acknowledged.size} (${answeredBeforeKill} before the kill; taken ${taken.size}, ignored as older than a status already taken ${ignored.length}), ` +
				`never acknowledged ${never.length}; executions ${executions.length} (success ${executions.filter((e) => e.status === 'success').length}, crashed ${crashed.length}, ` +
				`of them holding the trigger's items ${crashedHolding.length}); taken but in no execution (lost) ${lost.length}; statuses in two executions ${twice}`,
		);

		expect(never).toEqual([]);
		expect(refused.length).toBeGreaterThan(0);
		if (n8n.runtime.publishes) {
			expect(lost).toEqual([]);
			expect(crashed.length).toBe(crashedHolding.length);
		}

		// What the execution list's Retry does with a crashed run, of both kinds n8n leaves: cut off
		// before the trigger's output was recorded, and rebuilt by n8n's crash recovery from its event
		// log (the trigger's output shown as a placeholder item).
		const placeholder = (e: Execution) => (e.runData['1MSG Trigger']?.[0]?.data?.main?.[0] ?? []).some((item: { json: Item }) => item.json.isArtificialRecoveredEventItem === true);
		const kinds = [
			{ kind: 'no trigger output recorded', victim: crashedHolding.find((e) => !e.runData['1MSG Trigger']) },
			{ kind: 'trigger output rebuilt as a placeholder', victim: crashedHolding.find(placeholder) },
		];
		let count = executions.length;
		for (const { kind, victim } of kinds) {
			if (!victim) {
				console.log(`[n8n ${n8n.runtime.version}] no crashed run of the kind "${kind}" this time`);
				continue;
			}
			await n8n.rest('POST', `executions/${victim.id}/retry`, { loadWorkflow: false });
			const after = await n8n.waitForExecutions(TRIGGER.id, ++count, 60_000);
			const retried = after.filter((e) => e.mode === 'retry').pop();
			const got = (retried?.runData.Hold?.[0]?.data?.main?.[0] ?? []).map((item: { json: Item }) => item.json);
			const wanted = startItems(victim, '1MSG Trigger').map((i: Item) => `${i.messageId}:${i.status}`);
			console.log(
				`[n8n ${n8n.runtime.version}] Retry of a crashed run (${kind}): ended ${retried?.status}; the next node got ${JSON.stringify(got.map((i: Item) => (i.messageId ? `${i.messageId}:${i.status}` : i)))}, the saved status was ${JSON.stringify(wanted)}`,
			);
			expect(retried?.status).toBe('success');
			expect({ kind, retriedWith: got.map((i: Item) => `${i.messageId}:${i.status}`) }).toEqual({ kind, retriedWith: wanted });
		}
	});
});

