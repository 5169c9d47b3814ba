import { channelIdFromToken, channelUrl, resolveChannel, stripAuthPrefix } from '../../../../nodes/OneMsg/shared/channel';

const jwt = (claims: Record<string, unknown>) =>
	['{"alg":"HS256","typ":"JWT"}', JSON.stringify(claims), 'dummy-signature']
		.map((part, i) => (i < 2 ? Buffer.from(part).toString('base64url') : part))
		.join('.');

describe('channel resolution', () => {
	it('strips a pasted Bearer prefix', () => {
		expect(stripAuthPrefix('  Bearer abc.def ')).toBe('abc.def');
		expect(stripAuthPrefix('bearer   xyz')).toBe('xyz');
		expect(stripAuthPrefix('plain-token')).toBe('plain-token');
	});

	it("reads the channel id from a JWT's instanceId claim", () => {
		expect(channelIdFromToken(jwt({ instanceId: 'instance371267300' }))).toBe('371267300');
		expect(channelIdFromToken(`Bearer ${jwt({ instanceId: 371267300 })}`)).toBe('371267300');
		expect(channelIdFromToken(jwt({ sub: 'x' }))).toBeUndefined();
		expect(channelIdFromToken('not-a-jwt')).toBeUndefined();
		expect(channelIdFromToken('a.%%%.c')).toBeUndefined();
	});

	it('prefers the explicit Channel ID and falls back to the token', () => {
		const token = jwt({ instanceId: 'instance371267300' });
		expect(resolveChannel({ channelId: ' VID182868781 ', token }).channelId).toBe('VID182868781');
		expect(resolveChannel({ channelId: '', token })).toEqual({ channelId: '371267300', baseUrl: 'https://api.1msg.io' });
	});

	it('explains what to fill in when no channel can be found', () => {
		expect(() => resolveChannel({ token: 'plain-token' })).toThrow('This 1MSG token is not tied to a channel');
		expect(() => resolveChannel({ channelId: 'VID 1/2', token: 'x' })).toThrow(/contains characters/);
		expect(() => resolveChannel({ channelId: 'VID1', baseUrl: 'api.1msg.io' })).toThrow(/not a valid http\(s\) URL/);
	});

	it('builds {base}/{channel}/{method} without doubling the channel or slashes', () => {
		const channel = resolveChannel({ channelId: 'VID1', baseUrl: 'https://api.1msg.io///' });
		expect(channelUrl(channel, 'sendTemplate')).toBe('https://api.1msg.io/VID1/sendTemplate');
		expect(channelUrl(channel, '/VID1/webhook')).toBe('https://api.1msg.io/VID1/webhook');
	});
});
