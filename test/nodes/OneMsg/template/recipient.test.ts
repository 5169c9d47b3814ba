import { inputErrorOf as errorOf } from '../../../helpers/inputError';
import { readRecipient } from '../../../../nodes/OneMsg/template/recipient';

describe('readRecipient', () => {
	it.each([
		['+7 (999) 123-45-67', { type: 'phone', value: '79991234567', property: 'phone', sent: '79991234567' }],
		[4915112345678, { type: 'phone', value: '4915112345678', property: 'phone', sent: '4915112345678' }],
		['79991234567@c.us', { type: 'chatId', value: '79991234567@c.us', property: 'chatId', sent: '79991234567@c.us' }],
		['120363025343298765@g.us', { type: 'chatId', value: '120363025343298765@g.us', property: 'chatId', sent: '120363025343298765@g.us' }],
		['US.13491208655302741918@lid', { type: 'chatId', value: 'US.13491208655302741918@lid', property: 'chatId', sent: 'US.13491208655302741918@lid' }],
		['US.13491208655302741918', { type: 'bsuid', value: 'US.13491208655302741918', property: 'chatId', sent: 'US.13491208655302741918@lid' }],
		['  @maria.shop ', { type: 'username', value: 'maria.shop', property: 'username', sent: 'maria.shop' }],
	])('reads %p as %p', (raw, recipient) => {
		expect(readRecipient(raw)).toEqual(recipient);
	});

	// test/fixtures/contract/onemsg-recipient-forms.json: a bare BSUID (1MSG's n8n node test, the
	// ebor94/1msg production app's contacts) and the MCP tool list's `BSUID@lid` chat id.
	it.each([
		['AB.954395553956302', { type: 'bsuid', sent: 'AB.954395553956302@lid' }],
		['CO.1000000000000001', { type: 'bsuid', sent: 'CO.1000000000000001@lid' }],
		['CO.1000000000000001@lid', { type: 'chatId', sent: 'CO.1000000000000001@lid' }],
		['AB.1@lid', { type: 'chatId', sent: 'AB.1@lid' }],
	])('sends the BSUID form %p of the contract corpus as the chat id its newest source names', (raw, expected) => {
		expect(readRecipient(raw)).toMatchObject({ ...expected, property: 'chatId' });
	});

	it('checks the phone inside a person chat ID by the phone rules', () => {
		const error = errorOf(() => readRecipient('7999@c.us'));
		expect(error.field).toBe('Recipient');
		expect(error.message).toBe('Recipient "7999" has 4 digits; a WhatsApp number has 8–15');
	});

	it.each(['maria@example.com', '@ab', 'maria@@c.us', 'abc@g.us'])('refuses %p naming the field and every accepted form', (raw) => {
		const error = errorOf(() => readRecipient(raw));
		expect(error.field).toBe('Recipient');
		expect(error.fix).toMatch(/phone .* chat ID .* BSUID .* username/);
	});

	it('keeps treating text without @ or a BSUID shape as a phone, so typos fail as phones', () => {
		expect(errorOf(() => readRecipient('maria')).message).toBe('Recipient "maria" contains "m", which is not part of a phone number');
		expect(errorOf(() => readRecipient('us.1234')).message).toMatch(/contains "u"/);
	});
});
