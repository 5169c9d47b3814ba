/**
 * Turns 1MSG's error shapes into one typed failure. 1MSG answers failures in several shapes
 * (HTTP 200 with `sent:false`, `{error}`, `{message}`, Meta's `{error:{…}}`, HTML or plain text),
 * so the order of the checks below follows what the API is known to send.
 */

import { CATEGORIES, FIX, type ErrorCategory, type OneMsgFailure } from './failures';
import { isObject } from './json';

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

export interface ResponseInfo {
	statusCode: number;
	body: unknown;
	headers?: Record<string, unknown>;
	/** A send that 1MSG may have executed: ambiguous answers become `unknown_outcome`, never a retry. */
	isSend: boolean;
}

/** Meta codes for a parameter WhatsApp refused: invalid, missing, too long, wrong format. */
const INVALID_PARAMETER_CODES = [100, 131008, 131009, 132005, 132007, 132018];

const TEXT_RULE = /new-line|new line|tab characters|consecutive spaces/;
const INVALID_PHONE = /phone number is not valid|invalid phone|wrong phone/;
/** A refusal that names a quick-reply button: the option that sends their payloads is the fix. */
const QUICK_REPLY = /quick[_ -]?repl/;
/** The channel does not send by BSUID or username (1MSG turns it on per channel). */
const RECIPIENT_ROUTING = /(bsuid|username) routing is disabled/;

/**
 * How a failure text or Meta code shows its category, checked in this order: the first row that
 * matches wins (a throughput code beats the word "parameter", a parameter rule beats "not found").
 */
const CATEGORY_SIGNS: ReadonlyArray<{ category: ErrorCategory; metaCodes: readonly number[]; text: RegExp }> = [
	{ category: 'rate_limited', metaCodes: [130429, 131056], text: /too many request|rate limit|throughput/ },
	{
		category: 'param_mismatch',
		metaCodes: [132000, 132012],
		text: /number of (localizable_)?params|does not match the expected number/,
	},
	{
		category: 'invalid_input',
		metaCodes: INVALID_PARAMETER_CODES,
		text: new RegExp(
			[TEXT_RULE, INVALID_PHONE, RECIPIENT_ROUTING, /invalid parameter|parameter value is not valid|too long/]
				.map((rule) => rule.source)
				.join('|'),
		),
	},
	{
		category: 'template_not_found',
		metaCodes: [132001, 132015, 132016],
		text: /template is not defined|template .*(not found|does not exist)|does not exist in the translation|template name does not exist/,
	},
	{ category: 'window_closed', metaCodes: [131047], text: /dialog window is closed|outside the allowed window|re-engagement/ },
	{
		category: 'recipient_unreachable',
		metaCodes: [131026, 130472, 131049],
		text: /undeliverable|not a (valid )?whatsapp user|part of an experiment|not linked with bsuid|username is not found/,
	},
	{ category: 'auth', metaCodes: [], text: /invalid token|wrong token|unauthori[sz]ed/ },
];

/**
 * Meta codes that 1MSG's failure texts stand for when they carry no number: a failed status's
 * `error` is free text (e.g. "User's number is part of an experiment" is Meta 130472).
 */
export const META_CODE_TEXTS: ReadonlyArray<{ metaCode: number; text: RegExp }> = [
	{ metaCode: 130472, text: /part of an experiment/ },
	{ metaCode: 131026, text: /undeliverable|not a (valid )?whatsapp user/ },
	{ metaCode: 131049, text: /healthy ecosystem/ },
	{ metaCode: 131047, text: /re-engagement|outside the allowed window|dialog window is closed/ },
	{ metaCode: 131056, text: /pair rate limit/ },
	{ metaCode: 130429, text: /throughput/ },
	{ metaCode: 132001, text: /template name does not exist|does not exist in the translation/ },
	{ metaCode: 132015, text: /template (is )?paused/ },
	{ metaCode: 132016, text: /template (is )?disabled/ },
];

/** The Meta code a failure text gives, as a number in it or by a known wording. */
export function impliedMetaCode(text: string): number | undefined {
	const lower = text.toLowerCase();
	return metaCodeInText(text) ?? META_CODE_TEXTS.find((row) => row.text.test(lower))?.metaCode;
}

/** The category a failure text or Meta code names, if any. */
export function categoryOfText(text: string, metaCode: number | undefined): ErrorCategory | undefined {
	const lower = text.toLowerCase();
	const sign = CATEGORY_SIGNS.find(
		(row) => (metaCode !== undefined && row.metaCodes.includes(metaCode)) || row.text.test(lower),
	);
	return sign?.category;
}

/** How to fix it; `invalid_input` answers say more precisely which rule was broken. */
function describe(category: ErrorCategory, message: string, detail = ''): string {
	if (category === 'invalid_input') {
		const lower = `${message} ${detail}`.toLowerCase();
		if (INVALID_PHONE.test(lower)) return FIX.phone;
		if (RECIPIENT_ROUTING.test(lower)) return FIX.recipientRouting;
		if (QUICK_REPLY.test(lower)) return FIX.quickReplyPayloads;
		if (!TEXT_RULE.test(lower)) return FIX.generic;
	}
	return CATEGORIES[category].fix;
}

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
			return build('unknown_outcome', 'The send answer could not be read');
		}
		if (body.jobId !== undefined && body.jobId !== null && body.jobId !== '') {
			return build('unknown_outcome', `1MSG queued the message as job ${String(body.jobId)} instead of sending it`);
		}
		const category = categoryOfText(categoryText, metaCode) ?? 'server';
		return build(category, apiMessage ?? '1MSG did not accept the message (sent: false)');
	}

	if (statusCode === 401 || statusCode === 403) return build('auth', apiMessage ?? 'Authorization failed');
	if (statusCode === 429) return build('rate_limited', apiMessage ?? 'Rate limit exceeded');
	if (statusCode >= 500) {
		return build(isSend ? 'unknown_outcome' : 'server', `1MSG answered HTTP ${statusCode}${apiMessage ? `: ${apiMessage}` : ''}`);
	}
	if (statusCode === 404) {
		// A missing method or channel stays missing: a 404 is never repeated, whatever its text.
		const category = categoryOfText(categoryText, metaCode);
		if (category) return build(category, apiMessage ?? 'Not found', false);
		return { ...build('server', apiMessage ?? 'Not found'), description: FIX.notFound };
	}
	const category = categoryOfText(categoryText, metaCode) ?? (isSend ? 'invalid_input' : 'server');
	return build(category, apiMessage ?? `1MSG answered HTTP ${statusCode}`);

	function build(category: ErrorCategory, message: string, retryable = CATEGORIES[category].retryable): OneMsgFailure {
		return {
			category,
			message,
			description: describe(category, message, detail),
			statusCode,
			metaCode,
			retryable,
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
			description: code === 'ECONNREFUSED' ? FIX.connectionRefused : FIX.hostNotFound,
			// The one `server` failure that may be repeated: a refused connection proves nothing was sent.
			retryable: code === 'ECONNREFUSED',
			apiMessage: message,
		};
	}
	if (isSend) {
		return {
			category: 'unknown_outcome',
			message: `No answer from 1MSG (${code ?? 'network error'}): ${message}`,
			description: CATEGORIES.unknown_outcome.fix,
			retryable: false,
			apiMessage: message,
		};
	}
	return {
		category: 'server',
		message: `No answer from 1MSG (${code ?? 'network error'}): ${message}`,
		description: FIX.noAnswer,
		retryable: false,
		apiMessage: message,
	};
}
