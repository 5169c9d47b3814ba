/**
 * Turns 1MSG's error shapes into one typed failure. 1MSG answers failures in several shapes
 * (HTTP 200 with `sent:false`, `{error}`, `{message}`, Meta's `{error:{…}}`, HTML or plain text),
 * so the order of the checks below follows what the API is known to send.
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

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** `message`, then `error` (string), then Meta's nested error, then `response.error`, then raw text. */
export function extractApiMessage(body: unknown): string | undefined {
	if (isObject(body)) {
		const direct = nonEmptyString(body.message) ?? nonEmptyString(body.error);
		if (direct) return direct;
		if (isObject(body.error)) {
			const nested =
				nonEmptyString(body.error.error_user_msg) ??
				nonEmptyString(body.error.error_user_title) ??
				nonEmptyString(body.error.message);
			if (nested) return nested;
		}
		if (isObject(body.response)) {
			const inner = nonEmptyString(body.response.error);
			if (inner) return inner;
		}
		return undefined;
	}
	if (typeof body === 'string') {
		const text = body
			.replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/gi, ' ')
			.replace(/<[^>]+>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim();
		if (!text) return undefined;
		return text.length > 300 ? `${text.slice(0, 300)}…` : text;
	}
	return undefined;
}

/** Meta codes such as 131026 may appear as `(#131026)` or alone in a failure text. */
export function metaCodeInText(text: string): number | undefined {
	const match = /\(#(\d{3,6})\)|\b(1[3-9]\d{4})\b/.exec(text);
	return match ? Number(match[1] ?? match[2]) : undefined;
}

export function metaCodeOf(text: string | undefined, body?: unknown): number | undefined {
	if (isObject(body) && isObject(body.error)) {
		const code = body.error.code ?? body.error.error_code;
		if (typeof code === 'number') return code;
		if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
	}
	return text ? metaCodeInText(text) : undefined;
}

function parseRetryAfter(value: unknown): number | undefined {
	const raw = Array.isArray(value) ? value[0] : value;
	if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
	const seconds = Number(raw);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(String(raw));
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - Date.now());
}

const FIX = {
	auth: 'Check the token in the 1MSG Channel API credential: copy it again from the 1MSG dashboard (channel settings → API), and make sure Channel ID belongs to the same channel.',
	templateNotFound:
		'Make sure the template is approved in the 1MSG dashboard for this language, and that the namespace is the one shown in the channel\'s template list. Re-select it from the list to pick up changes.',
	paramMismatch:
		'Send exactly one value per variable of the approved template. Pick the template made for this scenario, or use Custom Template mode, which reads the variables from the template itself.',
	paramText:
		'WhatsApp rejects variable text with new lines, tabs or more than 4 spaces in a row. Turn on "Clean Variable Text" or remove them from the value.',
	windowClosed:
		'The 24-hour customer service window is closed; only approved templates can start a conversation. Send a template, and check that the customer has opted in.',
	unreachable:
		'The number cannot receive this message (not on WhatsApp, old client, no opt-in or a Meta experiment). Do not retry; use another channel.',
	rateLimited:
		'1MSG or WhatsApp is throttling this channel. Lower Concurrency or set Max Messages per Second, and raise Max Retries if bursts are expected.',
	unknownOutcome:
		'The message may or may not have been sent. It was not sent again, to avoid a duplicate: check GET hookInfo or the trigger\'s statuses for this recipient before retrying.',
	server: '1MSG answered with a server error. Try again later; if it persists, contact 1MSG support.',
	notFound: 'The API method or channel was not found. Check Base URL and Channel ID in the credential.',
	generic: 'Check the values sent against the template in the 1MSG dashboard.',
};

export interface ResponseInfo {
	statusCode: number;
	body: unknown;
	headers?: Record<string, unknown>;
	/** A send that 1MSG may have executed: ambiguous answers become `unknown_outcome`, never a retry. */
	isSend: boolean;
}

function categoriseText(text: string, metaCode: number | undefined): ErrorCategory | undefined {
	const lower = text.toLowerCase();
	if (metaCode === 130429 || metaCode === 131056 || /too many request|rate limit|throughput/.test(lower))
		return 'rate_limited';
	if (metaCode === 132000 || metaCode === 132012 || /number of (localizable_)?params|does not match the expected number/.test(lower))
		return 'param_mismatch';
	if (
		(metaCode !== undefined && INVALID_PARAMETER_CODES.has(metaCode)) ||
		TEXT_RULE.test(lower) ||
		INVALID_PHONE.test(lower) ||
		/invalid parameter|parameter value is not valid|too long/.test(lower)
	)
		return 'invalid_input';
	if (
		metaCode === 132001 ||
		metaCode === 132015 ||
		metaCode === 132016 ||
		/template is not defined|template .*(not found|does not exist)|does not exist in the translation|template name does not exist/.test(
			lower,
		)
	)
		return 'template_not_found';
	if (metaCode === 131047 || /dialog window is closed|outside the allowed window|re-engagement/.test(lower))
		return 'window_closed';
	if (
		metaCode === 131026 ||
		metaCode === 130472 ||
		metaCode === 131049 ||
		/undeliverable|not a (valid )?whatsapp user|part of an experiment|not linked with bsuid|username is not found/.test(
			lower,
		)
	)
		return 'recipient_unreachable';
	if (/invalid token|wrong token|unauthori[sz]ed/.test(lower)) return 'auth';
	return undefined;
}

/** Meta codes for a parameter WhatsApp refused: invalid, missing, too long, wrong format. */
const INVALID_PARAMETER_CODES = new Set([100, 131008, 131009, 132005, 132007, 132018]);

const TEXT_RULE = /new-line|new line|tab characters|consecutive spaces/;
const INVALID_PHONE = /phone number is not valid|invalid phone|wrong phone/;

/** How to fix it; `invalid_input` answers say more precisely which rule was broken. */
function describe(category: ErrorCategory, message: string, detail = ''): string {
	if (category === 'invalid_input') {
		const lower = `${message} ${detail}`.toLowerCase();
		if (INVALID_PHONE.test(lower))
			return 'Send the recipient as digits with the country code, 8 to 15 digits, e.g. 79991234567.';
		if (!TEXT_RULE.test(lower)) return FIX.generic;
	}
	return CATEGORY_FIX[category];
}

const CATEGORY_FIX: Record<ErrorCategory, string> = {
	invalid_input: FIX.paramText,
	auth: FIX.auth,
	template_not_found: FIX.templateNotFound,
	param_mismatch: FIX.paramMismatch,
	window_closed: FIX.windowClosed,
	recipient_unreachable: FIX.unreachable,
	rate_limited: FIX.rateLimited,
	unknown_outcome: FIX.unknownOutcome,
	server: FIX.server,
};

/**
 * Reads an HTTP answer. Returns undefined when it is a success: 2xx and, for sends, `sent:true`.
 * HTTP 200 with `sent:false` is one of 1MSG's normal failure shapes.
 */
export function failureFromResponse(response: ResponseInfo): OneMsgFailure | undefined {
	const { statusCode, body, isSend } = response;
	const apiMessage = extractApiMessage(body);
	const metaCode = metaCodeOf(apiMessage, body);
	// 1MSG puts the detail of some refusals (e.g. Meta's text rule) in `description`.
	const detail = isObject(body) && typeof body.description === 'string' ? body.description : '';
	const categoryText = `${apiMessage ?? ''} ${detail}`;
	const retryAfterMs = parseRetryAfter(response.headers?.['retry-after']);
	const ok = statusCode >= 200 && statusCode < 300;

	if (ok) {
		if (!isSend) {
			if (isObject(body) && isObject(body.error) && !Array.isArray(body.templates)) {
				return build('server', apiMessage ?? '1MSG returned an error object');
			}
			return undefined;
		}
		if (isObject(body) && body.sent === true) return undefined;
		if (!isObject(body)) {
			// A 2xx the client cannot read (HTML, broken JSON): the send may have happened.
			return build('unknown_outcome', 'The send answer could not be read', false);
		}
		if (body.jobId !== undefined && body.jobId !== null && body.jobId !== '') {
			return build(
				'unknown_outcome',
				`1MSG queued the message as job ${String(body.jobId)} instead of sending it`,
				false,
			);
		}
		const category = categoriseText(categoryText, metaCode) ?? 'server';
		return build(category, apiMessage ?? '1MSG did not accept the message (sent: false)', category === 'rate_limited');
	}

	if (statusCode === 401 || statusCode === 403) return build('auth', apiMessage ?? 'Authorization failed', false);
	if (statusCode === 429) return build('rate_limited', apiMessage ?? 'Rate limit exceeded', true);
	if (statusCode >= 500) {
		if (isSend) return build('unknown_outcome', `1MSG answered HTTP ${statusCode}${apiMessage ? `: ${apiMessage}` : ''}`, false);
		return build('server', `1MSG answered HTTP ${statusCode}${apiMessage ? `: ${apiMessage}` : ''}`, false);
	}
	if (statusCode === 404) {
		const category = categoriseText(categoryText, metaCode);
		if (category) return build(category, apiMessage ?? 'Not found', false);
		return { ...build('server', apiMessage ?? 'Not found', false), description: FIX.notFound };
	}
	const category = categoriseText(categoryText, metaCode) ?? (isSend ? 'invalid_input' : 'server');
	return build(category, apiMessage ?? `1MSG answered HTTP ${statusCode}`, category === 'rate_limited');

	function build(category: ErrorCategory, message: string, retryable = false): OneMsgFailure {
		return {
			category,
			message,
			description: describe(category, message, detail),
			statusCode,
			metaCode,
			retryable: retryable && category === 'rate_limited',
			retryAfterMs,
			apiMessage,
		};
	}
}

/** Network-level failures: only a refused connection proves nothing reached 1MSG. */
export function failureFromNetworkError(code: string | undefined, message: string, isSend: boolean): OneMsgFailure {
	if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return {
			category: 'server',
			message: `Could not connect to 1MSG (${code})`,
			description:
				code === 'ECONNREFUSED'
					? 'Nothing was sent. Check Base URL in the credential and that the API host is reachable.'
					: 'Nothing was sent. Check Base URL in the credential: the host name does not resolve.',
			retryable: code === 'ECONNREFUSED',
			apiMessage: message,
		};
	}
	if (isSend) {
		return {
			category: 'unknown_outcome',
			message: `No answer from 1MSG (${code ?? 'network error'}): ${message}`,
			description: FIX.unknownOutcome,
			retryable: false,
			apiMessage: message,
		};
	}
	return {
		category: 'server',
		message: `No answer from 1MSG (${code ?? 'network error'}): ${message}`,
		description: 'Try again later; check Base URL and the network between n8n and 1MSG.',
		retryable: false,
		apiMessage: message,
	};
}
