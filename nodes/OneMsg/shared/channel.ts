/** Channel and token rules shared by every request and the credential; pure so they can be tested without n8n. */

import { ChannelConfigError } from './failures';

export const DEFAULT_BASE_URL = 'https://api.1msg.io';

export interface ChannelCredentials {
	channelId?: string;
	token?: string;
	baseUrl?: string;
}

export interface ResolvedChannel {
	channelId: string;
	baseUrl: string;
}

/** Users paste tokens copied from curl examples; 1MSG wants the bare token after `Bearer `. */
export function stripAuthPrefix(token: string): string {
	return token.trim().replace(/^(bearer|basic)\s+/i, '');
}

function decodeBase64Url(segment: string): string {
	const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
	const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
	return Buffer.from(padded, 'base64').toString('utf8');
}

/**
 * Current 1MSG channel tokens are JWTs carrying an `instanceId` claim such as `instance371267300`;
 * the channel id is the part after the `instance` prefix. Older plain tokens carry nothing.
 */
export function channelIdFromToken(token: string | undefined): string | undefined {
	if (!token) return undefined;
	const parts = stripAuthPrefix(token).split('.');
	if (parts.length !== 3) return undefined;
	try {
		const claims = JSON.parse(decodeBase64Url(parts[1])) as { instanceId?: unknown };
		if (typeof claims.instanceId !== 'string' && typeof claims.instanceId !== 'number') return undefined;
		const id = String(claims.instanceId).trim().replace(/^instance/, '');
		return id || undefined;
	} catch {
		return undefined;
	}
}

export function normaliseBaseUrl(baseUrl: string | undefined): string {
	const trimmed = (baseUrl ?? '').trim().replace(/\/+$/, '');
	return trimmed || DEFAULT_BASE_URL;
}

/** The explicit Channel ID wins; a JWT's `instanceId` fills in when it is blank. */
export function resolveChannel(credentials: ChannelCredentials): ResolvedChannel {
	const baseUrl = normaliseBaseUrl(credentials.baseUrl);
	if (!/^https?:\/\/[^/\s]+/i.test(baseUrl)) {
		throw new ChannelConfigError(
			`The Base URL "${baseUrl}" is not a valid http(s) URL`,
			'Open the 1MSG Channel API credential and set Base URL to e.g. https://api.1msg.io.',
		);
	}
	const explicit = (credentials.channelId ?? '').trim();
	const channelId = explicit || channelIdFromToken(credentials.token);
	if (!channelId) {
		throw new ChannelConfigError(
			'This 1MSG token is not tied to a channel',
			'Open the 1MSG Channel API credential and fill in Channel ID (e.g. VID182868781) from the 1MSG dashboard.',
		);
	}
	if (!/^[A-Za-z0-9_-]+$/.test(channelId)) {
		throw new ChannelConfigError(
			`The Channel ID "${channelId}" contains characters a channel ID never has`,
			'Copy the Channel ID from the 1MSG dashboard: letters and digits only, e.g. VID182868781.',
		);
	}
	return { channelId, baseUrl };
}

/** `{base}/{channel}/{method}`; a method that already starts with the channel is not prefixed twice. */
export function channelUrl(channel: ResolvedChannel, method: string): string {
	let path = method.replace(/^\/+/, '');
	if (path === channel.channelId || path.startsWith(`${channel.channelId}/`)) {
		path = path.slice(channel.channelId.length).replace(/^\/+/, '');
	}
	return `${channel.baseUrl}/${channel.channelId}/${path}`;
}
