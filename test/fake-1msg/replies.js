// @ts-check
'use strict';

/**
 * Customer messages that answer a sent template: a quoted text reply, a quick-reply tap or a reaction,
 * posted to the channel's webhooks in 1MSG's normalized format or Meta's raw one (`settings.rawHooks`,
 * or `format` to choose), loopback only like the statuses; and the echo of the sent message itself.
 *
 * The normalized format carries only keys of the production capture's inventory (`ebor94/1msg`
 * docs/payloads-reales-1msg.md lines 21-23, 2026-07-24; test/fixtures/contract/capture-messages.json)
 * with its value types: `self`/`fromMe` as 0/false (1/true on an echo), `time` a string of unix
 * seconds. The capture saw `button` and `reaction` messages but printed no body of either, so those are
 * assembled from the inventory: the label or emoji in `body`, the message answered in `quotedMsgId`,
 * and no payload, since no key of the inventory carries one.
 */

const { metaWebhookBody, postAll } = require('./webhookDelivery');

/** The business's number: Meta's `context.from`, and an echo's `senderName` (the capture's echoes name the business there). */
const FAKE_BUSINESS_NUMBER = '15550100100';

/**
 * `echo` posts our own message coming back (normalized format only: Meta's `value.messages` holds the
 * customer's messages alone); its flags default to the capture's `self: 1, fromMe: true`, and may be
 * given as 1MSG's own n8n node accepts them (`'1'`, `'true'`).
 * @typedef {{ fromMe?: unknown, self?: unknown }} EchoFlags
 * @typedef {{
 *   format?: 'ack' | 'meta', text?: string, button?: { text: string, payload: string }, reaction?: string,
 *   echo?: true | EchoFlags,
 * }} ReplySpec
 */

/**
 * The webhook body of one reply to `send`.
 * @param {import('./server').FakeOneMsg} fake
 * @param {import('./server').SendRecord} send
 * @param {string} id
 * @param {ReplySpec} spec
 * @returns {unknown}
 */
function replyPayload(fake, send, id, spec) {
	const time = String(Math.floor(Date.now() / 1000));
	const format = spec.format ?? (fake.settings.rawHooks ? 'meta' : 'ack');
	if (spec.echo && format === 'meta') throw new Error('fake-1msg: no source shows an echo in Meta\'s raw messages');
	if (format === 'meta') {
		/** @type {Record<string, unknown>} */
		const message = { id, from: send.phone, timestamp: time };
		// Meta's reaction names its message in `reaction.message_id` and has no `context` (Meta's
		// "Reaction messages webhook reference"); the other answers quote it in `context`.
		if (spec.reaction !== undefined) Object.assign(message, { type: 'reaction', reaction: { message_id: send.id, emoji: spec.reaction } });
		else {
			const context = { from: FAKE_BUSINESS_NUMBER, id: send.id };
			if (spec.button) Object.assign(message, { context, type: 'button', button: { text: spec.button.text, payload: spec.button.payload } });
			else Object.assign(message, { context, type: 'text', text: { body: spec.text ?? '' } });
		}
		return metaWebhookBody(fake, { contacts: [{ profile: { name: 'Test Customer' }, wa_id: send.phone }], messages: [message] });
	}
	const chatId = `${send.phone}@c.us`;
	if (spec.echo) {
		const flags = spec.echo === true ? {} : spec.echo;
		// The capture's "outgoing text message" example: the business's own message, quoting nothing.
		const echo = {
			id: send.id,
			type: 'chat',
			body: spec.text ?? '',
			self: 'self' in flags ? flags.self : 1,
			fromMe: 'fromMe' in flags ? flags.fromMe : true,
			time,
			chatId,
			author: chatId,
			senderName: `${FAKE_BUSINESS_NUMBER}@c.us`,
			quotedMsgId: null,
			isForwarded: false,
		};
		return { instanceId: fake.channelId, messages: [echo] };
	}
	const type = spec.reaction !== undefined ? 'reaction' : spec.button ? 'button' : 'chat';
	const message = {
		id,
		type,
		body: type === 'reaction' ? spec.reaction : spec.button ? spec.button.text : (spec.text ?? ''),
		self: 0,
		fromMe: false,
		time,
		chatId,
		author: chatId,
		senderName: 'Test Customer',
		quotedMsgId: send.id,
		isForwarded: false,
	};
	return { instanceId: fake.channelId, messages: [message] };
}

/**
 * Posts a customer's reply to the sent message `messageId`; for a tap, the payload defaults to the one
 * the send put into that quick-reply button (only Meta's raw format carries it). Resolves with the
 * posted body once delivered.
 * @param {import('./server').FakeOneMsg} fake
 * @param {string} messageId
 * @param {ReplySpec & { buttonIndex?: number }} spec
 * @returns {Promise<unknown>}
 */
async function postReply(fake, messageId, spec) {
	const send = fake.sends.find((candidate) => candidate.id === messageId);
	if (!send) throw new Error(`fake-1msg postReply: no send with id ${messageId}`);
	let button = spec.button;
	if (!button && spec.buttonIndex !== undefined) {
		const params = Array.isArray(send.body.params) ? send.body.params : [];
		const param = params.find((/** @type {any} */ p) => p.type === 'button' && p.sub_type === 'quick_reply' && p.index === spec.buttonIndex);
		button = { text: buttonText(fake, send, spec.buttonIndex), payload: param?.parameters?.[0]?.payload ?? buttonText(fake, send, spec.buttonIndex) };
	}
	const payload = replyPayload(fake, send, `wamid.reply.${fake.sends.length}.${Date.now()}`, { ...spec, button });
	// A customer's message opens their 24-hour window (an echo of our own message does not).
	if (!spec.echo) fake.customerWrote(send.phone);
	await postAll(fake, payload, messageId, 'reply', fake._epoch);
	return payload;
}

/**
 * @param {import('./server').FakeOneMsg} fake @param {import('./server').SendRecord} send @param {number} index
 * @returns {string}
 */
function buttonText(fake, send, index) {
	const template = fake.templates.find((t) => t.name === send.template && t.language === send.language);
	const components = Array.isArray(template?.components) ? template.components : [];
	const buttons = components.find((/** @type {any} */ c) => c.type === 'BUTTONS')?.buttons ?? [];
	return buttons[index]?.text ?? `Button ${index + 1}`;
}

module.exports = { postReply, replyPayload };
