// @ts-check
'use strict';

/**
 * A fake 1MSG WhatsApp Business API server (real HTTP, loopback only) for tests and benchmarks.
 * Behaviour follows the 1MSG API contract: POST /{channel}/sendTemplate validated like the real API
 * (HTTP 400 "template is not defined", HTTP 200 sent:false with Meta codes 132000/132001/100), templates,
 * webhook/settings management, status/hookInfo/me, and asynchronous delivery-status webhooks.
 *
 * Modules: validation.js (what a send must contain), webhookDelivery.js (statuses and their webhook
 * posts, loopback only), faults.js (injected failures), util.js, constants.js. This file is the entry:
 * the server's state, its routes, and everything callers import.
 */

const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const crypto = require('node:crypto');
const { EventEmitter } = require('node:events');
const { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, FAILING_PHONE, INBOX_WEBHOOK_URL, MAX_WEBHOOKS } = require('./constants');
const { answerFault, faultReason, faultRecord, matchFault } = require('./faults');
const { cloneTemplates } = require('./templates');
const { addTemplate, dropCreatedTemplates } = require('./templateReview');
const { isObject, mulberry32, normalizeUrlList, readBody, seedToInt, sendJson, toBool, truncateToken } = require('./util');
const { compileTemplate, ownNamespace, readRecipient, validateParams } = require('./validation');
const { isLoopbackHostname, scheduleStatuses } = require('./webhookDelivery');
const { postReply } = require('./replies');
const { SESSION_METHODS, answerSessionSend } = require('./sessionMessages');

/**
 * @typedef {import('./templates').TemplateRecord} TemplateRecord
 * @typedef {'ack' | 'meta' | 'hooks'} AckFormat
 * @typedef {{ status: number, body?: unknown, headers?: Record<string, string>, raw?: string }} FaultResponse
 * @typedef {{
 *   method?: string, httpMethod?: string, count?: number, probability?: number, afterSend?: boolean,
 *   phone?: string, response?: FaultResponse, hang?: boolean, destroy?: boolean,
 * }} FaultRule
 * @typedef {{ method: string, path: string, query: Record<string, string>, headers: http.IncomingHttpHeaders, body: unknown, at: number }} RequestRecord
 * @typedef {{ id: string, phone: string, template: string, language: string, body: any, at: number }} SendRecord
 * @typedef {{ body: unknown, status: number, response: unknown, reason: string, at: number, messageId?: string }} RejectedRecord
 * @typedef {{ url: string, body: unknown, statusCode?: number, answer?: string, error?: string, attempt: number, at: number, ms: number }} DeliveryRecord
 * @typedef {{ url: string, messageId?: string, status?: string, reason: string, at: number }} SkippedDelivery
 * @typedef {{ code?: number, title: string, message: string, error_data: { details: string } }} MetaError
 * @typedef {{ text: string, code?: number, title?: string }} PlannedError
 * @typedef {{ outcome: 'delivered' | 'read' | 'failed' | 'never', afterMs?: number, error?: PlannedError }} DeliveryPlan
 * @typedef {{ id: string, type: 'message', status: string, timestamp: string, recipient_id: string, errors?: MetaError[] }} StatusRecord
 * @typedef {{
 *   webhookUrl: string[], ackNotificationsOn: boolean, guaranteedHooks: boolean, rawHooks: boolean,
 *   template_analytics_enabled: boolean, cta_url_link_tracking_opted_out: boolean, [k: string]: unknown,
 * }} Settings
 * @typedef {{
 *   host?: string, port?: number, channelId?: string, token?: string, templates?: TemplateRecord[],
 *   webhookUrls?: string[], settings?: Partial<Settings>, latencyMs?: number, ackDelayMs?: number,
 *   ackFormat?: AckFormat, failingPhones?: string[], seed?: number | string, rateLimitPerSecond?: number,
 *   approvalDelayMs?: number,
 *   deliveryPlans?: Record<string, DeliveryPlan>,
 *   hookInfo?: HookInfoMode, settingsFlagsAs?: FlagForm, webhookStatusesShape?: WebhookStatusesShape,
 *   hookRetry?: Partial<HookRetry>,
 * }} FakeOptions
 * @typedef {{ attempts: number, firstDelayMs: number, maxDelayMs: number }} HookRetry ASSUMED: how
 *   `guaranteedHooks` retries a webhook that got no 2xx. 1MSG documents only that it retries "until
 *   acknowledged" (1msg-for-agents `webhooks.md`: "do not assume unlimited retries or ordering"); the
 *   fake posts again after firstDelayMs, doubling up to maxDelayMs, `attempts` posts in all.
 * @typedef {'spec-2023' | 'absent'} HookInfoMode how `GET /hookInfo` answers: the 2023 spec's `{hooks}`, or 404 as a method the API lacks
 * @typedef {'boolean' | 'number' | 'digit' | 'word'} FlagForm how `GET /settings` writes its flags: true, 1, '1' or 'true'
 * @typedef {'assumed-by-url' | 'assumed-list'} WebhookStatusesShape the ASSUMED shape of `webhookStatuses` (no source shows one)
 */

/** The flags of `GET /settings` (the MCP `create_settings` schema). */
const SETTINGS_FLAGS = ['ackNotificationsOn', 'guaranteedHooks', 'rawHooks', 'template_analytics_enabled', 'cta_url_link_tracking_opted_out'];

/**
 * `webhookStatuses` as the fake writes it, in one of two ASSUMED shapes. 1MSG reports disabled
 * destinations per URL in `GET /webhook` (1msg/1msg-for-agents references/reliability.md), but no
 * source shows the field's shape or values (test/fixtures/contract/SOURCES.md, "Not found"): both
 * shapes and the values `active`/`disabled` are guesses, kept behind the `webhookStatusesShape`
 * switch, and the field is written only while a test has disabled a URL.
 * @type {Record<WebhookStatusesShape, (urls: string[], disabled: Set<string>) => unknown>}
 */
const ASSUMED_WEBHOOK_STATUSES = {
	'assumed-by-url': (urls, disabled) => Object.fromEntries(urls.map((url) => [url, { status: disabled.has(url) ? 'disabled' : 'active' }])),
	'assumed-list': (urls, disabled) => urls.map((url) => ({ url, status: disabled.has(url) ? 'disabled' : 'active' })),
};

/**
 * A flag in the form `GET /settings` is switched to. No source shows a `GET /settings` answer; these
 * are the forms 1MSG's own n8n node accepts (1msg/1msg-n8n-nodes utils/events.ts).
 * @param {unknown} value @param {FlagForm} form
 */
function flagIn(value, form) {
	if (typeof value !== 'boolean') return value;
	if (form === 'number') return value ? 1 : 0;
	if (form === 'digit') return value ? '1' : '0';
	if (form === 'word') return value ? 'true' : 'false';
	return value;
}

// ---------------------------------------------------------------------------------------------
// The fake server
// ---------------------------------------------------------------------------------------------

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
		/** @type {HookRetry} */
		this.hookRetry = { attempts: 8, firstDelayMs: 500, maxDelayMs: 8000, ...options.hookRetry };
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
		/** How long a template created through addTemplate stays PENDING before Meta's decision. @type {number} */
		this.approvalDelayMs = options.approvalDelayMs ?? 1000;
		/** Ids of the templates created through addTemplate (a reset removes them). @type {Set<string>} */
		this.createdTemplateIds = new Set();
		/** @type {import('./templateReview').CreationRecord[]} every addTemplate call and its answer */
		this.templateCreations = [];
		/** @private */
		this._seed = options.seed;
		/** @type {Array<[string, DeliveryPlan]>} */
		this._initialDeliveryPlans = Object.entries(options.deliveryPlans || {});
		/** @private @type {HookInfoMode} */
		this._initialHookInfo = options.hookInfo || 'spec-2023';
		/** @private @type {FlagForm} */
		this._initialFlagForm = options.settingsFlagsAs || 'boolean';
		/** @private @type {WebhookStatusesShape} */
		this._initialStatusesShape = options.webhookStatusesShape || 'assumed-by-url';
		/** @type {TemplateRecord[]} */
		this.templates = [];
		/** @private @type {Map<string, import('./validation').TemplateSpec[]>} */
		this._templateIndex = new Map();
		this.setTemplates(options.templates || cloneTemplates());

		/** @private @type {http.Server | null} */
		this._server = null;
		// The fields below without @private are shared with webhookDelivery.js and faults.js.
		this._closed = false;
		/** @private @type {Map<NodeJS.Timeout, () => void>} pending sleeps and their resolvers */
		this._timers = new Map();
		/** Counts resets: work started before one (a pending status, a slow answer) sees it changed and stops. */
		this._epoch = 0;
		/** @private pool of random bytes for message ids */
		this._idPool = Buffer.alloc(0);
		/** @private */
		this._idPoolOffset = 0;
		/** @type {Set<http.ClientRequest>} */
		this._outgoing = new Set();
		/** @type {Set<http.ServerResponse>} */
		this._hanging = new Set();
		this._httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
		this._httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64, rejectUnauthorized: false });
		/** @type {RequestRecord[]} every API request (admin /__fake requests excluded) */
		this.requests = [];
		/** @type {SendRecord[]} accepted sendTemplate calls */
		this.sends = [];
		/** @type {RejectedRecord[]} sendTemplate calls answered with a failure */
		this.rejected = [];
		/** @type {Array<{ method: string, id: string, phone: string, body: Record<string, unknown>, at: number }>} accepted sendMessage, sendFile and sendButton calls */
		this.sessionSends = [];
		/** @private @type {Map<string, number>} when each customer last wrote (their 24-hour window) */
		this._customerWroteAt = new Map();
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
		/**
		 * Refuse a send whose quick-reply buttons carry payloads. Invented: no source shows 1MSG refusing
		 * them (its help page says they are omitted), so it is off unless a test turns it on.
		 */
		this.inventedQuickReplyRefusal = false;
		/** Accepted sends per sliding second at most; 0 = no limit. @type {number} */
		this.rateLimitPerSecond = this._initialRateLimit;
		/** @private @type {number[]} times of the sends accepted within the last second */
		this._acceptedAt = [];
		/** @private @type {Map<string, number>} */
		this._sendCounts = new Map();
		/** @type {Map<string, StatusRecord[]>} */
		this._statuses = new Map();
		/** @type {(FaultRule & { remaining: number })[]} */
		this._faults = [];
		/** @type {Map<string, DeliveryPlan>} how each recipient's messages end, when not the default */
		this.deliveryPlans = new Map(this._initialDeliveryPlans);
		/** @type {HookInfoMode} */
		this.hookInfo = this._initialHookInfo;
		/** @type {FlagForm} */
		this.settingsFlagsAs = this._initialFlagForm;
		/** @type {WebhookStatusesShape} */
		this.webhookStatusesShape = this._initialStatusesShape;
		/** URLs of the list 1MSG reports as disabled (disableWebhook); a POST /webhook listing one re-enables it. @type {Set<string>} */
		this.disabledWebhooks = new Set();
		this._random = this._seed === undefined ? Math.random : mulberry32(seedToInt(this._seed));
		/** @private */
		this._idRandom = this._seed === undefined ? null : mulberry32(seedToInt(this._seed) ^ 0x5bd1e995);
	}

	/** @private */
	_initState() {
		this.requests = [];
		this.templateCreations = [];
		this.sends = [];
		this.rejected = [];
		this.sessionSends = [];
		this._customerWroteAt = new Map();
		this.deliveries = [];
		this.skippedDeliveries = [];
		this.webhookUrls = [...this._initialWebhookUrls];
		this.settings = { ...this._initialSettings, webhookUrl: this.webhookUrls };
		this.latencyMs = this._initialLatencyMs;
		this.inventedQuickReplyRefusal = false;
		this.rateLimitPerSecond = this._initialRateLimit;
		this._acceptedAt = [];
		this._sendCounts = new Map();
		this._statuses = new Map();
		this._faults = [];
		this.deliveryPlans = new Map(this._initialDeliveryPlans);
		this.hookInfo = this._initialHookInfo;
		this.settingsFlagsAs = this._initialFlagForm;
		this.webhookStatusesShape = this._initialStatusesShape;
		this.disabledWebhooks = new Set();
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
		dropCreatedTemplates(this);
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

	/**
	 * The customer `recipient` (a phone, or a chat id such as a group's) wrote at `at`: their 24-hour
	 * window for messages that are not templates is open until `at` + 24 h.
	 * @param {string} recipient @param {number} [at]
	 */
	customerWrote(recipient, at = Date.now()) {
		const key = String(recipient).replace(/@c\.us$/, '');
		this._customerWroteAt.set(key, Math.max(at, this._customerWroteAt.get(key) ?? 0));
	}

	/** When the customer last wrote, if they did. @param {string} recipient @returns {number | undefined} */
	lastCustomerMessageAt(recipient) {
		return this._customerWroteAt.get(String(recipient).replace(/@c\.us$/, ''));
	}

	/** Accept at most `perSecond` sends in any one-second window (429 beyond); 0 lifts the limit. @param {number} perSecond */
	setRateLimit(perSecond) {
		this.rateLimitPerSecond = Math.max(0, Number(perSecond) || 0);
		this._acceptedAt = [];
	}

	/**
	 * How messages to `phone` end, in hookInfo and in the posted statuses: delivered (or read) after
	 * `afterMs`, failed after `afterMs` with a Meta error (a text alone, as 1MSG's acks carry it, or with
	 * a code), or never (only `sent`). `null` restores the default.
	 * @param {string} phone @param {DeliveryPlan | null} plan
	 */
	setDeliveryPlan(phone, plan) {
		if (plan) this.deliveryPlans.set(String(phone), plan);
		else this.deliveryPlans.delete(String(phone));
	}

	/**
	 * Post a customer's reply to the sent message `messageId` to the webhooks: a text (`text`) or a tap on
	 * the quick-reply button at `buttonIndex` (its payload is the one the send gave it), in `format`
	 * 'ack' (1MSG's normalized) or 'meta'.
	 * @param {string} messageId @param {import('./replies').ReplySpec & { buttonIndex?: number }} spec
	 */
	postReply(messageId, spec) {
		return postReply(this, messageId, spec);
	}

	/**
	 * How `GET /hookInfo` answers: `spec-2023` (the 2023 spec's `{hooks:[…]}`) or `absent` (404, as for
	 * any method the API lacks: 1MSG's current SDK and MCP tool list have no hookInfo).
	 * @param {HookInfoMode} mode
	 */
	setHookInfo(mode) {
		this.hookInfo = mode;
	}

	/**
	 * Marks a URL of the list disabled, as 1MSG does with a destination that keeps failing: from now on
	 * `GET /webhook` carries `webhookStatuses` (in the ASSUMED `shape`, see ASSUMED_WEBHOOK_STATUSES)
	 * until a `POST /webhook` submits the URL again. Deliveries are not changed by it.
	 * @param {string} url @param {{ shape?: WebhookStatusesShape }} [options]
	 */
	disableWebhook(url, options = {}) {
		if (!this.webhookUrls.includes(url)) throw new Error(`fake-1msg disableWebhook: ${url} is not on the webhook list`);
		if (options.shape) this.webhookStatusesShape = options.shape;
		this.disabledWebhooks.add(url);
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
			templateCreations: this.templateCreations,
			deliveries: this.deliveries,
			skippedDeliveries: this.skippedDeliveries,
			webhookUrls: this.webhookUrls,
			settings: this.settings,
			latencyMs: this.latencyMs,
			faults: this.faults,
		};
	}

	// -------------------------------------------------------------------------------------------
	// Request handling
	// -------------------------------------------------------------------------------------------

	/**
	 * A sleep that reset() and close() end early (used by the delivery of statuses too).
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
		const isSend = apiMethod === 'sendTemplate' || apiMethod in SESSION_METHODS;

		/** @param {number} status @param {unknown} payload @param {string} reason */
		const reject = (status, payload, reason) => {
			if (isSend) this.rejected.push({ body, status, response: payload, reason, at: Date.now() });
			sendJson(res, status, payload);
		};

		// Faults (except afterSend ones) answer before anything else, like a gateway in front of the API.
		const fault = matchFault(this, method, apiMethod, false, body);
		if (fault) {
			if (isSend) this.rejected.push(faultRecord(fault, body, faultReason(fault), Date.now()));
			return answerFault(this, fault, req, res);
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
			case 'POST sendMessage':
			case 'POST sendFile':
			case 'POST sendButton':
				return this._sendSession(/** @type {'sendMessage' | 'sendFile' | 'sendButton'} */ (apiMethod), body, req, res, reject);
			case 'GET templates':
				return this._getTemplates(query, res);
			case 'POST addTemplate':
				return addTemplate(this, body, res);
			case 'GET webhook':
				return this._getWebhook(res);
			case 'POST webhook':
				return this._setWebhook(body, res);
			case 'GET settings':
				return sendJson(res, 200, this._settingsAnswer());
			case 'POST settings':
				return this._setSettings(body, res);
			case 'GET status':
				return sendJson(res, 200, { status: 'connected' });
			case 'GET hookInfo': {
				if (this.hookInfo === 'absent') return reject(404, { error: 'Method not found' }, 'method');
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
		/** @param {import('./validation').SendFailure} f @param {string} reason */
		const fail = (f, reason) => reject(200, { sent: false, ...f }, reason);

		const recipient = readRecipient(b);
		if ('message' in recipient) return fail(recipient, 'phone');
		const phone = recipient.key;

		const candidates = this._templateIndex.get(`${b.template}|${lang}`) || [];
		const spec = candidates.find((s) => s.approved && s.namespace === b.namespace);
		if (!spec) return fail({ message: '(#132001) Template name does not exist in the translation' }, 'template');

		const problem = validateParams(spec, b.params, { inventedQuickReplyRefusal: this.inventedQuickReplyRefusal });
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
		void scheduleStatuses(this, id, phone, this._epoch);

		const after = matchFault(this, 'POST', 'sendTemplate', true, body);
		if (after) {
			this.rejected.push({ ...faultRecord(after, body, `afterSend:${faultReason(after)}`, at), messageId: id });
			return answerFault(this, after, req, res);
		}
		return sendJson(res, 200, {
			sent: true,
			id,
			message: `Sent to ${phone}@c.us`,
			description: 'Message has been sent to the provider',
		});
	}

	/**
	 * A message inside the customer's 24-hour window (sessionMessages.js); an accepted one gets
	 * statuses like a template, and the faults that follow a send apply.
	 * @private
	 * @param {'sendMessage' | 'sendFile' | 'sendButton'} method
	 * @param {unknown} body
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {(status: number, payload: unknown, reason: string) => void} reject
	 */
	_sendSession(method, body, req, res, reject) {
		const accepted = answerSessionSend(this, method, body, reject, (phone) => {
			const id = this._newMessageId();
			this._statuses.set(id, []);
			void scheduleStatuses(this, id, phone, this._epoch);
			return id;
		});
		if (!accepted) return;
		const after = matchFault(this, 'POST', method, true, body);
		if (after) {
			this.rejected.push({ ...faultRecord(after, body, `afterSend:${faultReason(after)}`, Date.now()), messageId: accepted.id });
			return answerFault(this, after, req, res);
		}
		return sendJson(res, 200, { sent: true, id: accepted.id, message: `Sent to ${accepted.phone}@c.us`, description: 'Message has been sent to the provider' });
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
		// A URL no longer on the list has no status left.
		for (const url of this.disabledWebhooks) if (!urls.includes(url)) this.disabledWebhooks.delete(url);
	}

	/**
	 * `{webhookUrl}`, plus `webhookStatuses` only while a URL is disabled: no source shows the field,
	 * so the fake does not invent it otherwise.
	 * @private
	 * @param {http.ServerResponse} res
	 */
	_getWebhook(res) {
		if (this.disabledWebhooks.size === 0) return sendJson(res, 200, { webhookUrl: this.webhookUrls });
		const statuses = ASSUMED_WEBHOOK_STATUSES[this.webhookStatusesShape](this.webhookUrls, this.disabledWebhooks);
		return sendJson(res, 200, { webhookUrl: this.webhookUrls, webhookStatuses: statuses });
	}

	/** @private The settings with their flags in the form `settingsFlagsAs` says. */
	_settingsAnswer() {
		/** @type {Record<string, unknown>} */
		const answer = { ...this.settings };
		for (const key of SETTINGS_FLAGS) answer[key] = flagIn(answer[key], this.settingsFlagsAs);
		return answer;
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
		// Submitting the complete list through Set webhook URL re-enables the disabled destinations on it
		// (1msg/1msg-for-agents references/reliability.md; the MCP create_settings text of v1.2.10 agrees).
		for (const url of parsed.urls) this.disabledWebhooks.delete(url);
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
		for (const key of SETTINGS_FLAGS) {
			if (!(key in body)) continue;
			const v = toBool(body[key]);
			if (v === null) return sendJson(res, 400, { error: `${key} must be a boolean` });
			flags[key] = v;
		}
		// A list through settings keeps a disabled URL on it disabled: 1MSG's guide says not to rely on the
		// general settings call for that (reliability.md), while a newer MCP text (v1.2.10) says it
		// re-enables; the fake follows the guide.
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
