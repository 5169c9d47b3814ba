// @ts-check
'use strict';

/**
 * A fake 1MSG WhatsApp Business API server (real HTTP, loopback only) for tests and benchmarks.
 * Behaviour follows the 1MSG API contract: POST /{channel}/sendTemplate validated like the real API
 * (HTTP 400 "template is not defined", HTTP 200 sent:false with Meta codes 132000/132001/100), templates,
 * webhook/settings management, status/hookInfo/me, and asynchronous delivery-status webhooks.
 *
 * Safety: status webhooks are only POSTed to loopback URLs (127.0.0.0/8, localhost, [::1]); the resolved
 * address is checked again at connect time. Every other URL is recorded as skipped and never contacted.
 */

const http = require('node:http');
const https = require('node:https');
const dns = require('node:dns');
const net = require('node:net');
const crypto = require('node:crypto');
const { EventEmitter } = require('node:events');
const { cloneTemplates } = require('./templates');

const DEFAULT_CHANNEL_ID = 'VID182868781';
const DEFAULT_TOKEN = 'dummy-1msg-token-0123456789abcdef';
/** Sends to this phone are accepted, then fail asynchronously (sent -> failed, Meta 131026). */
const FAILING_PHONE = '15550009999';
const INBOX_WEBHOOK_URL = `https://app.1msg.io/service/whatsapp/hook/${DEFAULT_CHANNEL_ID}`;
const WABA_ID = '102290129340398';
const MAX_WEBHOOKS = 5;
const WEBHOOK_TIMEOUT_MS = 5000;
const MAX_BODY_CHARS = 1024;

/**
 * @typedef {import('./templates').TemplateRecord} TemplateRecord
 * @typedef {'ack' | 'meta' | 'hooks'} AckFormat
 * @typedef {{ status: number, body?: unknown, headers?: Record<string, string>, raw?: string }} FaultResponse
 * @typedef {{
 *   method?: string, httpMethod?: string, count?: number, probability?: number, afterSend?: boolean,
 *   response?: FaultResponse, hang?: boolean, destroy?: boolean,
 * }} FaultRule
 * @typedef {{ method: string, path: string, query: Record<string, string>, headers: http.IncomingHttpHeaders, body: unknown, at: number }} RequestRecord
 * @typedef {{ id: string, phone: string, template: string, language: string, body: any, at: number }} SendRecord
 * @typedef {{ body: unknown, status: number, response: unknown, reason: string, at: number, messageId?: string }} RejectedRecord
 * @typedef {{ url: string, body: unknown, statusCode?: number, error?: string, attempt: number, at: number, ms: number }} DeliveryRecord
 * @typedef {{ url: string, messageId?: string, status?: string, reason: string, at: number }} SkippedDelivery
 * @typedef {{ code: number, title: string, message: string, error_data: { details: string } }} MetaError
 * @typedef {{ id: string, type: 'message', status: string, timestamp: string, recipient_id: string, errors?: MetaError[] }} StatusRecord
 * @typedef {{
 *   webhookUrl: string[], ackNotificationsOn: boolean, guaranteedHooks: boolean, rawHooks: boolean,
 *   template_analytics_enabled: boolean, cta_url_link_tracking_opted_out: boolean, [k: string]: unknown,
 * }} Settings
 * @typedef {{
 *   host?: string, port?: number, channelId?: string, token?: string, templates?: TemplateRecord[],
 *   webhookUrls?: string[], settings?: Partial<Settings>, latencyMs?: number, ackDelayMs?: number,
 *   ackFormat?: AckFormat, failingPhones?: string[], seed?: number | string, rateLimitPerSecond?: number,
 * }} FakeOptions
 */

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Template compilation and send validation
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {{ index: number, type: string, vars: string[], otp: boolean }} ButtonSpec
 * @typedef {{
 *   name: string, language: string, approved: boolean, namespace: string | null, category: string,
 *   bodyText: string, bodyVars: string[], named: boolean,
 *   header: { format: string, vars: string[] } | null, buttons: ButtonSpec[],
 * }} TemplateSpec
 * @typedef {{ message: string, description?: string }} SendFailure
 */

/**
 * @param {TemplateRecord} t
 * @returns {string}
 */
function templateLanguage(t) {
	const l = /** @type {unknown} */ (t.language);
	if (typeof l === 'string') return l;
	if (isObject(l) && typeof l.code === 'string') return l.code;
	return '';
}

/**
 * @param {TemplateRecord} t
 * @returns {string | null}
 */
function ownNamespace(t) {
	const r = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (t));
	for (const k of ['namespace', 'message_template_namespace', 'messageTemplateNamespace']) {
		if (typeof r[k] === 'string' && r[k]) return /** @type {string} */ (r[k]);
	}
	return null;
}

/**
 * @param {TemplateRecord} t
 * @param {string | null} channelNamespace
 * @returns {TemplateSpec}
 */
function compileTemplate(t, channelNamespace) {
	/** @type {unknown} */
	let comps = t.components;
	if (typeof comps === 'string') {
		try {
			comps = JSON.parse(comps);
		} catch {
			comps = [];
		}
	}
	/** @type {TemplateSpec} */
	const spec = {
		name: t.name,
		language: templateLanguage(t),
		approved: String(t.status || '').toUpperCase() === 'APPROVED',
		namespace: ownNamespace(t) || channelNamespace,
		category: String(t.category || '').toUpperCase(),
		bodyText: '',
		bodyVars: [],
		named: false,
		header: null,
		buttons: [],
	};
	for (const c of Array.isArray(comps) ? comps : []) {
		if (!isObject(c)) continue;
		const type = String(c.type || '').toUpperCase();
		if (type === 'BODY') {
			spec.bodyText = String(c.text || '');
			spec.bodyVars = placeholders(c.text);
		} else if (type === 'HEADER') {
			const format = String(c.format || 'TEXT').toUpperCase();
			spec.header = { format, vars: format === 'TEXT' ? placeholders(c.text) : [] };
		} else if (type === 'BUTTONS' && Array.isArray(c.buttons)) {
			c.buttons.forEach((/** @type {any} */ b, /** @type {number} */ index) => {
				const btype = String((b && b.type) || '').toUpperCase();
				const otp = btype === 'OTP' || (spec.category === 'AUTHENTICATION' && index === 0);
				spec.buttons.push({ index, type: btype, vars: btype === 'URL' ? placeholders(b.url) : [], otp });
			});
		}
	}
	spec.named = spec.bodyVars.some((v) => !/^\d+$/.test(v));
	return spec;
}

/**
 * @param {string} where
 * @param {number} given
 * @param {number} expected
 * @returns {SendFailure}
 */
function countMismatch(where, given, expected) {
	return {
		message: `(#132000) Number of parameters does not match the expected number of params - ${where}: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
	};
}

/**
 * @param {string} description
 * @returns {SendFailure}
 */
function invalidParameter(description) {
	return { message: '(#100) Invalid parameter', description };
}

/**
 * @param {string} description
 * @returns {SendFailure}
 */
function invalidValue(description) {
	return { message: '(#131009) Parameter value is not valid', description };
}

const BAD_TEXT_RE = /[\n\r\t]| {5,}/;

/**
 * Validates one parameter object; returns its text value (for hydration) or a failure.
 * @param {unknown} p
 * @param {string} where
 * @returns {SendFailure | { text: string }}
 */
function checkParam(p, where) {
	if (!isObject(p)) return invalidParameter(`${where}: each parameter must be an object with a type`);
	const type = String(p.type || '').toLowerCase();
	if (type === 'text') {
		if (typeof p.text !== 'string') return invalidParameter(`${where}: Param text must be a string`);
		if (p.text.trim() === '') return invalidParameter(`${where}: Param text cannot be empty`);
		if (BAD_TEXT_RE.test(p.text)) {
			return invalidParameter('Param text cannot have new-line/tab characters or more than 4 consecutive spaces');
		}
		return { text: p.text };
	}
	if (type === 'currency') {
		const c = p.currency;
		if (!isObject(c) || typeof c.fallback_value !== 'string' || typeof c.amount_1000 !== 'number' || !(c.code || c.currency_code)) {
			return invalidParameter(`${where}: currency needs fallback_value, code and amount_1000`);
		}
		return { text: c.fallback_value };
	}
	if (type === 'date_time') {
		const d = p.date_time;
		if (!isObject(d) || typeof d.fallback_value !== 'string') return invalidParameter(`${where}: date_time needs fallback_value`);
		return { text: d.fallback_value };
	}
	return invalidParameter(`${where}: unsupported parameter type "${String(p.type)}"`);
}

/**
 * @param {unknown} v
 * @returns {v is SendFailure}
 */
function isFailure(v) {
	return isObject(v) && typeof v.message === 'string';
}

/**
 * Validates `params` of a sendTemplate body against a compiled template, like Meta/1MSG would.
 * @param {TemplateSpec} spec
 * @param {unknown} params
 * @returns {SendFailure | null}
 */
function validateParams(spec, params) {
	if (params === undefined || params === null) params = [];
	if (!Array.isArray(params)) return invalidParameter('params must be an array of component objects');
	/** @type {Record<string, any> | undefined} */
	let bodyComp;
	/** @type {Record<string, any> | undefined} */
	let headerComp;
	/** @type {Map<number, Record<string, any>>} */
	const buttonComps = new Map();
	for (const comp of params) {
		if (!isObject(comp) || typeof comp.type !== 'string') {
			return invalidParameter('params must be an array of component objects ({type, parameters})');
		}
		const type = comp.type.toLowerCase();
		if (type !== 'button' && comp.parameters !== undefined && !Array.isArray(comp.parameters)) {
			return invalidParameter(`${type}: parameters must be an array`);
		}
		if (type === 'body') {
			if (bodyComp) return invalidParameter('body component given more than once');
			bodyComp = comp;
		} else if (type === 'header') {
			if (headerComp) return invalidParameter('header component given more than once');
			headerComp = comp;
		} else if (type === 'button') {
			const index = typeof comp.index === 'string' && /^\d+$/.test(comp.index) ? Number(comp.index) : comp.index;
			if (!Number.isInteger(index)) return invalidParameter('button: index must be an integer');
			if (buttonComps.has(index)) return invalidValue(`button at index ${index} given more than once`);
			buttonComps.set(index, comp);
		} else {
			return invalidParameter(`Unsupported component type "${comp.type}"`);
		}
	}

	// BODY
	const bodyParams = (bodyComp && bodyComp.parameters) || [];
	if (bodyParams.length !== spec.bodyVars.length) return countMismatch('body', bodyParams.length, spec.bodyVars.length);
	/** @type {Map<string, string>} */
	const values = new Map();
	for (let i = 0; i < bodyParams.length; i++) {
		const r = checkParam(bodyParams[i], 'body');
		if (isFailure(r)) return r;
		if (spec.named) {
			const pname = bodyParams[i].parameter_name;
			if (typeof pname !== 'string' || !spec.bodyVars.includes(pname)) {
				return invalidParameter(
					`body: parameter_name "${String(pname)}" is missing or not in the template (expected ${spec.bodyVars.join(', ')})`,
				);
			}
			if (values.has(pname)) return invalidParameter(`body: parameter_name "${pname}" given more than once`);
			values.set(pname, /** @type {{text: string}} */ (r).text);
		} else {
			values.set(spec.bodyVars[i], /** @type {{text: string}} */ (r).text);
		}
	}
	const hydrated = spec.bodyText.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (_m, name) => values.get(name) ?? '');
	if (hydrated.length > MAX_BODY_CHARS) {
		return { message: '(#132005) Translated text too long', description: `body: hydrated text is ${hydrated.length} characters (max ${MAX_BODY_CHARS})` };
	}

	// HEADER
	const header = spec.header;
	if (header && header.format !== 'TEXT') {
		const hp = (headerComp && headerComp.parameters) || [];
		if (hp.length !== 1) return countMismatch('header', hp.length, 1);
		const p = hp[0];
		const want = header.format.toLowerCase();
		if (!isObject(p) || String(p.type || '').toLowerCase() !== want) {
			return {
				message: '(#132012) Parameter format does not match format in the created template',
				description: `header: Format mismatch, expected ${header.format}, received ${isObject(p) && p.type ? String(p.type).toUpperCase() : 'UNKNOWN'}`,
			};
		}
		const media = p[want];
		if (!isObject(media) || (!media.link && !media.id)) return invalidParameter(`header: ${want} needs a link or an id`);
		if (media.link !== undefined) {
			let ok = false;
			try {
				ok = typeof media.link === 'string' && new URL(media.link).protocol === 'https:';
			} catch {
				ok = false;
			}
			if (!ok) return invalidParameter(`header: ${want} link must be a full https URL`);
		}
	} else {
		const expected = header ? header.vars.length : 0;
		const hp = (headerComp && headerComp.parameters) || [];
		if (hp.length !== expected) return countMismatch('header', hp.length, expected);
		for (const p of hp) {
			const r = checkParam(p, 'header');
			if (isFailure(r)) return r;
		}
	}

	// BUTTONS
	for (const [index, comp] of buttonComps) {
		const button = spec.buttons[index];
		if (!button) return invalidValue(`button at index ${index} does not exist in the template`);
		const sub = String(comp.sub_type || '').toLowerCase();
		const bp = comp.parameters;
		if (bp !== undefined && !Array.isArray(bp)) return invalidParameter(`button at index ${index}: parameters must be an array`);
		const list = bp || [];
		if (button.otp) {
			if (sub !== 'copy_code' && sub !== 'url') {
				return invalidValue(`button at index ${index} is a one-time-password button: sub_type must be copy_code or url`);
			}
			if (list.length !== 1) return countMismatch(`button at index ${index}`, list.length, 1);
			const p = list[0];
			/** @type {unknown} */
			let code;
			if (isObject(p) && p.type === 'coupon_code') code = p.coupon_code;
			else if (isObject(p) && p.type === 'text') code = p.text;
			else return invalidParameter(`button at index ${index}: OTP parameter must be of type coupon_code or text`);
			if (typeof code !== 'string' || code.trim() === '') return invalidParameter(`button at index ${index}: OTP code cannot be empty`);
			const bodyCode = values.get(spec.bodyVars[0]);
			if (bodyCode !== undefined && bodyCode !== code) {
				return invalidValue(`button at index ${index}: the OTP code must equal the body {{1}} code`);
			}
		} else if (button.type === 'URL') {
			if (sub !== 'url') return invalidValue(`button at index ${index} is a URL button: sub_type must be url`);
			if (button.vars.length === 0) return invalidValue(`button at index ${index}: this URL button has no variable; omit it`);
			if (list.length !== button.vars.length) return countMismatch(`button at index ${index}`, list.length, button.vars.length);
			for (const p of list) {
				const r = checkParam(p, `button at index ${index}`);
				if (isFailure(r)) return r;
			}
		} else if (button.type === 'QUICK_REPLY') {
			if (sub !== 'quick_reply') return invalidValue(`button at index ${index} is a quick reply: sub_type must be quick_reply`);
			for (const p of list) {
				if (!isObject(p) || p.type !== 'payload' || typeof p.payload !== 'string') {
					return invalidParameter(`button at index ${index}: quick reply parameters must be {type:"payload", payload}`);
				}
			}
		} else {
			return invalidValue(`button at index ${index} (${button.type}) takes no parameters`);
		}
	}
	for (const button of spec.buttons) {
		const needs = button.otp ? 1 : button.vars.length;
		if (needs > 0 && !buttonComps.has(button.index)) return countMismatch(`button at index ${button.index}`, 0, needs);
	}
	return null;
}

// ---------------------------------------------------------------------------------------------
// The fake server
// ---------------------------------------------------------------------------------------------

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * @param {http.ServerResponse} res
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

class FakeOneMsg extends EventEmitter {
	/**
	 * Use `startFake1msg(options)` instead of constructing directly.
	 * @param {FakeOptions} [options]
	 */
	constructor(options = {}) {
		super();
		this.setMaxListeners(0);
		/** @type {string} */
		this.host = options.host || '127.0.0.1';
		/** @type {number} */
		this.port = options.port || 0;
		/** @type {string} */
		this.channelId = options.channelId || DEFAULT_CHANNEL_ID;
		/** @type {string} */
		this.token = options.token || DEFAULT_TOKEN;
		/** @type {string} base URL, no trailing slash; set by start() */
		this.baseUrl = '';
		/** @type {AckFormat} */
		this.ackFormat = options.ackFormat || 'ack';
		/** @type {number} */
		this.ackDelayMs = options.ackDelayMs ?? 20;
		/** @type {Set<string>} */
		this.failingPhones = new Set(options.failingPhones || [FAILING_PHONE]);

		const inbox = `https://app.1msg.io/service/whatsapp/hook/${this.channelId}`;
		/** @private */
		this._initialWebhookUrls = [...(options.webhookUrls || [inbox])];
		/** @private @type {Settings} */
		this._initialSettings = {
			ackNotificationsOn: false,
			guaranteedHooks: false,
			rawHooks: false,
			template_analytics_enabled: false,
			cta_url_link_tracking_opted_out: false,
			...(options.settings || {}),
			webhookUrl: [],
		};
		if (options.settings && options.settings.webhookUrl !== undefined && !options.webhookUrls) {
			this._initialWebhookUrls = normalizeUrlList(options.settings.webhookUrl);
		}
		/** @private */
		this._initialLatencyMs = options.latencyMs || 0;
		/** @private */
		this._initialRateLimit = options.rateLimitPerSecond || 0;
		/** @private */
		this._seed = options.seed;
		/** @type {TemplateRecord[]} */
		this.templates = [];
		/** @private @type {Map<string, TemplateSpec[]>} */
		this._templateIndex = new Map();
		this.setTemplates(options.templates || cloneTemplates());

		/** @private @type {http.Server | null} */
		this._server = null;
		/** @private */
		this._closed = false;
		/** @private @type {Map<NodeJS.Timeout, () => void>} pending sleeps and their resolvers */
		this._timers = new Map();
		/** @private */
		this._epoch = 0;
		/** @private pool of random bytes for message ids */
		this._idPool = Buffer.alloc(0);
		/** @private */
		this._idPoolOffset = 0;
		/** @private @type {Set<http.ClientRequest>} */
		this._outgoing = new Set();
		/** @private @type {Set<http.ServerResponse>} */
		this._hanging = new Set();
		/** @private */
		this._httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
		/** @private */
		this._httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64, rejectUnauthorized: false });
		/** @type {RequestRecord[]} every API request (admin /__fake requests excluded) */
		this.requests = [];
		/** @type {SendRecord[]} accepted sendTemplate calls */
		this.sends = [];
		/** @type {RejectedRecord[]} sendTemplate calls answered with a failure */
		this.rejected = [];
		/** @type {DeliveryRecord[]} webhook POSTs made (one per attempt) */
		this.deliveries = [];
		/** @type {SkippedDelivery[]} webhook URLs deliberately not contacted (non-loopback) */
		this.skippedDeliveries = [];
		/** @type {string[]} */
		this.webhookUrls = [...this._initialWebhookUrls];
		/** @type {Settings} */
		this.settings = { ...this._initialSettings, webhookUrl: this.webhookUrls };
		/** @type {number} */
		this.latencyMs = this._initialLatencyMs;
		/** Accepted sends per sliding second at most; 0 = no limit. @type {number} */
		this.rateLimitPerSecond = this._initialRateLimit;
		/** @private @type {number[]} times of the sends accepted within the last second */
		this._acceptedAt = [];
		/** @private @type {Map<string, number>} */
		this._sendCounts = new Map();
		/** @private @type {Map<string, StatusRecord[]>} */
		this._statuses = new Map();
		/** @private @type {(FaultRule & { remaining: number })[]} */
		this._faults = [];
		/** @private */
		this._random = this._seed === undefined ? Math.random : mulberry32(seedToInt(this._seed));
		/** @private */
		this._idRandom = this._seed === undefined ? null : mulberry32(seedToInt(this._seed) ^ 0x5bd1e995);
	}

	/** @private */
	_initState() {
		this.requests = [];
		this.sends = [];
		this.rejected = [];
		this.deliveries = [];
		this.skippedDeliveries = [];
		this.webhookUrls = [...this._initialWebhookUrls];
		this.settings = { ...this._initialSettings, webhookUrl: this.webhookUrls };
		this.latencyMs = this._initialLatencyMs;
		this.rateLimitPerSecond = this._initialRateLimit;
		this._acceptedAt = [];
		this._sendCounts = new Map();
		this._statuses = new Map();
		this._faults = [];
		this._random = this._seed === undefined ? Math.random : mulberry32(seedToInt(this._seed));
		this._idRandom = this._seed === undefined ? null : mulberry32(seedToInt(this._seed) ^ 0x5bd1e995);
		this._epoch++;
	}

	/**
	 * Replace the template list served by GET /templates and used to validate sends.
	 * @param {TemplateRecord[]} templates
	 */
	setTemplates(templates) {
		this.templates = templates;
		const namespaces = new Set(templates.map(ownNamespace).filter(Boolean));
		const channelNamespace = namespaces.size === 1 ? /** @type {string} */ ([...namespaces][0]) : null;
		this._templateIndex = new Map();
		for (const t of templates) {
			const spec = compileTemplate(t, channelNamespace);
			const key = `${spec.name}|${spec.language}`;
			const list = this._templateIndex.get(key) || [];
			list.push(spec);
			this._templateIndex.set(key, list);
		}
	}

	/**
	 * Start listening.
	 * @returns {Promise<this>}
	 */
	start() {
		const server = http.createServer((req, res) => {
			this._handle(req, res).catch((err) => {
				sendJson(res, 500, { error: `Fake 1MSG internal error: ${err && err.message}` });
			});
		});
		server.keepAliveTimeout = 30000;
		this._server = server;
		return new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.port, this.host, () => {
				server.off('error', reject);
				const addr = /** @type {net.AddressInfo} */ (server.address());
				this.port = addr.port;
				const host = net.isIPv6(this.host) ? `[${this.host}]` : this.host;
				this.baseUrl = `http://${host}:${addr.port}`;
				resolve(this);
			});
		});
	}

	/**
	 * Close the server, all keep-alive and hanging sockets, pending ack timers and outgoing webhook posts.
	 * @returns {Promise<void>}
	 */
	close() {
		this._closed = true;
		this._stopActivity();
		this._httpAgent.destroy();
		this._httpsAgent.destroy();
		const server = this._server;
		if (!server) return Promise.resolve();
		this._server = null;
		return new Promise((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}

	/** @private */
	_stopActivity() {
		// Resolve pending sleeps early: their callers see the new epoch / closed flag and stop.
		const pending = [...this._timers];
		this._timers.clear();
		for (const [t, resolve] of pending) {
			clearTimeout(t);
			resolve();
		}
		for (const r of this._outgoing) r.destroy();
		this._outgoing.clear();
		for (const res of this._hanging) res.destroy();
		this._hanging.clear();
	}

	/**
	 * Clear records and restore the initial webhook list, settings, latency and faults (template list is kept).
	 * Pending acks of earlier sends are cancelled and hanging requests are dropped.
	 */
	reset() {
		this._stopActivity();
		this._initState();
	}

	/**
	 * Replace the fault rules. See FaultRule: `{method?, httpMethod?, count?, probability?, afterSend?, response | hang | destroy}`.
	 * @param {FaultRule | FaultRule[] | null | undefined} rules
	 */
	setFaults(rules) {
		const list = rules == null ? [] : Array.isArray(rules) ? rules : [rules];
		this._faults = list.map((r) => ({ ...r, remaining: r.count === undefined ? Infinity : r.count }));
	}

	/** @returns {FaultRule[]} the active rules with their remaining counts */
	get faults() {
		return this._faults.map((r) => ({ ...r }));
	}

	/** Accept at most `perSecond` sends in any one-second window (429 beyond); 0 lifts the limit. @param {number} perSecond */
	setRateLimit(perSecond) {
		this.rateLimitPerSecond = Math.max(0, Number(perSecond) || 0);
		this._acceptedAt = [];
	}

	/** @param {number} ms delay before answering every API request */
	setLatency(ms) {
		this.latencyMs = Math.max(0, Number(ms) || 0);
	}

	/**
	 * Accepted sends for a recipient (phone digits; `…@c.us` accepted too).
	 * @param {string} phone
	 * @returns {number}
	 */
	sendCount(phone) {
		return this._sendCounts.get(String(phone).replace(/@c\.us$/, '')) || 0;
	}

	/**
	 * Status records emitted so far for a message id (same shape as GET /hookInfo entries).
	 * @param {string} messageId
	 * @returns {StatusRecord[]}
	 */
	statusesOf(messageId) {
		return [...(this._statuses.get(messageId) || [])];
	}

	/**
	 * Poll until `predicate(fake)` is truthy. Resolves true; rejects on timeout.
	 * @param {(fake: FakeOneMsg) => unknown} predicate
	 * @param {number} [timeoutMs]
	 * @returns {Promise<true>}
	 */
	async waitFor(predicate, timeoutMs = 5000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (await predicate(this)) return true;
			if (Date.now() >= deadline) throw new Error(`fake-1msg waitFor: condition not met within ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, 5));
		}
	}

	/** A plain snapshot of the state (what GET /__fake/state returns). */
	state() {
		return {
			baseUrl: this.baseUrl,
			channelId: this.channelId,
			requests: this.requests,
			sends: this.sends,
			rejected: this.rejected,
			deliveries: this.deliveries,
			skippedDeliveries: this.skippedDeliveries,
			webhookUrls: this.webhookUrls,
			settings: this.settings,
			latencyMs: this.latencyMs,
			faults: this.faults,
		};
	}

	/**
	 * POST an arbitrary payload (e.g. an inbound `messages[]` event) to every loopback webhook URL now.
	 * @param {unknown} body
	 * @returns {Promise<void>}
	 */
	postToWebhooks(body) {
		return this._postAll(body, undefined, undefined, this._epoch);
	}

	// -------------------------------------------------------------------------------------------
	// Request handling
	// -------------------------------------------------------------------------------------------

	/**
	 * @private
	 * @param {number} ms
	 * @returns {Promise<void>}
	 */
	_sleep(ms) {
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this._timers.delete(t);
				resolve();
			}, ms);
			this._timers.set(t, resolve);
		});
	}

	/**
	 * @private
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async _handle(req, res) {
		const rawUrl = req.url || '/';
		const qi = rawUrl.indexOf('?');
		const searchParams = new URLSearchParams(qi === -1 ? '' : rawUrl.slice(qi + 1));
		let pathname = qi === -1 ? rawUrl : rawUrl.slice(0, qi);
		try {
			pathname = decodeURIComponent(pathname);
		} catch {
			// keep the raw path
		}
		const rawBody = await readBody(req);
		/** @type {unknown} */
		let body = rawBody;
		let badJson = false;
		if (rawBody.trim() !== '') {
			try {
				body = JSON.parse(rawBody);
			} catch {
				badJson = true;
			}
		} else {
			body = undefined;
		}
		const path = pathname.replace(/\/+$/, '') || '/';
		const method = (req.method || 'GET').toUpperCase();

		if (path.startsWith('/__fake/')) return this._handleAdmin(method, path, searchParams, body, badJson, res);

		const query = qi === -1 ? {} : Object.fromEntries(searchParams);
		/** @type {RequestRecord} */
		const record = { method, path, query, headers: req.headers, body, at: Date.now() };
		this.requests.push(record);
		this.emit('request', record);
		const epoch = this._epoch;

		if (this.latencyMs > 0) await this._sleep(this.latencyMs);
		if (this._closed || epoch !== this._epoch) return void res.destroy();

		const segments = path.split('/').filter(Boolean);
		const apiMethod = segments.slice(1).join('/');
		const isSend = apiMethod === 'sendTemplate';

		/** @param {number} status @param {unknown} payload @param {string} reason */
		const reject = (status, payload, reason) => {
			if (isSend) this.rejected.push({ body, status, response: payload, reason, at: Date.now() });
			sendJson(res, status, payload);
		};

		// Faults (except afterSend ones) answer before anything else, like a gateway in front of the API.
		const fault = this._matchFault(method, apiMethod, false);
		if (fault) {
			if (isSend) this.rejected.push({ body, status: fault.response ? fault.response.status : 0, response: fault.response ? fault.response.body ?? fault.response.raw : null, reason: faultReason(fault), at: Date.now() });
			return this._answerFault(fault, req, res);
		}

		if (segments.length < 2 || segments[0] !== this.channelId) {
			if (segments.length >= 1 && segments[0] !== this.channelId) return reject(404, { error: 'Channel not found' }, 'channel');
			return reject(404, { error: 'Method not found' }, 'method');
		}

		// Auth: query token (as the OpenAPI declares) wins over a body token, which wins over the header.
		const header = String(req.headers.authorization || '').trim();
		const headerToken = header.replace(/^(Bearer|Basic)\s+/i, '');
		const bodyToken = isObject(body) && typeof body.token === 'string' ? body.token : undefined;
		const given = query.token ?? bodyToken ?? headerToken;
		if (given !== this.token) {
			return reject(
				401,
				{ error: `Wrong token "${truncateToken(given)}" for channel "${this.channelId}". Please provide token as a GET parameter.` },
				'auth',
			);
		}
		if (method === 'POST' && badJson) return reject(400, { error: 'Invalid JSON' }, 'json');

		const route = `${method} ${apiMethod}`;
		switch (route) {
			case 'POST sendTemplate':
				return this._sendTemplate(body, req, res, reject);
			case 'GET templates':
				return this._getTemplates(query, res);
			case 'GET webhook':
				return sendJson(res, 200, { webhookUrl: this.webhookUrls });
			case 'POST webhook':
				return this._setWebhook(body, res);
			case 'GET settings':
				return sendJson(res, 200, this.settings);
			case 'POST settings':
				return this._setSettings(body, res);
			case 'GET status':
				return sendJson(res, 200, { status: 'connected', accountStatus: 'active', mm_lite_available: false });
			case 'GET hookInfo': {
				if (!query.messageId) return sendJson(res, 400, { error: 'messageId is required' });
				return sendJson(res, 200, { hooks: this._statuses.get(query.messageId) || [] });
			}
			case 'GET me':
				return sendJson(res, 200, {
					about: 'Fake 1MSG channel for tests',
					address: '1 Test Street, Testville',
					description: 'Fake WhatsApp Business profile',
					email: 'fake@example.com',
					phone: '15550100100',
					vertical: 'OTHER',
					photo: '',
					websites: ['https://example.com'],
				});
			case 'GET mmLiteStatus':
				return sendJson(res, 200, { available: false, status: 'unavailable', message: 'MM Lite is not enabled on this channel' });
			default:
				return reject(404, { error: 'Method not found' }, 'method');
		}
	}

	/**
	 * @private
	 * @param {string} httpMethod
	 * @param {string} apiMethod
	 * @param {boolean} afterSend
	 * @returns {(FaultRule & { remaining: number }) | null}
	 */
	_matchFault(httpMethod, apiMethod, afterSend) {
		for (const rule of this._faults) {
			if (!!rule.afterSend !== afterSend || rule.remaining <= 0) continue;
			if (rule.method && rule.method.toLowerCase() !== apiMethod.toLowerCase()) continue;
			if (rule.httpMethod && rule.httpMethod.toUpperCase() !== httpMethod) continue;
			if (rule.probability !== undefined && !(this._random() < rule.probability)) continue;
			rule.remaining--;
			return rule;
		}
		return null;
	}

	/**
	 * @private
	 * @param {FaultRule} fault
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	_answerFault(fault, req, res) {
		if (fault.destroy) return void req.socket.destroy();
		if (fault.hang) {
			this._hanging.add(res);
			res.on('close', () => this._hanging.delete(res));
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
	 * @private
	 * @param {unknown} body
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {(status: number, payload: unknown, reason: string) => void} reject
	 */
	_sendTemplate(body, req, res, reject) {
		const b = isObject(body) ? body : {};
		const lang = isObject(b.language) ? b.language.code : undefined;
		if (!b.template || typeof b.template !== 'string' || !b.namespace || typeof lang !== 'string' || !lang) {
			return reject(400, { message: 'template is not defined' }, 'template-undefined');
		}
		/** @param {SendFailure} f @param {string} reason */
		const fail = (f, reason) => reject(200, { sent: false, ...f }, reason);

		// Recipient: exactly one of phone / chatId (both allowed only when they agree).
		const phoneRaw = b.phone === undefined || b.phone === null ? undefined : String(b.phone);
		const chatRaw = b.chatId === undefined || b.chatId === null ? undefined : String(b.chatId);
		/** @type {string} */
		let phone;
		if (phoneRaw !== undefined) {
			if (!/^\d{8,15}$/.test(phoneRaw)) return fail({ message: 'Phone number is not valid', description: `phone "${phoneRaw}" must be 8-15 digits with country code, no + or spaces` }, 'phone');
			phone = phoneRaw;
			if (chatRaw !== undefined && chatRaw !== `${phone}@c.us`) return fail({ message: 'Provide either phone or chatId, not both' }, 'phone');
		} else if (chatRaw !== undefined) {
			const m = /^(\d{8,15})@c\.us$/.exec(chatRaw);
			if (!m) return fail({ message: 'Phone number is not valid', description: `chatId "${chatRaw}" must look like 5511999999999@c.us` }, 'phone');
			phone = m[1];
		} else {
			return fail({ message: 'Phone number is not valid', description: 'phone or chatId is required' }, 'phone');
		}

		const candidates = this._templateIndex.get(`${b.template}|${lang}`) || [];
		const spec = candidates.find((s) => s.approved && s.namespace === b.namespace);
		if (!spec) return fail({ message: '(#132001) Template name does not exist in the translation' }, 'template');

		const problem = validateParams(spec, b.params);
		if (problem) return fail(problem, 'params');

		const at = Date.now();
		// WhatsApp's per-number throughput (80 messages/s by default): beyond it nothing is sent.
		if (this.rateLimitPerSecond > 0) {
			while (this._acceptedAt.length > 0 && this._acceptedAt[0] <= at - 1000) this._acceptedAt.shift();
			if (this._acceptedAt.length >= this.rateLimitPerSecond) {
				return reject(429, { error: 'Rate limit exceeded', message: '(#130429) Rate limit hit' }, 'rate-limit');
			}
			this._acceptedAt.push(at);
		}
		const id = this._newMessageId();
		/** @type {SendRecord} */
		const send = { id, phone, template: spec.name, language: spec.language, body: b, at };
		this.sends.push(send);
		this._sendCounts.set(phone, (this._sendCounts.get(phone) || 0) + 1);
		this._statuses.set(id, []);
		this.emit('send', send);
		this._scheduleStatuses(id, phone, this._epoch);

		const after = this._matchFault('POST', 'sendTemplate', true);
		if (after) {
			this.rejected.push({
				body,
				status: after.response ? after.response.status : 0,
				response: after.response ? after.response.body ?? after.response.raw : null,
				reason: `afterSend:${faultReason(after)}`,
				at,
				messageId: id,
			});
			return this._answerFault(after, req, res);
		}
		return sendJson(res, 200, {
			sent: true,
			id,
			message: `Sent to ${phone}@c.us`,
			description: 'Message has been sent to the provider',
		});
	}

	/** @private @returns {string} */
	_newMessageId() {
		let bytes;
		if (this._idRandom) {
			bytes = Buffer.alloc(24);
			for (let i = 0; i < 24; i += 4) bytes.writeUInt32LE(Math.floor(this._idRandom() * 4294967296), i);
		} else {
			if (this._idPoolOffset >= this._idPool.length) {
				this._idPool = crypto.randomBytes(24 * 512);
				this._idPoolOffset = 0;
			}
			bytes = this._idPool.subarray(this._idPoolOffset, this._idPoolOffset + 24);
			this._idPoolOffset += 24;
		}
		return `wamid.${bytes.toString('base64')}`;
	}

	/**
	 * @private
	 * @param {Record<string, string>} query
	 * @param {http.ServerResponse} res
	 */
	_getTemplates(query, res) {
		const limit = query.limit !== undefined && /^\d+$/.test(query.limit) ? Number(query.limit) : 100;
		const offset = query.offset !== undefined && /^\d+$/.test(query.offset) ? Number(query.offset) : 0;
		let list = this.templates;
		if (query.sort === 'name' || query.sort === 'status' || query.sort === 'id') {
			const key = query.sort;
			list = [...list].sort((x, y) => String(x[key]).localeCompare(String(y[key])));
		}
		sendJson(res, 200, { total: list.length, templates: list.slice(offset, offset + limit) });
	}

	/**
	 * @private
	 * @param {unknown} value
	 * @returns {{ urls: string[] } | { error: string }}
	 */
	_parseWebhookList(value) {
		if (value === null || value === '') return { urls: [] };
		if (typeof value !== 'string' && !Array.isArray(value)) return { error: 'webhookUrl must be a string or an array of strings' };
		const urls = normalizeUrlList(value);
		for (const u of urls) {
			let ok = false;
			try {
				const p = new URL(u).protocol;
				ok = p === 'http:' || p === 'https:';
			} catch {
				ok = false;
			}
			if (!ok) return { error: `Invalid webhook URL: ${u}` };
		}
		if (urls.length > MAX_WEBHOOKS) return { error: `You can set at most ${MAX_WEBHOOKS} webhook URLs` };
		return { urls };
	}

	/**
	 * @private
	 * @param {string[]} urls
	 */
	_applyWebhookUrls(urls) {
		this.webhookUrls = urls;
		this.settings.webhookUrl = urls;
	}

	/**
	 * @private
	 * @param {unknown} body
	 * @param {http.ServerResponse} res
	 */
	_setWebhook(body, res) {
		if (!isObject(body) || !('webhookUrl' in body)) return sendJson(res, 400, { error: 'webhookUrl is required' });
		const parsed = this._parseWebhookList(body.webhookUrl);
		if ('error' in parsed) return sendJson(res, 400, { error: parsed.error });
		this._applyWebhookUrls(parsed.urls);
		sendJson(res, 200, { set: true, webhookUrl: this.webhookUrls });
	}

	/**
	 * @private
	 * @param {unknown} body
	 * @param {http.ServerResponse} res
	 */
	_setSettings(body, res) {
		if (!isObject(body)) return sendJson(res, 400, { error: 'Settings body must be a JSON object' });
		/** @type {Record<string, unknown>} */
		const update = {};
		if ('webhookUrl' in body) {
			const parsed = this._parseWebhookList(body.webhookUrl);
			if ('error' in parsed) return sendJson(res, 400, { error: parsed.error });
			if (JSON.stringify(parsed.urls) !== JSON.stringify(this.webhookUrls)) update.webhookUrl = parsed.urls;
		}
		/** @type {Record<string, boolean>} */
		const flags = {};
		for (const key of ['ackNotificationsOn', 'guaranteedHooks', 'rawHooks', 'template_analytics_enabled', 'cta_url_link_tracking_opted_out']) {
			if (!(key in body)) continue;
			const v = toBool(body[key]);
			if (v === null) return sendJson(res, 400, { error: `${key} must be a boolean` });
			flags[key] = v;
		}
		if (update.webhookUrl) this._applyWebhookUrls(/** @type {string[]} */ (update.webhookUrl));
		for (const [k, v] of Object.entries(flags)) {
			if (this.settings[k] !== v) update[k] = v;
			this.settings[k] = v;
		}
		sendJson(res, 200, { ...this.settings, update });
	}

	/**
	 * @private
	 * @param {string} method
	 * @param {string} path
	 * @param {URLSearchParams} searchParams
	 * @param {unknown} body
	 * @param {boolean} badJson
	 * @param {http.ServerResponse} res
	 */
	_handleAdmin(method, path, searchParams, body, badJson, res) {
		if (badJson) return sendJson(res, 400, { error: 'Invalid JSON' });
		const route = `${method} ${path}`;
		if (route === 'GET /__fake/state') {
			const s = /** @type {Record<string, unknown>} */ (this.state());
			for (const k of (searchParams.get('omit') || '').split(',')) if (k) delete s[k];
			return sendJson(res, 200, s);
		}
		if (route === 'POST /__fake/reset') {
			this.reset();
			return sendJson(res, 200, { reset: true });
		}
		if (route === 'GET /__fake/faults') return sendJson(res, 200, { faults: this.faults });
		if (route === 'POST /__fake/faults') {
			const rules = isObject(body) && Array.isArray(body.rules) ? body.rules : body;
			this.setFaults(/** @type {FaultRule[]} */ (rules));
			return sendJson(res, 200, { faults: this.faults });
		}
		if (route === 'POST /__fake/latency') {
			this.setLatency(isObject(body) ? body.ms : 0);
			return sendJson(res, 200, { latencyMs: this.latencyMs });
		}
		return sendJson(res, 404, { error: 'Unknown fake admin endpoint' });
	}

	// -------------------------------------------------------------------------------------------
	// Asynchronous statuses and webhook delivery
	// -------------------------------------------------------------------------------------------

	/**
	 * sent -> delivered -> read (or sent -> failed), ackDelayMs apart; each status waits for the previous
	 * status' webhook posts to settle so receivers see them in order.
	 * @private
	 * @param {string} id
	 * @param {string} phone
	 * @param {number} epoch
	 */
	async _scheduleStatuses(id, phone, epoch) {
		const sequence = this.failingPhones.has(phone) ? ['sent', 'failed'] : ['sent', 'delivered', 'read'];
		try {
			for (const status of sequence) {
				await this._sleep(this.ackDelayMs);
				if (this._closed || epoch !== this._epoch) return;
				/** @type {StatusRecord} */
				const rec = { id, type: 'message', status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: phone };
				if (status === 'failed') {
					rec.errors = [
						{
							code: 131026,
							title: 'Message undeliverable',
							message: 'Message undeliverable',
							error_data: { details: 'Message Undeliverable: the recipient is not a WhatsApp user or cannot receive this message.' },
						},
					];
				}
				const list = this._statuses.get(id);
				if (list) list.push(rec);
				this.emit('status', rec);
				if (this.settings.ackNotificationsOn && this.webhookUrls.length > 0) {
					await this._postAll(this._statusPayload(rec), id, status, epoch);
				}
			}
		} catch {
			// closed while in flight
		}
	}

	/**
	 * @private
	 * @param {StatusRecord} rec
	 * @returns {unknown}
	 */
	_statusPayload(rec) {
		const format = this.settings.rawHooks ? 'meta' : this.ackFormat;
		if (format === 'meta') {
			/** @type {Record<string, unknown>} */
			const s = { id: rec.id, status: rec.status, timestamp: rec.timestamp, recipient_id: rec.recipient_id };
			if (rec.errors) s.errors = rec.errors;
			return {
				instanceId: this.channelId,
				entry: [
					{
						id: WABA_ID,
						changes: [
							{
								field: 'messages',
								value: {
									messaging_product: 'whatsapp',
									metadata: { display_phone_number: '15550100100', phone_number_id: '106540352242922' },
									statuses: [s],
								},
							},
						],
					},
				],
			};
		}
		if (format === 'hooks') return { instanceId: this.channelId, hooks: [rec] };
		/** @type {Record<string, unknown>} */
		const ack = { id: rec.id, status: rec.status, chatId: `${rec.recipient_id}@c.us`, phone: rec.recipient_id };
		if (rec.errors) ack.error = rec.errors[0].title;
		return { instanceId: this.channelId, ack: [ack] };
	}

	/**
	 * @private
	 * @param {unknown} payload
	 * @param {string | undefined} messageId
	 * @param {string | undefined} status
	 * @param {number} epoch
	 * @returns {Promise<void>}
	 */
	async _postAll(payload, messageId, status, epoch) {
		const text = JSON.stringify(payload);
		/** @type {Promise<void>[]} */
		const posts = [];
		for (const url of this.webhookUrls) {
			/** @type {URL | null} */
			let parsed = null;
			try {
				parsed = new URL(url);
			} catch {
				parsed = null;
			}
			if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !isLoopbackHostname(parsed.hostname)) {
				this.skippedDeliveries.push({ url, messageId, status, reason: 'non-loopback', at: Date.now() });
				continue;
			}
			posts.push(this._deliver(/** @type {URL} */ (parsed), url, payload, text, epoch));
		}
		await Promise.all(posts);
	}

	/**
	 * POST one payload to one loopback URL; retries (3 attempts) when settings.guaranteedHooks is on.
	 * @private
	 * @param {URL} target
	 * @param {string} url
	 * @param {unknown} payload
	 * @param {string} text
	 * @param {number} epoch
	 * @returns {Promise<void>}
	 */
	async _deliver(target, url, payload, text, epoch) {
		const attempts = this.settings.guaranteedHooks ? 3 : 1;
		for (let attempt = 1; attempt <= attempts; attempt++) {
			if (this._closed || epoch !== this._epoch) return;
			const started = Date.now();
			/** @type {{ statusCode?: number, error?: string }} */
			const result = await new Promise((resolve) => {
				const isHttps = target.protocol === 'https:';
				const lib = isHttps ? https : http;
				const req = lib.request(
					target,
					{
						method: 'POST',
						agent: isHttps ? this._httpsAgent : this._httpAgent,
						lookup: loopbackOnlyLookup,
						headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'user-agent': 'fake-1msg/1.0' },
						timeout: WEBHOOK_TIMEOUT_MS,
					},
					(response) => {
						response.resume();
						response.on('end', () => resolve({ statusCode: response.statusCode }));
						response.on('error', (e) => resolve({ statusCode: response.statusCode, error: e.message }));
					},
				);
				this._outgoing.add(req);
				req.on('close', () => this._outgoing.delete(req));
				req.on('timeout', () => req.destroy(new Error(`timeout after ${WEBHOOK_TIMEOUT_MS} ms`)));
				req.on('error', (e) => resolve({ error: e.message }));
				req.end(text);
			});
			if (epoch !== this._epoch) return;
			/** @type {DeliveryRecord} */
			const rec = { url, body: payload, attempt, at: started, ms: Date.now() - started, ...result };
			this.deliveries.push(rec);
			this.emit('delivery', rec);
			const ok = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
			if (ok || attempt === attempts || this._closed) return;
			await this._sleep(Math.max(this.ackDelayMs, 10) * attempt);
		}
	}
}

/**
 * @param {http.IncomingMessage} req
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
 * @param {FaultRule} f
 * @returns {string}
 */
function faultReason(f) {
	if (f.hang) return 'fault:hang';
	if (f.destroy) return 'fault:destroy';
	return `fault:${f.response ? f.response.status : 500}`;
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

/**
 * Start a fake 1MSG server on loopback.
 * @param {FakeOptions} [options]
 * @returns {Promise<FakeOneMsg>}
 */
async function startFake1msg(options = {}) {
	const fake = new FakeOneMsg(options);
	return fake.start();
}

module.exports = {
	startFake1msg,
	FakeOneMsg,
	DEFAULT_CHANNEL_ID,
	DEFAULT_TOKEN,
	FAILING_PHONE,
	INBOX_WEBHOOK_URL,
	MAX_WEBHOOKS,
	isLoopbackHostname,
	validateParams,
	compileTemplate,
};
