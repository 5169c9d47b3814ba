import { HookInfoLookup, POLL_BACKOFF, outcomeOf, pollDelays, waitForOutcome, type WaitPolicy } from '../../../../nodes/OneMsg/template/outcomeWait';
import { deliveryStatusSummary, hookInfoShapeProblem } from '../../../../nodes/OneMsg/template/deliveryStatus';
import { failureFromResponse } from '../../../../nodes/OneMsg/shared/apiAnswers';
import { toNodeApiError } from '../../../../nodes/OneMsg/shared/transport';
import { TEST_NODE } from '../../../helpers/context';
import spec2023 from '../../../fixtures/contract/spec-2023-webhook-settings.json';
import { WAMID } from '../../../fixtures/webhookBodies';

/** A clock whose sleeps pass at once, so the waits are tested without waiting. */
function virtualClock() {
	let now = 0;
	return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

const record = (status: string, extra: Record<string, unknown> = {}) => ({
	id: WAMID,
	type: 'message',
	status,
	timestamp: '1750263773',
	recipient_id: '79991234567',
	...extra,
});

/** hookInfo's answers as the history of a message grows: each entry is [from ms, statuses so far]. */
function history(steps: Array<[number, string[]]>, clock: { now(): number }) {
	return async () => {
		const reached = steps.filter(([at]) => clock.now() >= at).pop();
		return {
			hooks: (reached?.[1] ?? []).map((status) =>
				status === 'failed' ? record(status, { errors: [{ title: "User's number is part of an experiment" }] }) : record(status),
			),
		};
	};
}

const policy = (timeLimitMs: number, deliveredWhen: WaitPolicy['deliveredWhen'] = 'delivered'): WaitPolicy => ({
	timeLimitMs,
	deliveredWhen,
	...POLL_BACKOFF,
});

describe('pollDelays', () => {
	it('starts at 1 s, grows to 5 s and ends on the time limit', () => {
		const delays = pollDelays(policy(20_000));
		expect(delays.slice(0, 4)).toEqual([1000, 1500, 2250, 3375]);
		expect(Math.max(...delays)).toBe(5000);
		expect(delays.reduce((sum, delay) => sum + delay, 0)).toBe(20_000);
	});
});

describe('outcomeOf', () => {
	const summary = (...statuses: string[]) => deliveryStatusSummary(WAMID, { hooks: statuses.map((status) => record(status)) });
	it('counts delivered or read as delivered, or only read when asked', () => {
		expect(outcomeOf(summary('sent', 'delivered'), 'delivered')).toBe('delivered');
		expect(outcomeOf(summary('sent', 'delivered'), 'read')).toBeUndefined();
		expect(outcomeOf(summary('sent', 'delivered', 'read'), 'read')).toBe('delivered');
	});
	it('has no outcome while only sent, and failed once failed', () => {
		expect(outcomeOf(summary('sent'), 'delivered')).toBeUndefined();
		expect(outcomeOf(summary(), 'delivered')).toBeUndefined();
		expect(outcomeOf(summary('sent', 'failed'), 'delivered')).toBe('failed');
	});
});

describe('waitForOutcome', () => {
	const pace = async () => {};

	it('returns delivered at the first poll after the status arrives', async () => {
		const clock = virtualClock();
		const result = await waitForOutcome(WAMID, history([[0, ['sent']], [3000, ['sent', 'delivered']]], clock), pace, policy(60_000), clock);
		expect(result).toMatchObject({ outcome: 'delivered', deliveryStatus: 'delivered', polls: 3, waitedMs: 4750 });
	});

	it('returns failed with the category, Meta code and reason of the failure', async () => {
		const clock = virtualClock();
		const result = await waitForOutcome(WAMID, history([[0, ['sent']], [2000, ['sent', 'failed']]], clock), pace, policy(60_000), clock);
		expect(result.outcome).toBe('failed');
		expect(result.failure).toEqual({
			category: 'recipient_unreachable',
			metaCode: 130472,
			failureReason: "User's number is part of an experiment",
		});
	});

	it('gives up at the time limit with no outcome yet, and the last status seen', async () => {
		const clock = virtualClock();
		const result = await waitForOutcome(WAMID, history([[0, ['sent']]], clock), pace, policy(10_000), clock);
		expect(result).toMatchObject({ outcome: 'noOutcomeYet', deliveryStatus: 'sent', waitedMs: 10_000, polls: pollDelays(policy(10_000)).length });
	});

	it('waits past delivered when only read counts', async () => {
		const clock = virtualClock();
		const steps: Array<[number, string[]]> = [[0, ['sent', 'delivered']], [8000, ['sent', 'delivered', 'read']]];
		const result = await waitForOutcome(WAMID, history(steps, clock), pace, policy(60_000, 'read'), clock);
		expect(result).toMatchObject({ outcome: 'delivered', deliveryStatus: 'read' });
		expect(result.waitedMs).toBeGreaterThanOrEqual(8000);
	});

	it('keeps polling through a failed poll and says so only while the polls still fail', async () => {
		const clock = virtualClock();
		let calls = 0;
		const flaky = async () => {
			calls++;
			if (calls <= 2) throw new Error('No answer from 1MSG (ETIMEDOUT)');
			return { hooks: [record('sent'), record('delivered')] };
		};
		const result = await waitForOutcome(WAMID, flaky, pace, policy(60_000), clock);
		expect(result).toMatchObject({ outcome: 'delivered', polls: 3 });
		expect(result).not.toHaveProperty('lastPollError');
		const down = await waitForOutcome(WAMID, async () => Promise.reject(new Error('down')), pace, policy(3000), virtualClock());
		expect(down).toMatchObject({ outcome: 'noOutcomeYet', deliveryStatus: 'unknown', lastPollError: 'down' });
	});

	it('gives each poll the time left as its timeout, never less than the minimum', async () => {
		const clock = virtualClock();
		const timeouts: number[] = [];
		const never = history([[0, ['sent']]], clock);
		await waitForOutcome(WAMID, async (timeoutMs) => (timeouts.push(timeoutMs), never()), pace, policy(10_000), clock);
		expect(timeouts).toEqual([9000, 7500, 5250, 2000, 2000]);
	});

	it('ends early with no outcome once cancelled, without polling again', async () => {
		const clock = virtualClock();
		let cancelled = false;
		const never = history([[0, ['sent']]], clock);
		const poll = async () => {
			cancelled = true;
			return never();
		};
		const result = await waitForOutcome(WAMID, poll, pace, policy(60_000), { ...clock, cancelled: () => cancelled });
		expect(result).toMatchObject({ outcome: 'noOutcomeYet', polls: 1 });
	});

	it('takes a pacing slot before every poll', async () => {
		const clock = virtualClock();
		let slots = 0;
		const result = await waitForOutcome(WAMID, history([[0, ['sent']]], clock), async () => void slots++, policy(5000), clock);
		expect(slots).toBe(result.polls);
	});
});

/** The error the transport throws for an HTTP answer, e.g. 404 `{error:'Method not found'}`. */
function httpError(statusCode: number, body: unknown): Error {
	return toNodeApiError(TEST_NODE, failureFromResponse({ statusCode, body, headers: {}, isSend: false })!);
}

describe('hookInfo answers', () => {
	it("reads the 2023 spec's GetAckInfo shape, {hooks:[…]}, and nothing else", () => {
		// test/fixtures/contract/spec-2023-webhook-settings.json: the only hookInfo answer any source shows.
		const getAckInfo = spec2023.fixtures.find((fixture) => fixture.name.startsWith('GET /hookInfo'))!.body;
		expect(hookInfoShapeProblem(getAckInfo)).toBeUndefined();
		expect(hookInfoShapeProblem({ hooks: [] })).toBeUndefined();
		expect(hookInfoShapeProblem({ ack: [record('sent')] })).toMatch(/without the \{hooks:\[…\]\} list .*\(keys: ack\)/);
		expect(hookInfoShapeProblem({ raw: '<html>' })).toMatch(/keys: raw/);
		expect(hookInfoShapeProblem([])).toMatch(/an array/);
		expect(hookInfoShapeProblem({})).toMatch(/an empty object/);
	});
});

describe('a channel whose hookInfo cannot be polled', () => {
	const pace = async () => {};

	it('ends every wait of the run on No Outcome Yet with the reason after one hookInfo call answering 404, said once', async () => {
		const clock = virtualClock();
		const said: string[] = [];
		const lookup = new HookInfoLookup((reason) => said.push(reason));
		let calls = 0;
		const missing = async () => {
			calls++;
			throw httpError(404, { error: 'Method not found' });
		};
		const results = await Promise.all(
			Array.from({ length: 5 }, () => waitForOutcome(WAMID, missing, pace, policy(60_000), clock, lookup)),
		);
		expect(calls).toBe(1);
		expect(said).toEqual([expect.stringMatching(/^1MSG's GET \/hookInfo answered HTTP 404 \(Method not found\): delivery outcomes cannot be polled/)]);
		for (const result of results) {
			expect(result).toMatchObject({ outcome: 'noOutcomeYet', deliveryStatus: 'unknown', outcomeReason: said[0] });
			expect(result).not.toHaveProperty('lastPollError');
			// It left at its first poll, not at the time limit.
			expect(result.waitedMs).toBeLessThan(60_000);
		}
		expect(results.map((result) => result.polls).sort()).toEqual([0, 0, 0, 0, 1]);
	});

	it('ends on No Outcome Yet when hookInfo answers a shape no source shows, naming its keys', async () => {
		const clock = virtualClock();
		const said: string[] = [];
		const result = await waitForOutcome(WAMID, async () => ({ result: 'ok', messageId: WAMID }), pace, policy(60_000), clock, new HookInfoLookup((r) => said.push(r)));
		expect(result).toMatchObject({ outcome: 'noOutcomeYet', polls: 1, waitedMs: 1000 });
		expect(result.outcomeReason).toMatch(/answered without the \{hooks:\[…\]\} list the 2023 API spec shows \(keys: result, messageId\)/);
		expect(said).toHaveLength(1);
	});

	it('takes an HTTP 200 carrying an error object instead of hooks for an answer no source shows', async () => {
		const clock = virtualClock();
		const errorObject = async () => {
			throw httpError(200, { error: { message: 'Unknown method' } });
		};
		const result = await waitForOutcome(WAMID, errorObject, pace, policy(60_000), clock, new HookInfoLookup());
		expect(result).toMatchObject({ outcome: 'noOutcomeYet', polls: 1 });
		expect(result.outcomeReason).toMatch(/answered HTTP 200 with an error instead of the \{hooks:\[…\]\} list \(Unknown method\)/);
	});

	it('does not take a timeout or a 5xx for a missing hookInfo: the polls go on, side by side', async () => {
		const clock = virtualClock();
		const said: string[] = [];
		const lookup = new HookInfoLookup((reason) => said.push(reason));
		let calls = 0;
		const flaky = async () => {
			calls++;
			if (calls === 1) throw httpError(502, { error: 'Bad Gateway' });
			return { hooks: [record('sent'), record('delivered')] };
		};
		const results = await Promise.all([1, 2, 3].map(() => waitForOutcome(WAMID, flaky, pace, policy(60_000), clock, lookup)));
		expect(results.map((result) => result.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
		expect(said).toEqual([]);
		expect(lookup.unavailableReason).toBeUndefined();
	});

	it('holds the other waits only for the first poll, then lets them poll as usual', async () => {
		const clock = virtualClock();
		const lookup = new HookInfoLookup();
		const seen: number[] = [];
		const never = history([[0, ['sent']]], clock);
		const poll = async () => (seen.push(clock.now()), never());
		const results = await Promise.all([1, 2].map(() => waitForOutcome(WAMID, poll, pace, policy(5000), clock, lookup)));
		expect(results.map((result) => result.outcome)).toEqual(['noOutcomeYet', 'noOutcomeYet']);
		expect(results.every((result) => result.polls > 1 && result.outcomeReason === undefined)).toBe(true);
	});

	it('lets the held waits go when the first poll stops with an error of its own', async () => {
		const clock = virtualClock();
		const lookup = new HookInfoLookup();
		let paced = 0;
		const pacing = async () => {
			if (++paced === 1) throw new Error('run stopped');
		};
		const answered = async () => ({ hooks: [record('sent'), record('delivered')] });
		const settled = await Promise.allSettled([
			waitForOutcome(WAMID, answered, pacing, policy(60_000), clock, lookup),
			waitForOutcome(WAMID, answered, pacing, policy(60_000), clock, lookup),
		]);
		expect(settled.filter((wait) => wait.status === 'rejected')).toHaveLength(1);
		expect(settled.filter((wait) => wait.status === 'fulfilled')).toEqual([{ status: 'fulfilled', value: expect.objectContaining({ outcome: 'delivered' }) }]);
	});
});
