// @ts-check
'use strict';

/** Small helpers of the fake server: seeded randomness, JSON answers, request bodies, loose values. */

const crypto = require('node:crypto');

/**
 * mulberry32: tiny seeded PRNG returning floats in [0, 1).
 * @param {number} a
 * @returns {() => number}
 */
function mulberry32(a) {
	return function () {
		a |= 0;
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * @param {number | string} seed
 * @returns {number}
 */
function seedToInt(seed) {
	if (typeof seed === 'number') return seed >>> 0;
	return crypto.createHash('sha256').update(String(seed)).digest().readUInt32LE(0);
}

/**
 * Placeholder names of a template text in order of first appearance (`{{1}}`, `{{customer_name}}`).
 * @param {unknown} text
 * @returns {string[]}
 */
function placeholders(text) {
	if (typeof text !== 'string') return [];
	/** @type {string[]} */
	const out = [];
	const re = /\{\{\s*([^{}]+?)\s*\}\}/g;
	let m;
	while ((m = re.exec(text))) if (!out.includes(m[1])) out.push(m[1]);
	return out;
}

/**
 * @param {unknown} v
 * @returns {v is Record<string, any>}
 */
function isObject(v) {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * @param {string} token
 * @returns {string}
 */
function truncateToken(token) {
	return token.length > 6 ? `${token.slice(0, 6)}…` : token;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function sendJson(res, status, body, headers) {
	if (res.writableEnded || res.destroyed) return;
	const text = JSON.stringify(body);
	res.writeHead(status, { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(text)), ...headers });
	res.end(text);
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<string>}
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => resolve(chunks.length === 0 ? '' : chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/**
 * @param {unknown} value string (single or comma-separated) or array
 * @returns {string[]}
 */
function normalizeUrlList(value) {
	if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
	if (typeof value === 'string') return value.split(',').map((v) => v.trim()).filter(Boolean);
	return [];
}

/**
 * @param {unknown} v
 * @returns {boolean | null}
 */
function toBool(v) {
	if (v === true || v === 1 || v === 'true' || v === '1') return true;
	if (v === false || v === 0 || v === 'false' || v === '0') return false;
	return null;
}

module.exports = { mulberry32, seedToInt, placeholders, isObject, truncateToken, sendJson, readBody, normalizeUrlList, toBool };
