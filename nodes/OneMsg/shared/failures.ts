/**
 * The one failure model of both nodes: the categories a failure can have, what each means for the
 * user (its fix, whether a request that failed so may be repeated, the status an item gets), and
 * the three kinds of failure: a bad item (InputError), a bad credential (ChannelConfigError) and
 * an API or network failure (OneMsgFailure). Pure: nothing here touches n8n.
 */

export type ErrorCategory =
	| 'invalid_input'
	| 'auth'
	| 'template_not_found'
	| 'param_mismatch'
	| 'window_closed'
	| 'recipient_unreachable'
	| 'rate_limited'
	| 'unknown_outcome'
	| 'server';

/** The `status` of a failed item: `unknown` when the message may have been sent, so it must not be resent. */
export type FailureStatus = 'failed' | 'unknown';

export interface CategoryRule {
	/** How to fix it, shown as the error's description. */
	fix: string;
	/** An API answer of this category proves nothing was sent, so the request may be repeated. */
	retryable: boolean;
	status: FailureStatus;
}

/** Fix texts more precise than their category's, chosen by what the answer says. */
export const FIX = {
	paramText:
		'WhatsApp rejects variable text with new lines, tabs or more than 4 spaces in a row. Turn on "Clean Variable Text" or remove them from the value.',
	phone: 'Send the recipient as digits with the country code, 8 to 15 digits, e.g. 79991234567.',
	recipientRouting:
		'This channel does not send by BSUID or username. Send the phone number or chat ID instead, or ask 1MSG to turn this routing on for the channel.',
	generic: 'Check the values sent against the template in the 1MSG dashboard.',
	// 1MSG's help ("Sending a template via API") says quick-reply buttons "are always omitted".
	quickReplyPayloads:
		'The send carried quick-reply payloads, which 1MSG\'s help says are omitted when a template is sent. Turn the option off (option "Put Reference in Quick-Reply Payloads"; in Params (JSON), remove the quick_reply components), or ask 1MSG to pass quick-reply payloads on this channel.',
	notFound: 'The API method or channel was not found. Check Base URL and Channel ID in the credential.',
	connectionRefused: 'Nothing was sent. Check Base URL in the credential and that the API host is reachable.',
	hostNotFound: 'Nothing was sent. Check Base URL in the credential: the host name does not resolve.',
	noAnswer: 'Try again later; check Base URL and the network between n8n and 1MSG.',
};

export const CATEGORIES: Record<ErrorCategory, CategoryRule> = {
	invalid_input: { fix: FIX.paramText, retryable: false, status: 'failed' },
	auth: {
		fix: 'Check the token in the 1MSG Channel API credential: copy it again from the 1MSG dashboard (channel settings → API), and make sure Channel ID belongs to the same channel.',
		retryable: false,
		status: 'failed',
	},
	template_not_found: {
		fix: 'Make sure the template is approved in the 1MSG dashboard for this language, and that the namespace is the one shown in the channel\'s template list. Re-select it from the list to pick up changes.',
		retryable: false,
		status: 'failed',
	},
	param_mismatch: {
		fix: 'Send exactly one value per variable of the approved template. Pick the template made for this scenario, or use Custom Template mode, which reads the variables from the template itself.',
		retryable: false,
		status: 'failed',
	},
	window_closed: {
		fix: 'The 24-hour customer service window is closed; only approved templates can start a conversation. Send a template, and check that the customer has opted in.',
		retryable: false,
		status: 'failed',
	},
	recipient_unreachable: {
		fix: 'The number cannot receive this message (not on WhatsApp, old client, no opt-in or a Meta experiment). Do not retry; use another channel.',
		retryable: false,
		status: 'failed',
	},
	rate_limited: {
		fix: '1MSG or WhatsApp is throttling this channel. Lower Concurrency or set Max Messages per Second, and raise Max Retries if bursts are expected.',
		retryable: true,
		status: 'failed',
	},
	unknown_outcome: {
		fix: 'The message may or may not have been sent. It was not sent again, to avoid a duplicate: check GET hookInfo or the trigger\'s statuses for this recipient before retrying.',
		retryable: false,
		status: 'unknown',
	},
	server: {
		fix: '1MSG answered with a server error. Try again later; if it persists, contact 1MSG support.',
		retryable: false,
		status: 'failed',
	},
};

export interface OneMsgFailure {
	category: ErrorCategory;
	message: string;
	description: string;
	statusCode?: number;
	/** Meta error code read from the text, e.g. 132000. */
	metaCode?: number;
	/** Nothing was sent, so the request may be repeated. */
	retryable: boolean;
	retryAfterMs?: number;
	/** The API's own words, for the output. */
	apiMessage?: string;
}

/** Categories a check before sending can fail with. */
export type InputErrorCategory = Extract<ErrorCategory, 'invalid_input' | 'template_not_found' | 'param_mismatch'>;

/** A bad item, found before any request: it names the field as the form labels it and how to fix it. */
export class InputError extends Error {
	constructor(
		/** The field as the form labels it. */
		readonly field: string,
		message: string,
		readonly fix: string,
		readonly category: InputErrorCategory = 'invalid_input',
	) {
		super(message);
	}
}

/** A credential that cannot name a channel or an API host; no request is made with it. */
export class ChannelConfigError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
	}
}

/** The failure an error thrown by the transport carries, so callers can branch on its category. */
export function failureOf(error: unknown): OneMsgFailure | undefined {
	const context = (error as { context?: { oneMsgFailure?: OneMsgFailure } } | undefined)?.context;
	return context?.oneMsgFailure;
}

/** Any failure of an item, read the same way whatever threw it. */
export interface DescribedFailure {
	message: string;
	description: string;
	category: ErrorCategory;
	statusCode?: number;
	field?: string;
}

export function describeFailure(error: unknown): DescribedFailure {
	if (error instanceof InputError) {
		return { message: error.message, description: error.fix, category: error.category, field: error.field };
	}
	const failure = failureOf(error);
	if (failure) {
		return {
			message: failure.message,
			description: failure.description,
			category: failure.category,
			statusCode: failure.statusCode,
		};
	}
	const description = (error as { description?: string }).description;
	return {
		message: (error as Error).message ?? String(error),
		description: description ?? '',
		category: 'server',
	};
}
