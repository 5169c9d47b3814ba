import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes } from 'n8n-workflow';

import type { ChannelEvent, DeliveryStatus } from './shared/statusEvents';
import { DELIVERY_STATUSES, parseChannelEvents } from './shared/statusEvents';
import { oneMsgApiRequest, resolveChannelFor } from './shared/transport';
import { forgetStatusProgress, statusProgressFor } from './trigger/repeats';
import { generateWebhookSecret, sameChannel, SECRET_PARAM, secretMatches, urlWithSecret } from './trigger/webhookAuth';
import { addOurUrl, MAX_WEBHOOK_URLS, webhookUrlsOf, withoutOurUrl } from './trigger/webhookList';

interface TriggerStaticData extends IDataObject {
	secret?: string;
	registeredUrl?: string;
	/** True only when this trigger switched delivery statuses on, so `delete` may switch them off. */
	ackEnabledByTrigger?: boolean;
}

const OUTPUT_NAMES: Record<DeliveryStatus, string> = {
	sent: 'Sent',
	delivered: 'Delivered',
	read: 'Read',
	failed: 'Failed',
};

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
		outputs: `={{ $parameter.outputPerStatus ? [${DELIVERY_STATUSES.map(
			(status) => `{ type: "${NodeConnectionTypes.Main}", displayName: "${OUTPUT_NAMES[status]}" }`,
		).join(', ')}].concat($parameter.options?.includeMessages ? [{ type: "${NodeConnectionTypes.Main}", displayName: "Incoming Message" }] : []) : ["${NodeConnectionTypes.Main}"] }}`,
		credentials: [{ name: 'oneMsgChannelApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"On activation this trigger adds its URL to the channel's webhook list (keeping the other URLs) and turns delivery statuses on; on deactivation it removes only its own URL.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: [
					{ name: 'Delivered', value: 'delivered', description: 'The message reached the phone' },
					{ name: 'Failed', value: 'failed', description: 'WhatsApp could not deliver the message; the error says why' },
					{ name: 'Read', value: 'read', description: 'The customer opened the message' },
					{ name: 'Sent', value: 'sent', description: 'WhatsApp accepted the message for delivery' },
				],
				default: ['sent', 'delivered', 'read', 'failed'],
				description: 'Which delivery statuses start the workflow',
			},
			{
				displayName: 'One Output per Status',
				name: 'outputPerStatus',
				type: 'boolean',
				default: false,
				description:
					'Whether to give each status its own output (Sent, Delivered, Read, Failed), so failed deliveries can be wired straight to a fallback',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Ignore Other Channels',
						name: 'checkInstanceId',
						type: 'boolean',
						default: true,
						description:
							"Whether to ignore requests whose instanceId names a channel other than the credential's",
					},
					{
						displayName: 'Include Incoming Messages',
						name: 'includeMessages',
						type: 'boolean',
						default: false,
						description:
							'Whether to also emit messages customers send (event "message"), e.g. quick-reply answers to a template',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
				if (!staticData.secret) return false;
				const ourUrl = urlWithSecret(this.getNodeWebhookUrl('default') as string, staticData.secret);
				const list = webhookUrlsOf(await oneMsgApiRequest.call(this, { method: 'GET', path: 'webhook' }));
				if (!list.includes(ourUrl)) return false;
				const settings = await oneMsgApiRequest.call(this, { method: 'GET', path: 'settings' });
				return settings.ackNotificationsOn === true;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
				const baseUrl = this.getNodeWebhookUrl('default') as string;
				// Kept across a refused activation, so the URL quoted in the error stays valid once added by hand.
				staticData.secret ??= generateWebhookSecret();
				const ourUrl = urlWithSecret(baseUrl, staticData.secret);
				const channel = await resolveChannelFor.call(this);

				// Read the list right before writing it: POST /webhook replaces the whole list.
				const list = webhookUrlsOf(await oneMsgApiRequest.call(this, { method: 'GET', path: 'webhook' }, channel));
				if (!list.includes(ourUrl)) {
					const added = addOurUrl(list, baseUrl, ourUrl);
					if (!added.ok) {
						throw new NodeApiError(this.getNode(), { webhookUrl: added.others } as unknown as JsonObject, {
							// n8n shows only the message when an activation fails, so the URL to add by hand is in it.
							message: `The channel already has ${added.others.length} webhook URLs, the most 1MSG allows (${MAX_WEBHOOK_URLS}). Remove one in the 1MSG dashboard, or add this trigger's URL there by hand: ${ourUrl}`,
							description: `Remove a URL you no longer use in the 1MSG dashboard and activate again, or add this trigger's URL there by hand: ${ourUrl}`,
						});
					}
					await oneMsgApiRequest.call(this, { method: 'POST', path: 'webhook', body: { webhookUrl: added.list } }, channel);
				}

				const settings = await oneMsgApiRequest.call(this, { method: 'GET', path: 'settings' }, channel);
				if (settings.ackNotificationsOn !== true) {
					await oneMsgApiRequest.call(
						this,
						{ method: 'POST', path: 'settings', body: { ackNotificationsOn: true } },
						channel,
					);
					staticData.ackEnabledByTrigger = true;
				}
				staticData.registeredUrl = ourUrl;
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
				const baseUrl = this.getNodeWebhookUrl('default') as string;
				const channel = await resolveChannelFor.call(this);
				const list = webhookUrlsOf(await oneMsgApiRequest.call(this, { method: 'GET', path: 'webhook' }, channel));
				const remaining = withoutOurUrl(list, baseUrl);
				if (remaining.length !== list.length) {
					// An empty list is cleared through settings; POST /webhook wants at least one URL.
					if (remaining.length === 0) {
						await oneMsgApiRequest.call(this, { method: 'POST', path: 'settings', body: { webhookUrl: '' } }, channel);
					} else {
						await oneMsgApiRequest.call(this, { method: 'POST', path: 'webhook', body: { webhookUrl: remaining } }, channel);
					}
				}
				if (staticData.ackEnabledByTrigger) {
					await oneMsgApiRequest.call(
						this,
						{ method: 'POST', path: 'settings', body: { ackNotificationsOn: false } },
						channel,
					);
				}
				delete staticData.secret;
				delete staticData.registeredUrl;
				delete staticData.ackEnabledByTrigger;
				forgetStatusProgress(triggerKey(this));
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
		const query = this.getQueryData() as IDataObject;
		if (!secretMatches(staticData.secret, query[SECRET_PARAM])) {
			res.status(401).json({ received: false, error: 'Unauthorized: missing or wrong secret' });
			return { noWebhookResponse: true };
		}

		const body = this.getBodyData() as unknown;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const instanceId =
			typeof body === 'object' && body !== null && !Array.isArray(body)
				? (body as IDataObject).instanceId
				: undefined;
		const claimedChannel =
			typeof instanceId === 'number' ? String(instanceId) : typeof instanceId === 'string' ? instanceId.trim() : '';
		if (options.checkInstanceId !== false && claimedChannel !== '') {
			const channel = await resolveChannelFor.call(this);
			if (!sameChannel(channel.channelId, claimedChannel)) {
				res.status(200).json({ received: true, accepted: 0, ignored: 'other channel' });
				return { noWebhookResponse: true };
			}
		}

		const wanted = new Set(this.getNodeParameter('statuses', []) as string[]);
		const includeMessages = options.includeMessages === true;
		const progress = statusProgressFor(triggerKey(this));
		const events = parseChannelEvents(body).filter((event) => {
			if (event.event === 'message') return includeMessages;
			// Repeats and backward steps are dropped even for statuses not selected, so progress stays true.
			return progress.advance(event.messageId, event.status) && wanted.has(event.status);
		});

		res.status(200).json({ received: true, accepted: events.length });
		if (events.length === 0) return { noWebhookResponse: true };
		return { workflowData: toOutputs(events, this.getNodeParameter('outputPerStatus', false) as boolean, includeMessages), noWebhookResponse: true };
	}
}

function triggerKey(context: IHookFunctions | IWebhookFunctions): string {
	const node = context.getNode();
	return `${context.getWorkflow().id ?? ''}:${node.id ?? node.name}`;
}

function toOutputs(events: ChannelEvent[], outputPerStatus: boolean, includeMessages: boolean): INodeExecutionData[][] {
	const items = (list: ChannelEvent[]) => list.map((event) => ({ json: event as unknown as IDataObject }));
	if (!outputPerStatus) return [items(events)];
	const outputs = DELIVERY_STATUSES.map((status) =>
		items(events.filter((event) => event.event === 'status' && event.status === status)),
	);
	if (includeMessages) outputs.push(items(events.filter((event) => event.event === 'message')));
	return outputs;
}
