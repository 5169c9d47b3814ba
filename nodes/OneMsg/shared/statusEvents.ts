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

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['sent', 'delivered', 'read', 'failed'];

export interface StatusEvent {
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

export interface MessageEvent {
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

function statusFromAck(ack: unknown, instanceId: string | null, receivedAt: string): StatusEvent | undefined {
	if (!isObject(ack)) return undefined;
	const messageId = str(ack.id);
	const status = normaliseStatus(ack.status);
	if (!messageId || !status) return undefined;
	const chatId = str(ack.chatId);
	const payloadTime = timestampOf(ack.timestamp ?? ack.time);
	return {
		event: 'status',
		messageId,
		status,
		rawStatus: String(ack.status),
		phone: str(ack.phone) ?? phoneFromChatId(chatId),
		chatId,
		instanceId,
		error: status === 'failed' ? (errorOfAck(ack) ?? { message: 'Delivery failed' }) : errorOfAck(ack),
		timestamp: payloadTime ?? receivedAt,
		timestampFromPayload: payloadTime !== undefined,
		raw: boundedCopy(ack) as Json,
	};
}

function statusFromMeta(record: unknown, instanceId: string | null, receivedAt: string): StatusEvent | undefined {
	if (!isObject(record)) return undefined;
	const messageId = str(record.id);
	const status = normaliseStatus(record.status);
	if (!messageId || !status) return undefined;
	const phone = str(record.recipient_id);
	const payloadTime = timestampOf(record.timestamp);
	const error = errorOfMetaList(record.errors);
	return {
		event: 'status',
		messageId,
		status,
		rawStatus: String(record.status),
		phone,
		chatId: phone ? `${phone}@c.us` : null,
		instanceId,
		error: status === 'failed' ? (error ?? { message: 'Delivery failed' }) : error,
		timestamp: payloadTime ?? receivedAt,
		timestampFromPayload: payloadTime !== undefined,
		raw: boundedCopy(record) as Json,
	};
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
		timestamp: timestampOf(record.time) ?? receivedAt,
		raw: boundedCopy(record) as Json,
	};
}

function messageFromMeta(record: unknown, instanceId: string | null, receivedAt: string): MessageEvent | undefined {
	if (!isObject(record)) return undefined;
	const messageId = str(record.id);
	if (!messageId) return undefined;
	const phone = str(record.from);
	const text = isObject(record.text) ? str(record.text.body) : null;
	return {
		event: 'message',
		messageId,
		phone,
		chatId: phone ? `${phone}@c.us` : null,
		instanceId,
		type: str(record.type),
		text,
		senderName: null,
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

/** Every status and incoming message in one webhook body, in body order. */
export function parseChannelEvents(body: unknown, receivedAt: string = new Date().toISOString()): ChannelEvent[] {
	const events: ChannelEvent[] = [];
	try {
		if (!isObject(body)) return events;
		const instanceId = str(body.instanceId);
		for (const ack of arrayOf(body.ack)) {
			const event = statusFromAck(ack, instanceId, receivedAt);
			if (event) events.push(event);
		}
		for (const hook of arrayOf(body.hooks)) {
			const event = statusFromMeta(hook, instanceId, receivedAt);
			if (event) events.push(event);
		}
		for (const entry of arrayOf(body.entry)) {
			if (!isObject(entry)) continue;
			for (const change of arrayOf(entry.changes)) {
				if (!isObject(change) || !isObject(change.value)) continue;
				const value = change.value;
				for (const status of arrayOf(value.statuses)) {
					const event = statusFromMeta(status, instanceId, receivedAt);
					if (event) events.push(event);
				}
				for (const message of arrayOf(value.messages)) {
					const event = messageFromMeta(message, instanceId, receivedAt);
					if (event) events.push(event);
				}
			}
		}
		for (const message of arrayOf(body.messages)) {
			const event = messageFromChatApi(message, instanceId, receivedAt);
			if (event) events.push(event);
		}
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
