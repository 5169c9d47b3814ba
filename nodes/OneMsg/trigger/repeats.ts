import { StatusProgress } from '../shared/statusEvents';

/** Messages remembered per trigger; older ones are forgotten first, so memory stays bounded. */
export const MESSAGES_REMEMBERED = 20_000;
const TRIGGERS_REMEMBERED = 500;

const progressByTrigger = new Map<string, StatusProgress>();

/**
 * Status progress of one trigger node, kept in the n8n process that receives its webhooks. A workflow
 * start is not needed to remember a repeat, so it lives in memory rather than in static data.
 */
export function statusProgressFor(triggerKey: string): StatusProgress {
	let progress = progressByTrigger.get(triggerKey);
	if (progress) {
		progressByTrigger.delete(triggerKey);
	} else {
		progress = new StatusProgress(MESSAGES_REMEMBERED);
		if (progressByTrigger.size >= TRIGGERS_REMEMBERED) {
			progressByTrigger.delete(progressByTrigger.keys().next().value as string);
		}
	}
	progressByTrigger.set(triggerKey, progress);
	return progress;
}

export function forgetStatusProgress(triggerKey: string): void {
	progressByTrigger.delete(triggerKey);
}
