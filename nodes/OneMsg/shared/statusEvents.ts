/**
 * Normalises the delivery statuses 1MSG sends, whatever their shape, into one flat item each:
 *  - 1MSG's own format `{instanceId, ack:[{id, status, chatId, phone, error?}]}`,
 *  - Meta's raw format `{entry:[{changes:[{value:{statuses:[…]}}]}]}` (channels with rawHooks on),
 *  - a `hooks[]` list, the shape of `GET /hookInfo`.
 * Incoming customer messages (`messages[]`) are read too, as their own event kind. Anything else is ignored.
 * Never throws, whatever the body.
 */

import { metaCodeInText } from './apiAnswers';
import { isObject, type Json } from './json';
import { replyOfChatApi, replyOfMeta, type ReplyFields } from './replyFields';
import { statusFailureOf, type StatusFailure } from './statusFailures';

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['sent', 'delivered', 'read', 'failed'];

export interface StatusEvent extends FailedStatusFields {
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

export interface MessageEvent extends ReplyFields {
	event: 'message';
	messageId: string;
	phone: string | null;
	chatId: string | null;
	instanceId: string | null;
	type: string | null;
	text: string | null;
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

/** Unix seconds (number or digit string), milliseconds, or an ISO date. */
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
	const { phone, chatId, error, timestamp } = fieldsOf(record);
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
		};
	});
}

function messageFromChatApi(record: unknown, instanceId: string | null, receivedAt: string): MessageEvent | undefined {
	if (!isObject(record)) return undefined;
	// Outgoing echoes (our own sends included) come back with fromMe/self set.
	if (record.fromMe === true || record.fromMe === 1 || record.self === true || record.self === 1) return undefined;
	const messageId = str(record.id);
	if (!messageId) return undefined;
	const chatId = str(record.chatId);
	return {
		event: 'message',
		messageId,
		phone: phoneFromChatId(chatId),
		chatId,
		instanceId,
		type: str(record.type),
		text: str(record.body) ?? str(record.caption),
		senderName: str(record.senderName),
		...replyOfChatApi(record),
		timestamp: timestampOf(record.time) ?? receivedAt,
		raw: boundedCopy(record) as Json,
	};
}

function messageFromMeta(record: unknown, instanceId: string | null, receivedAt: string): MessageEvent | undefined {
	if (!isObject(record)) return undefined;
	const messageId = str(record.id);
	if (!messageId) return undefined;
	const phone = str(record.from);
	const reply = replyOfMeta(record);
	const text = (isObject(record.text) ? str(record.text.body) : null) ?? reply.buttonText ?? null;
	return {
		event: 'message',
		messageId,
		phone,
		chatId: phone ? `${phone}@c.us` : null,
		instanceId,
		type: str(record.type),
		text,
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
