// @ts-check
'use strict';

/**
 * Customer messages that answer a sent template: a quoted text reply or a quick-reply tap, posted to
 * the channel's webhooks in 1MSG's normalized format or Meta's raw one (`settings.rawHooks`, or
 * `format` to choose), loopback only like the statuses.
 */

const { metaWebhookBody, postAll } = require('./webhookDelivery');

/**
 * @typedef {{ format?: 'ack' | 'meta', text?: string, button?: { text: string, payload: string } }} ReplySpec
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
	const time = Math.floor(Date.now() / 1000);
	const format = spec.format ?? (fake.settings.rawHooks ? 'meta' : 'ack');
	if (format === 'meta') {
		/** @type {Record<string, unknown>} */
		const message = { id, from: send.phone, timestamp: String(time), context: { from: '15550100100', id: send.id } };
		if (spec.button) Object.assign(message, { type: 'button', button: { text: spec.button.text, payload: spec.button.payload } });
		else Object.assign(message, { type: 'text', text: { body: spec.text ?? '' } });
		return metaWebhookBody(fake, { contacts: [{ profile: { name: 'Test Customer' }, wa_id: send.phone }], messages: [message] });
	}
	/** @type {Record<string, unknown>} */
	const message = {
		id,
		type: spec.button ? 'button' : 'chat',
		body: spec.button ? spec.button.text : (spec.text ?? ''),
		fromMe: false,
		self: 0,
		time,
		chatId: `${send.phone}@c.us`,
		senderName: 'Test Customer',
		quotedMsgId: send.id,
	};
	if (spec.button) message.buttonPayload = spec.button.payload;
	return { instanceId: fake.channelId, messages: [message] };
}

/**
 * Posts a customer's reply to the sent message `messageId`; for a tap, the payload defaults to the one
 * the send put into that quick-reply button. Resolves with the posted body once delivered.
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
