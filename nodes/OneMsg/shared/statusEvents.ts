/**
 * Normalises the delivery statuses 1MSG sends, whatever their shape, into one flat item each:
 *  - 1MSG's own format `{instanceId, ack:[{id, status, chatId, phone, bsuid, category, userName, error?, mmLite?}]}`,
 *  - Meta's raw format `{entry:[{changes:[{value:{statuses:[…]}}]}]}` (channels with rawHooks on),
 *  - a `hooks[]` list, the shape of `GET /hookInfo`.
 * Incoming customer messages (`messages[]`) are read too, as their own event kind; echoes of the
 * business's own messages are dropped. Anything else is ignored.
 * Never throws, whatever the body.
 */

import { metaCodeInText } from './apiAnswers';
import { flagOn } from './flags';
import { isObject, type Json } from './json';
import { messageTypeOf, replyOfChatApi, replyOfMeta, type ReplyFields } from './replyFields';
import { statusFailureOf, type StatusFailure } from './statusFailures';

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['sent', 'delivered', 'read', 'failed'];

export interface StatusEvent extends FailedStatusFields, AckExtraFields {
	event: 'status';
	messageId: string;
	status: DeliveryStatus;
	rawStatus: string;
	phone: string | null;
	chatId: string | null;
	instanceId: string | null;
	error: { message: string; code?: number } | null;
	timestamp: string;
	timestampFromPayload: boolean;
	raw: Record<string, unknown>;
}

/** A failed status also says why, as a category, Meta code and reason (see statusFailures). */
export type FailedStatusFields = Partial<StatusFailure>;

/**
 * What else a status says about the recipient and the message's pricing, each only when the payload
 * carries it. 1MSG's acks list `bsuid`, `userName`, `category` and, case by case, `mmLite` (production
 * capture, `ebor94/1msg` docs/payloads-reales-1msg.md line 60; `category` e.g. `marketing_lite` for
 * broadcasts); Meta's statuses have `pricing.category`. The pricing category is `pricingCategory`
 * because `category` already names why a delivery failed.
 */
export interface AckExtraFields {
	bsuid?: string;
	userName?: string;
	pricingCategory?: string;
	/** As 1MSG sends it: no source shows its type or values. */
	mmLite?: unknown;
}

export interface MessageEvent extends ReplyFields {
	event: 'message';
	messageId: string;
	phone: string | null;
	chatId: string | null;
	instanceId: string | null;
	/** The format's own word (`chat`, `text`, `button`, `image`, …). */
	type: string | null;
	/** The same kind in every format: `text`, `button` (a tap), `reaction`, `image`, `document`, …. */
	messageType: string | null;
	/** What the customer wrote: the text, a media message's caption, a tapped button's label, a reaction's emoji. */
	text: string | null;
	/** A media message's file link (1MSG's normalized format: temporary), else null. */
	mediaUrl: string | null;
	senderName: string | null;
	timestamp: string;
	raw: Record<string, unknown>;
}

export type ChannelEvent = StatusEvent | MessageEvent;

function str(value: unknown): string | null {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

/** `viewed` (legacy) and `played` (audio) mean read; `undelivered` means failed. */
export function normaliseStatus(raw: unknown): DeliveryStatus | undefined {
	const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
	switch (value) {
		case 'sent':
		case 'delivered':
		case 'read':
		case 'failed':
			return value;
		case 'viewed':
		case 'played':
			return 'read';
		case 'undelivered':
			return 'failed';
		default:
			return undefined;
	}
}

/**
 * Unix seconds (number or digit string: 1MSG's `time` is seconds, sent as a string in production and
 * an integer in the 2023 spec), milliseconds, or an ISO date. Seconds stay below 1e12 until the year
 * 33658 and milliseconds are above it since 2001, so that one bound tells them apart.
 */
export function timestampOf(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()))) {
		const n = Number(value);
		if (!Number.isFinite(n) || n <= 0) return undefined;
		const ms = n < 1e12 ? n * 1000 : n;
		const date = new Date(ms);
		return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
	}
	if (typeof value === 'string') {
		const parsed = Date.parse(value);
		return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
	}
	return undefined;
}

export function phoneFromChatId(chatId: string | null): string | null {
	if (!chatId) return null;
	const match = /^(\d+)@c\.us$/.exec(chatId);
	return match ? match[1] : null;
}

function errorOfAck(ack: Json): StatusEvent['error'] {
	const error = ack.error;
	if (typeof error === 'string' && error.trim()) {
		const code = metaCodeInText(error);
		return code === undefined ? { message: error.trim() } : { message: error.trim(), code };
	}
	if (isObject(error)) return errorOfMetaList([error]);
	if (Array.isArray(ack.errors)) return errorOfMetaList(ack.errors);
	return null;
}

function errorOfMetaList(errors: unknown): StatusEvent['error'] {
	if (!Array.isArray(errors)) return null;
	const first = errors.find(isObject);
	if (!first) return null;
	const details = isObject(first.error_data) ? str(first.error_data.details) : null;
	const message = details ?? str(first.message) ?? str(first.title) ?? 'Delivery failed';
	const code = typeof first.code === 'number' ? first.code : str(first.code) ? Number(first.code) : metaCodeInText(message);
	return code !== undefined && Number.isFinite(code) ? { message, code } : { message };
}

/** What a status record says in its own format; the rest of the event is read alike for every format. */
interface StatusFields {
	phone: string | null;
	chatId: string | null;
	error: StatusEvent['error'];
	timestamp: unknown;
	extra: AckExtraFields;
}

function statusEvent(
	record: unknown,
	instanceId: string | null,
	receivedAt: string,
	fieldsOf: (record: Json) => StatusFields,
): StatusEvent | undefined {
	if (!isObject(record)) return undefined;
	const messageId = str(record.id);
	const status = normaliseStatus(record.status);
	if (!messageId || !status) return undefined;
	const { phone, chatId, error, timestamp, extra } = fieldsOf(record);
	const payloadTime = timestampOf(timestamp);
	const failedError = status === 'failed' ? (error ?? { message: 'Delivery failed' }) : undefined;
	return {
		event: 'status',
		messageId,
		status,
		rawStatus: String(record.status),
		phone,
		chatId,
		instanceId,
		error: failedError ?? error,
		...(failedError ? statusFailureOf(failedError) : {}),
		...extra,
		timestamp: payloadTime ?? receivedAt,
		timestampFromPayload: payloadTime !== undefined,
		raw: boundedCopy(record) as Json,
	};
}

/** 1MSG's own `ack[]` entry. */
function statusFromAck(ack: unknown, instanceId: string | null, receivedAt: string): StatusEvent | undefined {
	return statusEvent(ack, instanceId, receivedAt, (record) => {
		const chatId = str(record.chatId);
		return {
			phone: str(record.phone) ?? phoneFromChatId(chatId),
			chatId,
			error: errorOfAck(record),
			timestamp: record.timestamp ?? record.time,
			extra: extraOfAck(record),
		};
	});
}

/** Meta's status record, in `entry[].changes[].value.statuses[]` and in `hooks[]`. */
function statusFromMeta(record: unknown, instanceId: string | null, receivedAt: string): StatusEvent | undefined {
	return statusEvent(record, instanceId, receivedAt, (meta) => {
		const phone = str(meta.recipient_id);
		return {
			phone,
			chatId: phone ? `${phone}@c.us` : null,
			error: errorOfMetaList(meta.errors),
			timestamp: meta.timestamp,
			extra: definedOnly({ pricingCategory: isObject(meta.pricing) ? str(meta.pricing.category) : null }),
		};
	});
}

/** The fields of an ack beyond its status, those it carries (see AckExtraFields). */
function extraOfAck(ack: Json): AckExtraFields {
	return definedOnly({
		bsuid: str(ack.bsuid),
		userName: str(ack.userName),
		pricingCategory: str(ack.category),
		mmLite: ack.mmLite === undefined || ack.mmLite === null ? null : boundedCopy(ack.mmLite),
	});
}

function definedOnly<T extends Record<string, unknown>>(fields: { [K in keyof T]: T[K] | null }): Partial<T> {
	const kept: Partial<T> = {};
	for (const key of Object.keys(fields) as Array<keyof T>) {
		const value = fields[key];
		if (value !== null && value !== undefined) kept[key] = value as T[typeof key];
	}
	return kept;
}

/**
 * An echo of a message the business sent (through the API or the inbox): the production capture marks
 * them `fromMe` / `self` `true` or `1`, and 1MSG's own n8n node also takes `'1'` and `'true'` (flagOn).
 */
function isOwnMessage(record: Json): boolean {
	return flagOn(record.fromMe) || flagOn(record.self);
}

/** Types whose message is a file: the production capture saw image, audio and document; the 2023 spec adds video, sticker and voice. */
const MEDIA_TYPES = new Set(['image', 'audio', 'document', 'video', 'sticker', 'voice', 'ptt']);

function httpUrl(value: unknown): string | null {
	const link = str(value);
	return link && /^https?:\/\//i.test(link) ? link : null;
}

/** The same kind in every format; `chat` is 1MSG's word for Meta's `text`, and any tap is a `button`. */
function messageKind(type: string, reply: ReplyFields): string | null {
	if (reply.reactedTo !== undefined) return 'reaction';
	if (reply.buttonText !== undefined) return 'button';
	if (type === 'chat') return 'text';
	return type === '' ? null : type;
}

function messageFromChatApi(record: unknown, instanceId: string | null, receivedAt: string): MessageEvent | undefined {
	if (!isObject(record)) return undefined;
	if (isOwnMessage(record)) return undefined;
	const messageId = str(record.id);
	if (!messageId) return undefined;
	const chatId = str(record.chatId);
	const type = messageTypeOf(record);
	const reply = replyOfChatApi(record);
	// A media message's `body` is the file's temporary link; what the customer wrote is its `caption`.
	const isMedia = MEDIA_TYPES.has(type);
	return {
		event: 'message',
		messageId,
		phone: phoneFromChatId(chatId),
		chatId,
		instanceId,
		type: str(record.type),
		messageType: messageKind(type, reply),
		text: isMedia ? str(record.caption) : (str(record.body) ?? str(record.caption)),
		mediaUrl: isMedia ? httpUrl(record.body) : null,
		senderName: str(record.senderName),
		...reply,
		timestamp: timestampOf(record.time) ?? receivedAt,
		raw: boundedCopy(record) as Json,
	};
}

function messageFromMeta(record: unknown, instanceId: string | null, receivedAt: string): MessageEvent | undefined {
	if (!isObject(record)) return undefined;
	const messageId = str(record.id);
	if (!messageId) return undefined;
	const phone = str(record.from);
	const type = messageTypeOf(record);
	const reply = replyOfMeta(record);
	// Meta puts a media message's caption in its `image`/`document`/… object, with a media id, not a link.
	const media = MEDIA_TYPES.has(type) && isObject(record[type]) ? (record[type] as Json) : undefined;
	const text =
		(isObject(record.text) ? str(record.text.body) : null) ??
		(media ? str(media.caption) : null) ??
		(isObject(record.reaction) ? str(record.reaction.emoji) : null) ??
		reply.buttonText ??
		null;
	return {
		event: 'message',
		messageId,
		phone,
		chatId: phone ? `${phone}@c.us` : null,
		instanceId,
		type: str(record.type),
		messageType: messageKind(type, reply),
		text,
		mediaUrl: null,
		senderName: null,
		...reply,
		timestamp: timestampOf(record.timestamp) ?? receivedAt,
		raw: boundedCopy(record) as Json,
	};
}

/** Deeper than any real payload; n8n cannot read back an execution holding much deeper data. */
export const MAX_RAW_DEPTH = 32;

/** A copy of a payload object cut at MAX_RAW_DEPTH, so a hostile body cannot make executions unreadable. */
export function boundedCopy(value: unknown, depth = 0): unknown {
	if (value === null || typeof value !== 'object') return value;
	if (depth >= MAX_RAW_DEPTH) return '[nested too deep]';
	if (Array.isArray(value)) return value.map((entry) => boundedCopy(entry, depth + 1));
	const copy: Json = {};
	for (const [key, entry] of Object.entries(value)) copy[key] = boundedCopy(entry, depth + 1);
	return copy;
}

function arrayOf(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

type EventReader = (record: unknown, instanceId: string | null, receivedAt: string) => ChannelEvent | undefined;

/** Every status and incoming message in one webhook body, in body order. */
export function parseChannelEvents(body: unknown, receivedAt: string = new Date().toISOString()): ChannelEvent[] {
	const events: ChannelEvent[] = [];
	try {
		if (!isObject(body)) return events;
		const instanceId = str(body.instanceId);
		const collect = (records: unknown, read: EventReader) => {
			for (const record of arrayOf(records)) {
				const event = read(record, instanceId, receivedAt);
				if (event) events.push(event);
			}
		};
		collect(body.ack, statusFromAck);
		collect(body.hooks, statusFromMeta);
		for (const entry of arrayOf(body.entry)) {
			if (!isObject(entry)) continue;
			for (const change of arrayOf(entry.changes)) {
				if (!isObject(change) || !isObject(change.value)) continue;
				collect(change.value.statuses, statusFromMeta);
				collect(change.value.messages, messageFromMeta);
			}
		}
		collect(body.messages, messageFromChatApi);
	} catch {
		// A hostile body (getters, proxies) must not break the webhook: keep what was read.
	}
	return events;
}

/**
 * Progress of a message: sent < failed < delivered < read. A status is new only if it moves the
 * message forward, so repeats and late arrivals (a `sent` after `read`) are dropped, and `failed`
 * never overrides a delivery that already happened.
 */
export const STATUS_RANK: Record<DeliveryStatus, number> = { sent: 1, failed: 2, delivered: 3, read: 4 };
