import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { parseChannelEvents } from './shared/statusEvents';
import { resolveChannelFor } from './shared/transport';
import { OUTPUTS_EXPRESSION, triggerProperties } from './trigger/description';
import { withDedupeKey } from './trigger/dedupeKey';
import { eventOutputs } from './trigger/outputs';
import { isRegistered, register, triggerStaticData, unregister } from './trigger/registration';
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
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
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

	/** Named steps: the secret, the channel, the new events, then the outputs; each refusal is answered at once. */
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
		const events = newEvents(parseChannelEvents(body), statusProgressFor(triggerKey(this, listener)), {
			statuses: new Set(this.getNodeParameter('statuses', []) as string[]),
			includeMessages,
		});
		res.status(200).json({ received: true, accepted: events.length });
		if (events.length === 0) return { noWebhookResponse: true };
		const outputPerStatus = this.getNodeParameter('outputPerStatus', false) as boolean;
		return { workflowData: eventOutputs(events.map(withDedupeKey), outputPerStatus, includeMessages), noWebhookResponse: true };
	}
}

/** A body naming another channel than the credential's is not for this trigger. */
async function isForOtherChannel(this: IWebhookFunctions, body: unknown): Promise<boolean> {
	const claimed = claimedChannelOf(body);
	if (claimed === '') return false;
	const channel = await resolveChannelFor.call(this);
	return !sameChannel(channel.channelId, claimed);
}
