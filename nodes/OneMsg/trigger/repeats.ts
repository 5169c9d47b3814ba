/**
 * The repeat filter: 1MSG may post a status more than once, and late (a `sent` after `read`), so a
 * status starts the workflow only when it moves its message forward. What each trigger has seen is
 * kept in the n8n process that receives its webhooks: a workflow start is not needed to remember a
 * repeat, so it lives in memory rather than in static data, bounded in messages and in triggers.
 */
import { BoundedMap } from '../shared/boundedMap';
import type { ChannelEvent, DeliveryStatus } from '../shared/statusEvents';
import { STATUS_RANK } from '../shared/statusEvents';

/** Messages remembered per trigger; older ones are forgotten first, so memory stays bounded. */
const MESSAGES_REMEMBERED = 20_000;
const TRIGGERS_REMEMBERED = 500;
/**
 * How long a status whose answer n8n has not yet sent counts as in flight. n8n 2.x holds the answer
 * while it waits for Redis (up to QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD, which the README sets to 120 s);
 * past this a retry starts its own run, because a hold that long most likely never ends.
 */
export const IN_FLIGHT_LIMIT_MS = 120_000;

/** Remembers the furthest status of the most recent messages, within a fixed number of messages. */
export class StatusProgress {
	private readonly rankByMessage: BoundedMap<string, number>;
	/** Steps taken for a body whose answer n8n has not sent yet, by message and rank, with their start. */
	private readonly inFlight: BoundedMap<string, { claim: ProgressClaim; since: number }>;

	constructor(capacity: number) {
		this.rankByMessage = new BoundedMap(capacity);
		this.inFlight = new BoundedMap(capacity);
	}

	/**
	 * True if the status moves the message forward; the status is then remembered, and the step is
	 * added to `claims` so that `release` can take it back.
	 */
	advance(messageId: string, status: DeliveryStatus, claims?: ProgressClaim[]): boolean {
		const rank = STATUS_RANK[status];
		const previous = this.rankByMessage.get(messageId) ?? 0;
		if (rank <= previous) return false;
		this.rankByMessage.set(messageId, rank);
		claims?.push({ messageId, rank, previous });
		return true;
	}

	/**
	 * Takes back steps whose delivery n8n did not take (1MSG got no 2xx, so it posts the body again
	 * and that retry must not look like a repeat). A message that moved on since keeps its newer step.
	 */
	release(claims: readonly ProgressClaim[]): void {
		for (const claim of [...claims].reverse()) {
			if (this.rankByMessage.get(claim.messageId) !== claim.rank) continue;
			if (claim.previous === 0) this.rankByMessage.delete(claim.messageId);
			else this.rankByMessage.set(claim.messageId, claim.previous);
		}
	}

	/**
	 * Marks steps as in flight until `settle`: their body has started a run, and 1MSG has not been
	 * answered. A retry of the same status meanwhile (1MSG timed out while n8n waited for Redis) must
	 * neither start a second run nor be told "already received" while the first could still fail.
	 */
	hold(claims: readonly ProgressClaim[], now = Date.now()): void {
		for (const claim of claims) this.inFlight.set(inFlightKey(claim.messageId, claim.rank), { claim, since: now });
	}

	/**
	 * The answer went out: a 2xx keeps the steps, anything else takes them back. Only steps still held
	 * by this body are touched: one that `anyInFlight` already took back (held too long) may have been
	 * taken again by a retry, whose hold and step stay.
	 */
	settle(claims: readonly ProgressClaim[], taken: boolean): void {
		const held = claims.filter((claim) => this.inFlight.get(inFlightKey(claim.messageId, claim.rank))?.claim === claim);
		for (const claim of held) this.inFlight.delete(inFlightKey(claim.messageId, claim.rank));
		if (!taken) this.release(held);
	}

	/**
	 * True if one of these events is a status still in flight here. A hold older than `IN_FLIGHT_LIMIT_MS`
	 * is taken back instead, so the retry runs rather than the status being lost.
	 */
	anyInFlight(events: readonly ChannelEvent[], now = Date.now()): boolean {
		let found = false;
		for (const event of events) {
			if (event.event !== 'status') continue;
			const key = inFlightKey(event.messageId, STATUS_RANK[event.status]);
			const held = this.inFlight.get(key);
			if (!held) continue;
			if (now - held.since <= IN_FLIGHT_LIMIT_MS) found = true;
			else {
				this.inFlight.delete(key);
				this.release([held.claim]);
			}
		}
		return found;
	}
}

function inFlightKey(messageId: string, rank: number): string {
	return `${rank}:${messageId}`;
}

/** One step forward of one message, as `advance` took it. */
export interface ProgressClaim {
	messageId: string;
	rank: number;
	previous: number;
}

export interface EventSelection {
	/** The statuses that start the workflow. */
	statuses: ReadonlySet<string>;
	includeMessages: boolean;
}

/**
 * The events of one webhook body that start the workflow. Repeats and backward steps are dropped
 * even for statuses not selected, so the progress stays true when the selection changes.
 */
export function newEvents(
	events: ChannelEvent[],
	progress: StatusProgress,
	selection: EventSelection,
	claims?: ProgressClaim[],
): ChannelEvent[] {
	return events.filter((event) => {
		if (event.event === 'message') return selection.includeMessages;
		return progress.advance(event.messageId, event.status, claims) && selection.statuses.has(event.status);
	});
}

const progressByTrigger = new BoundedMap<string, StatusProgress>(TRIGGERS_REMEMBERED);

/** The progress a trigger node has seen, by the key of `triggerKey`; the trigger used last is kept longest. */
export function statusProgressFor(triggerKey: string): StatusProgress {
	const progress = progressByTrigger.get(triggerKey) ?? new StatusProgress(MESSAGES_REMEMBERED);
	progressByTrigger.set(triggerKey, progress);
	return progress;
}

export function forgetStatusProgress(triggerKey: string): void {
	progressByTrigger.delete(triggerKey);
}

/**
 * One trigger node of one workflow, as the published trigger or as the editor's test listener: the
 * two receive the same statuses, so a status taken by a test run must not count as a repeat for
 * production, and stopping the test must not wipe production's memory.
 */
export function triggerKey(
	context: { getNode(): { id?: string; name: string }; getWorkflow(): { id?: string } },
	listener: 'test' | 'production' = 'production',
): string {
	const node = context.getNode();
	return `${context.getWorkflow().id ?? ''}:${node.id ?? node.name}${listener === 'test' ? ':test' : ''}`;
}
