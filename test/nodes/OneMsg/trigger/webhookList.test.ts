import { addOurUrl, disabledUrlsOf, isOurUrl, webhookUrlsOf, withoutOurUrl, withoutQuery } from '../../../../nodes/OneMsg/trigger/webhookList';
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

	it('puts our URL in the place of our earlier entry, keeping the order of the others', () => {
		const crm = 'https://crm.example.com/hook';
		const mine = urlWithSecret(OURS, 'new');
		expect(addOurUrl([INBOX, urlWithSecret(OURS, 'old'), crm], OURS, mine)).toEqual({ ok: true, list: [INBOX, mine, crm] });
		expect(addOurUrl([INBOX, mine, crm], OURS, mine)).toEqual({ ok: true, list: [INBOX, mine, crm] });
		expect(addOurUrl([urlWithSecret(OURS, 'a'), INBOX, urlWithSecret(OURS, 'b'), crm], OURS, mine)).toEqual({ ok: true, list: [mine, INBOX, crm] });
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

describe('destinations 1MSG reports as disabled (webhookStatuses, shape not shown by any source)', () => {
	const CRM = 'https://crm.example.com/hook?token=abc';
	const body = (webhookStatuses: unknown) => ({ webhookUrl: [INBOX, OURS, CRM], webhookStatuses });

	it('reads an object keyed by URL, its value a status text or a status object', () => {
		expect(disabledUrlsOf(body({ [INBOX]: 'active', [OURS]: 'disabled' }))).toEqual([OURS]);
		expect(disabledUrlsOf(body({ [INBOX]: { status: 'active' }, [OURS]: { status: 'auto_disabled' }, [CRM]: { state: 'INACTIVE' } }))).toEqual([OURS, CRM]);
		expect(disabledUrlsOf(body({ [OURS]: { enabled: false }, [CRM]: { disabled: 'true' }, [INBOX]: { active: 1 } }))).toEqual([OURS, CRM]);
	});

	it('reads an array of entries naming their URL', () => {
		expect(disabledUrlsOf(body([{ url: INBOX, status: 'active' }, { url: OURS, status: 'disabled' }]))).toEqual([OURS]);
		expect(disabledUrlsOf(body([{ webhookUrl: OURS, enabled: '0' }, { webhook_url: CRM, disabled: true }]))).toEqual([OURS, CRM]);
	});

	it('takes a URL for disabled only on a clear sign and none to the contrary', () => {
		// A bare boolean may mean "enabled" or "disabled": no clear sign either way.
		expect(disabledUrlsOf(body({ [OURS]: false, [CRM]: true }))).toEqual([]);
		expect(disabledUrlsOf(body({ [OURS]: { status: 'disabled', enabled: true } }))).toEqual([]);
		expect(disabledUrlsOf(body({ [OURS]: { status: 'failing' }, [CRM]: { enabled: undefined } }))).toEqual([]);
		expect(disabledUrlsOf(body([{ status: 'disabled' }, 'disabled', null]))).toEqual([]);
		expect(disabledUrlsOf(body('disabled'))).toEqual([]);
		expect(disabledUrlsOf({ webhookUrl: [OURS] })).toEqual([]);
		expect(disabledUrlsOf(null)).toEqual([]);
	});

	it('names a URL in a log line without its query', () => {
		expect(withoutQuery(CRM)).toBe('https://crm.example.com/hook?…');
		expect(withoutQuery(INBOX)).toBe(INBOX);
	});
});
