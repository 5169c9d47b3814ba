// @ts-check
'use strict';

/** Fault rules: answers the fake gives instead of (or after) the real behaviour, e.g. 429, 502, a hang. */

const { sendJson } = require('./util');

/**
 * The first active rule for this request, its remaining count taken down by one.
 * @param {import('./server').FakeOneMsg} fake
 * @param {string} httpMethod
 * @param {string} apiMethod
 * @param {boolean} afterSend
 * @param {unknown} [body] the request body: a rule with `phone` answers only sends to that recipient
 * @returns {(import('./server').FaultRule & { remaining: number }) | null}
 */
function matchFault(fake, httpMethod, apiMethod, afterSend, body) {
	for (const rule of fake._faults) {
		if (!!rule.afterSend !== afterSend || rule.remaining <= 0) continue;
		if (rule.method && rule.method.toLowerCase() !== apiMethod.toLowerCase()) continue;
		if (rule.httpMethod && rule.httpMethod.toUpperCase() !== httpMethod) continue;
		if (rule.phone && String(/** @type {{ phone?: unknown }} */ (body ?? {}).phone ?? '') !== rule.phone) continue;
		if (rule.probability !== undefined && !(fake._random() < rule.probability)) continue;
		rule.remaining--;
		return rule;
	}
	return null;
}

/**
 * Answers as the rule says: destroy the socket, hang until closed, or a given status and body.
 * @param {import('./server').FakeOneMsg} fake
 * @param {import('./server').FaultRule} fault
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
function answerFault(fake, fault, req, res) {
	if (fault.destroy) return void req.socket.destroy();
	if (fault.hang) {
		fake._hanging.add(res);
		res.on('close', () => fake._hanging.delete(res));
		return;
	}
	const r = fault.response || { status: 500, body: { error: 'Internal Server Error' } };
	if (typeof r.raw === 'string') {
		res.writeHead(r.status, { 'content-type': 'text/html; charset=utf-8', ...(r.headers || {}) });
		return void res.end(r.raw);
	}
	if (r.body === undefined) {
		res.writeHead(r.status, { ...(r.headers || {}) });
		return void res.end();
	}
	return sendJson(res, r.status, r.body, r.headers);
}

/**
 * @param {import('./server').FaultRule} f
 * @returns {string}
 */
function faultReason(f) {
	if (f.hang) return 'fault:hang';
	if (f.destroy) return 'fault:destroy';
	return `fault:${f.response ? f.response.status : 500}`;
}

/**
 * What `rejected` records of a send a fault answered.
 * @param {import('./server').FaultRule} fault
 * @param {unknown} body
 * @param {string} reason
 * @param {number} at
 */
function faultRecord(fault, body, reason, at) {
	return { body, status: fault.response ? fault.response.status : 0, response: fault.response ? fault.response.body ?? fault.response.raw : null, reason, at };
}

module.exports = { matchFault, answerFault, faultReason, faultRecord };
