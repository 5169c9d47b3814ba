/**
 * Delivery statuses are one switch for the whole channel, while several triggers (other workflows,
 * a test listener next to the published trigger, someone's own URL) may need them. Each workflow
 * sees only its own static data, but every trigger sees the channel's webhook list, so the list says
 * who else is listening: this package's trigger URLs carry their secret, and the ones that hold the
 * statuses this package switched on carry a mark, which a trigger activated later takes over.
 */
import { createHash } from 'crypto';

import { flagOn } from '../shared/flags';
import { SECRET_PARAM } from './webhookAuth';

/** Query mark of a trigger URL holding statuses switched on by a trigger of this package. */
export const STATUSES_MARK_PARAM = 'statusesOn';

function parse(url: string): URL | undefined {
	try {
		return new URL(url);
	} catch {
		return undefined;
	}
}

/** A URL a trigger of this package registered: path `/<prefix>/<webhook id>/webhook`, with a 48-hex secret. */
export function isTriggerUrl(url: string): boolean {
	const parsed = parse(url);
	if (!parsed) return false;
	const segments = parsed.pathname.split('/').filter(Boolean);
	return segments.length >= 3 && segments[segments.length - 1] === 'webhook' && /^[0-9a-f]{48}$/.test(parsed.searchParams.get(SECRET_PARAM) ?? '');
}

/** The mark is written as `1`; read like 1MSG's own flags, so a `true` written by hand counts too. */
export function holdsStatuses(url: string): boolean {
	return isTriggerUrl(url) && flagOn(parse(url)?.searchParams.get(STATUSES_MARK_PARAM));
}

export function withStatusesMark(url: string): string {
	const parsed = new URL(url);
	parsed.searchParams.set(STATUSES_MARK_PARAM, '1');
	return parsed.toString();
}

/** Other consumers' URLs are kept only as digests: their queries may hold secrets of their own. */
export function urlDigest(url: string): string {
	return createHash('sha256').update(url).digest('hex').slice(0, 16);
}

/** The URLs, other than this package's triggers, there when the statuses were switched on (or taken over). */
export function statusBaseline(others: string[]): string[] {
	return others.filter((url) => !isTriggerUrl(url)).map(urlDigest);
}

export type StatusesDecision = { switchOff: true } | { switchOff: false; reason: string };

/**
 * Whether a trigger leaving the channel may switch statuses off: only if it holds them, no other
 * trigger of this package remains, and no URL added since they were switched on remains (it may need them).
 */
export function statusesOnLeaving(holds: boolean, remaining: string[], baseline: string[] | undefined): StatusesDecision {
	if (!holds) return { switchOff: false, reason: 'they were on before this trigger, or another trigger switched them on' };
	const triggers = remaining.filter(isTriggerUrl);
	if (triggers.length > 0) return { switchOff: false, reason: `${triggers.length} other 1MSG Trigger URL(s) still receive them` };
	if (baseline) {
		const known = new Set(baseline);
		const added = remaining.filter((url) => !known.has(urlDigest(url)));
		if (added.length > 0) return { switchOff: false, reason: `${added.length} webhook URL(s) added since they were switched on may need them` };
	}
	return { switchOff: true };
}
