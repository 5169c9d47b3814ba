// @ts-check
'use strict';
/** A loopback HTTP endpoint standing for a downstream effect (a CRM update, an email): it records every call. */
const http = require('node:http');

async function startEffectCounter() {
	/** @type {Array<Record<string, unknown>>} */
	const calls = [];
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (chunk) => (text += chunk));
		req.on('end', () => {
			try {
				calls.push(JSON.parse(text));
			} catch {
				calls.push({ unparsed: text });
			}
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${address.port}/effect`,
		calls,
		/** How many calls carried each value of `field`. @param {string} field */
		countBy(field) {
			/** @type {Map<string, number>} */
			const counts = new Map();
			for (const call of calls) counts.set(String(call[field]), (counts.get(String(call[field])) ?? 0) + 1);
			return counts;
		},
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve(undefined));
			}),
	};
}

module.exports = { startEffectCounter };
