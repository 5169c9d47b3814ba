/**
 * Waiting for a sent message's delivery outcome by polling `GET /hookInfo?messageId=`, with a
 * growing pause between polls, up to a time limit. Pure apart from the poll, pacing and clock it is
 * given, so it can be tested without waiting.
 */
import { statusFailureOf, type StatusFailure } from '../shared/statusFailures';
import { STATUS_RANK } from '../shared/statusEvents';
import { deliveryStatusSummary, type DeliveryStatusSummary } from './deliveryStatus';

export type WaitOutcome = 'delivered' | 'failed' | 'noOutcomeYet';

/** The status a message must reach to count as delivered. */
export type DeliveredWhen = 'delivered' | 'read';

export interface WaitPolicy {
	timeLimitMs: number;
	deliveredWhen: DeliveredWhen;
	/** The pause before the first poll; each next pause grows by `growth`, up to `maxDelayMs`. */
	firstDelayMs: number;
	maxDelayMs: number;
	growth: number;
}

/** Statuses usually arrive within seconds: poll soon, then less often, so long waits cost few polls. */
export const POLL_BACKOFF = { firstDelayMs: 1000, maxDelayMs: 5000, growth: 1.5 };

export interface WaitClock {
	now(): number;
	sleep(ms: number): Promise<void>;
	/** True once the wait should end early (the execution was cancelled or the run failed). */
	cancelled?(): boolean;
}

/** The shortest timeout a poll gets, even at the time limit: a poll never holds the wait longer. */
export const MIN_POLL_TIMEOUT_MS = 2000;

export interface WaitResult {
	outcome: WaitOutcome;
	/** The furthest status 1MSG reported, `unknown` when it reported none. */
	deliveryStatus: DeliveryStatusSummary['status'];
	polls: number;
	waitedMs: number;
	/** Set for a failed delivery: why, as a category, Meta code and reason. */
	failure?: StatusFailure;
	/** The last poll that failed, when the last one did; polling goes on until the limit regardless. */
	lastPollError?: string;
}

/** What a summary of `hookInfo` means for the wait: an outcome, or none yet. */
export function outcomeOf(summary: DeliveryStatusSummary, deliveredWhen: DeliveredWhen): WaitOutcome | undefined {
	if (summary.status === 'unknown') return undefined;
	if (STATUS_RANK[summary.status] >= STATUS_RANK[deliveredWhen]) return 'delivered';
	if (summary.status === 'failed') return 'failed';
	return undefined;
}

/** The pauses before each poll, the last one landing on the time limit: 1 s, 1.5 s, 2.25 s … 5 s. */
export function pollDelays(policy: Omit<WaitPolicy, 'deliveredWhen'>): number[] {
	const delays: number[] = [];
	let elapsed = 0;
	let delay = policy.firstDelayMs;
	while (elapsed < policy.timeLimitMs) {
		const step = Math.min(delay, policy.timeLimitMs - elapsed);
		delays.push(step);
		elapsed += step;
		delay = Math.min(policy.maxDelayMs, delay * policy.growth);
	}
	return delays;
}

/**
 * Polls until the message is delivered (as `deliveredWhen` says) or failed, or the time limit is
 * reached. Each poll first waits for `pace`, so polls keep to the run's Max Messages per Second.
 */
export async function waitForOutcome(
	messageId: string,
	/** One `hookInfo` read, given how long it may take: the time left, at least MIN_POLL_TIMEOUT_MS. */
	poll: (timeoutMs: number) => Promise<unknown>,
	pace: () => Promise<void>,
	policy: WaitPolicy,
	clock: WaitClock,
): Promise<WaitResult> {
	const started = clock.now();
	const deadline = started + policy.timeLimitMs;
	let polls = 0;
	let summary: DeliveryStatusSummary | undefined;
	let lastPollError: string | undefined;
	for (const delay of pollDelays(policy)) {
		// A slow poll delays the next one, never the time limit.
		const target = Math.min(deadline, clock.now() + delay);
		await clock.sleep(Math.max(0, target - clock.now()));
		if (clock.cancelled?.()) break;
		await pace();
		polls++;
		try {
			summary = deliveryStatusSummary(messageId, await poll(Math.max(MIN_POLL_TIMEOUT_MS, deadline - clock.now())));
			lastPollError = undefined;
		} catch (error) {
			lastPollError = (error as Error).message ?? String(error);
			continue;
		}
		const outcome = outcomeOf(summary, policy.deliveredWhen);
		if (outcome) return finish(outcome);
		if (clock.now() >= deadline) break;
	}
	return finish('noOutcomeYet');

	function finish(outcome: WaitOutcome): WaitResult {
		return {
			outcome,
			deliveryStatus: summary?.status ?? 'unknown',
			polls,
			waitedMs: clock.now() - started,
			...(outcome === 'failed' ? { failure: statusFailureOf(summary?.error) } : {}),
			...(lastPollError ? { lastPollError } : {}),
		};
	}
}
