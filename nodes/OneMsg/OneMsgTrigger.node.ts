import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { ChannelEvent } from './shared/statusEvents';
import { parseChannelEvents } from './shared/statusEvents';
import { resolveChannelFor } from './shared/transport';
import { OUTPUTS_EXPRESSION, triggerProperties } from './trigger/description';
import { DEFAULT_EVENTS_REMEMBERED, dropRepeatsSeenElsewhere } from './trigger/crossProcessRepeats';
import { withDedupeKey } from './trigger/dedupeKey';
import { eventOutputs, outputNames } from './trigger/outputs';
import { isRegistered, register, triggerStaticData, unregister } from './trigger/registration';
import type { ProgressClaim } from './trigger/repeats';
import { forgetStatusProgress, newEvents, statusProgressFor, triggerKey } from './trigger/repeats';
import { claimedChannelOf, sameChannel, SECRET_PARAM, secretMatches } from './trigger/webhookAuth';

export class OneMsgTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: '1MSG Trigger',
		name: 'oneMsgTrigger',
		icon: { light: 'file:oneMsg.svg', dark: 'file:oneMsg.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "Statuses: " + ($parameter["statuses"] || []).join(", ") }}',
		description: 'Starts the workflow when 1MSG reports a WhatsApp delivery status (sent, delivered, read, failed)',
		defaults: { name: '1MSG Trigger' },
		inputs: [],
		outputs: OUTPUTS_EXPRESSION,
		credentials: [{ name: 'oneMsgChannelApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Empty, so n8n answers with the node's own `webhookResponse`: left out, n8n (1.x and 2.x)
				// falls back to the word 'firstEntryJson' and sends that as the body.
				responseData: '',
				path: 'webhook',
			},
		],
		properties: triggerProperties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await isRegistered.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				await register.call(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const listener = triggerStaticData(this).listener;
				await unregister.call(this);
				forgetStatusProgress(triggerKey(this, listener));
				return true;
			},
		},
	};

	/**
	 * Named steps: the secret, the channel, the new events, then the outputs. Refusals and bodies with
	 * nothing new are answered at once; a body that starts a run is answered by n8n (`webhookResponse`).
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const query = this.getQueryData() as IDataObject;
		if (!secretMatches(triggerStaticData(this).secret, query[SECRET_PARAM])) {
			res.status(401).json({ received: false, error: 'Unauthorized: missing or wrong secret' });
			return { noWebhookResponse: true };
		}

		const body = this.getBodyData() as unknown;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		if (options.checkInstanceId !== false && (await isForOtherChannel.call(this, body))) {
			res.status(200).json({ received: true, accepted: 0, ignored: 'other channel' });
			return { noWebhookResponse: true };
		}

		const includeMessages = options.includeMessages === true;
		// The editor's test listener runs its executions in manual mode.
		const listener = this.getMode() === 'manual' ? 'test' : 'production';
		const parsed = parseChannelEvents(body);
		const progress = statusProgressFor(triggerKey(this, listener));
		if (progress.anyInFlight(parsed)) {
			// An earlier post of this status is still waiting for n8n (Redis or the database away): a 503
			// makes 1MSG try again later, when the first post's outcome is known here.
			res.status(503).setHeader('Retry-After', '5');
			res.json({ received: false, accepted: 0, reason: 'an earlier post of this status is still being stored; retry later' });
			return { noWebhookResponse: true };
		}
		const claims: ProgressClaim[] = [];
		const events = newEvents(parsed, progress, { statuses: new Set(this.getNodeParameter('statuses', []) as string[]), includeMessages }, claims);
		if (events.length === 0) {
			res.status(200).json({ received: true, accepted: 0, ...ignoredNote(parsed.length) });
			return { noWebhookResponse: true };
		}
		// 1MSG keeps retrying a body until it gets a 2xx. n8n 2.x sends this answer only once the
		// execution is saved (or queued), and a 5xx when it cannot be: then the statuses must not count
		// as seen, or the retry would be dropped as a repeat and the status lost. Until n8n answers, the
		// statuses are in flight (see `anyInFlight`).
		progress.hold(claims);
		whenAnswered(res, (statusCode) => progress.settle(claims, statusCode >= 200 && statusCode < 300));
		// All events on the first list: the run's `execute` checks them for repeats, then puts each on its
		// output. (On the first list because n8n skips a node whose first input is empty in workflows
		// with the legacy execution order.)
		return {
			workflowData: [events.map((event) => ({ json: withDedupeKey(event) as unknown as IDataObject }))],
			webhookResponse: { received: true, accepted: events.length, ...ignoredNote(parsed.length - events.length) },
		};
	}

	/**
	 * The first step of every run this trigger starts, on whichever process runs it (a queue worker):
	 * drops the events another execution already ran (see `crossProcessRepeats`), then puts each event
	 * on its output.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const includeMessages = options.includeMessages === true;
		const received = receivedEvents(this, outputNames(includeMessages).length);
		const check =
			options.dropRepeats === false
				? { items: received, dropped: [] }
				: await dropRepeatsSeenElsewhere.call(this, received, Number(options.eventsRemembered) || DEFAULT_EVENTS_REMEMBERED);
		if (check.dropped.length > 0) {
			// Said where the execution list shows it: an execution that ends at the trigger with no item.
			this.customData?.set('repeatsDropped', String(check.dropped.length));
			this.customData?.set('repeatedEvents', check.dropped.join(' ').slice(0, CUSTOM_DATA_VALUE_MAX));
			this.logger?.info(`1MSG Trigger: dropped ${check.dropped.length} event(s) another execution already ran: ${check.dropped.join(', ')}`);
		}
		const outputPerStatus = this.getNodeParameter('outputPerStatus', 0, false) as boolean;
		return eventOutputs(check.items.map((item) => item.json as unknown as ChannelEvent), outputPerStatus, includeMessages);
	}
}

/** n8n keeps at most 255 characters of a custom data value. */
const CUSTOM_DATA_VALUE_MAX = 255;

/**
 * The events the webhook took, from every input list: one list now, one per output in executions
 * saved by an earlier version of this node (a Retry of one of those must not drop its later outputs).
 */
function receivedEvents(context: IExecuteFunctions, lists: number): INodeExecutionData[] {
	const items: INodeExecutionData[] = [];
	for (let i = 0; i < lists; i++) {
		try {
			items.push(...context.getInputData(i));
		} catch {
			break;
		}
	}
	return items;
}

/**
 * Calls `settled` with the status code n8n answers with, once. The answer is watched at `end` rather
 * than at the socket: 1MSG may have hung up already (its timeout), while n8n still goes on to save
 * the execution and answers into the closed socket; that answer tells whether the run exists.
 */
function whenAnswered(res: ReturnType<IWebhookFunctions['getResponseObject']>, settled: (statusCode: number) => void): void {
	const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
	let done = false;
	res.end = ((...args: unknown[]) => {
		if (!done) {
			done = true;
			settled(res.statusCode);
		}
		return end(...args);
	}) as typeof res.end;
}

/** Why events of a body started nothing: said in the answer, so 1MSG's logs and test posts show it. */
function ignoredNote(ignored: number): IDataObject {
	return ignored > 0 ? { ignored, reason: 'already received, older than a status already received, or not selected' } : {};
}

/** A body naming another channel than the credential's is not for this trigger. */
async function isForOtherChannel(this: IWebhookFunctions, body: unknown): Promise<boolean> {
	const claimed = claimedChannelOf(body);
	if (claimed === '') return false;
	const channel = await resolveChannelFor.call(this);
	return !sameChannel(channel.channelId, claimed);
}
