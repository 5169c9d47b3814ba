/**
 * The key a workflow deduplicates on across n8n processes and restarts. The trigger's repeat filter
 * (`repeats.ts`) lives in the memory of the process that receives a webhook, so a repeat that reaches
 * another webhook process, or arrives after a restart, starts a run again. Every item therefore carries
 * `dedupeKey`, the same for every copy of one status of one message on one channel, to be checked
 * against n8n's database (the Remove Duplicates node, "Remove items processed in previous executions").
 */
import type { ChannelEvent } from '../shared/statusEvents';

/** `<channel>:<messageId>:<status>`, or `…:message` for an incoming message; the channel is empty when the body names none. */
export function dedupeKeyOf(event: ChannelEvent): string {
	const what = event.event === 'status' ? event.status : 'message';
	return `${event.instanceId ?? ''}:${event.messageId}:${what}`;
}

export function withDedupeKey<T extends ChannelEvent>(event: T): T & { dedupeKey: string } {
	return { ...event, dedupeKey: dedupeKeyOf(event) };
}
