// @ts-check
'use strict';

/**
 * Asynchronous delivery statuses and their webhook posts. Safety: statuses are only POSTed to loopback
 * URLs (127.0.0.0/8, localhost, [::1]); the resolved address is checked again at connect time. Every
 * other URL is recorded as skipped and never contacted.
 */

const http = require('node:http');
const https = require('node:https');
const dns = require('node:dns');
const net = require('node:net');
const { WABA_ID, WEBHOOK_TIMEOUT_MS } = require('./constants');

/**
 * Loopback host check on a URL hostname (no DNS).
 * @param {string} hostname
 * @returns {boolean}
 */
function isLoopbackHostname(hostname) {
	const h = hostname.toLowerCase().replace(/\.$/, '');
	if (h === 'localhost' || h.endsWith('.localhost')) return true;
	if (h === '[::1]' || h === '::1') return true;
	return isLoopbackAddress(h);
}

/**
 * @param {string} address an IP literal
 * @returns {boolean}
 */
function isLoopbackAddress(address) {
	const a = address.replace(/^\[|\]$/g, '').toLowerCase();
	if (net.isIPv4(a)) return a.startsWith('127.');
	if (a === '::1') return true;
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
	return !!mapped && mapped[1].startsWith('127.');
}

/**
 * A dns lookup that refuses to resolve to anything but a loopback address.
 * Handles both the `all: true` (array) and single-address call styles Node uses.
 * @type {net.LookupFunction}
 */
function loopbackOnlyLookup(hostname, options, callback) {
	dns.lookup(hostname, /** @type {any} */ ({ ...options, all: true }), (err, addresses) => {
		if (err) return callback(err, '', 4);
		const list = /** @type {dns.LookupAddress[]} */ (/** @type {unknown} */ (addresses)).filter((x) =>
			isLoopbackAddress(x.address),
		);
		if (list.length === 0) {
			const e = new Error(`Refusing to connect to non-loopback address for ${hostname}`);
			return callback(/** @type {NodeJS.ErrnoException} */ (e), '', 4);
		}
		if (/** @type {any} */ (options).all) return /** @type {any} */ (callback)(null, list);
		return callback(null, list[0].address, list[0].family);
	});
}

/** Meta's error for the failing phone's statuses. */
const UNDELIVERABLE = {
	code: 131026,
	text: 'Message Undeliverable: the recipient is not a WhatsApp user or cannot receive this message.',
	title: 'Message undeliverable',
};

/**
 * The statuses a message goes through, each with its pause after the previous one: by the recipient's
 * delivery plan when it has one, else sent -> delivered -> read (sent -> failed for a failing phone),
 * ackDelayMs apart.
 * @param {import('./server').FakeOneMsg} fake
 * @param {string} phone
 * @returns {Array<{ status: string, delayMs: number, error?: import('./server').PlannedError }>}
 */
function statusSteps(fake, phone) {
	const plan = fake.deliveryPlans.get(phone);
	const gap = fake.ackDelayMs;
	if (!plan) {
		if (fake.failingPhones.has(phone)) return [{ status: 'sent', delayMs: gap }, { status: 'failed', delayMs: gap, error: UNDELIVERABLE }];
		return ['sent', 'delivered', 'read'].map((status) => ({ status, delayMs: gap }));
	}
	const after = Math.max(0, (plan.afterMs ?? gap * 2) - gap);
	const sent = { status: 'sent', delayMs: gap };
	switch (plan.outcome) {
		case 'never':
			return [sent];
		case 'failed':
			return [sent, { status: 'failed', delayMs: after, error: plan.error ?? UNDELIVERABLE }];
		case 'read':
			return [sent, { status: 'delivered', delayMs: after }, { status: 'read', delayMs: gap }];
		default:
			return [sent, { status: 'delivered', delayMs: after }];
	}
}

/**
 * Meta's `errors[]` for a planned failure: a text alone (as 1MSG's acks carry it) has no code.
 * @param {import('./server').PlannedError} error
 * @returns {import('./server').MetaError[]}
 */
function metaErrors(error) {
	const title = error.title ?? error.text;
	return [{ ...(error.code === undefined ? {} : { code: error.code }), title, message: title, error_data: { details: error.text } }];
}

/**
 * Plays a message's statuses (statusSteps); each status waits for the previous status' webhook posts
 * to settle so receivers see them in order. Every status appears in hookInfo as it happens.
 * @param {import('./server').FakeOneMsg} fake
 * @param {string} id
 * @param {string} phone
 * @param {number} epoch
 */
async function scheduleStatuses(fake, id, phone, epoch) {
	try {
		for (const step of statusSteps(fake, phone)) {
			await fake._sleep(step.delayMs);
			if (fake._closed || epoch !== fake._epoch) return;
			/** @type {import('./server').StatusRecord} */
			const rec = { id, type: 'message', status: step.status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: phone };
			if (step.error) rec.errors = metaErrors(step.error);
			const list = fake._statuses.get(id);
			if (list) list.push(rec);
			fake.emit('status', rec);
			if (fake.settings.ackNotificationsOn && fake.webhookUrls.length > 0) {
				await postAll(fake, statusPayload(fake, rec), id, step.status, epoch);
			}
		}
	} catch {
		// closed while in flight
	}
}

/**
 * Meta's raw webhook envelope around one `value` (statuses or messages), as 1MSG forwards it with rawHooks.
 * @param {import('./server').FakeOneMsg} fake
 * @param {Record<string, unknown>} value
 */
function metaWebhookBody(fake, value) {
	return {
		instanceId: fake.channelId,
		entry: [
			{
				id: WABA_ID,
				changes: [
					{
						field: 'messages',
						value: {
							messaging_product: 'whatsapp',
							metadata: { display_phone_number: '15550100100', phone_number_id: '106540352242922' },
							...value,
						},
					},
				],
			},
		],
	};
}

/**
 * @param {import('./server').FakeOneMsg} fake
 * @param {import('./server').StatusRecord} rec
 * @returns {unknown}
 */
function statusPayload(fake, rec) {
	const format = fake.settings.rawHooks ? 'meta' : fake.ackFormat;
	if (format === 'meta') {
		/** @type {Record<string, unknown>} */
		const s = { id: rec.id, status: rec.status, timestamp: rec.timestamp, recipient_id: rec.recipient_id };
		if (rec.errors) s.errors = rec.errors;
		return metaWebhookBody(fake, { statuses: [s] });
	}
	if (format === 'hooks') return { instanceId: fake.channelId, hooks: [rec] };
	/** @type {Record<string, unknown>} */
	const ack = { id: rec.id, status: rec.status, chatId: `${rec.recipient_id}@c.us`, phone: rec.recipient_id };
	// 1MSG's ack carries the failure as free text, without Meta's code.
	if (rec.errors) ack.error = rec.errors[0].title;
	return { instanceId: fake.channelId, ack: [ack] };
}

/**
 * @param {import('./server').FakeOneMsg} fake
 * @param {unknown} payload
 * @param {string | undefined} messageId
 * @param {string | undefined} status
 * @param {number} epoch
 * @returns {Promise<void>}
 */
async function postAll(fake, payload, messageId, status, epoch) {
	const text = JSON.stringify(payload);
	/** @type {Promise<void>[]} */
	const posts = [];
	for (const url of fake.webhookUrls) {
		/** @type {URL | null} */
		let parsed = null;
		try {
			parsed = new URL(url);
		} catch {
			parsed = null;
		}
		if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !isLoopbackHostname(parsed.hostname)) {
			fake.skippedDeliveries.push({ url, messageId, status, reason: 'non-loopback', at: Date.now() });
			continue;
		}
		posts.push(deliver(fake, /** @type {URL} */ (parsed), url, payload, text, epoch));
	}
	await Promise.all(posts);
}

/**
 * POST one payload to one loopback URL. With settings.guaranteedHooks on, a post that gets no 2xx
 * (an error status, a timeout, a refused connection) is posted again with a doubling back-off,
 * `fake.hookRetry.attempts` posts in all (an ASSUMED policy: see HookRetry in server.js).
 * @param {import('./server').FakeOneMsg} fake
 * @param {URL} target
 * @param {string} url
 * @param {unknown} payload
 * @param {string} text
 * @param {number} epoch
 * @returns {Promise<void>}
 */
async function deliver(fake, target, url, payload, text, epoch) {
	const attempts = fake.settings.guaranteedHooks ? Math.max(1, fake.hookRetry.attempts) : 1;
	for (let attempt = 1; attempt <= attempts; attempt++) {
		if (fake._closed || epoch !== fake._epoch) return;
		const started = Date.now();
		/** @type {{ statusCode?: number, error?: string, answer?: string }} */
		const result = await new Promise((resolve) => {
			const isHttps = target.protocol === 'https:';
			const lib = isHttps ? https : http;
			const req = lib.request(
				target,
				{
					method: 'POST',
					agent: isHttps ? fake._httpsAgent : fake._httpAgent,
					lookup: loopbackOnlyLookup,
					headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'user-agent': 'fake-1msg/1.0' },
					timeout: WEBHOOK_TIMEOUT_MS,
				},
				(response) => {
					// The receiver's answer is kept (first 2 KB), so tests can tell "taken" from "ignored".
					let answer = '';
					response.setEncoding('utf8');
					response.on('data', (chunk) => {
						if (answer.length < 2048) answer += chunk;
					});
					response.on('end', () => resolve({ statusCode: response.statusCode, answer: answer.slice(0, 2048) }));
					response.on('error', (e) => resolve({ statusCode: response.statusCode, error: e.message }));
				},
			);
			fake._outgoing.add(req);
			req.on('close', () => fake._outgoing.delete(req));
			req.on('timeout', () => req.destroy(new Error(`timeout after ${WEBHOOK_TIMEOUT_MS} ms`)));
			req.on('error', (e) => resolve({ error: e.message }));
			req.end(text);
		});
		if (epoch !== fake._epoch) return;
		/** @type {import('./server').DeliveryRecord} */
		const rec = { url, body: payload, attempt, at: started, ms: Date.now() - started, ...result };
		fake.deliveries.push(rec);
		fake.emit('delivery', rec);
		const ok = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
		if (ok || attempt === attempts || fake._closed) return;
		await fake._sleep(Math.min(fake.hookRetry.maxDelayMs, fake.hookRetry.firstDelayMs * 2 ** (attempt - 1)));
	}
}

module.exports = { isLoopbackHostname, scheduleStatuses, postAll, metaWebhookBody };
