import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { ChannelEvent, DeliveryStatus } from '../shared/statusEvents';
import { DELIVERY_STATUSES } from '../shared/statusEvents';

export interface StatusOutput {
	/** The output's name on the canvas, and the status's name in the Statuses list. */
	name: string;
	/** What the status means, in the Statuses list. */
	description: string;
	/** Selected in Statuses for a new trigger. */
	selected: boolean;
}

/** The statuses the trigger can start on: each one an entry in Statuses and, per status, its own output. */
export const STATUS_OUTPUTS: Record<DeliveryStatus, StatusOutput> = {
	sent: { name: 'Sent', description: 'WhatsApp accepted the message for delivery', selected: true },
	delivered: { name: 'Delivered', description: 'The message reached the phone', selected: true },
	read: { name: 'Read', description: 'The customer opened the message', selected: true },
	failed: { name: 'Failed', description: 'WhatsApp could not deliver the message; the error says why', selected: true },
};

/** The outputs after the status outputs, shown when incoming messages are included. */
export const MESSAGE_OUTPUT_NAME = 'Incoming Message';

/**
 * Customer messages that answer one of ours (a quick-reply tap, a quoted reply) get their own output,
 * after Incoming Message so that adding it moved no existing output.
 */
export const REPLY_OUTPUT_NAME = 'Reply';

const MESSAGE_OUTPUT_NAMES = [MESSAGE_OUTPUT_NAME, REPLY_OUTPUT_NAME];

/** The outputs in order: one per status (in DELIVERY_STATUSES order), then incoming messages and replies. */
export function outputNames(includeMessages: boolean): string[] {
	const names = DELIVERY_STATUSES.map((status) => STATUS_OUTPUTS[status].name);
	return includeMessages ? [...names, ...MESSAGE_OUTPUT_NAMES] : names;
}

const outputList = (names: string[]) =>
	`[${names.map((name) => `{ type: "${NodeConnectionTypes.Main}", displayName: "${name}" }`).join(', ')}]`;

/** The editor evaluates this to draw the outputs; `eventOutputs` fills them in the same order. */
export const OUTPUTS_EXPRESSION: `={{${string}}}` = `={{ $parameter.outputPerStatus ? ${outputList(outputNames(false))}.concat($parameter.options?.includeMessages ? ${outputList(MESSAGE_OUTPUT_NAMES)} : []) : ["${NodeConnectionTypes.Main}"] }}`;

const isReply = (event: ChannelEvent) => event.event === 'message' && event.inReplyTo !== null;

/** The events as the node's outputs: all on one, or each on the output of its status (messages, then replies, last). */
export function eventOutputs(events: ChannelEvent[], outputPerStatus: boolean, includeMessages: boolean): INodeExecutionData[][] {
	const items = (list: ChannelEvent[]) => list.map((event) => ({ json: event as unknown as IDataObject }));
	if (!outputPerStatus) return [items(events)];
	const outputs = DELIVERY_STATUSES.map((status) =>
		items(events.filter((event) => event.event === 'status' && event.status === status)),
	);
	if (includeMessages) {
		outputs.push(items(events.filter((event) => event.event === 'message' && !isReply(event))));
		outputs.push(items(events.filter(isReply)));
	}
	return outputs;
}
