/**
 * When a failure stops the run (no Continue On Fail), n8n shows only the error: it must also say
 * which messages had already gone out, so that nobody retries blindly and sends them twice.
 */
export interface SentBeforeStop {
	itemIndex: number;
	messageId: string | null;
	/**
	 * `unknown`: the outcome was ambiguous, the message may have gone out. `skipped`: sent by an
	 * earlier run (Skip Messages Already Sent), so this run sent nothing for it.
	 */
	status: 'accepted' | 'unknown' | 'skipped';
	/** Who the message is for (phone, chat ID, BSUID or username), when known. */
	recipient?: string;
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
	const skipped = ordered.filter((entry) => entry.status === 'skipped');
	const who = (entry: SentBeforeStop) => (entry.recipient ? ` (${entry.recipient})` : '');
	const retry = retryResends
		? 'Retrying this execution sends them again: set the option Skip Messages Already Sent to avoid it, or send only the remaining items.'
		: 'Retrying this execution skips them (Skip Messages Already Sent) and sends only the others.';
	const parts = [
		accepted.length > 0 ? `${accepted.length} accepted (item ${accepted.map((entry) => entry.itemIndex).join(', ')})` : '',
		unknown.length > 0 ? `${unknown.length} possibly sent (item ${unknown.map((entry) => entry.itemIndex).join(', ')})` : '',
	].filter(Boolean);
	const list = [
		...accepted.map((entry) => `item ${entry.itemIndex}${who(entry)}: ${entry.messageId ?? 'no message id'}`),
		...unknown.map((entry) => `item ${entry.itemIndex}${who(entry)}: outcome unknown`),
	].join(', ');
	// A retried execution that fails again: the customers an earlier run already reached are named,
	// so nobody "fixes" the run by turning the skip off and sends them a second copy.
	const skippedList = skipped.map((entry) => `item ${entry.itemIndex}${who(entry)}${entry.messageId ? `: ${entry.messageId}` : ''}`).join(', ');
	const messages = [
		parts.length > 0 ? `before the stop ${parts.join(' and ')}, ${retryResends ? 'a retry resends them' : 'a retry skips them'}` : '',
		skipped.length > 0 ? `${skipped.length} skipped as already sent by an earlier run (item ${skipped.map((entry) => entry.itemIndex).join(', ')})` : '',
	].filter(Boolean);
	const descriptions = [
		list ? `Sent before the run stopped: ${list}. ${retry}` : '',
		skippedList ? `Already sent by an earlier run, so not sent again: ${skippedList}.` : '',
	].filter(Boolean);
	return { message: `; ${messages.join('; ')}`, description: descriptions.join(' ') };
}
