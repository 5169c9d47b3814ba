/**
 * The channel's webhook list: `POST /webhook` replaces the whole list (at most 5 URLs), and the list
 * usually holds 1MSG's own inbox URL, so the trigger only ever adds or removes its own entry.
 */
import { explicitFlag } from '../shared/flags';

export const MAX_WEBHOOK_URLS = 5;

/** `{webhookUrl}` may be one string, an array, or a legacy comma-separated string. */
export function webhookUrlsOf(body: unknown): string[] {
	const value = typeof body === 'object' && body !== null ? (body as { webhookUrl?: unknown }).webhookUrl : undefined;
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return list
		.filter((entry): entry is string => typeof entry === 'string')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

/** An entry is ours when it is our webhook URL, whatever secret its query carries. */
export function isOurUrl(entry: string, ourBaseUrl: string): boolean {
	const strip = (url: string) => url.split('?')[0].replace(/\/+$/, '');
	return strip(entry) === strip(ourBaseUrl);
}

export function withoutOurUrl(list: string[], ourBaseUrl: string): string[] {
	return list.filter((entry) => !isOurUrl(entry, ourBaseUrl));
}

export type AddResult = { ok: true; list: string[] } | { ok: false; others: string[] };

/**
 * Our URL takes the place of the first earlier entry of ours (so the order of the list is kept), or
 * goes after the others; refused when the other entries already fill the list.
 */
export function addOurUrl(list: string[], ourBaseUrl: string, ourUrl: string): AddResult {
	const others = withoutOurUrl(list, ourBaseUrl);
	if (others.length >= MAX_WEBHOOK_URLS) return { ok: false, others };
	const at = list.findIndex((entry) => isOurUrl(entry, ourBaseUrl));
	if (at === -1) return { ok: true, list: [...others, ourUrl] };
	const before = withoutOurUrl(list.slice(0, at), ourBaseUrl);
	return { ok: true, list: [...before, ourUrl, ...others.slice(before.length)] };
}

/** Status texts that clearly say a destination is off (compared lowercase, letters only: `auto_disabled` too). */
const DISABLED_STATUSES = new Set(['disabled', 'autodisabled', 'inactive', 'deactivated']);
/** Status texts that clearly say a destination works. */
const ENABLED_STATUSES = new Set(['enabled', 'active', 'ok', 'healthy']);

/** The clear signs one URL's status gives: of "disabled", of "enabled", both, or none. */
function signsOf(status: unknown): { disabled: boolean; enabled: boolean } {
	const signs = { disabled: false, enabled: false };
	const readText = (text: unknown) => {
		if (typeof text !== 'string') return;
		const word = text.toLowerCase().replace(/[^a-z]/g, '');
		if (DISABLED_STATUSES.has(word)) signs.disabled = true;
		if (ENABLED_STATUSES.has(word)) signs.enabled = true;
	};
	if (typeof status === 'string') readText(status);
	if (typeof status !== 'object' || status === null || Array.isArray(status)) return signs;
	const record = status as Record<string, unknown>;
	readText(record.status);
	readText(record.state);
	for (const key of ['enabled', 'active']) {
		const flag = explicitFlag(record[key]);
		if (flag === false) signs.disabled = true;
		if (flag === true) signs.enabled = true;
	}
	const disabled = explicitFlag(record.disabled);
	if (disabled === true) signs.disabled = true;
	if (disabled === false) signs.enabled = true;
	return signs;
}

/**
 * The URLs `GET /webhook` reports as disabled in `webhookStatuses`. 1MSG disables a destination that
 * keeps failing and reports it per URL (1msg/1msg-for-agents references/reliability.md, "Recover the
 * affected destination"), but no source shows the field's shape or values
 * (test/fixtures/contract/SOURCES.md, "Not found"). So the plausible forms are read: an object keyed
 * by URL whose values are a status text or an object, or an array of objects naming their URL
 * (`url`, `webhookUrl`, `webhook_url`); an object's sign is its `status`/`state` text or its
 * `enabled`/`active`/`disabled` flag. A URL counts as disabled only on a clear sign and none to the
 * contrary: a bare `true`/`false` keyed by a URL says neither "enabled" nor "disabled", so it is
 * not read as either.
 */
export function disabledUrlsOf(body: unknown): string[] {
	const statuses = typeof body === 'object' && body !== null ? (body as { webhookStatuses?: unknown }).webhookStatuses : undefined;
	const entries: Array<[unknown, unknown]> = Array.isArray(statuses)
		? statuses.map((entry) => {
				const record = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
				return [record.url ?? record.webhookUrl ?? record.webhook_url, entry];
			})
		: typeof statuses === 'object' && statuses !== null
			? Object.entries(statuses)
			: [];
	const disabled: string[] = [];
	for (const [url, status] of entries) {
		if (typeof url !== 'string' || url.trim() === '') continue;
		const signs = signsOf(status);
		if (signs.disabled && !signs.enabled && !disabled.includes(url.trim())) disabled.push(url.trim());
	}
	return disabled;
}

/** A URL for a log line: its query (a secret, another consumer's token) left out. */
export function withoutQuery(url: string): string {
	const at = url.indexOf('?');
	return at === -1 ? url : `${url.slice(0, at)}?…`;
}
