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
