/**
 * When a failure stops the run (no Continue On Fail), n8n shows only the error: it must also say
 * which messages had already gone out, so that nobody retries blindly and sends them twice.
 */
export interface SentBeforeStop {
	itemIndex: number;
	messageId: string | null;
	/** `unknown`: the outcome was ambiguous, the message may have gone out. */
	status: 'accepted' | 'unknown';
}

export interface StopReport {
	/** Appended to the error's message. */
	message: string;
	/** Put before the error's description. */
	description: string;
}

/** Pure: the words for the messages sent before the stop, and what a retry of the execution does with them. */
export function describeStop(sent: SentBeforeStop[], retryResends: boolean): StopReport | undefined {
	if (sent.length === 0) return undefined;
	const ordered = [...sent].sort((a, b) => a.itemIndex - b.itemIndex);
	const accepted = ordered.filter((entry) => entry.status === 'accepted');
	const unknown = ordered.filter((entry) => entry.status === 'unknown');
	const retry = retryResends
		? 'Retrying this execution sends them again: set the option Skip Messages Already Sent to avoid it, or send only the remaining items.'
		: 'Retrying this execution skips them (Skip Messages Already Sent) and sends only the others.';
	const parts = [
		accepted.length > 0 ? `${accepted.length} accepted (item ${accepted.map((entry) => entry.itemIndex).join(', ')})` : '',
		unknown.length > 0 ? `${unknown.length} possibly sent (item ${unknown.map((entry) => entry.itemIndex).join(', ')})` : '',
	].filter(Boolean);
	const list = [
		...accepted.map((entry) => `item ${entry.itemIndex}: ${entry.messageId ?? 'no message id'}`),
		...unknown.map((entry) => `item ${entry.itemIndex}: outcome unknown`),
	].join(', ');
	return {
		message: `; before the stop ${parts.join(' and ')}, ${retryResends ? 'a retry resends them' : 'a retry skips them'}`,
		description: `Sent before the run stopped: ${list}. ${retry}`,
	};
}
