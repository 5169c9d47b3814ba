/**
 * Checks made before any request, so a bad item costs no API call and gets a message that names
 * the field and the fix. Pure functions: they throw InputError and never touch n8n.
 */

import { InputError } from '../shared/failures';
import { parseJsonText } from '../shared/json';

/** Digits with the country code, no `+`; the number limits follow E.164 (at most 15 digits). */
export const PHONE_MIN_DIGITS = 8;
export const PHONE_MAX_DIGITS = 15;

/** WhatsApp refuses a template whose body, values filled in, is longer than this. */
export const MAX_BODY_LENGTH = 1024;

const PHONE_DECORATION = /[\s+\-().\u00a0]/g;

export function normalisePhone(raw: unknown, field = 'Recipient'): string {
	const fix = `Enter the number with its country code, ${PHONE_MIN_DIGITS}–${PHONE_MAX_DIGITS} digits, e.g. 79991234567 or +7 (999) 123-45-67.`;
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
		throw new InputError(field, `${field} is empty`, fix);
	}
	if (typeof raw !== 'string' && typeof raw !== 'number') {
		throw new InputError(field, `${field} must be text or a number, not ${describeType(raw)}`, fix);
	}
	const text = String(raw).trim();
	const digits = text.replace(PHONE_DECORATION, '');
	if (digits === '') {
		throw new InputError(field, `${field} "${truncate(text)}" contains no digits`, fix);
	}
	if (!/^[0-9]+$/.test(digits)) {
		const stray = [...digits].find((char) => !/[0-9]/.test(char)) ?? '';
		throw new InputError(
			field,
			`${field} "${truncate(text)}" contains "${stray}", which is not part of a phone number`,
			`${fix} Send one number per item.`,
		);
	}
	if (digits.length < PHONE_MIN_DIGITS || digits.length > PHONE_MAX_DIGITS) {
		throw new InputError(
			field,
			`${field} "${truncate(text)}" has ${digits.length} digits; a WhatsApp number has ${PHONE_MIN_DIGITS}–${PHONE_MAX_DIGITS}`,
			fix,
		);
	}
	return digits;
}

function describeType(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function truncate(text: string, max = 40): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Meta's rule for parameter text: no new line, no tab, no more than 4 spaces in a row. */
export function textRuleViolation(text: string): string | undefined {
	if (/[\r\n]/.test(text)) return 'a line break';
	if (/\t/.test(text)) return 'a tab';
	if (/ {5}/.test(text)) return 'more than 4 spaces in a row';
	return undefined;
}

/** Rewrites text so it meets Meta's rule while reading the same: breaks and tabs become one space. */
export function cleanVariableText(text: string): string {
	return text
		.replace(/\s*[\r\n\t]+\s*/g, ' ')
		.replace(/ {5,}/g, ' ')
		.trim();
}

export interface VariableTextOptions {
	clean: boolean;
}

export function variableText(raw: unknown, label: string, options: VariableTextOptions): string {
	const fill = `Fill in ${label}, e.g. with an expression such as {{ $json.customerName }}.`;
	if (raw === undefined || raw === null) throw new InputError(label, `${label} is empty`, fill);
	if (typeof raw === 'object') {
		throw new InputError(
			label,
			`${label} must be text, not ${describeType(raw)}`,
			'Map a single field of the item, e.g. {{ $json.order.number }}, not a whole object or list.',
		);
	}
	let text = String(raw);
	if (options.clean) text = cleanVariableText(text);
	if (text.trim() === '') throw new InputError(label, `${label} is empty`, fill);
	const violation = textRuleViolation(text);
	if (violation) {
		throw new InputError(
			label,
			`${label} contains ${violation}, which WhatsApp rejects in template variables`,
			'Turn on the option "Clean Variable Text" to replace them with single spaces, or remove them from the value.',
		);
	}
	return text;
}

export function mediaLink(raw: unknown, label: string): string {
	const fix = 'Use a public https:// link that ends with the file name and extension, e.g. https://example.com/invoice-1042.pdf.';
	if (raw === undefined || raw === null || String(raw).trim() === '') throw new InputError(label, `${label} is empty`, fix);
	if (typeof raw !== 'string') throw new InputError(label, `${label} must be a link, not ${describeType(raw)}`, fix);
	const link = raw.trim();
	const parsed = parseUrl(link);
	if (!parsed) throw new InputError(label, `${label} "${truncate(link)}" is not a URL`, fix);
	if (parsed.protocol !== 'https:') {
		throw new InputError(label, `${label} must start with https://`, fix);
	}
	return link;
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

export function checkBodyLength(rendered: string): void {
	if (rendered.length > MAX_BODY_LENGTH) {
		throw new InputError(
			'Variables',
			`The message would be ${rendered.length} characters long; WhatsApp allows ${MAX_BODY_LENGTH} for a template body`,
			'Shorten the longest variable values.',
		);
	}
}

/** Meta's longest copy-code coupon. */
export const MAX_COUPON_LENGTH = 15;

export function couponCode(raw: unknown, label: string, options: VariableTextOptions): string {
	const code = variableText(raw, label, options).trim();
	if (code.length > MAX_COUPON_LENGTH) {
		throw new InputError(
			label,
			`${label} "${truncate(code)}" has ${code.length} characters; WhatsApp allows ${MAX_COUPON_LENGTH} for a coupon code`,
			`Use a code of at most ${MAX_COUPON_LENGTH} characters, e.g. SUMMER25.`,
		);
	}
	return code;
}

/** Unix times with at most this many digits are in seconds, longer ones in milliseconds. */
const SECONDS_DIGITS = 10;

/**
 * A limited-time offer's end as Unix milliseconds, from an ISO date, Unix seconds or milliseconds
 * (or an n8n date object); it must lie in the future, or WhatsApp shows an offer that has ended.
 */
export function offerExpiration(raw: unknown, label: string, now = Date.now()): number {
	const fix = 'Enter when the offer ends, in the future: an ISO date such as 2026-12-31T18:00:00Z, or Unix time, e.g. {{ $now.plus(3, "days").toMillis() }}.';
	if (raw === undefined || raw === null || String(raw).trim() === '') throw new InputError(label, `${label} is empty`, fix);
	const text = typeof raw === 'object' ? JSON.stringify(raw).replace(/^"|"$/g, '') : String(raw).trim();
	let ms: number;
	if (typeof raw === 'number' || /^\d+$/.test(text)) {
		const digits = String(Math.trunc(Number(text))).length;
		ms = digits <= SECONDS_DIGITS ? Number(text) * 1000 : Number(text);
	} else {
		ms = Date.parse(text);
	}
	if (!Number.isFinite(ms)) throw new InputError(label, `${label} "${truncate(text)}" is not a date or a Unix time`, fix);
	if (ms <= now) {
		throw new InputError(label, `${label} ${new Date(ms).toISOString()} is not in the future`, fix);
	}
	return Math.trunc(ms);
}

/** A flow button's `flow_action_data`: a JSON object, given as an object or as its text. */
export function flowActionData(raw: unknown, label: string): Record<string, unknown> {
	const fix = 'Give the data your flow\'s first screen reads as a JSON object, e.g. {"order_id": "10482"}.';
	let value = raw;
	if (typeof raw === 'string') {
		const parsed = parseJsonText(raw);
		if ('error' in parsed) throw new InputError(label, `${label} is not valid JSON (${parsed.error})`, fix);
		value = parsed.value;
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw new InputError(label, `${label} must be a JSON object, not ${describeType(value)}`, fix);
	}
	return value as Record<string, unknown>;
}
