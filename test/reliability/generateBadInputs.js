// @ts-check
'use strict';

/**
 * Writes test/fixtures/badInputs.json, the bad-input corpus that test/reliability/badInputs.test.ts
 * runs through the 1MSG Template node. The JSON file is what the test reads; this script only saves
 * typing the repetitive parts. Every expected value below is written out by hand from the node's
 * documented rules, never computed by the node's own code.
 *
 *   node test/reliability/generateBadInputs.js
 *
 * Case shape:
 *   { id, class, note?, input, sent: true, expect } or { id, class, note?, input, error }
 *   input:  scenario?, template? ("name|language"), phone? (absent = a unique valid number per case),
 *           values? (preset values by variable key, merged over `defaults.values` for the default scenario),
 *           missing? (keys to leave out: variable keys or "phone"), slots? (Custom Template values by slot id),
 *           options? (node options: cleanText, languageCode, namespace), extraParams? (raw node parameters)
 *   expect: phone? (default: the number the test assigned), template?, language?, namespace?,
 *           body? (texts of the body parameters in order), params? (the whole `params`, null = none sent),
 *           variables? (output values by label), renderedText?
 *   error:  category, field, messageMatches (a regular expression for the item's `error`)
 */

const fs = require('node:fs');
const path = require('node:path');

const NAMESPACE = 'dummy_namespace_1a2b3c';
const OTHER_NAMESPACE = 'b7e4c2a9_5d1f_4e8b_a6c3_0f9d8e7c6b5a';

const ORDER = {
	scenario: 'orderNoResponseNotification',
	template: 'order_no_response_notification|en',
	keys: ['customerName', 'orderNumber', 'pendingAction', 'reminderNote'],
	labels: ['Customer Name', 'Order Number', 'Pending Action', 'Reminder Note'],
	values: {
		customerName: 'Alexey',
		orderNumber: '10482',
		pendingAction: 'delivery slot confirmation',
		reminderNote: 'Please choose a convenient time by tomorrow 6:00 PM',
	},
};
/** Characters of the order template body outside its four placeholders. */
const ORDER_STATIC_LENGTH = 'Hello, ! We are waiting for your reply regarding order #: . .'.length;

/** @type {any[]} */
const cases = [];
/** @param {any} c */
const add = (c) => cases.push(c);

/** @param {string} s */
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Body texts of the order template with one value replaced. @param {string} key @param {string} text */
function orderBody(key, text) {
	return ORDER.keys.map((k) => (k === key ? text : ORDER.values[/** @type {keyof typeof ORDER.values} */ (k)]));
}
/** @param {string[]} body */
function orderVariables(body) {
	return Object.fromEntries(ORDER.labels.map((label, i) => [label, body[i]]));
}

// ------------------------------------------------------------------------------------------------
// Phones

/**
 * A sent phone case: the raw value and the digits 1MSG must receive.
 * @param {string} slug @param {unknown} phone @param {string} digits @param {string} [note]
 */
function phoneSent(slug, phone, digits, note) {
	add({ id: `phone/${slug}`, class: 'phone', ...(note ? { note } : {}), input: { phone }, sent: true, expect: { phone: digits } });
}
/** @param {string} slug @param {unknown} phone @param {string} messageMatches */
function phoneError(slug, phone, messageMatches) {
	add({
		id: `phone/${slug}`,
		class: 'phone',
		input: phone === undefined ? { missing: ['phone'] } : { phone },
		error: { category: 'invalid_input', field: 'Recipient', messageMatches },
	});
}

phoneSent('decorated-e164', '+7 (999) 100-00-01', '79991000001');
phoneSent('spaces', '7 999 100 00 02', '79991000002');
phoneSent('dashes', '7-999-100-00-03', '79991000003');
phoneSent('dots', '7.999.100.00.04', '79991000004');
phoneSent('brackets-odd-places', '(799) 910-0000-5', '79991000005');
phoneSent('surrounding-spaces', '   +79991000006   ', '79991000006');
phoneSent('no-break-spaces', '+7\u00a0999\u00a0100\u00a000\u00a007', '79991000007');
phoneSent('thin-spaces', '+7\u2009999\u2009100\u200900\u200908', '79991000008');
phoneSent('ideographic-space', '+7\u3000999\u30001000009', '79991000009');
phoneSent('tabs', '+7\t999\t1000010', '79991000010');
phoneSent('json-number', 79991000011, '79991000011', 'a number from a CRM field is read as its digits');
phoneSent('eight-digits-minimum', '12345678', '12345678');
phoneSent('fifteen-digits-maximum', '123456789012345', '123456789012345');
phoneSent('us-number', '+1 (555) 010-0014', '15550100014');
phoneSent('trailing-newline', '+7 999 100 00 15\n', '79991000015');
phoneSent('brazil-mobile', '+55 11 98765-4316', '5511987654316');
phoneSent('negative-json-number', -79991000017, '79991000017', 'the minus sign is a dash and is removed like any other');
phoneSent('german-spacing', '+49 151 1234 5618', '4915112345618');
phoneSent('double-plus', '++7 999 100 00 19', '79991000019');
phoneSent('byte-order-mark', '\ufeff79991000021', '79991000021', 'a byte-order mark pasted from a file counts as white space');
phoneSent('uk-with-brackets', '+44 (0) 7700 900 020', '4407700900020', 'the (0) trunk digit is kept: the node does not guess national formats');

phoneError('letters-only', 'abc', '^Recipient "abc" contains "a", which is not part of a phone number$');
phoneError('letters-inside', '7999abc1234', 'contains "a"');
phoneError('spelled-out', 'seven nine nine', 'contains "s"');
phoneError('advert-text', '+7 999 CALL NOW', 'contains "C"');
phoneError('tel-uri', 'tel:+79991234567', 'contains "t"');
phoneError('extension', '79991234567 ext. 12', 'contains "e"');
phoneError('letter-o-for-zero', '7999123456O', 'contains "O"');
phoneError('letter-l-for-one', 'l234567890', 'contains "l"');
phoneError('chat-id-short-number', '7999@c.us', '^Recipient "7999" has 4 digits');
phoneError('email-address', 'maria@example.com', 'is neither a chat ID .* nor a username');
phoneError('username-too-short', '@ab', 'is neither a chat ID .* nor a username');
phoneError('hash-prefix', '#79991234567', 'contains "#"');
phoneError('star-suffix', '79991234567*', 'contains "\\*"');
phoneError('slash-separated-pair', '79991234567/79991234568', 'contains "/"');
phoneError('comma-separated-pair', '79991234567,79991234568', 'contains ","');
phoneError('semicolon-separated-pair', '79991234567; 79991234568', 'contains ";"');
phoneError('or-separated-pair', '+7 999 123 45 67 or +7 999 123 45 68', 'contains "o"');
phoneError('space-separated-pair', '79991234567 79991234568', 'has 22 digits; a WhatsApp number has 8–15');
phoneError('newline-separated-pair', '79991234567\n79991234568', 'has 22 digits');
phoneError('too-short-seven', '1234567', '"1234567" has 7 digits; a WhatsApp number has 8–15$');
phoneError('too-short-decorated', '+7 999', 'has 4 digits');
phoneError('single-digit', '1', 'has 1 digits');
phoneError('zero', '0', 'has 1 digits');
phoneError('too-short-number', 1234567, 'has 7 digits');
phoneError('sixteen-digits', '1234567890123456', 'has 16 digits');
phoneError('too-long-decorated', '+7 999 123 45 67 89 01 23', 'has 17 digits');
phoneError('huge-json-number', 1e20, 'has 21 digits');
phoneError('exponent-json-number', 1e21, 'contains "e"');
phoneError('exponent-text-from-spreadsheet', '7.99912E+10', 'contains "E"');
phoneError('empty', '', '^Recipient is empty$');
phoneError('spaces-only', '    ', '^Recipient is empty$');
phoneError('newline-and-tab-only', '\n\t', '^Recipient is empty$');
phoneError('null', null, '^Recipient is empty$');
phoneError('missing', undefined, '^Recipient is empty$');
phoneError('boolean', true, '^Recipient must be text or a number, not a boolean$');
phoneError('list-of-one', ['79991234567'], 'not a list$');
phoneError('empty-list', [], 'not a list$');
phoneError('object', { number: '79991234567' }, 'not an object$');
phoneError('empty-object', {}, 'not an object$');
phoneError('arabic-indic-digits', '٧٩٩٩١٢٣٤٥٦٧', 'contains "٧"');
phoneError('persian-digits', '۷۹۹۹۱۲۳۴۵۶۷', 'contains "۷"');
phoneError('full-width-digits', '７９９９１２３４５６７', 'contains "７"');
phoneError('full-width-plus-and-digits', '＋７ ９９９ １２３', 'contains "＋"');
phoneError('devanagari-digits', '७९९९१२३४५६७', 'contains "७"');
phoneError('mixed-ascii-and-arabic-indic', '7999١٢٣4567', 'contains "١"');
phoneError('mathematical-bold-digits', '𝟕𝟗𝟗𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕', 'contains "𝟕"');
phoneError('superscript-digits', '⁷⁹⁹⁹¹²³⁴⁵⁶⁷', 'contains "⁷"');
phoneError('circled-digits', '⑦⑨⑨⑨①②③④⑤⑥⑦', 'contains "⑦"');
phoneError('emoji-prefix', '📞79991234567', 'contains "📞"');
phoneError('emoji-inside', '7999☎1234567', 'contains "☎"');
phoneError('emoji-suffix', '79991234567 👍', 'contains "👍"');
phoneError('keycap-emoji-digit', '7\ufe0f\u20e39991234567', 'contains "\ufe0f"');
phoneError('zero-width-space', '7999\u200b1234567', 'contains "\u200b"');
phoneError('right-to-left-mark', '\u200f79991234567', 'contains "\u200f"');
phoneError('soft-hyphen', '7999\u00ad1234567', 'contains "\u00ad"');
phoneError('en-dash', '7999–123–45–67', 'contains "–"');
// Only decoration, no digit at all: the message says so rather than naming a character.
phoneError('only-plus', '+', '^Recipient "\\+" contains no digits$');
phoneError('only-brackets', '()', '^Recipient "\\(\\)" contains no digits$');
phoneError('only-dash-and-dot', '-.', '^Recipient "-\\." contains no digits$');
phoneError('only-decoration-and-spaces', '+ ( ) - .', 'contains no digits$');

// ------------------------------------------------------------------------------------------------
// Variables of the default preset (Order No-Response Notification, 4 body variables)

/**
 * @param {string} slug @param {string} key @param {unknown} raw @param {string} sent
 * @param {{ cleanText?: boolean, note?: string, renderedText?: string }} [opts]
 */
function varSent(slug, key, raw, sent, opts = {}) {
	const body = orderBody(key, sent);
	add({
		id: `variables/${slug}`,
		class: 'variables',
		...(opts.note ? { note: opts.note } : {}),
		input: { values: { [key]: raw }, ...(opts.cleanText === false ? { options: { cleanText: false } } : {}) },
		sent: true,
		expect: {
			template: 'order_no_response_notification',
			language: 'en',
			namespace: NAMESPACE,
			body,
			variables: orderVariables(body),
			...(opts.renderedText ? { renderedText: opts.renderedText } : {}),
		},
	});
}
/**
 * @param {string} slug @param {string | null} key @param {unknown} raw @param {string} field @param {string} messageMatches
 * @param {{ cleanText?: boolean, missing?: string[], note?: string, values?: Record<string, unknown> }} [opts]
 */
function varError(slug, key, raw, field, messageMatches, opts = {}) {
	/** @type {Record<string, unknown>} */
	const input = {};
	if (key) input.values = { [key]: raw };
	if (opts.values) input.values = { ...(/** @type {object} */ (input.values) ?? {}), ...opts.values };
	if (opts.missing) input.missing = opts.missing;
	if (opts.cleanText === false) input.options = { cleanText: false };
	add({
		id: `variables/${slug}`,
		class: 'variables',
		...(opts.note ? { note: opts.note } : {}),
		input,
		error: { category: 'invalid_input', field, messageMatches },
	});
}

// numbers and other scalars become text
varSent('number-order', 'orderNumber', 10482, '10482');
varSent('number-zero', 'orderNumber', 0, '0');
varSent('number-negative', 'orderNumber', -5, '-5');
varSent('number-decimal', 'pendingAction', 129.9, '129.9');
varSent('number-exponent', 'orderNumber', 1e21, '1e+21');
varSent('boolean-false', 'pendingAction', false, 'false', { note: 'booleans are written as text, like numbers' });
// cleaning (on by default)
varSent('newline-inside', 'reminderNote', 'Please choose\na time', 'Please choose a time');
varSent('crlf-inside', 'reminderNote', 'line one\r\nline two', 'line one line two');
varSent('blank-lines-inside', 'reminderNote', 'first\n\n\nsecond', 'first second');
varSent('tab-inside', 'customerName', 'Alexey\tIvanov', 'Alexey Ivanov');
varSent('leading-tab', 'customerName', '\tAlexey', 'Alexey');
varSent('trailing-newline', 'customerName', 'Alexey\n', 'Alexey');
varSent('spaces-around-newline', 'pendingAction', 'slot   \n   confirmation', 'slot confirmation');
varSent('tab-and-newline-mix', 'pendingAction', 'slot\t\n\t\r\nconfirmation', 'slot confirmation');
varSent('four-spaces-kept', 'pendingAction', 'slot    confirmation', 'slot    confirmation');
varSent('four-spaces-kept-clean-off', 'pendingAction', 'slot    confirmation', 'slot    confirmation', { cleanText: false });
for (const n of [5, 6, 10, 50, 200]) varSent(`run-of-${n}-spaces`, 'pendingAction', `slot${' '.repeat(n)}confirmation`, 'slot confirmation');
varSent('runs-of-five-and-four', 'pendingAction', 'a     b    c', 'a b    c');
varSent('leading-five-spaces', 'customerName', '     Alexey', 'Alexey');
varSent('leading-three-spaces-trimmed', 'customerName', '   Alexey', 'Alexey');
varSent('leading-three-spaces-clean-off', 'customerName', '   Alexey', '   Alexey', { cleanText: false });
varSent('two-thousand-chars-of-spacing', 'pendingAction', `a${' '.repeat(1998)}b`, 'a b', {
	note: '2,000 characters that clean down to three',
});
varSent('two-thousand-chars-of-newlines', 'pendingAction', `a${'\n'.repeat(1998)}b`, 'a b');
varSent('two-thousand-chars-of-tabs-and-spaces', 'pendingAction', `a${'\t '.repeat(999)}b`, 'a b');
// scripts, right-to-left text, emoji
varSent('arabic-name', 'customerName', 'أحمد', 'أحمد');
varSent('hebrew-name', 'customerName', 'דוד כהן', 'דוד כהן');
varSent('mixed-direction', 'pendingAction', 'delivery for محمد (VIP)', 'delivery for محمد (VIP)');
varSent('right-to-left-override', 'customerName', '\u202eAlexey', '\u202eAlexey');
varSent('emoji-name', 'customerName', '🎉 Alexey', '🎉 Alexey');
varSent('zwj-family-emoji', 'customerName', '👨‍👩‍👧 family', '👨‍👩‍👧 family');
varSent('flag-emoji', 'customerName', '🇧🇷 Maria', '🇧🇷 Maria');
varSent('combining-accent', 'customerName', 'Jose\u0301', 'Jose\u0301');
varSent('cjk-name', 'customerName', '王小明', '王小明');
varSent('cyrillic-name', 'customerName', 'Алексей', 'Алексей');
varSent('devanagari-name', 'customerName', 'राहुल', 'राहुल');
varSent('no-break-space-inside', 'customerName', 'Alexey\u00a0Ivanov', 'Alexey\u00a0Ivanov');
varSent('five-no-break-spaces', 'pendingAction', 'slot\u00a0\u00a0\u00a0\u00a0\u00a0confirmation', 'slot\u00a0\u00a0\u00a0\u00a0\u00a0confirmation', {
	note: "Meta's rule is about the space character; no-break spaces pass",
});
// text that looks like syntax is sent literally
varSent('placeholder-lookalike', 'pendingAction', 'use code {{1}}', 'use code {{1}}', {
	renderedText: `Hello, Alexey! We are waiting for your reply regarding order #10482: use code {{1}}. ${ORDER.values.reminderNote}.`,
});
varSent('replacement-patterns', 'customerName', '$1 $& $` $$', '$1 $& $` $$', {
	renderedText: `Hello, $1 $& $\` $$! We are waiting for your reply regarding order #10482: delivery slot confirmation. ${ORDER.values.reminderNote}.`,
});
varSent('html', 'pendingAction', '<script>alert(1)</script>', '<script>alert(1)</script>');
varSent('sql', 'orderNumber', "10482'; DROP TABLE orders; --", "10482'; DROP TABLE orders; --");
varSent('json-text', 'pendingAction', '{"slot":"morning"}', '{"slot":"morning"}');
// the 1,024-character body limit, to the character
const fill = (n) => 'x'.repeat(n);
const otherLength = ORDER.values.customerName.length + ORDER.values.orderNumber.length + ORDER.values.pendingAction.length;
const atLimit = 1024 - ORDER_STATIC_LENGTH - otherLength;
varSent('body-exactly-1024', 'reminderNote', fill(atLimit), fill(atLimit));
varError('body-1025', 'reminderNote', fill(atLimit + 1), 'Variables', '^The message would be 1025 characters long; WhatsApp allows 1024 for a template body$');
varError('two-thousand-chars', 'customerName', fill(2000), 'Variables', 'would be \\d+ characters long; WhatsApp allows 1024');
varError('two-thousand-chars-clean-off', 'customerName', fill(2000), 'Variables', 'would be \\d+ characters long', { cleanText: false });
varError('two-thousand-chars-rtl', 'pendingAction', 'مرحبا '.repeat(334).slice(0, 2000), 'Variables', 'would be \\d+ characters long');
varError('thousand-emoji', 'pendingAction', '🎉'.repeat(1000), 'Variables', 'would be \\d+ characters long');
varError('four-values-of-300', null, null, 'Variables', 'would be 1261 characters long', {
	values: { customerName: fill(300), orderNumber: fill(300), pendingAction: fill(300), reminderNote: fill(300) },
});
// empty, missing, wrong type
varError('missing-customer-name', null, null, 'Customer Name', '^Customer Name is empty$', { missing: ['customerName'] });
varError('missing-reminder-note', null, null, 'Reminder Note', '^Reminder Note is empty$', { missing: ['reminderNote'] });
varError('all-missing-names-first', null, null, 'Customer Name', '^Customer Name is empty$', { missing: ORDER.keys });
varError('empty-string', 'orderNumber', '', 'Order Number', '^Order Number is empty$');
varError('spaces-only', 'orderNumber', '   ', 'Order Number', '^Order Number is empty$');
varError('newline-only', 'pendingAction', '\n', 'Pending Action', '^Pending Action is empty$');
varError('tabs-only', 'pendingAction', '\t\t', 'Pending Action', '^Pending Action is empty$');
varError('newlines-only-clean-off', 'pendingAction', '\n\n', 'Pending Action', '^Pending Action is empty$', { cleanText: false });
varError('five-spaces-only-clean-off', 'pendingAction', '     ', 'Pending Action', '^Pending Action is empty$', { cleanText: false });
varError('no-break-space-only', 'customerName', '\u00a0', 'Customer Name', '^Customer Name is empty$');
varError('two-thousand-spaces', 'customerName', ' '.repeat(2000), 'Customer Name', '^Customer Name is empty$');
varError('null', 'customerName', null, 'Customer Name', '^Customer Name is empty$');
varError('object', 'customerName', { first: 'Alexey', last: 'Ivanov' }, 'Customer Name', '^Customer Name must be text, not an object$');
varError('empty-object', 'orderNumber', {}, 'Order Number', 'not an object$');
varError('nested-object', 'orderNumber', { order: { number: 10482 } }, 'Order Number', 'not an object$');
varError('list', 'customerName', ['Alexey'], 'Customer Name', '^Customer Name must be text, not a list$');
varError('empty-list', 'pendingAction', [], 'Pending Action', 'not a list$');
varError('list-of-numbers', 'orderNumber', [10482, 10483], 'Order Number', 'not a list$');
varError('list-of-lists', 'orderNumber', [[]], 'Order Number', 'not a list$');
// Clean Variable Text off: the same values fail by name instead of being rewritten
varError('newline-clean-off', 'reminderNote', 'Please choose\na time', 'Reminder Note', '^Reminder Note contains a line break, which WhatsApp rejects in template variables$', { cleanText: false });
varError('carriage-return-clean-off', 'reminderNote', 'one\rtwo', 'Reminder Note', 'contains a line break', { cleanText: false });
varError('tab-clean-off', 'customerName', 'Alexey\tIvanov', 'Customer Name', 'contains a tab', { cleanText: false });
varError('five-spaces-clean-off', 'pendingAction', 'slot     confirmation', 'Pending Action', 'contains more than 4 spaces in a row', { cleanText: false });
varError('two-hundred-spaces-clean-off', 'pendingAction', `slot${' '.repeat(200)}confirmation`, 'Pending Action', 'more than 4 spaces', { cleanText: false });
varError('long-with-newline-clean-off', 'customerName', `${fill(1000)}\n${fill(999)}`, 'Customer Name', 'contains a line break', {
	cleanText: false,
	note: 'the text rule is checked before the body length',
});

// ------------------------------------------------------------------------------------------------
// Presets: other scenarios, their own templates, missing values

/**
 * @typedef {{ scenario: string, template: string, keys: string[], labels: string[], values: string[] }} PresetSpec
 * @type {PresetSpec[]}
 */
const PRESETS = [
	{
		scenario: 'newOrderConfirmation',
		template: 'new_order_confirmation|en',
		keys: ['customerName', 'orderNumber', 'productName', 'orderTotal'],
		labels: ['Customer Name', 'Order Number', 'Product Name', 'Order Total'],
		values: ['Maria', '10482', 'Wireless headphones', '$129.90'],
	},
	{
		scenario: 'registrationWelcome',
		template: 'registration_welcome|en',
		keys: ['customerName', 'serviceName'],
		labels: ['Customer Name', 'Service or App'],
		values: ['Maria', 'Acme Cloud'],
	},
	{
		scenario: 'paymentOverdueReminder',
		template: 'payment_overdue_reminder|en',
		keys: ['customerName', 'outstandingAmount', 'overdueDate'],
		labels: ['Customer Name', 'Outstanding Amount', 'Overdue Date'],
		values: ['Jonas', '€80.00', 'June 3'],
	},
	{
		scenario: 'bookingConfirmation',
		template: 'booking_confirmation|en',
		keys: ['customerName', 'serviceName', 'date', 'time'],
		labels: ['Customer Name', 'Service', 'Date', 'Time'],
		values: ['Maria', 'haircut', 'June 12', '3:30 PM'],
	},
	{
		scenario: 'agentAssignedNotification',
		template: 'agent_assigned_notification|en',
		keys: ['customerName', 'ticketNumber', 'agentName'],
		labels: ['Customer Name', 'Ticket Number', 'Specialist Name'],
		values: ['Maria', '58213', 'Anna Petrova'],
	},
	{
		scenario: 'proposalFollowup',
		template: 'proposal_followup|en',
		keys: ['prospectName', 'productName', 'nextStep'],
		labels: ['Prospect Name', 'Product or Service', 'Recommended Next Step'],
		values: ['John', 'the annual support plan', 'a 20-minute call this week'],
	},
	{
		scenario: 'newRouteNotification',
		template: 'new_route_notification|en',
		keys: ['dispatcherName', 'routeNumber', 'routeName', 'routeDetails'],
		labels: ['Dispatcher Name', 'Route Number', 'Route Name', 'Route Details'],
		values: ['Carlos', 'R-2207', 'Downtown morning loop', 'Departure at 8:00 AM, 12 stops'],
	},
	{
		scenario: 'partnerDeliveryConfirmation',
		template: 'partner_delivery_confirmation|en',
		keys: ['partnerCompany', 'orderNumber', 'productName', 'receiptNote'],
		labels: ['Partner Company', 'Order Number', 'Product Name', 'Receipt Note'],
		values: ['North Side Pickup', '10482', 'Wireless headphones', 'Please confirm receipt in the partner portal'],
	},
	{
		scenario: 'statusChangeNotification',
		template: 'status_change_notification|en',
		keys: ['customerName', 'entityName', 'newStatus'],
		labels: ['Customer Name', 'Process or Entity', 'New Status'],
		values: ['Maria', 'order #10482', 'Shipped'],
	},
	{
		scenario: 'invoiceSendNotification',
		template: 'invoice_send_notification|en',
		keys: ['customerName', 'invoiceNumber', 'amount', 'dueDate'],
		labels: ['Customer Name', 'Invoice Number', 'Amount', 'Due Date'],
		values: ['Maria', 'INV-2024-0113', '$49.00', 'June 30'],
	},
];

/** @param {PresetSpec} p @param {string[]} [keys] */
const presetValues = (p, keys = p.keys) => Object.fromEntries(keys.map((k) => [k, p.values[p.keys.indexOf(k)]]));

for (const p of PRESETS) {
	add({
		id: `presets/${p.scenario}-complete`,
		class: 'presets',
		input: { scenario: p.scenario, template: p.template, values: presetValues(p) },
		sent: true,
		expect: {
			template: p.template.split('|')[0],
			language: 'en',
			namespace: NAMESPACE,
			body: p.values,
			variables: Object.fromEntries(p.labels.map((l, i) => [l, p.values[i]])),
		},
	});
	// every variable left out in turn
	p.keys.forEach((key, i) => {
		add({
			id: `presets/${p.scenario}-without-${key}`,
			class: 'presets',
			input: { scenario: p.scenario, template: p.template, values: presetValues(p, p.keys.filter((k) => k !== key)) },
			error: { category: 'invalid_input', field: p.labels[i], messageMatches: `^${esc(p.labels[i])} is empty$` },
		});
	});
}
add({
	id: 'presets/shared-variable-carries-over-other-scenario-fields-do-not',
	class: 'presets',
	note: "Customer Name typed for Order No-Response is kept for Registration Welcome (the same field); Order Number is not one of its fields, and its own Service or App is empty",
	input: {
		scenario: 'registrationWelcome',
		template: 'registration_welcome|en',
		extraParams: { customerName: 'Alexey', orderNumber: '10482' },
	},
	error: { category: 'invalid_input', field: 'Service or App', messageMatches: '^Service or App is empty$' },
});
add({
	id: 'presets/unknown-scenario',
	class: 'presets',
	input: { scenario: 'noSuchScenario', template: 'registration_welcome|en' },
	error: { category: 'invalid_input', field: 'Scenario', messageMatches: '^Unknown scenario "noSuchScenario"$' },
});
add({
	id: 'presets/empty-scenario',
	class: 'presets',
	input: { scenario: '', template: 'registration_welcome|en' },
	error: { category: 'invalid_input', field: 'Scenario', messageMatches: '^Unknown scenario ""$' },
});
const OTP_PARAMS = (/** @type {string} */ code) => [
	{ type: 'body', parameters: [{ type: 'text', text: code }] },
	{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: code }] },
];
for (const [slug, code, sent] of /** @type {[string, unknown, string][]} */ ([
	['otp-code', '482915', '482915'],
	['otp-leading-zeros', '004821', '004821'],
	['otp-as-number', 482915, '482915'],
	['otp-with-spaces-around', '  482915 ', '482915'],
])) {
	add({
		id: `presets/${slug}`,
		class: 'presets',
		input: { scenario: 'otpVerification', template: 'otp_verification|en', values: { code } },
		sent: true,
		expect: { template: 'otp_verification', params: OTP_PARAMS(sent), variables: { 'Verification Code': sent } },
	});
}
add({
	id: 'presets/otp-missing-code',
	class: 'presets',
	input: { scenario: 'otpVerification', template: 'otp_verification|en' },
	error: { category: 'invalid_input', field: 'Verification Code', messageMatches: '^Verification Code is empty$' },
});
add({
	id: 'presets/otp-code-object',
	class: 'presets',
	input: { scenario: 'otpVerification', template: 'otp_verification|en', values: { code: { value: '482915' } } },
	error: { category: 'invalid_input', field: 'Verification Code', messageMatches: 'not an object$' },
});

// ------------------------------------------------------------------------------------------------
// Templates: unknown, unapproved, wrong language, namespace

const WELCOME = PRESETS[1];
/** @param {string} slug @param {Record<string, unknown>} input @param {string} field @param {string} category @param {string} messageMatches */
function templateError(slug, input, messageMatches, field = 'Template', category = 'template_not_found') {
	add({ id: `templates/${slug}`, class: 'templates', input, error: { category, field, messageMatches } });
}
/** @param {string} slug @param {Record<string, unknown>} input @param {Record<string, unknown>} expect */
function templateSent(slug, input, expect) {
	add({ id: `templates/${slug}`, class: 'templates', input, sent: true, expect });
}
const welcome = (/** @type {string} */ template, extra = {}) => ({
	scenario: WELCOME.scenario,
	template,
	values: presetValues(WELCOME),
	...extra,
});

templateError('unknown-name', { template: 'no_such_template|en' }, '^Template "no_such_template" does not exist on this channel$');
templateError('name-in-other-case', { template: 'Order_No_Response_Notification|en' }, 'does not exist on this channel');
templateError('name-with-typo', { template: 'order_no_responce_notification|en' }, 'does not exist on this channel');
templateError('pending-template', welcome('pending_review_notice|en'), '^Template "pending_review_notice" is pending \\(en\\), not approved$');
templateError('rejected-template', welcome('rejected_promo_notice|en'), '^Template "rejected_promo_notice" is rejected \\(en\\), not approved$');
templateError('rejected-template-bare-name', welcome('rejected_promo_notice'), 'is rejected \\(en\\), not approved');
templateError('language-not-approved', { template: 'order_no_response_notification|de' }, '^Template "order_no_response_notification" has no approved "de" version \\(approved: en\\)$');
templateError('language-in-upper-case', { template: 'order_no_response_notification|EN' }, 'has no approved "EN" version');
templateError('language-with-region', { template: 'order_no_response_notification|en_US' }, 'has no approved "en_US" version');
templateError('language-override-not-approved', { options: { languageCode: 'pt_BR' } }, 'has no approved "pt_BR" version \\(approved: en\\)');
templateError(
	'two-languages-no-choice',
	{ scenario: 'statusChangeNotification', template: 'order_status_update', values: presetValues(PRESETS[8]) },
	'^Template "order_status_update" is approved in several languages \\(en, pt_BR\\)$',
);
templateError('two-languages-neither-asked', welcome('order_status_update|fr'), 'has no approved "fr" version \\(approved: en, pt_BR\\)');
templateError('nothing-selected', { template: '' }, '^No template is selected$', 'Template', 'invalid_input');
templateError('language-without-name', { template: '|en' }, '^No template is selected$', 'Template', 'invalid_input');
templateError(
	'missing-namespace',
	welcome('missing_namespace_notice|en'),
	'^Template "missing_namespace_notice" has no namespace in the channel\'s template list$',
	'Namespace',
);
templateError(
	'missing-namespace-blank-override',
	welcome('missing_namespace_notice|en', { options: { namespace: '   ' } }),
	'has no namespace',
	'Namespace',
);
templateError('unknown-template-wins-over-empty-variables', { template: 'no_such_template|en', missing: ['customerName'] }, 'does not exist on this channel');

const orderSent = { template: 'order_no_response_notification', language: 'en', namespace: NAMESPACE, body: ORDER.keys.map((k) => ORDER.values[/** @type {keyof typeof ORDER.values} */ (k)]) };
templateSent('bare-name-single-language', { template: 'order_no_response_notification' }, orderSent);
templateSent('blank-language-override', { options: { languageCode: '   ' } }, orderSent);
templateSent('language-override-same', { options: { languageCode: 'en' } }, orderSent);
templateSent('spaces-around-name-and-language', { template: '  order_no_response_notification  |  en ' }, orderSent);
templateSent('namespace-override', { options: { namespace: NAMESPACE } }, orderSent);
templateSent('namespace-override-with-spaces', { options: { namespace: `  ${NAMESPACE}  ` } }, orderSent);
templateSent('blank-namespace-override', { options: { namespace: '  ' } }, orderSent);
templateSent(
	'language-picked-by-override',
	{ scenario: 'statusChangeNotification', template: 'order_status_update', values: presetValues(PRESETS[8]), options: { languageCode: 'en' } },
	{ template: 'order_status_update', language: 'en', body: PRESETS[8].values },
);
templateSent('second-language', welcome('order_status_update|pt_BR'), { template: 'order_status_update', language: 'pt_BR', body: WELCOME.values });
templateSent('language-as-object-in-list', welcome('language_object_notice|es'), { template: 'language_object_notice', language: 'es', body: WELCOME.values });
templateSent('status-in-lower-case', welcome('lowercase_status_notice|en'), { template: 'lowercase_status_notice', body: WELCOME.values });
templateSent('components-as-json-text', welcome('string_components_reminder|en'), { template: 'string_components_reminder', body: WELCOME.values });
templateSent(
	'namespace-under-other-field',
	{ scenario: 'otpVerification', template: 'alt_namespace_field_notice|en', values: { code: 'Maria' } },
	{ template: 'alt_namespace_field_notice', namespace: NAMESPACE, params: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }] },
);
templateSent('template-of-other-namespace', welcome('other_account_notice|en'), { template: 'other_account_notice', namespace: OTHER_NAMESPACE, body: WELCOME.values });
templateSent('named-placeholders-from-preset', welcome('named_params_pickup|en'), {
	template: 'named_params_pickup',
	params: [
		{
			type: 'body',
			parameters: [
				{ type: 'text', text: 'Maria', parameter_name: 'customer_name' },
				{ type: 'text', text: 'Acme Cloud', parameter_name: 'order_id' },
			],
		},
	],
});

// ------------------------------------------------------------------------------------------------
// Variable count and shape mismatches between a scenario and its template

/** @param {string} slug @param {Record<string, unknown>} input @param {string} messageMatches */
function mismatch(slug, input, messageMatches) {
	add({ id: `mismatch/${slug}`, class: 'mismatch', input, error: { category: 'param_mismatch', field: 'Template', messageMatches } });
}
mismatch('four-into-two', { template: 'client_inactivity_notification|en' }, '^Template "client_inactivity_notification" has 2 body variables, but the scenario "Order No-Response Notification" fills 4$');
mismatch('two-into-four', welcome('new_order_confirmation|en'), 'has 4 body variables, but the scenario "Registration Welcome" fills 2');
mismatch('two-into-none', welcome('static_announcement|en'), 'has 0 body variables, but the scenario "Registration Welcome" fills 2');
mismatch('one-into-four', { scenario: 'otpVerification', template: 'new_order_confirmation|en', values: { code: '482915' } }, 'has 4 body variables, but the scenario "OTP Verification Code" fills 1');
mismatch('two-into-three', welcome('order_status_update|en'), 'has 3 body variables, but the scenario "Registration Welcome" fills 2');
mismatch('three-into-two', { scenario: 'statusChangeNotification', template: 'order_status_update|pt_BR', values: presetValues(PRESETS[8]) }, 'has 2 body variables, but the scenario "Status Change Notification" fills 3');
mismatch('document-header-and-url-button', welcome('invoice_with_document|en'), '^Template "invoice_with_document" also needs Header Document Link \\(HTTPS URL\\), Button "View invoice" URL Suffix, which the scenario "Registration Welcome" does not fill$');
mismatch('text-header-variable', welcome('order_shipped_with_header|en'), 'also needs Header Variable \\{\\{1\\}\\}');
mismatch('image-header', welcome('summer_sale_promo|en'), 'also needs Header Image Link \\(HTTPS URL\\)');
mismatch('video-header', { scenario: 'otpVerification', template: 'product_demo_video|en', values: { code: 'Maria' } }, 'also needs Header Video Link \\(HTTPS URL\\)');
mismatch('mismatch-wins-over-empty-variables', { template: 'client_inactivity_notification|en', missing: ['customerName', 'orderNumber'] }, 'has 2 body variables');
add({
	id: 'mismatch/bad-phone-wins-over-mismatch',
	class: 'mismatch',
	input: { template: 'client_inactivity_notification|en', phone: '12345' },
	error: { category: 'invalid_input', field: 'Recipient', messageMatches: 'has 5 digits' },
});

// ------------------------------------------------------------------------------------------------
// Custom Template mode: values by slot id, read from the template itself

const INVOICE_URL = 'https://example.com/invoices/INV-1042.pdf';
const INVOICE = { header_media: INVOICE_URL, body_1: 'Maria', body_2: 'INV-1042', button_1_url: 'INV-1042' };
/** @param {Record<string, unknown>} slots */
const invoice = (slots, missing = /** @type {string[]} */ ([]), options = undefined) => {
	const merged = { ...INVOICE, ...slots };
	for (const key of missing) delete merged[/** @type {keyof typeof merged} */ (key)];
	return { scenario: 'custom', template: 'invoice_with_document|en', slots: merged, ...(options ? { options } : {}) };
};
/** @param {string} link @param {string} name @param {string} invoiceNo @param {string} suffix */
const invoiceParams = (link, name, invoiceNo, suffix) => [
	{ type: 'header', parameters: [{ type: 'document', document: { link } }] },
	{ type: 'body', parameters: [{ type: 'text', text: name }, { type: 'text', text: invoiceNo }] },
	{ type: 'button', sub_type: 'url', index: 1, parameters: [{ type: 'text', text: suffix }] },
];
/** @param {string} slug @param {Record<string, unknown>} input @param {Record<string, unknown>} expect */
const customSent = (slug, input, expect) => add({ id: `custom/${slug}`, class: 'custom', input, sent: true, expect });
/** @param {string} slug @param {Record<string, unknown>} input @param {string} field @param {string} messageMatches */
const customError = (slug, input, field, messageMatches) =>
	add({ id: `custom/${slug}`, class: 'custom', input, error: { category: 'invalid_input', field, messageMatches } });

const DOC = 'Header Document Link (HTTPS URL)';
customSent('invoice-complete', invoice({}), {
	template: 'invoice_with_document',
	params: invoiceParams(INVOICE_URL, 'Maria', 'INV-1042', 'INV-1042'),
	variables: { [DOC]: INVOICE_URL, 'Body Variable {{1}}': 'Maria', 'Body Variable {{2}}': 'INV-1042', 'Button "View invoice" URL Suffix': 'INV-1042' },
});
customSent('link-with-spaces-around', invoice({ header_media: `  ${INVOICE_URL}  ` }), { params: invoiceParams(INVOICE_URL, 'Maria', 'INV-1042', 'INV-1042') });
customSent('link-with-space-in-path', invoice({ header_media: 'https://example.com/invoices/INV 1042.pdf' }), {
	params: invoiceParams('https://example.com/invoices/INV 1042.pdf', 'Maria', 'INV-1042', 'INV-1042'),
});
customSent('number-values', invoice({ body_2: 1042, button_1_url: 1042 }), { params: invoiceParams(INVOICE_URL, 'Maria', '1042', '1042') });
customSent('suffix-with-newline-cleaned', invoice({ button_1_url: 'INV-\n1042' }), { params: invoiceParams(INVOICE_URL, 'Maria', 'INV-1042', 'INV- 1042') });
customSent('unknown-slot-ignored', invoice({ body_9: 'not in the template', footer: 'x' }), { params: invoiceParams(INVOICE_URL, 'Maria', 'INV-1042', 'INV-1042') });
customSent('rtl-and-emoji-values', invoice({ body_1: 'محمد 🎉' }), { params: invoiceParams(INVOICE_URL, 'محمد 🎉', 'INV-1042', 'INV-1042') });
customError('http-link', invoice({ header_media: 'http://example.com/a.pdf' }), DOC, '^Header Document Link \\(HTTPS URL\\) must start with https://$');
customError('ftp-link', invoice({ header_media: 'ftp://example.com/a.pdf' }), DOC, 'must start with https://');
customError('javascript-link', invoice({ header_media: 'javascript:alert(1)' }), DOC, 'must start with https://');
customError('not-a-url', invoice({ header_media: 'invoice.pdf' }), DOC, '^Header Document Link \\(HTTPS URL\\) "invoice.pdf" is not a URL$');
customError('scheme-only', invoice({ header_media: 'https://' }), DOC, 'is not a URL');
customError('empty-link', invoice({ header_media: '' }), DOC, '^Header Document Link \\(HTTPS URL\\) is empty$');
customError('missing-link', invoice({}, ['header_media']), DOC, 'is empty$');
customError('number-link', invoice({ header_media: 1042 }), DOC, 'must be a link, not a number$');
customError('object-link', invoice({ header_media: { url: INVOICE_URL } }), DOC, 'must be a link, not an object$');
customError('list-link', invoice({ header_media: [INVOICE_URL] }), DOC, 'must be a link, not a list$');
customError('missing-body-variable', invoice({}, ['body_1']), 'Body Variable {{1}}', '^Body Variable \\{\\{1\\}\\} is empty$');
customError('object-body-variable', invoice({ body_2: { id: 'INV-1042' } }), 'Body Variable {{2}}', 'must be text, not an object$');
customError('empty-url-suffix', invoice({ button_1_url: '' }), 'Button "View invoice" URL Suffix', '^Button "View invoice" URL Suffix is empty$');
customError('url-suffix-newline-clean-off', invoice({ button_1_url: 'INV-\n1042' }, [], { cleanText: false }), 'Button "View invoice" URL Suffix', 'contains a line break');
customError('long-body-variable', invoice({ body_1: fill(2000) }), 'Variables', 'would be \\d+ characters long');

const PICKUP = { scenario: 'custom', template: 'named_params_pickup|en' };
customSent('named-placeholders', { ...PICKUP, slots: { body_customer_name: 'Maria', body_order_id: '10482' } }, {
	params: [
		{
			type: 'body',
			parameters: [
				{ type: 'text', text: 'Maria', parameter_name: 'customer_name' },
				{ type: 'text', text: '10482', parameter_name: 'order_id' },
			],
		},
	],
	renderedText: 'Hello Maria, your order 10482 is ready for pickup.',
});
customError('named-placeholder-missing', { ...PICKUP, slots: { body_customer_name: 'Maria' } }, 'Body Order Id {{order_id}}', '^Body Order Id \\{\\{order_id\\}\\} is empty$');
const SHIPPED = { scenario: 'custom', template: 'order_shipped_with_header|en' };
customSent('text-header', { ...SHIPPED, slots: { header_text: '#10482', body_1: 'Maria', body_2: 'June 14' } }, {
	params: [
		{ type: 'header', parameters: [{ type: 'text', text: '#10482' }] },
		{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: 'June 14' }] },
	],
});
customError('text-header-tab-clean-off', { ...SHIPPED, slots: { header_text: '#\t10482', body_1: 'Maria', body_2: 'June 14' }, options: { cleanText: false } }, 'Header Variable {{1}}', '^Header Variable \\{\\{1\\}\\} contains a tab');
customSent('no-variables', { scenario: 'custom', template: 'static_announcement|en', slots: {} }, { template: 'static_announcement', params: null });
customSent('video-header', { scenario: 'custom', template: 'product_demo_video|en', slots: { header_media: 'https://example.com/demo.mp4', body_1: 'Maria' } }, {
	params: [
		{ type: 'header', parameters: [{ type: 'video', video: { link: 'https://example.com/demo.mp4' } }] },
		{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] },
	],
});
customSent('otp-code-button-follows-body', { scenario: 'custom', template: 'otp_verification|en', slots: { body_1: '482915' } }, { params: OTP_PARAMS('482915') });
customSent('otp-code-button-given', { scenario: 'custom', template: 'otp_verification|en', slots: { body_1: '482915', button_0_code: '482915' } }, { params: OTP_PARAMS('482915') });
customError('otp-code-missing', { scenario: 'custom', template: 'otp_verification|en', slots: {} }, 'Body Variable {{1}}', 'is empty$');

// ------------------------------------------------------------------------------------------------

const corpus = {
	about:
		'Bad inputs for the 1MSG Template node, each with the outcome the node must give: sent with the cleaned values, or refused by name before any request. Read by test/reliability/badInputs.test.ts.',
	defaults: { scenario: ORDER.scenario, template: ORDER.template, values: ORDER.values },
	channelTemplates: {
		note: "Added to the fake server's fixtures: a second namespace on the channel, so a template listed without one cannot borrow it.",
		add: [
			{
				id: '1180000000009001',
				name: 'other_account_notice',
				language: 'en',
				category: 'UTILITY',
				status: 'APPROVED',
				namespace: OTHER_NAMESPACE,
				rejected_reason: 'NONE',
				components: [{ type: 'BODY', text: 'Hello, {{1}}! Your {{2}} account was moved to a new workspace.' }],
			},
		],
	},
	cases,
};

const ids = new Set();
for (const c of cases) {
	if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
	ids.add(c.id);
}
const target = path.join(__dirname, '..', 'fixtures', 'badInputs.json');
fs.writeFileSync(target, `${JSON.stringify(corpus, null, '\t')}\n`);
process.stdout.write(`${cases.length} cases written to ${path.relative(process.cwd(), target)}\n`);
