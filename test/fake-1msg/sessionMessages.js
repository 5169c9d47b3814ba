// @ts-check
'use strict';

/**
 * Messages inside the 24-hour customer service window: POST sendMessage (text), sendFile (a file by
 * link) and sendButton (up to 3 reply buttons), with the request shapes of 1MSG's SDK
 * (`1msg/1msg-sdk` @ aee1671, 2026-08-20: SendMessageRequest, SendFileRequest, SendButtonRequest) and
 * its answer, MessageSentResponse `{sent, id, message, description}`.
 *
 * The window: WhatsApp lets a business send a message that is not a template only within 24 hours of
 * the customer's last message (Meta's "customer service window"; error 131047 "Re-engagement
 * message" outside it). 1MSG refuses such a send with HTTP 400 "Dialog window is closed" (its API
 * statuses as the contract reference lists them; 1MSG's n8n node maps the same words and 131047 to
 * the closed window). The fake keeps, per customer, when they last wrote: `customerWrote(phone, at)`,
 * and every reply the fake posts (replies.js).
 *
 * Limits checked, as Meta documents them for these messages: a text body of 1 to 4,096 characters, a
 * caption of at most 1,024, 1 to 3 reply buttons with a unique title of 1 to 20 characters and an id
 * of at most 256, an interactive body of at most 1,024 and a footer of at most 60.
 */

const { readRecipient } = require('./validation');
const { isObject } = require('./util');

/** Meta's customer service window. */
const WINDOW_MS = 24 * 60 * 60 * 1000;

/** The session methods and how each reads its body; a failure is `{ message, description? }`. */
const SESSION_METHODS = {
	sendMessage: checkText,
	sendFile: checkFile,
	sendButton: checkButtons,
};

/** @param {Record<string, unknown>} b */
function checkText(b) {
	if (typeof b.body !== 'string' || b.body.trim() === '') return { message: 'Message body is empty' };
	if (b.body.length > 4096) return { message: 'Message body is too long', description: 'The text may have at most 4096 characters' };
	return undefined;
}

/** @param {Record<string, unknown>} b */
function checkFile(b) {
	if (typeof b.body !== 'string' || !/^(https?:\/\/\S+|data:[^,]+,.+)$/.test(b.body)) {
		return { message: 'File body must be an HTTP(S) link or a data URI' };
	}
	if (typeof b.filename !== 'string' || b.filename.trim() === '') return { message: 'filename is required with body' };
	if (b.caption !== undefined && (typeof b.caption !== 'string' || b.caption.length > 1024)) {
		return { message: 'Caption is too long', description: 'A caption may have at most 1024 characters' };
	}
	return undefined;
}

/** @param {Record<string, unknown>} b */
function checkButtons(b) {
	if (typeof b.body !== 'string' || b.body.trim() === '' || b.body.length > 1024) {
		return { message: 'Button message body must have 1 to 1024 characters' };
	}
	if (b.footer !== undefined && (typeof b.footer !== 'string' || b.footer.length > 60)) return { message: 'Footer may have at most 60 characters' };
	const sections = Array.isArray(b.sections) ? b.sections : [];
	if (sections.length < 1 || sections.length > 3) return { message: 'Give 1 to 3 reply buttons' };
	const titles = new Set();
	for (const section of sections) {
		const reply = isObject(section) && section.type === 'reply' && isObject(section.reply) ? section.reply : undefined;
		const title = reply && typeof reply.title === 'string' ? reply.title : '';
		if (!reply || title.trim() === '' || title.length > 20) return { message: 'Each button needs a title of 1 to 20 characters' };
		if (typeof reply.id !== 'string' || reply.id === '' || reply.id.length > 256) return { message: 'Each button needs an id of at most 256 characters' };
		if (titles.has(title)) return { message: 'Button titles must be unique' };
		titles.add(title);
	}
	return undefined;
}

/**
 * Answers one session send: the recipient, the body, then the window, in that order; an accepted
 * message gets statuses like a template.
 * @param {import('./server').FakeOneMsg} fake
 * @param {'sendMessage' | 'sendFile' | 'sendButton'} method
 * @param {unknown} body
 * @param {(status: number, payload: unknown, reason: string) => void} reject
 * @param {(phone: string) => string} accepted  gives the accepted message its id
 */
function answerSessionSend(fake, method, body, reject, accepted) {
	const b = isObject(body) ? body : {};
	const recipient = readRecipient(b);
	if ('message' in recipient) return reject(400, { sent: false, ...recipient }, 'phone');
	const problem = SESSION_METHODS[method](b);
	if (problem) return reject(400, { sent: false, ...problem }, 'params');
	const wrote = fake.lastCustomerMessageAt(recipient.key);
	if (wrote === undefined || Date.now() - wrote > WINDOW_MS) return reject(400, { sent: false, message: 'Dialog window is closed' }, 'window');
	const id = accepted(recipient.key);
	fake.sessionSends.push({ method, id, phone: recipient.key, body: b, at: Date.now() });
	return { id, phone: recipient.key };
}

module.exports = { SESSION_METHODS, WINDOW_MS, answerSessionSend };
