// @ts-check
/**
 * The fake 1MSG server against the contract corpus (test/fixtures/contract): every fixture names its
 * source, and every field the fake emits, in its webhooks and in its API answers, is a field some
 * fixture shows. A field no source shows may only appear behind a switch named as invented or
 * assumed, and then it is listed here with the reason.
 */
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const { afterAll, beforeAll, describe, expect, it } = require('@jest/globals');

const { FAILING_PHONE, startFake1msg } = require('./server');

const CORPUS_DIR = path.join(__dirname, '..', 'fixtures', 'contract');
const corpusFiles = fs.readdirSync(CORPUS_DIR).filter((name) => name.endsWith('.json'));
const corpus = corpusFiles.map((name) => ({ name, ...JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, name), 'utf8')) }));

/** Every object key in a value, at any depth. @param {unknown} value @param {Set<string>} into */
function collectKeys(value, into = new Set()) {
	if (Array.isArray(value)) for (const entry of value) collectKeys(entry, into);
	else if (value !== null && typeof value === 'object') {
		for (const [key, inner] of Object.entries(value)) {
			into.add(key);
			collectKeys(inner, into);
		}
	}
	return into;
}

/** The keys the corpus shows: of its bodies, the names its key inventories list, and keys quoted in verbatim text. */
const CORPUS_KEYS = (() => {
	const keys = new Set();
	for (const file of corpus) {
		for (const fixture of file.fixtures) {
			collectKeys(fixture.body, keys);
			if (fixture.kind === 'key-inventory' || fixture.kind === 'schema') {
				JSON.stringify(fixture.body ?? '').replace(/"([A-Za-z_][A-Za-z0-9_]*)"/g, (_m, name) => (keys.add(name), ''));
			}
			if (typeof fixture.body_verbatim === 'string') fixture.body_verbatim.replace(/"([A-Za-z_][A-Za-z0-9_]*)"\s*:/g, (_m, name) => (keys.add(name), ''));
		}
	}
	return keys;
})();

/**
 * Keys the fake emits that no source shows, each behind a switch and said so where it is made.
 * Nothing else may be added here without a source.
 */
const NAMED_AS_INVENTED = new Map([
	['webhookStatuses', 'disableWebhook(): the guide names the field, no source shows its shape (assumed)'],
]);

describe('the contract corpus', () => {
	it.each(corpusFiles)('%s names its source for every fixture', (name) => {
		const file = corpus.find((entry) => entry.name === name);
		expect(file.fixtures.length).toBeGreaterThan(0);
		for (const fixture of file.fixtures) {
			const source = fixture.source ?? file.source;
			expect({ fixture: fixture.name, source: Boolean(source && (source.repository || source.page || source.url || source.title)) }).toEqual({ fixture: fixture.name, source: true });
			expect(fixture.body !== undefined || typeof fixture.body_verbatim === 'string').toBe(true);
		}
	});
});

describe('what the fake 1MSG server emits', () => {
	/** @type {Awaited<ReturnType<typeof startFake1msg>>} */
	let fake;
	/** @type {number} */
	let receiverPort;
	/** @type {http.Server} */
	let receiver;
	/** @type {unknown[]} */
	const posted = [];
	/** @type {unknown[]} */
	const answers = [];

	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			let text = '';
			req.on('data', (chunk) => (text += chunk));
			req.on('end', () => {
				posted.push(JSON.parse(text));
				res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
			});
		});
		await new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve(undefined)));
		receiverPort = /** @type {import('node:net').AddressInfo} */ (receiver.address()).port;
		fake = await startFake1msg({ ackDelayMs: 5, webhookUrls: [`http://127.0.0.1:${receiverPort}/hook`], settings: { ackNotificationsOn: true } });
	});
	afterAll(async () => {
		await fake.close();
		await new Promise((resolve) => receiver.close(() => resolve(undefined)));
	});

	/** @param {string} method @param {string} route @param {unknown} [body] */
	async function call(method, route, body) {
		const response = await fetch(`${fake.baseUrl}/${fake.channelId}/${route}`, {
			method,
			headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const answer = await response.json();
		answers.push(answer);
		return answer;
	}

	const send = (/** @type {string} */ phone) =>
		call('POST', 'sendTemplate', {
			phone,
			template: 'order_no_response_notification',
			namespace: fake.templates.find((t) => t.name === 'order_no_response_notification').namespace,
			language: { policy: 'deterministic', code: 'en' },
			params: [{ type: 'body', parameters: ['Alexey', '10482', 'delivery slot confirmation', 'by 6 PM'].map((text) => ({ type: 'text', text })) }],
		});

	it('emits only fields the corpus shows, in its statuses, replies and API answers', async () => {
		const accepted = await send('79991234567');
		expect(accepted.sent).toBe(true);
		await send(FAILING_PHONE);
		await call('POST', 'sendTemplate', { phone: '12', template: 'x', namespace: 'y', language: { policy: 'deterministic', code: 'en' } });
		await call('GET', 'templates?limit=5&offset=0');
		await call('GET', 'webhook');
		await call('GET', 'settings');
		await call('GET', 'status');
		await call('GET', `hookInfo?messageId=${encodeURIComponent(accepted.id)}`);
		// Messages inside the 24-hour window: refused while the customer has not written, then accepted.
		expect(await call('POST', 'sendMessage', { phone: 79990000001, body: 'Hello' })).toEqual({ sent: false, message: 'Dialog window is closed' });
		fake.customerWrote('79990000001');
		expect((await call('POST', 'sendMessage', { phone: 79990000001, body: 'Hello' })).sent).toBe(true);
		await call('POST', 'sendFile', { phone: 79990000001, body: 'https://example.com/invoice-1042.pdf', filename: 'invoice-1042.pdf', caption: 'Invoice' });
		await call('POST', 'sendButton', { phone: '79990000001', body: 'Keep Friday?', sections: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }] });
		const sent = fake.sends.find((/** @type {{ id: string }} */ s) => s.id === accepted.id);
		for (const format of ['ack', 'meta']) {
			await fake.postReply(sent.id, { format, text: 'Can we move it?' });
			await fake.postReply(sent.id, { format, buttonIndex: 0 });
			await fake.postReply(sent.id, { format, reaction: '👍' });
		}
		await fake.postReply(sent.id, { format: 'ack', echo: true });
		await fake.waitFor(() => posted.length >= 7 + 4 + 3, 10_000);

		const emitted = collectKeys([...posted, ...answers]);
		const unknown = [...emitted].filter((key) => !CORPUS_KEYS.has(key) && !NAMED_AS_INVENTED.has(key)).sort();
		expect(unknown).toEqual([]);
	});

	it.each(['meta', 'hooks'])('emits only fields the corpus shows in statuses of the %s format', async (ackFormat) => {
		const other = await startFake1msg({ ackDelayMs: 5, ackFormat, webhookUrls: [`http://127.0.0.1:${receiverPort}/hook`], settings: { ackNotificationsOn: true } });
		const before = posted.length;
		try {
			const namespace = other.templates.find((t) => t.name === 'order_no_response_notification').namespace;
			for (const phone of ['79991234567', FAILING_PHONE]) {
				await fetch(`${other.baseUrl}/${other.channelId}/sendTemplate`, {
					method: 'POST',
					headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/json' },
					body: JSON.stringify({
						phone,
						template: 'order_no_response_notification',
						namespace,
						language: { policy: 'deterministic', code: 'en' },
						params: [{ type: 'body', parameters: ['Alexey', '10482', 'delivery slot confirmation', 'by 6 PM'].map((text) => ({ type: 'text', text })) }],
					}),
				});
			}
			await other.waitFor(() => posted.length >= before + 5, 10_000);
		} finally {
			await other.close();
		}
		const unknown = [...collectKeys(posted.slice(before))].filter((key) => !CORPUS_KEYS.has(key) && !NAMED_AS_INVENTED.has(key)).sort();
		expect(unknown).toEqual([]);
	});

	it('shows a disabled destination only while a test has disabled one, and only under the field named as assumed', async () => {
		const before = collectKeys(await call('GET', 'webhook'));
		expect(before.has('webhookStatuses')).toBe(false);
		fake.disableWebhook(fake.webhookUrls[0]);
		// The assumed shape keys its entries by URL: those are values, not field names.
		const after = [...collectKeys(await call('GET', 'webhook'))].filter((key) => !/^https?:\/\//.test(key));
		expect(after.filter((key) => !CORPUS_KEYS.has(key))).toEqual(['webhookStatuses']);
	});
});
