// @ts-check
/**
 * What the queue scripts share: posting a webhook body as 1MSG does (again after a non-2xx answer,
 * as `guaranteedHooks` does) and stopping every process they started when they are interrupted.
 * Node built-ins only.
 */
'use strict';

const http = require('node:http');

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * POSTs JSON text; resolves with the status code (0 when there was no answer), the parsed answer and
 * the answer time in ms. Never rejects.
 * @param {string} url @param {string} text
 * @returns {Promise<{ status: number, body: any, ms: number, error?: string }>}
 */
function postJson(url, text) {
	const started = process.hrtime.bigint();
	const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
	return new Promise((resolve) => {
		const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }, timeout: 120_000 }, (res) => {
			let answer = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => (answer += chunk));
			res.on('end', () => {
				let body = answer;
				try {
					body = JSON.parse(answer);
				} catch {
					// not JSON: kept as text
				}
				resolve({ status: res.statusCode ?? 0, body, ms: elapsed() });
			});
		});
		req.on('timeout', () => req.destroy(new Error('no answer in 120 s')));
		req.on('error', (error) => resolve({ status: 0, body: null, ms: elapsed(), error: error.message }));
		req.end(text);
	});
}

/**
 * Posts a body until it gets a 2xx, `attempts` posts in all, `delayMs` apart, as 1MSG's
 * `guaranteedHooks` does; every attempt's answer time goes into `times` when given.
 * @param {string} url @param {string} text
 * @param {{ attempts?: number, delayMs?: number, times?: number[] }} [options]
 * @returns {Promise<{ ok: boolean, accepted: number, retried: number, last: string }>}
 */
async function deliverWithRetries(url, text, { attempts = 3, delayMs = 1000, times } = {}) {
	let last = '';
	for (let attempt = 1; attempt <= attempts; attempt++) {
		const answer = await postJson(url, text);
		times?.push(answer.ms);
		if (answer.status >= 200 && answer.status < 300) return { ok: true, accepted: Number(answer.body?.accepted ?? 0), retried: attempt - 1, last };
		last = `${answer.status} ${answer.error ?? JSON.stringify(answer.body).slice(0, 120)}`.trim();
		if (attempt < attempts) await sleep(delayMs);
	}
	return { ok: false, accepted: 0, retried: attempts - 1, last };
}

/**
 * Runs the cleanups (last added first) when the script is interrupted, then exits with 130, so an
 * interrupted run leaves no n8n, PostgreSQL or Redis behind. Push cleanups onto the array it returns.
 * @returns {Array<() => Promise<unknown>>}
 */
function cleanupOnSignal() {
	/** @type {Array<() => Promise<unknown>>} */
	const cleanups = [];
	for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
		process.once(signal, async () => {
			for (const cleanup of [...cleanups].reverse()) await cleanup().catch(() => undefined);
			process.exit(130);
		});
	}
	return cleanups;
}

module.exports = { agent, sleep, postJson, deliverWithRetries, cleanupOnSignal };
