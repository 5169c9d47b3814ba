import { inputErrorOf as errorOf } from '../../../helpers/inputError';
import {
	cleanVariableText,
	mediaLink,
	normalisePhone,
	textRuleViolation,
	variableText,
} from '../../../../nodes/OneMsg/template/validate';

describe('normalisePhone', () => {
	it.each([
		['+7 (999) 123-45-67', '79991234567'],
		['79991234567', '79991234567'],
		['+55 11 98765-4321', '5511987654321'],
		['1.555.010.9999', '15550109999'],
		[4915112345678, '4915112345678'],
	])('normalises %p to digits', (raw, digits) => {
		expect(normalisePhone(raw)).toBe(digits);
	});

	it('rejects a phone with fewer than 8 digits, naming the field and the fix', () => {
		const error = errorOf(() => normalisePhone('12345'));
		expect(error.field).toBe('Recipient');
		expect(error.message).toBe('Recipient "12345" has 5 digits; a WhatsApp number has 8–15');
		expect(error.fix).toMatch(/country code/);
	});

	it('rejects more than 15 digits', () => {
		expect(errorOf(() => normalisePhone('1234567890123456')).message).toMatch(/has 16 digits/);
	});

	it.each([['abc12345678'], ['7999123456７'], ['79991234567, 79991234568'], ['+'], ['📞79991234567']])(
		'rejects %p as not a phone number',
		(raw) => {
			const error = errorOf(() => normalisePhone(raw));
			expect(error.field).toBe('Recipient');
			expect(error.message).toMatch(/is not part of a phone number|contains no digits/);
		},
	);

	it('rejects an empty phone and a non-text value', () => {
		expect(errorOf(() => normalisePhone('  ')).message).toBe('Recipient is empty');
		expect(errorOf(() => normalisePhone({ phone: '1' })).message).toBe('Recipient must be text or a number, not an object');
	});
});

describe('variableText', () => {
	it('fails an empty or whitespace-only variable, naming it', () => {
		expect(errorOf(() => variableText('', 'Customer Name', { clean: true })).message).toBe('Customer Name is empty');
		expect(errorOf(() => variableText('   ', 'Order Number', { clean: true })).message).toBe('Order Number is empty');
		expect(errorOf(() => variableText(undefined, 'Order Number', { clean: false })).field).toBe('Order Number');
	});

	it('turns numbers into text and refuses objects and lists', () => {
		expect(variableText(10482, 'Order Number', { clean: true })).toBe('10482');
		expect(errorOf(() => variableText({ a: 1 }, 'Order Number', { clean: true })).message).toBe(
			'Order Number must be text, not an object',
		);
		expect(errorOf(() => variableText([1], 'Order Number', { clean: true })).message).toBe('Order Number must be text, not a list');
	});

	it('cleans line breaks, tabs and long space runs when Clean Variable Text is on', () => {
		expect(variableText('line one\nline two\tend', 'Reminder Note', { clean: true })).toBe('line one line two end');
		expect(variableText('a      b', 'Reminder Note', { clean: true })).toBe('a b');
		expect(variableText('a    b', 'Reminder Note', { clean: true })).toBe('a    b');
	});

	it("reports Meta's text rule as an error when cleaning is off", () => {
		const error = errorOf(() => variableText('one\ntwo', 'Reminder Note', { clean: false }));
		expect(error.message).toBe('Reminder Note contains a line break, which WhatsApp rejects in template variables');
		expect(error.fix).toMatch(/Clean Variable Text/);
		expect(errorOf(() => variableText('a\tb', 'X', { clean: false })).message).toMatch(/a tab/);
		expect(errorOf(() => variableText('a     b', 'X', { clean: false })).message).toMatch(/more than 4 spaces in a row/);
	});

	it('keeps RTL and emoji text as it is', () => {
		expect(variableText('مرحبا 👋', 'Customer Name', { clean: true })).toBe('مرحبا 👋');
	});
});

describe('text rule helpers', () => {
	it('finds each violation and cleans it away', () => {
		for (const text of ['a\r\nb', 'a\tb', 'a     b']) {
			expect(textRuleViolation(text)).toBeDefined();
			expect(textRuleViolation(cleanVariableText(text))).toBeUndefined();
		}
	});
});

describe('mediaLink', () => {
	it('accepts https links and refuses others with the fix', () => {
		expect(mediaLink('https://example.com/a.pdf', 'Header Document Link')).toBe('https://example.com/a.pdf');
		expect(errorOf(() => mediaLink('http://example.com/a.pdf', 'Header Document Link')).message).toBe(
			'Header Document Link must start with https://',
		);
		expect(errorOf(() => mediaLink('not a url', 'Header Image Link')).message).toMatch(/is not a URL/);
		expect(errorOf(() => mediaLink('', 'Header Image Link')).message).toBe('Header Image Link is empty');
	});
});
