/**
 * Waiting for a sent message's delivery outcome by polling `GET /hookInfo?messageId=`, with a
 * growing pause between polls, up to a time limit. Pure apart from the poll, pacing and clock it is
 * given, so it can be tested without waiting.
 *
 * hookInfo is in the 2023 API spec, but 1MSG's current SDK and its generated MCP tool list do not
 * have it, and 1MSG's integration guide asks integrators not to invent polling
 * (test/fixtures/contract/SOURCES.md, "hookInfo"). So a channel may well not answer it: the first
 * poll of a run finds out (HookInfoLookup), and when hookInfo is missing or answers a shape no
 * source shows, every wait of the run ends at once on No Outcome Yet with the reason, said once.
 */
import { failureOf } from '../shared/failures';
import { statusFailureOf, type StatusFailure } from '../shared/statusFailures';
import { STATUS_RANK } from '../shared/statusEvents';
import { deliveryStatusSummary, hookInfoShapeProblem, type DeliveryStatusSummary } from './deliveryStatus';

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
	/** Why there is no outcome before the time limit: hookInfo cannot be polled on this channel. */
	outcomeReason?: string;
}

/** HTTP answers saying the channel has no hookInfo method; it stays missing for the whole run. */
const MISSING_METHOD_CODES = new Set([404, 405, 410]);

/** The reason an item gets, and the run says once, when hookInfo cannot be polled. */
export function hookInfoUnavailableReason(detail: string): string {
	return `1MSG's GET /hookInfo ${detail}: delivery outcomes cannot be polled on this channel, so the items leave on No Outcome Yet without waiting. hookInfo is in 1MSG's 2023 API spec but not in its current SDK; the messages were sent, and their statuses reach a 1MSG Trigger.`;
}

/** What one poll found out about hookInfo itself. */
export type HookInfoFinding = 'answered' | 'inconclusive' | { unavailable: string };

/**
 * Whether the channel answers `GET /hookInfo`, found out once per run and shared by its waits. The
 * first poll of the run goes alone and the others wait for its answer, so a channel without
 * hookInfo gets one call, not one per message. A first poll that proves nothing (a timeout, a 5xx)
 * lets the polls go side by side from then on; any of them may still find hookInfo missing.
 */
export class HookInfoLookup {
	private state: 'unknown' | 'answers' | 'open' = 'unknown';
	private reason?: string;
	private probe?: Promise<void>;
	private endProbe?: () => void;

	/** `onUnavailable` is called once, with the reason, when hookInfo is found missing. */
	constructor(private readonly onUnavailable: (reason: string) => void = () => {}) {}

	get unavailableReason(): string | undefined {
		return this.reason;
	}

	/** Resolves when a poll may go (undefined), or with the reason hookInfo cannot be polled. */
	async turn(): Promise<string | undefined> {
		for (;;) {
			if (this.reason !== undefined) return this.reason;
			if (this.state !== 'unknown') return undefined;
			if (!this.probe) {
				// This poll is the probe; the caller must call settle() whatever happens.
				this.probe = new Promise((resolve) => (this.endProbe = resolve));
				return undefined;
			}
			await this.probe;
		}
	}

	settle(finding: HookInfoFinding): void {
		if (typeof finding === 'object') {
			if (this.reason === undefined) {
				this.reason = finding.unavailable;
				this.onUnavailable(this.reason);
			}
		} else if (finding === 'answered') {
			this.state = 'answers';
		} else if (this.state === 'unknown') {
			this.state = 'open';
		}
		const end = this.endProbe;
		this.probe = undefined;
		this.endProbe = undefined;
		end?.();
	}
}

/** What a poll's answer or error says about hookInfo. */
function findingOf(outcome: { body: unknown } | { error: unknown }): HookInfoFinding {
	if ('error' in outcome) {
		const failure = failureOf(outcome.error);
		const code = failure?.statusCode;
		if (failure && code !== undefined && MISSING_METHOD_CODES.has(code)) {
			return { unavailable: hookInfoUnavailableReason(`answered HTTP ${code} (${failure.apiMessage ?? failure.message})`) };
		}
		// A 2xx the transport read as an error (an `error` object instead of hooks) is no shape any source shows either.
		if (failure && code !== undefined && code >= 200 && code < 300) {
			return { unavailable: hookInfoUnavailableReason(`answered HTTP ${code} with an error instead of the {hooks:[…]} list (${failure.message})`) };
		}
		return 'inconclusive';
	}
	const problem = hookInfoShapeProblem(outcome.body);
	return problem === undefined ? 'answered' : { unavailable: hookInfoUnavailableReason(problem) };
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
 * Ends at once on No Outcome Yet, with `outcomeReason`, when hookInfo cannot be polled (`lookup`,
 * shared by the waits of one run).
 */
export async function waitForOutcome(
	messageId: string,
	/** One `hookInfo` read, given how long it may take: the time left, at least MIN_POLL_TIMEOUT_MS. */
	poll: (timeoutMs: number) => Promise<unknown>,
	pace: () => Promise<void>,
	policy: WaitPolicy,
	clock: WaitClock,
	lookup: HookInfoLookup = new HookInfoLookup(),
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
		const unavailable = await lookup.turn();
		if (unavailable !== undefined) return finish('noOutcomeYet', unavailable);
		let finding: HookInfoFinding = 'inconclusive';
		let body: unknown;
		try {
			if (clock.cancelled?.()) break;
			await pace();
			polls++;
			try {
				body = await poll(Math.max(MIN_POLL_TIMEOUT_MS, deadline - clock.now()));
				finding = findingOf({ body });
			} catch (error) {
				finding = findingOf({ error });
				if (finding === 'inconclusive') lastPollError = (error as Error).message ?? String(error);
			}
		} finally {
			// Always, even when pacing throws, so the waits held back by this poll go on.
			lookup.settle(finding);
		}
		if (typeof finding === 'object') return finish('noOutcomeYet', finding.unavailable);
		if (finding === 'inconclusive') continue;
		summary = deliveryStatusSummary(messageId, body);
		lastPollError = undefined;
		const outcome = outcomeOf(summary, policy.deliveredWhen);
		if (outcome) return finish(outcome);
		if (clock.now() >= deadline) break;
	}
	return finish('noOutcomeYet');

	function finish(outcome: WaitOutcome, outcomeReason?: string): WaitResult {
		return {
			outcome,
			deliveryStatus: summary?.status ?? 'unknown',
			polls,
			waitedMs: clock.now() - started,
			...(outcome === 'failed' ? { failure: statusFailureOf(summary?.error) } : {}),
			...(lastPollError ? { lastPollError } : {}),
			...(outcomeReason ? { outcomeReason } : {}),
		};
	}
}
