import { SESSION_LIMITS, planSessionMessage } from '../../../../nodes/OneMsg/template/sessionMessage';
import { inputErrorOf } from '../../../helpers/inputError';

const text = (extra: Record<string, unknown> = {}) => planSessionMessage({ type: 'text', recipient: '+7 999 123-45-67', text: 'Your booking is moved to Friday.', ...extra });

describe('a message inside the 24-hour window', () => {
	it('builds a sendMessage body as the SDK shows it: body and phone, the phone as an integer', () => {
		expect(text()).toMatchObject({ method: 'sendMessage', body: { phone: 79991234567, body: 'Your booking is moved to Friday.' } });
	});

	it('sends a chat ID, and a BSUID as its @lid chat ID, by chatId', () => {
		expect(text({ recipient: '120363025246125888@g.us' }).body).toEqual({ chatId: '120363025246125888@g.us', body: 'Your booking is moved to Friday.' });
		expect(text({ recipient: 'US.13491208655302741918' }).body).toMatchObject({ chatId: 'US.13491208655302741918@lid' });
	});

	it('keeps line breaks in a text, which templates refuse but messages allow', () => {
		expect(text({ text: 'Line one\nLine two' }).body.body).toBe('Line one\nLine two');
	});

	it('quotes the message it answers when Reply to Message ID is set, and refuses an ID that is not a wamid', () => {
		expect(text({ replyTo: 'wamid.HBgLNzk5OTEyMzQ1NjcVAgASGBQzQUI' }).body.quotedMsgId).toBe('wamid.HBgLNzk5OTEyMzQ1NjcVAgASGBQzQUI');
		expect(inputErrorOf(() => text({ replyTo: '12345' }))).toMatchObject({ field: 'Reply to Message ID' });
	});

	it('refuses an empty text and one longer than WhatsApp allows, naming the field', () => {
		expect(inputErrorOf(() => text({ text: '  ' }))).toMatchObject({ field: 'Text', message: 'Text is empty' });
		expect(inputErrorOf(() => text({ text: 'x'.repeat(SESSION_LIMITS.text + 1) })).message).toBe('Text has 4,097 characters; WhatsApp allows 4,096');
	});

	it('sends a file by link with the file name taken from the link when none is given', () => {
		const plan = planSessionMessage({ type: 'file', recipient: '79991234567', text: 'Your invoice', fileLink: 'https://example.com/files/invoice-1042.pdf' });
		expect(plan).toMatchObject({
			method: 'sendFile',
			body: { phone: 79991234567, body: 'https://example.com/files/invoice-1042.pdf', filename: 'invoice-1042.pdf', caption: 'Your invoice' },
		});
	});

	it('asks for a file name when the link does not end with one, and for https', () => {
		const noName = { type: 'file' as const, recipient: '79991234567', text: '', fileLink: 'https://example.com/download?id=7' };
		expect(inputErrorOf(() => planSessionMessage(noName))).toMatchObject({ field: 'File Name' });
		expect(inputErrorOf(() => planSessionMessage({ ...noName, fileLink: 'http://example.com/a.pdf' }))).toMatchObject({ field: 'File Link' });
	});

	it('builds reply buttons as sections, the ID defaulting to the title, phone as a string for sendButton', () => {
		const plan = planSessionMessage({ type: 'buttons', recipient: '79991234567', text: 'Keep Friday 3:30 PM?', footer: 'Studio Lotus', buttons: [{ title: 'Confirm' }, { title: 'Reschedule', id: 'resched' }] });
		expect(plan).toMatchObject({
			method: 'sendButton',
			body: {
				phone: '79991234567',
				body: 'Keep Friday 3:30 PM?',
				footer: 'Studio Lotus',
				sections: [
					{ type: 'reply', reply: { id: 'Confirm', title: 'Confirm' } },
					{ type: 'reply', reply: { id: 'resched', title: 'Reschedule' } },
				],
			},
			summary: { messageType: 'buttons', buttons: ['Confirm', 'Reschedule'] },
		});
	});

	it.each([
		[[], 'Buttons has 0 buttons; WhatsApp shows 1 to 3'],
		[[{ title: 'A' }, { title: 'B' }, { title: 'C' }, { title: 'D' }], 'Buttons has 4 buttons; WhatsApp shows 1 to 3'],
		[[{ title: 'Yes' }, { title: 'Yes' }], 'Button title "Yes" is used twice'],
		[[{ title: 'A title that is far too long' }], 'Button 1 Title has 28 characters; WhatsApp allows 20'],
	])('refuses buttons %j before anything is sent', (buttons, message) => {
		expect(inputErrorOf(() => planSessionMessage({ type: 'buttons', recipient: '79991234567', text: 'Choose', buttons })).message).toBe(message);
	});
});
