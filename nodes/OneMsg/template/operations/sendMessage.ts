import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { OneMsgFailure } from '../../shared/failures';
import { ItemParameters } from '../../shared/itemParameters';
import { alreadySentFields, defaultMessageKey } from '../alreadySent';
import { runOptionFields } from '../runOptions';
import { runSends } from '../sendRun';
import type { SessionMessageType } from '../sessionMessage';
import { SESSION_LIMITS, planSessionMessage } from '../sessionMessage';
import { sendTemplate } from './sendTemplate';
import type { TemplateOperation } from './types';

/** The Recipient field of Send Template: the same parameter, so a workflow can switch operations. */
const recipientField = sendTemplate.fields.find((field) => field.name === 'phone') as INodeProperties;

const showFor = (...types: SessionMessageType[]) => ({
	displayOptions: { show: { messageType: types } },
});

const fields: INodeProperties[] = [
	{
		displayName:
			"WhatsApp delivers these messages only within 24 hours of the customer's last message. Outside that window the item fails with category window_closed: start the conversation with Send Template.",
		name: 'sessionNotice',
		type: 'notice',
		default: '',
	},
	recipientField,
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Text',
				value: 'text',
				description: `A text of up to ${SESSION_LIMITS.text.toLocaleString('en-US')} characters`,
			},
			{
				name: 'File',
				value: 'file',
				description: 'A picture, video, audio or document by its link, with an optional caption',
			},
			{
				name: 'Text With Reply Buttons',
				value: 'buttons',
				description: `A text with up to ${SESSION_LIMITS.buttons} buttons the customer taps to answer`,
			},
		],
		default: 'text',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Thanks, Maria! Your booking is moved to Friday 3:30 PM.',
		description: `What the customer reads; line breaks and emoji are kept. At most ${SESSION_LIMITS.text.toLocaleString('en-US')} characters, ${SESSION_LIMITS.buttonBody.toLocaleString('en-US')} with buttons.`,
		...showFor('text', 'buttons'),
	},
	{
		displayName: 'File Link',
		name: 'fileLink',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/invoice-1042.pdf',
		description: 'A public https:// link to the file; WhatsApp fetches it from there',
		...showFor('file'),
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'e.g. invoice-1042.pdf',
		description: "The name the customer sees, with its extension. Empty: the link's last part.",
		...showFor('file'),
	},
	{
		displayName: 'Caption',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: `Text shown under the file, at most ${SESSION_LIMITS.caption.toLocaleString('en-US')} characters`,
		...showFor('file'),
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: {
			multipleValues: true,
			maxAllowedFields: SESSION_LIMITS.buttons,
			sortable: true,
		},
		placeholder: 'Add button',
		default: { button: [{ title: 'Yes' }, { title: 'No' }] },
		description: `Up to ${SESSION_LIMITS.buttons} reply buttons. A tap comes back through the 1MSG Trigger (Include Incoming Messages) with the button's title in buttonText.`,
		options: [
			{
				name: 'button',
				displayName: 'Button',
				values: [
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: `What the button says, at most ${SESSION_LIMITS.buttonTitle} characters, unique in the message`,
					},
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						description: "Comes back with a tap in Meta's webhook format (button payload); empty: the title",
					},
				],
			},
		],
		...showFor('buttons'),
	},
	{
		displayName: 'Footer',
		name: 'footer',
		type: 'string',
		default: '',
		description: `Small grey text under the buttons, at most ${SESSION_LIMITS.footer} characters`,
		...showFor('buttons'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: (
			[
				{
					displayName: 'Reference',
					name: 'reference',
					type: 'string',
					default: '',
					placeholder: 'e.g. ticket-5521',
					description: 'Your own ID for this message (order, ticket, contact), copied into the output',
				},
				{
					displayName: 'Reply to Message ID',
					name: 'replyTo',
					type: 'string',
					default: '',
					placeholder: 'e.g. {{ $json.messageId }}',
					description: "Quote this message of the chat above yours (texts and files), e.g. the customer's message from the 1MSG Trigger",
				},
				...runOptionFields,
				...alreadySentFields.map((field) =>
					field.name === 'skipKey'
						? {
								...field,
								description: 'What makes two messages the same. Empty: the recipient, the kind of message and what it says.',
							}
						: field,
				),
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

/** A closed window is the one refusal whose fix is another operation of this node. */
function windowClosedFix(failure: OneMsgFailure): string | undefined {
	if (failure.category !== 'window_closed') return undefined;
	return "The customer has not written to this number in the last 24 hours, so WhatsApp only lets an approved template start the conversation. Send a template with this node's Send Template operation; once the customer answers, Send Message works for 24 hours.";
}

/**
 * Text, a file or reply buttons to a customer who wrote within 24 hours; checks, pacing, safe retries
 * and Skip Messages Already Sent as Send Template (sendRun).
 */
export const sendMessage: TemplateOperation = {
	option: {
		name: 'Send Message',
		value: 'sendMessage',
		description: 'Send a text, a file or reply buttons to a customer who wrote in the last 24 hours',
		action: 'Send a message',
	},
	fields,
	async execute(run) {
		const params = new ItemParameters(this);
		const prepare = async (i: number) => {
			const options = params.get<IDataObject>('options', i, {});
			const reference = options.reference ? String(options.reference) : undefined;
			try {
				const plan = planSessionMessage({
					type: params.get<SessionMessageType>('messageType', i, 'text'),
					recipient: params.get('phone', i, ''),
					text: params.get('text', i, ''),
					fileLink: params.get('fileLink', i, ''),
					fileName: params.get('fileName', i, ''),
					footer: params.get('footer', i, ''),
					buttons: params.get<{
						button?: Array<{ title?: unknown; id?: unknown }>;
					}>('buttons', i, {}).button,
					replyTo: options.replyTo,
				});
				return {
					method: plan.method,
					body: plan.body,
					key: String(options.skipKey ?? '').trim() || defaultMessageKey(plan.method, plan.body),
					summary: { ...plan.summary, ...(reference ? { reference } : {}) },
					fixFor: windowClosedFix,
				};
			} catch (error) {
				run.results.fail(i, error, reference ? { reference } : {});
				return undefined;
			}
		};
		return await runSends.call(this, run, prepare, params.get<IDataObject>('options', 0, {}));
	},
};
