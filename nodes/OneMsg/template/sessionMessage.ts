/**
 * A message inside the 24-hour customer service window: a text, a file by link, or a text with up to
 * 3 reply buttons, checked against WhatsApp's limits and built as 1MSG's send methods take it. Pure:
 * throws InputError naming the field.
 *
 * Request shapes are those of 1MSG's SDK (`1msg/1msg-sdk` @ aee1671, 2026-08-20): `sendMessage`
 * `{body, quotedMsgId?, chatId | phone}`, `sendFile` `{body: link, filename, caption?, quotedMsgId?,
 * chatId | phone}` and `sendButton` `{phone, body, footer?, sections: [{type: "reply", reply: {id,
 * title}}]}`. The SDK types `phone` as an integer for `sendMessage` and `sendFile` and as a string for
 * `sendButton` (and for `sendTemplate`), so each is sent in its method's type. `sendButton` lists no
 * `chatId` or `quotedMsgId`: a chat ID goes as `chatId` as for the other methods, and a reply to a
 * message is offered for texts and files only.
 */
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../shared/failures';
import type { Recipient } from './recipient';
import { readRecipient } from './recipient';
import { mediaLink } from './validate';

/** Meta's limits for these messages. */
export const SESSION_LIMITS = {
	text: 4096,
	caption: 1024,
	buttonBody: 1024,
	footer: 60,
	buttons: 3,
	buttonTitle: 20,
	buttonId: 256,
} as const;

export type SessionMessageType = 'text' | 'file' | 'buttons';

/** The 1MSG method each kind is sent with. */
export const SESSION_METHOD: Record<SessionMessageType, 'sendMessage' | 'sendFile' | 'sendButton'> = {
	text: 'sendMessage',
	file: 'sendFile',
	buttons: 'sendButton',
};

export interface SessionMessageInput {
	type: SessionMessageType;
	recipient: unknown;
	text: unknown;
	fileLink?: unknown;
	fileName?: unknown;
	footer?: unknown;
	buttons?: Array<{ title?: unknown; id?: unknown }>;
	replyTo?: unknown;
}

export interface SessionMessagePlan {
	method: 'sendMessage' | 'sendFile' | 'sendButton';
	body: IDataObject;
	recipient: Recipient;
	/** What the output says about the message. */
	summary: IDataObject;
}

/** The field labels, as the form shows them: an error names the one to fix. */
export const SESSION_FIELDS = {
	text: { text: 'Text', file: 'Caption', buttons: 'Text' },
	fileLink: 'File Link',
	fileName: 'File Name',
	footer: 'Footer',
	buttons: 'Buttons',
	replyTo: 'Reply to Message ID',
} as const;

function optionalText(raw: unknown): string {
	return raw === undefined || raw === null ? '' : String(raw).trim();
}

function limitedText(raw: unknown, label: string, max: number, required: boolean): string {
	const text = optionalText(raw);
	if (required && text === '') throw new InputError(label, `${label} is empty`, `Enter the text the customer reads (at most ${max.toLocaleString('en-US')} characters).`);
	if (text.length > max) {
		throw new InputError(label, `${label} has ${text.length.toLocaleString('en-US')} characters; WhatsApp allows ${max.toLocaleString('en-US')}`, `Shorten ${label}.`);
	}
	return text;
}

/** The file name 1MSG needs with a link: the one given, or the link's last path segment. */
function fileNameOf(raw: unknown, link: string): string {
	const given = optionalText(raw);
	if (given) return given;
	const last = decodeURIComponent(new URL(link).pathname.split('/').pop() ?? '');
	if (!/\.[A-Za-z0-9]{1,8}$/.test(last)) {
		throw new InputError(
			SESSION_FIELDS.fileName,
			`${SESSION_FIELDS.fileName} is empty and the link does not end with one`,
			'Enter the file name with its extension (e.g. invoice-1042.pdf); WhatsApp shows it and picks the file type from it.',
		);
	}
	return last;
}

function replyButtons(raw: SessionMessageInput['buttons']): Array<{ id: string; title: string }> {
	const label = SESSION_FIELDS.buttons;
	const list = (raw ?? []).filter((button) => optionalText(button.title) !== '' || optionalText(button.id) !== '');
	if (list.length === 0 || list.length > SESSION_LIMITS.buttons) {
		throw new InputError(label, `${label} has ${list.length} buttons; WhatsApp shows 1 to ${SESSION_LIMITS.buttons}`, 'Add one to three buttons, each with a title.');
	}
	const seen = new Set<string>();
	return list.map((button, index) => {
		const title = limitedText(button.title, `Button ${index + 1} Title`, SESSION_LIMITS.buttonTitle, true);
		if (seen.has(title)) throw new InputError(label, `Button title "${title}" is used twice`, 'Give every button its own title: WhatsApp refuses repeated titles.');
		seen.add(title);
		// The id comes back with a tap in Meta's format; by default it is the title, which both formats carry.
		const id = optionalText(button.id) || title;
		if (id.length > SESSION_LIMITS.buttonId) {
			throw new InputError(`Button ${index + 1} ID`, `Button ${index + 1} ID has ${id.length} characters; WhatsApp allows ${SESSION_LIMITS.buttonId}`, 'Shorten the ID, or leave it empty to use the title.');
		}
		return { id, title };
	});
}

/** The recipient as each method names it: `phone` in the method's type (see the module comment). */
function recipientFields(recipient: Recipient, method: SessionMessagePlan['method']): IDataObject {
	if (recipient.property === 'phone' && method !== 'sendButton') return { phone: Number(recipient.sent) };
	return { [recipient.property]: recipient.sent };
}

function replyToOf(raw: unknown): string | undefined {
	const id = optionalText(raw);
	if (id === '') return undefined;
	if (!/^wamid\.\S+$/.test(id)) {
		throw new InputError(SESSION_FIELDS.replyTo, `${SESSION_FIELDS.replyTo} "${id.slice(0, 40)}" is not a WhatsApp message ID`, 'Use the messageId of a message in this chat (it starts with wamid.), e.g. {{ $json.messageId }} from the 1MSG Trigger, or leave it empty.');
	}
	return id;
}

/** Checks one message and builds its request. */
export function planSessionMessage(input: SessionMessageInput): SessionMessagePlan {
	const recipient = readRecipient(input.recipient);
	const method = SESSION_METHOD[input.type];
	const to = recipientFields(recipient, method);
	const who = { ...(recipient.type === 'phone' ? { phone: recipient.value } : {}), recipient: recipient.value, recipientType: recipient.type };
	if (input.type === 'buttons') {
		const text = limitedText(input.text, SESSION_FIELDS.text.buttons, SESSION_LIMITS.buttonBody, true);
		const footer = limitedText(input.footer, SESSION_FIELDS.footer, SESSION_LIMITS.footer, false);
		const buttons = replyButtons(input.buttons);
		return {
			method,
			recipient,
			body: { ...to, body: text, ...(footer ? { footer } : {}), sections: buttons.map((reply) => ({ type: 'reply', reply })) },
			summary: { ...who, messageType: input.type, text, ...(footer ? { footer } : {}), buttons: buttons.map((button) => button.title) },
		};
	}
	const replyTo = replyToOf(input.replyTo);
	const quoted = replyTo ? { quotedMsgId: replyTo } : {};
	if (input.type === 'file') {
		const link = mediaLink(input.fileLink, SESSION_FIELDS.fileLink);
		const filename = fileNameOf(input.fileName, link);
		const caption = limitedText(input.text, SESSION_FIELDS.text.file, SESSION_LIMITS.caption, false);
		return {
			method,
			recipient,
			body: { ...to, body: link, filename, ...(caption ? { caption } : {}), ...quoted },
			summary: { ...who, messageType: input.type, fileLink: link, fileName: filename, ...(caption ? { text: caption } : {}), ...(replyTo ? { replyTo } : {}) },
		};
	}
	const text = limitedText(input.text, SESSION_FIELDS.text.text, SESSION_LIMITS.text, true);
	return {
		method,
		recipient,
		body: { ...to, body: text, ...quoted },
		summary: { ...who, messageType: input.type, text, ...(replyTo ? { replyTo } : {}) },
	};
}
