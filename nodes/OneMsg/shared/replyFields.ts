/**
 * What ties a customer's message to one of ours: the message it answers (`inReplyTo`) and, for a
 * tap on a quick-reply button, the button's text and payload. Meta's raw format puts these in
 * `context.id`, `button` (template quick replies) and `interactive.button_reply`; 1MSG's normalized
 * format has `quotedMsgId`, and for a tap the button's text in `body` but no payload: the production
 * capture (`ebor94/1msg` docs/payloads-reales-1msg.md, 2026-07-24) lists every key of its `messages[]`
 * and none carries one, so `buttonPayload` is null there unless a record really has one of the names
 * read below. A reaction answers nothing: it names the message it reacts to in `reactedTo`. Pure.
 */
import { isObject, type Json } from './json';

export interface ReplyFields {
	/** The id of our message this one answers; null when it answers none. */
	inReplyTo: string | null;
	/** Only for a button tap: the label the customer tapped, and the payload when the format carries one, else null. */
	buttonText?: string | null;
	buttonPayload?: string | null;
	/** Only for a reaction: the id of the message reacted to (ours or the customer's), null when not given. */
	reactedTo?: string | null;
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/**
 * Each field from its own source: a missing payload stays null rather than taking the label, so a
 * lookup by `buttonPayload` never matches a button text by accident.
 */
function button(buttonText: string | undefined, buttonPayload: string | undefined): Pick<ReplyFields, 'buttonText' | 'buttonPayload'> {
	return { buttonText: buttonText ?? null, buttonPayload: buttonPayload ?? null };
}

/** Message types of a button tap in 1MSG's normalized format (the capture saw `button`). */
const TAP_TYPES = new Set(['button', 'interactive', 'button_reply', 'quick_reply']);

/**
 * Names a tap's payload could have in 1MSG's normalized format. No source shows any of them (the
 * capture's key inventory has none); they are read only so that a channel that does add one is not lost.
 */
const PAYLOAD_KEYS = ['buttonPayload', 'payload', 'selectedButtonId', 'buttonId'];

/** The lower-cased message type of a record, '' when it has none. */
export function messageTypeOf(record: Json): string {
	return typeof record.type === 'string' ? record.type.trim().toLowerCase() : '';
}

/** A record of 1MSG's `messages[]`. */
export function replyOfChatApi(record: Json): ReplyFields {
	const quoted = text(record.quotedMsgId) ?? null;
	const type = messageTypeOf(record);
	// The capture saw `reaction` but printed no body of one; of its keys only `quotedMsgId` can name
	// the message reacted to. Reacting is not answering, so it never counts as a reply.
	if (type === 'reaction') return { inReplyTo: null, reactedTo: quoted };
	if (!TAP_TYPES.has(type)) return { inReplyTo: quoted };
	const payload = PAYLOAD_KEYS.map((key) => text(record[key])).find((value) => value !== undefined);
	return { inReplyTo: quoted, ...button(text(record.buttonText) ?? text(record.body), payload) };
}

/** A record of Meta's `entry[].changes[].value.messages[]`. */
export function replyOfMeta(record: Json): ReplyFields {
	// Meta's reaction carries the message it reacts to in `reaction.message_id`, not in `context`.
	if (isObject(record.reaction)) return { inReplyTo: null, reactedTo: text(record.reaction.message_id) ?? null };
	const inReplyTo = (isObject(record.context) ? text(record.context.id) : undefined) ?? null;
	if (isObject(record.button)) return { inReplyTo, ...button(text(record.button.text), text(record.button.payload)) };
	const interactive = isObject(record.interactive) ? record.interactive : undefined;
	const reply = interactive && isObject(interactive.button_reply) ? interactive.button_reply : undefined;
	if (reply) return { inReplyTo, ...button(text(reply.title), text(reply.id)) };
	return { inReplyTo };
}
