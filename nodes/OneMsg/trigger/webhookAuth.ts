import { createHash, randomBytes, timingSafeEqual } from 'crypto';

import { isObject } from '../shared/json';

/**
 * 1MSG signs nothing, so the trigger registers its URL with a random secret in the query string and
 * accepts only requests that bring it back.
 */
export const SECRET_PARAM = 'secret';

export function generateWebhookSecret(): string {
	return randomBytes(24).toString('hex');
}

/** Constant-time comparison; hashing first makes the lengths equal, so length leaks nothing either. */
export function secretMatches(expected: string | undefined, received: unknown): boolean {
	if (!expected || typeof received !== 'string' || received === '') return false;
	const a = createHash('sha256').update(expected).digest();
	const b = createHash('sha256').update(received).digest();
	return timingSafeEqual(a, b);
}

export function urlWithSecret(webhookUrl: string, secret: string): string {
	const url = new URL(webhookUrl);
	url.searchParams.set(SECRET_PARAM, secret);
	return url.toString();
}

/**
 * `instanceId` is no proof of origin, but a body naming another channel is certainly not for us.
 * Channel ids appear as `VID182868781`, `182868781` or `instance182868781`: compare their digits
 * when both have any.
 */
export function sameChannel(channelId: string, instanceId: string): boolean {
	const norm = (value: string) => value.trim().toLowerCase().replace(/^instance/, '');
	const a = norm(channelId);
	const b = norm(instanceId);
	if (a === b) return true;
	const digitsA = a.replace(/\D/g, '');
	const digitsB = b.replace(/\D/g, '');
	return digitsA !== '' && digitsA === digitsB;
}

/** The channel a webhook body says it comes from (`instanceId`), or '' when it names none. */
export function claimedChannelOf(body: unknown): string {
	const instanceId = isObject(body) ? body.instanceId : undefined;
	if (typeof instanceId === 'number') return String(instanceId);
	return typeof instanceId === 'string' ? instanceId.trim() : '';
}
