import type { StatusEvent } from '../shared/statusEvents';
import { STATUS_RANK, parseChannelEvents } from '../shared/statusEvents';

export interface DeliveryStatusSummary {
	messageId: string;
	/** The furthest status reached, or `unknown` when 1MSG has none for this id yet. */
	status: StatusEvent['status'] | 'unknown';
	found: boolean;
	phone: string | null;
	error: StatusEvent['error'];
	lastUpdate: string | null;
	history: Array<Pick<StatusEvent, 'status' | 'rawStatus' | 'timestamp' | 'error'>>;
	raw: unknown;
}

/** Reads `GET /hookInfo?messageId=` (`{hooks:[…Meta status records]}`) into the latest status plus history. */
export function deliveryStatusSummary(messageId: string, body: unknown): DeliveryStatusSummary {
	const statuses = parseChannelEvents(body).filter(
		(event): event is StatusEvent => event.event === 'status' && event.messageId === messageId,
	);
	const ordered = [...statuses].sort(
		(a, b) => a.timestamp.localeCompare(b.timestamp) || STATUS_RANK[a.status] - STATUS_RANK[b.status],
	);
	const furthest = statuses.reduce<StatusEvent | undefined>(
		(best, event) => (!best || STATUS_RANK[event.status] > STATUS_RANK[best.status] ? event : best),
		undefined,
	);
	const failed = statuses.find((event) => event.status === 'failed');
	return {
		messageId,
		status: furthest?.status ?? 'unknown',
		found: statuses.length > 0,
		phone: furthest?.phone ?? null,
		error: failed?.error ?? null,
		lastUpdate: ordered.length ? ordered[ordered.length - 1].timestamp : null,
		history: ordered.map(({ status, rawStatus, timestamp, error }) => ({ status, rawStatus, timestamp, error })),
		raw: body,
	};
}

/**
 * Why an answer of `GET /hookInfo` is not one Send and Wait can read, or undefined when it is. The
 * only shape any source shows is the 2023 spec's `GetAckInfo`, `{hooks:[…]}`
 * (test/fixtures/contract/spec-2023-webhook-settings.json); 1MSG's current SDK and MCP tool list have
 * no hookInfo at all (onemsg-current-endpoints.json), so any other answer is not guessed at.
 */
export function hookInfoShapeProblem(body: unknown): string | undefined {
	if (typeof body === 'object' && body !== null && Array.isArray((body as { hooks?: unknown }).hooks)) return undefined;
	return `answered without the {hooks:[…]} list the 2023 API spec shows (${shapeOf(body)})`;
}

/** A body's outline for a message: its type or top-level keys, never its values. */
function shapeOf(body: unknown): string {
	if (Array.isArray(body)) return 'an array';
	if (typeof body !== 'object' || body === null) return body === null ? 'null' : typeof body;
	const keys = Object.keys(body).slice(0, 6);
	return keys.length ? `keys: ${keys.join(', ')}` : 'an empty object';
}
