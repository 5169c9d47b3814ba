/**
 * The channel's webhook list: `POST /webhook` replaces the whole list (at most 5 URLs), and the list
 * usually holds 1MSG's own inbox URL, so the trigger only ever adds or removes its own entry.
 */
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

/** Our URL replaces any earlier entry of ours; refused when the other entries already fill the list. */
export function addOurUrl(list: string[], ourBaseUrl: string, ourUrl: string): AddResult {
	const others = withoutOurUrl(list, ourBaseUrl);
	if (others.length >= MAX_WEBHOOK_URLS) return { ok: false, others };
	return { ok: true, list: [...others, ourUrl] };
}
