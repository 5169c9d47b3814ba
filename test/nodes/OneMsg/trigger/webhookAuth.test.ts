import { sameChannel, secretMatches } from '../../../../nodes/OneMsg/trigger/webhookAuth';

describe('webhook authenticity', () => {
	it('accepts only the exact secret', () => {
		expect(secretMatches('s3cret-value', 's3cret-value')).toBe(true);
		expect(secretMatches('s3cret-value', 's3cret-valuf')).toBe(false);
		expect(secretMatches('s3cret-value', '')).toBe(false);
		expect(secretMatches('s3cret-value', undefined)).toBe(false);
		expect(secretMatches('s3cret-value', ['s3cret-value'])).toBe(false);
		expect(secretMatches(undefined, 'anything')).toBe(false);
	});

	it('matches channel ids written in different styles', () => {
		expect(sameChannel('VID182868781', 'VID182868781')).toBe(true);
		expect(sameChannel('371267300', 'instance371267300')).toBe(true);
		expect(sameChannel('VID182868781', 'VID999999999')).toBe(false);
	});
});
