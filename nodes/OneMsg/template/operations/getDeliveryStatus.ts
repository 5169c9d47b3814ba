import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../shared/failures';
import { oneMsgApiRequest } from '../../shared/transport';
import { deliveryStatusSummary } from '../deliveryStatus';
import type { TemplateOperation } from './types';

const EMPTY_MESSAGE_ID = new InputError(
	'Message ID',
	'Message ID is empty',
	'Map the messageId of the send output, e.g. {{ $json.messageId }}.',
);

/** Reads `GET /hookInfo` for each item's message, one after the other. */
export const getDeliveryStatus: TemplateOperation = {
	option: {
		name: 'Get Delivery Status',
		value: 'getDeliveryStatus',
		description: 'Look up the delivery statuses of a sent message by its ID',
		action: 'Get delivery status',
	},
	fields: [
		{
			displayName: 'Message ID',
			name: 'messageId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. wamid.HBgLNzk5OTEyMzQ1NjcVAgARGBI1',
			hint: 'Statuses arrive a few seconds after sending; the 1MSG Trigger receives them as they happen',
			description: 'The ID returned when the template was sent (the messageId field of the send output)',
		},
	],
	async execute({ channel, results }) {
		const items = this.getInputData();
		for (let i = 0; i < items.length && !results.stopped; i++) {
			const messageId = String(this.getNodeParameter('messageId', i, '')).trim();
			if (!messageId) {
				results.fail(i, EMPTY_MESSAGE_ID, { messageId });
				continue;
			}
			try {
				const body = await oneMsgApiRequest.call(this, { method: 'GET', path: 'hookInfo', qs: { messageId } }, channel);
				results.succeed(i, deliveryStatusSummary(messageId, body) as unknown as IDataObject);
			} catch (error) {
				results.fail(i, error, { messageId });
			}
		}
		return [results.finish()];
	},
};
