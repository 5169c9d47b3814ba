import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeConnectionTypes, sleep } from 'n8n-workflow';

import { oneMsgApiRequest } from '../../shared/transport';
import type { DeliveredWhen, WaitOutcome, WaitResult } from '../outcomeWait';
import { HookInfoLookup, POLL_BACKOFF, waitForOutcome } from '../outcomeWait';
import { sendTemplate } from './sendTemplate';
import type { TemplateOperation } from './types';

export const SEND_AND_WAIT = 'sendAndWait';

/** The outputs of Send and Wait, in order; the editor's outputs and the routing are both built from it. */
export const WAIT_OUTPUTS: Record<WaitOutcome, { name: string; description: string }> = {
	delivered: { name: 'Delivered', description: 'The message reached the phone (or was read, as Counts as Delivered says)' },
	failed: {
		name: 'Failed',
		description: 'The send was refused, or WhatsApp could not deliver the message; category and failureReason say why',
	},
	noOutcomeYet: {
		name: 'No Outcome Yet',
		description: 'The time limit was reached first, or the channel cannot be polled for outcomes (outcomeReason says why); the message may still arrive',
	},
};

/** The outcomes in output order. */
export const OUTCOMES = Object.keys(WAIT_OUTPUTS) as WaitOutcome[];

/** The node's outputs in the editor: the three outcomes for Send and Wait, one output otherwise. */
export const TEMPLATE_OUTPUTS_EXPRESSION: `={{${string}}}` = `={{ $parameter.operation === "${SEND_AND_WAIT}" ? [${OUTCOMES.map(
	(outcome) => `{ type: "${NodeConnectionTypes.Main}", displayName: "${WAIT_OUTPUTS[outcome].name}" }`,
).join(', ')}] : ["${NodeConnectionTypes.Main}"] }}`;

/** The longest wait allowed, in seconds: an execution should not be held for long. */
export const MAX_WAIT_SECONDS = 600;

const timeLimitField: INodeProperties = {
	displayName: 'Time Limit (Seconds)',
	name: 'waitTimeLimit',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_WAIT_SECONDS },
	default: 60,
	description: `How long to wait for each message's outcome after 1MSG accepts it, at most ${MAX_WAIT_SECONDS} seconds. Messages wait at the same time, so the run takes about this long, not this long per item.`,
};

const waitFields: INodeProperties[] = [
	timeLimitField,
	{
		displayName: 'Counts as Delivered',
		name: 'deliveredWhen',
		type: 'options',
		options: [
			{ name: 'Delivered or Read', value: 'delivered', description: 'The message reached the phone' },
			{ name: 'Read', value: 'read', description: 'The customer opened the message' },
		],
		default: 'delivered',
		description: 'Which status sends an item to the Delivered output',
	},
];

/** Polls of messages sent in an earlier run come after every send of this one, so they need no pacing slot. */
const unpaced = async (): Promise<void> => {};

/** The time limit as set, within 1 s and the maximum. */
function timeLimitMs(seconds: unknown): number {
	const value = Number(seconds);
	return Math.min(MAX_WAIT_SECONDS, Number.isFinite(value) && value > 0 ? value : (timeLimitField.default as number)) * 1000;
}

/** The fields of one wait outcome in the output item; a failed delivery also says why. */
function waitFieldsOf(result: WaitResult): IDataObject {
	return {
		outcome: result.outcome,
		deliveryStatus: result.deliveryStatus,
		...(result.failure ?? {}),
		polls: result.polls,
		waitedMs: result.waitedMs,
		...(result.lastPollError ? { lastPollError: result.lastPollError } : {}),
		...(result.outcomeReason ? { outcomeReason: result.outcomeReason } : {}),
	};
}

/**
 * Sends as Send Template does, then waits for each accepted message's outcome by polling
 * `hookInfo`. The waits run side by side and hold no send slot; their polls share the run's pacing.
 * A send that fails never waits: with Continue On Fail it goes to Failed with its send category,
 * without it the run stops as for Send Template. Each item keeps its input fields.
 */
export const sendAndWait: TemplateOperation = {
	option: {
		name: 'Send and Wait for Outcome',
		value: SEND_AND_WAIT,
		description: 'Send a template, then wait for it to be delivered or to fail, within a time limit',
		action: 'Send a template and wait for its outcome',
	},
	fields: [...sendTemplate.fields, ...waitFields],
	async execute(run) {
		const { channel } = run;
		const waits = new Map<number, Promise<WaitResult>>();
		// Waits end early when the execution is cancelled, or when the run stops on a failed send.
		const cancelSignal = this.getExecutionCancelSignal?.();
		let runFailed = false;
		const clock = { now: () => Date.now(), sleep, cancelled: () => runFailed || cancelSignal?.aborted === true };
		// Read before any send: a wait setting that cannot be read then stops the run with nothing sent,
		// never turns an accepted message into a failed item.
		const policies = this.getInputData().map((_item, i) => ({
			timeLimitMs: timeLimitMs(this.getNodeParameter('waitTimeLimit', i, timeLimitField.default)),
			deliveredWhen: this.getNodeParameter('deliveredWhen', i, 'delivered') as DeliveredWhen,
			...POLL_BACKOFF,
		}));
		const pollOf = (messageId: string) => (timeoutMs: number) =>
			oneMsgApiRequest.call(this, { method: 'GET', path: 'hookInfo', qs: { messageId }, timeoutMs }, channel);
		// One finding per run about hookInfo itself (1MSG's current API may not have it): said once, in
		// the log and as a note on the node's output, while every item carries it as outcomeReason.
		const lookup = new HookInfoLookup((reason) => {
			this.logger?.warn(`1MSG Template: ${reason}`);
			this.addExecutionHints?.({ message: reason, type: 'warning', location: 'outputPane' });
		});
		const sending = sendTemplate.execute.call(this, {
			...run,
			onAccepted: (i, output, pace) => {
				const messageId = String(output.messageId ?? '');
				waits.set(i, waitForOutcome(messageId, pollOf(messageId), pace, policies[i], clock, lookup));
			},
		});
		const [sent] = await sending.catch((error: unknown) => {
			runFailed = true;
			throw error;
		});
		// A message skipped as already sent went out in an earlier run: wait for that message's outcome when
		// its id is known (polls only, nothing is sent); without an id its outcome cannot be looked up here.
		for (const [i, item] of sent.entries()) {
			const earlierId = item.json.status === 'skipped' ? item.json.messageId : undefined;
			if (typeof earlierId !== 'string' || earlierId === '') continue;
			waits.set(i, waitForOutcome(earlierId, pollOf(earlierId), unpaced, policies[i], clock, lookup));
		}
		const input = this.getInputData();
		const outputs: INodeExecutionData[][] = OUTCOMES.map(() => []);
		for (const [i, item] of sent.entries()) {
			const wait = waits.get(i);
			const result = wait
				? waitFieldsOf(await wait)
				: item.json.status === 'skipped'
					? { outcome: 'noOutcomeYet' satisfies WaitOutcome, deliveryStatus: 'unknown' }
					: { outcome: 'failed' satisfies WaitOutcome, stage: 'send' };
			const json = { ...input[i].json, ...item.json, ...result };
			outputs[OUTCOMES.indexOf(json.outcome as WaitOutcome)].push({ json, pairedItem: { item: i } });
		}
		return outputs;
	},
};
