import { addOurUrl, isOurUrl, webhookUrlsOf, withoutOurUrl } from '../../../../nodes/OneMsg/trigger/webhookList';
import { urlWithSecret } from '../../../../nodes/OneMsg/trigger/webhookAuth';

const INBOX = 'https://app.1msg.io/service/whatsapp/hook/VID182868781';
const OURS = 'http://127.0.0.1:5678/webhook/9d5a0c1e/webhook';

describe('webhook list', () => {
	it('reads a list given as an array, a string or a comma-separated string', () => {
		expect(webhookUrlsOf({ webhookUrl: [INBOX, OURS] })).toEqual([INBOX, OURS]);
		expect(webhookUrlsOf({ webhookUrl: INBOX })).toEqual([INBOX]);
		expect(webhookUrlsOf({ webhookUrl: `${INBOX}, ${OURS}` })).toEqual([INBOX, OURS]);
		expect(webhookUrlsOf({ webhookUrl: '' })).toEqual([]);
		expect(webhookUrlsOf(null)).toEqual([]);
	});

	it('adds our URL after the others and replaces an old entry of ours', () => {
		const mine = urlWithSecret(OURS, 'new');
		expect(addOurUrl([INBOX, urlWithSecret(OURS, 'old')], OURS, mine)).toEqual({ ok: true, list: [INBOX, mine] });
	});

	it('refuses when five other URLs fill the list', () => {
		const five = [1, 2, 3, 4, 5].map((n) => `https://hooks.example.com/${n}`);
		expect(addOurUrl(five, OURS, urlWithSecret(OURS, 's'))).toEqual({ ok: false, others: five });
	});

	it('removes only our URL, whatever its secret', () => {
		expect(withoutOurUrl([INBOX, urlWithSecret(OURS, 'abc'), 'https://crm.example.com/hook'], OURS)).toEqual([
			INBOX,
			'https://crm.example.com/hook',
		]);
		expect(isOurUrl(`${OURS}/other`, OURS)).toBe(false);
	});
});
