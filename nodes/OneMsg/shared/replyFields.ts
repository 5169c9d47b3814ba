/**
 * What ties a customer's message to one of ours: the message it answers (`inReplyTo`) and, for a
 * tap on a quick-reply button, the button's text and payload. Meta's raw format puts these in
 * `context.id`, `button` (template quick replies) and `interactive.button_reply`; 1MSG's normalized
 * format has `quotedMsgId`, and for a tap the button's text in `body`, its payload under one of the
 * names read below. Pure.
 */
import { isObject, type Json } from './json';

export interface ReplyFields {
	/** The id of our message this one answers; null when it answers none. */
	inReplyTo: string | null;
	/** Only for a button tap. */
	buttonText?: string;
	buttonPayload?: string;
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function button(buttonText: string | undefined, buttonPayload: string | undefined): Omit<ReplyFields, 'inReplyTo'> {
	if (buttonText === undefined && buttonPayload === undefined) return {};
	return { buttonText: buttonText ?? buttonPayload, buttonPayload: buttonPayload ?? buttonText };
}

/** Message types of a button tap in 1MSG's normalized format. */
const TAP_TYPES = new Set(['button', 'interactive', 'button_reply', 'quick_reply']);

/** Names 1MSG's normalized format may give a tapped button's payload. */
const PAYLOAD_KEYS = ['buttonPayload', 'payload', 'selectedButtonId', 'buttonId'];

/** A record of 1MSG's `messages[]`. */
export function replyOfChatApi(record: Json): ReplyFields {
	const inReplyTo = text(record.quotedMsgId) ?? null;
	const payload = PAYLOAD_KEYS.map((key) => text(record[key])).find((value) => value !== undefined);
	const isTap = TAP_TYPES.has(String(record.type ?? '').toLowerCase()) || payload !== undefined;
	if (!isTap) return { inReplyTo };
	return { inReplyTo, ...button(text(record.buttonText) ?? text(record.body), payload) };
}

/** A record of Meta's `entry[].changes[].value.messages[]`. */
export function replyOfMeta(record: Json): ReplyFields {
	const inReplyTo = (isObject(record.context) ? text(record.context.id) : undefined) ?? null;
	if (isObject(record.button)) return { inReplyTo, ...button(text(record.button.text), text(record.button.payload)) };
	const interactive = isObject(record.interactive) ? record.interactive : undefined;
	const reply = interactive && isObject(interactive.button_reply) ? interactive.button_reply : undefined;
	if (reply) return { inReplyTo, ...button(text(reply.title), text(reply.id)) };
	return { inReplyTo };
}
