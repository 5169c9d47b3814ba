/**
 * The run every sending operation shares: each item checked before anything is sent for it, its key
 * claimed for Skip Messages Already Sent, then the sends with bounded concurrency, pacing and safe
 * retries, an ambiguous outcome kept as possibly sent and never resent. An operation says only how an
 * item becomes a request (`prepare`).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { OneMsgFailure } from '../shared/failures';
import { CATEGORIES, describeFailure, failureOf } from '../shared/failures';
import { Deferred, runPool } from '../shared/pool';
import { oneMsgApiRequestWithRetry } from '../shared/transport';
import type { Claim } from './alreadySent';
import { AlreadySent, readSkipPolicy } from './alreadySent';
import type { OperationRun } from './operations/types';
import { readRunOptions } from './runOptions';
import { TOOL_SKIP_DEFAULTS, isToolRun } from './toolUse';

/** Items checked between two yields to the event loop while sends are in flight. */
const CHECKS_BETWEEN_YIELDS = 5;

/** One item's send, as its operation built it once the item passed every check. */
export interface PreparedRequest {
	/** The 1MSG method, e.g. `sendTemplate` or `sendMessage`. */
	method: string;
	body: IDataObject;
	/** What makes two messages the same for Skip Messages Already Sent. */
	key: string;
	/** What the output says about the send, whether it was accepted or not. */
	summary: IDataObject;
	/** A fix more precise than the category's for a refusal of this request, if the operation knows one. */
	fixFor?: (failure: OneMsgFailure) => string | undefined;
}

/**
 * Sends every prepared item and returns the one output list. `prepare` records a failed check itself
 * (ItemResults.fail) and returns undefined; run options are read from the first item's Options.
 */
export async function runSends(
	this: IExecuteFunctions,
	{ channel, results, onAccepted }: OperationRun,
	prepare: (itemIndex: number) => Promise<PreparedRequest | undefined>,
	firstOptions: IDataObject,
): Promise<INodeExecutionData[][]> {
	const count = this.getInputData().length;
	// Without Continue On Fail every item is checked before the first send, so one bad item stops the
	// run with nothing sent. With it, items are checked in order while earlier ones are in flight:
	// the checks (mostly n8n resolving the item's expressions) then cost no time on the critical path.
	const plans = Array.from({ length: count }, () => new Deferred<PreparedRequest | undefined>());
	if (!results.continueOnFail) {
		for (let i = 0; i < count && !results.stopped; i++) plans[i].resolve(await prepare(i));
		if (results.stopped) return [results.finish()];
	} else {
		void (async () => {
			for (let i = 0; i < count; i++) {
				plans[i].resolve(await prepare(i));
				// Yield to the requests in flight now and then, so their answers are not held up.
				if (i % CHECKS_BETWEEN_YIELDS === CHECKS_BETWEEN_YIELDS - 1) await sleep(0);
			}
		})();
	}

	const run = readRunOptions(firstOptions);
	const skip = readSkipPolicy(firstOptions, isToolRun(this) ? TOOL_SKIP_DEFAULTS : undefined);
	const alreadySent = new AlreadySent(this, skip.policy, skip.window);
	// Claimed as soon as an item is checked, so the claims of many items share one store call.
	const claims = plans.map(async (plan, i): Promise<{ claim?: Claim; error?: unknown }> => {
		const prepared = await plan.promise;
		try {
			return { claim: prepared ? await alreadySent.claim(i, prepared.key) : undefined };
		} catch (error) {
			return { error };
		}
	});
	await runPool(
		count,
		async (i, pace) => {
			const prepared = await plans[i].promise;
			if (!prepared) return;
			const { summary } = prepared;
			const { claim, error: claimError } = await claims[i];
			if (claimError !== undefined) return results.fail(i, claimError, summary);
			if (claim?.skip) {
				return results.succeed(i, { messageId: claim.messageId, status: 'skipped', sent: false, key: claim.key, reason: claim.reason, ...summary });
			}
			try {
				const { body, attempts } = await oneMsgApiRequestWithRetry.call(
					this,
					{ method: 'POST', path: prepared.method, body: prepared.body, isSend: true, timeoutMs: run.timeoutMs },
					run.retry,
					channel,
					pace,
				);
				alreadySent.keep(i, typeof body.id === 'string' ? body.id : null);
				const output = {
					messageId: body.id ?? null,
					status: 'accepted',
					sent: true,
					...summary,
					...(alreadySent.enabled ? { key: prepared.key } : {}),
					attempts,
					response: body,
				};
				results.succeed(i, output);
				onAccepted?.(i, output, pace);
			} catch (error) {
				const failure = failureOf(error);
				const fix = failure && prepared.fixFor?.(failure);
				if (failure && fix) failure.description = fix;
				results.fail(i, error, summary);
				if (mayHaveBeenSent(error)) alreadySent.keep(i, null);
			}
		},
		{ concurrency: run.concurrency, maxPerSecond: run.maxPerSecond, stop: () => results.stopped },
	);
	await alreadySent.settle(results.stopped);
	results.retryResends = alreadySent.retryResends;
	return [results.finish()];
}

/** An ambiguous outcome (timeout, 5xx, queued): the message may have gone out, so its key is kept. */
function mayHaveBeenSent(error: unknown): boolean {
	return CATEGORIES[describeFailure(error).category].status === 'unknown';
}
