import { holdsStatuses, isTriggerUrl, statusBaseline, statusesOnLeaving, withStatusesMark } from '../../../../nodes/OneMsg/trigger/statusConsumers';

const SECRET = 'ab'.repeat(24);
const PRODUCTION = `https://n8n.example.com/webhook/9d5a0c1e-6d3c-4a0a-9d7e-1a2b3c4d5e6f/webhook?secret=${SECRET}`;
const TEST = `https://n8n.example.com/webhook-test/9d5a0c1e-6d3c-4a0a-9d7e-1a2b3c4d5e6f/webhook?secret=${SECRET}`;
const INBOX = 'https://app.1msg.io/service/whatsapp/hook/VID182868781';
const CRM = 'https://crm.example.com/1msg-hook?token=abc';

describe('trigger URLs in the webhook list', () => {
	it('recognises published and test trigger URLs by their path and secret', () => {
		expect(isTriggerUrl(PRODUCTION)).toBe(true);
		expect(isTriggerUrl(TEST)).toBe(true);
		expect(isTriggerUrl(INBOX)).toBe(false);
		expect(isTriggerUrl(CRM)).toBe(false);
		expect(isTriggerUrl(PRODUCTION.replace(SECRET, 'short'))).toBe(false);
		expect(isTriggerUrl('not a url')).toBe(false);
	});

	it('tells a trigger holding the statuses by its mark', () => {
		expect(holdsStatuses(PRODUCTION)).toBe(false);
		expect(holdsStatuses(withStatusesMark(PRODUCTION))).toBe(true);
		expect(holdsStatuses(withStatusesMark(CRM))).toBe(false);
	});

	it('reads the mark like 1MSG\'s flags: 1 or true is set, 0, false or none is not', () => {
		expect(holdsStatuses(`${PRODUCTION}&statusesOn=true`)).toBe(true);
		expect(holdsStatuses(`${PRODUCTION}&statusesOn=0`)).toBe(false);
		expect(holdsStatuses(`${PRODUCTION}&statusesOn=false`)).toBe(false);
		expect(holdsStatuses(`${PRODUCTION}&statusesOn=`)).toBe(false);
	});
});

describe('statuses when a trigger leaves', () => {
	const baseline = statusBaseline([INBOX, PRODUCTION]);

	it('switches them off when it holds them and only the URLs of before remain', () => {
		expect(statusesOnLeaving(true, [INBOX], baseline)).toEqual({ switchOff: true });
		expect(statusesOnLeaving(true, [], baseline)).toEqual({ switchOff: true });
	});

	it('leaves them on for another trigger, a URL added since, or when it does not hold them', () => {
		expect(statusesOnLeaving(true, [INBOX, TEST], baseline)).toMatchObject({ switchOff: false, reason: expect.stringContaining('1 other 1MSG Trigger') });
		expect(statusesOnLeaving(true, [INBOX, CRM], baseline)).toMatchObject({ switchOff: false, reason: expect.stringContaining('added since') });
		expect(statusesOnLeaving(false, [], baseline)).toMatchObject({ switchOff: false });
	});

	it('keeps only digests of other URLs, never their queries', () => {
		expect(statusBaseline([CRM]).join()).not.toContain('abc');
		expect(statusBaseline([PRODUCTION])).toEqual([]);
	});
});
