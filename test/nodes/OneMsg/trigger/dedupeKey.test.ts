import { dedupeKeyOf, withDedupeKey } from '../../../../nodes/OneMsg/trigger/dedupeKey';
import { parseChannelEvents } from '../../../../nodes/OneMsg/shared/statusEvents';

const ack = (id: string, status: string, instanceId = '135791') => ({
	instanceId,
	ack: [{ id, status, chatId: '79991234567@c.us', phone: '79991234567' }],
});

describe('dedupeKey: one key per channel, message and status', () => {
	it('is <channel>:<messageId>:<status> for a status in 1MSG format', () => {
		const [event] = parseChannelEvents(ack('wamid.HBgLNzk5OTEyMzQ1NjcVAgARGBI1', 'delivered'));
		expect(dedupeKeyOf(event)).toBe('135791:wamid.HBgLNzk5OTEyMzQ1NjcVAgARGBI1:delivered');
	});

	it('is the same for a repeated body and differs by status, message and channel', () => {
		const key = (body: unknown) => dedupeKeyOf(parseChannelEvents(body)[0]);
		expect(key(ack('wamid.A', 'read'))).toBe(key(ack('wamid.A', 'read')));
		expect(key(ack('wamid.A', 'read'))).not.toBe(key(ack('wamid.A', 'delivered')));
		expect(key(ack('wamid.A', 'read'))).not.toBe(key(ack('wamid.B', 'read')));
		expect(key(ack('wamid.A', 'read'))).not.toBe(key(ack('wamid.A', 'read', '246802')));
	});

	it('counts viewed as read, so a legacy repeat of read has the same key', () => {
		expect(dedupeKeyOf(parseChannelEvents(ack('wamid.A', 'viewed'))[0])).toBe('135791:wamid.A:read');
	});

	it('keeps the event and adds the key', () => {
		const [event] = parseChannelEvents(ack('wamid.A', 'sent'));
		expect(withDedupeKey(event)).toEqual({ ...event, dedupeKey: '135791:wamid.A:sent' });
	});
});
