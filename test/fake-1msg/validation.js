// @ts-check
'use strict';

/**
 * What the fake checks in a send, as the real API does: each template compiled once into the values it
 * needs, and a send's `params` checked against it with 1MSG's own failure texts and Meta codes.
 */

/** @typedef {import('./templates').TemplateRecord} TemplateRecord */

const { MAX_BODY_CHARS } = require('./constants');
const { isObject, placeholders } = require('./util');

/**
 * @typedef {{ index: number, type: string, vars: string[], otp: boolean }} ButtonSpec
 * @typedef {{
 *   bodyText: string, bodyVars: string[], named: boolean,
 *   header: { format: string, vars: string[] } | null, buttons: ButtonSpec[],
 * }} ScopeSpec
 * @typedef {ScopeSpec & {
 *   name: string, language: string, approved: boolean, namespace: string | null, category: string,
 *   offerExpires: boolean, cards: ScopeSpec[],
 * }} TemplateSpec
 * @typedef {{ message: string, description?: string }} SendFailure
 * @typedef {{ inventedQuickReplyRefusal?: boolean }} SendChecks what the fake's switches change in the checks
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

/** The link of an authentication template's code button as Meta lists it. */
const OTP_CODE_URL_RE = /^https:\/\/(?:www\.)?whatsapp\.com\/otp\/code\/?\?(?:[^#]*&)?otp_type=(?:COPY_CODE|ONE_TAP|ZERO_TAP)(?:[&#]|$)/i;
/** Meta's category of code templates, and the name 1MSG's 2023 spec gives it (MARKETING, TRANSACTIONAL, OTP). */
const AUTHENTICATION_CATEGORIES = ['AUTHENTICATION', 'OTP'];

/**
 * The values one scope needs (the template itself, or one carousel card).
 * @param {unknown[]} comps
 * @param {string} category
 * @returns {ScopeSpec}
 */
function compileScope(comps, category) {
	/** @type {ScopeSpec} */
	const scope = { bodyText: '', bodyVars: [], named: false, header: null, buttons: [] };
	for (const c of comps) {
		if (!isObject(c)) continue;
		const type = String(c.type || '').toUpperCase();
		if (type === 'BODY') {
			scope.bodyText = String(c.text || '');
			scope.bodyVars = placeholders(c.text);
		} else if (type === 'HEADER') {
			const format = String(c.format || 'TEXT').toUpperCase();
			scope.header = { format, vars: format === 'TEXT' ? placeholders(c.text) : [] };
		} else if (type === 'BUTTONS' && Array.isArray(c.buttons)) {
			c.buttons.forEach((/** @type {any} */ b, /** @type {number} */ index) => {
				const btype = String((b && b.type) || '').toUpperCase();
				// Meta lists a created code button as a URL button with its otp/code link (see templates.js).
				const otpUrl = btype === 'URL' && typeof b.url === 'string' && OTP_CODE_URL_RE.test(b.url);
				const otp = btype === 'OTP' || otpUrl || (AUTHENTICATION_CATEGORIES.includes(category) && index === 0);
				scope.buttons.push({ index, type: btype, vars: btype === 'URL' ? placeholders(b.url) : [], otp });
			});
		}
	}
	scope.named = scope.bodyVars.some((v) => !/^\d+$/.test(v));
	return scope;
}

/**
 * @param {unknown} raw
 * @returns {unknown[]}
 */
function componentList(raw) {
	let comps = raw;
	if (typeof comps === 'string') {
		try {
			comps = JSON.parse(comps);
		} catch {
			comps = [];
		}
	}
	return Array.isArray(comps) ? comps : [];
}

/**
 * @param {TemplateRecord} t
 * @param {string | null} channelNamespace
 * @returns {TemplateSpec}
 */
function compileTemplate(t, channelNamespace) {
	const comps = componentList(t.components);
	const category = String(t.category || '').toUpperCase();
	/** @type {ScopeSpec[]} */
	let cards = [];
	let offerExpires = false;
	for (const c of comps) {
		if (!isObject(c)) continue;
		const type = String(c.type || '').toUpperCase();
		if (type === 'CAROUSEL') {
			const list = Array.isArray(c.cards) ? c.cards : Array.isArray(c.card_components) ? c.card_components : [];
			cards = list.filter(isObject).map((card) => compileScope(componentList(card.components), category));
		} else if (type === 'LIMITED_TIME_OFFER') {
			offerExpires = isObject(c.limited_time_offer) && c.limited_time_offer.has_expiration === true;
		}
	}
	return {
		name: t.name,
		language: templateLanguage(t),
		approved: String(t.status || '').toUpperCase() === 'APPROVED',
		namespace: ownNamespace(t) || channelNamespace,
		category,
		...compileScope(comps, category),
		offerExpires,
		cards,
	};
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

/** Meta's longest copy-code coupon. */
const MAX_COUPON_CHARS = 15;

/**
 * INVENTED: the answer of the switch `inventedQuickReplyRefusal` to a quick_reply component. 1MSG's
 * help ("Sending a template via API") says quick-reply buttons "are always omitted", but no source
 * read shows 1MSG refusing one, nor its words; this is shaped like the fake's other refusals of a
 * button's parameters, (#131009).
 * @param {string} at
 * @returns {SendFailure}
 */
function inventedQuickReplyRefusal(at) {
	return invalidValue(`${at} is a quick reply: quick_reply components are not accepted on this channel`);
}

/**
 * Sorts one scope's components by kind; a kind given twice, or one the scope cannot hold, is refused.
 * @param {unknown[]} list
 * @param {string} where
 * @param {boolean} topLevel
 * @returns {SendFailure | { body?: Record<string, any>, header?: Record<string, any>, offer?: Record<string, any>, carousel?: Record<string, any>, buttons: Map<number, Record<string, any>> }}
 */
function groupComponents(list, where, topLevel) {
	/** @type {{ body?: Record<string, any>, header?: Record<string, any>, offer?: Record<string, any>, carousel?: Record<string, any>, buttons: Map<number, Record<string, any>> }} */
	const groups = { buttons: new Map() };
	for (const comp of list) {
		if (!isObject(comp) || typeof comp.type !== 'string') {
			return invalidParameter(`${where}params must be an array of component objects ({type, parameters})`);
		}
		const type = comp.type.toLowerCase();
		if (type !== 'button' && type !== 'carousel' && comp.parameters !== undefined && !Array.isArray(comp.parameters)) {
			return invalidParameter(`${where}${type}: parameters must be an array`);
		}
		/** @type {Record<string, 'body' | 'header' | 'offer' | 'carousel'>} */
		const single = { body: 'body', header: 'header', limited_time_offer: 'offer', carousel: 'carousel' };
		if (type === 'button') {
			const index = typeof comp.index === 'string' && /^\d+$/.test(comp.index) ? Number(comp.index) : comp.index;
			if (!Number.isInteger(index)) return invalidParameter(`${where}button: index must be an integer`);
			if (groups.buttons.has(index)) return invalidValue(`${where}button at index ${index} given more than once`);
			groups.buttons.set(index, comp);
		} else if (single[type] && (topLevel || type === 'body' || type === 'header')) {
			const key = single[type];
			if (groups[key]) return invalidParameter(`${where}${type} component given more than once`);
			groups[key] = comp;
		} else {
			return invalidParameter(`${where}Unsupported component type "${comp.type}"`);
		}
	}
	return groups;
}

/**
 * One button's component against the approved button, as Meta checks it.
 * @param {ButtonSpec} button
 * @param {Record<string, any>} comp
 * @param {string} at
 * @param {string | undefined} bodyCode
 * @param {SendChecks} checks
 * @returns {SendFailure | null}
 */
function checkButton(button, comp, at, bodyCode, checks) {
	const sub = String(comp.sub_type || '').toLowerCase();
	const bp = comp.parameters;
	if (bp !== undefined && !Array.isArray(bp)) return invalidParameter(`${at}: parameters must be an array`);
	const list = bp || [];
	if (button.otp) {
		if (sub !== 'copy_code' && sub !== 'url') {
			return invalidValue(`${at} is a one-time-password button: sub_type must be copy_code or url`);
		}
		if (list.length !== 1) return countMismatch(at, list.length, 1);
		const p = list[0];
		/** @type {unknown} */
		let code;
		if (isObject(p) && p.type === 'coupon_code') code = p.coupon_code;
		else if (isObject(p) && p.type === 'text') code = p.text;
		else return invalidParameter(`${at}: OTP parameter must be of type coupon_code or text`);
		if (typeof code !== 'string' || code.trim() === '') return invalidParameter(`${at}: OTP code cannot be empty`);
		if (bodyCode !== undefined && bodyCode !== code) return invalidValue(`${at}: the OTP code must equal the body {{1}} code`);
		return null;
	}
	if (button.type === 'COPY_CODE') {
		if (sub !== 'copy_code') return invalidValue(`${at} is a copy-code button: sub_type must be copy_code`);
		if (list.length !== 1) return countMismatch(at, list.length, 1);
		const p = list[0];
		if (!isObject(p) || p.type !== 'coupon_code') return invalidParameter(`${at}: copy-code parameter must be {type:"coupon_code", coupon_code}`);
		if (typeof p.coupon_code !== 'string' || p.coupon_code.trim() === '') return invalidParameter(`${at}: coupon_code cannot be empty`);
		if (p.coupon_code.length > MAX_COUPON_CHARS) return invalidValue(`${at}: coupon_code is longer than ${MAX_COUPON_CHARS} characters`);
		return null;
	}
	if (button.type === 'FLOW') {
		if (sub !== 'flow') return invalidValue(`${at} is a flow button: sub_type must be flow`);
		for (const p of list) {
			if (!isObject(p) || p.type !== 'action' || !isObject(p.action)) return invalidParameter(`${at}: flow parameters must be {type:"action", action:{flow_token, flow_action_data}}`);
			if (p.action.flow_token !== undefined && typeof p.action.flow_token !== 'string') return invalidParameter(`${at}: flow_token must be a string`);
			if (p.action.flow_action_data !== undefined && !isObject(p.action.flow_action_data)) return invalidParameter(`${at}: flow_action_data must be an object`);
		}
		return null;
	}
	if (button.type === 'URL') {
		if (sub !== 'url') return invalidValue(`${at} is a URL button: sub_type must be url`);
		if (button.vars.length === 0) return invalidValue(`${at}: this URL button has no variable; omit it`);
		if (list.length !== button.vars.length) return countMismatch(at, list.length, button.vars.length);
		for (const p of list) {
			const r = checkParam(p, at);
			if (isFailure(r)) return r;
		}
		return null;
	}
	if (button.type === 'QUICK_REPLY') {
		if (sub !== 'quick_reply') return invalidValue(`${at} is a quick reply: sub_type must be quick_reply`);
		if (checks.inventedQuickReplyRefusal) return inventedQuickReplyRefusal(at);
		for (const p of list) {
			if (!isObject(p) || p.type !== 'payload' || typeof p.payload !== 'string') {
				return invalidParameter(`${at}: quick reply parameters must be {type:"payload", payload}`);
			}
		}
		return null;
	}
	return invalidValue(`${at} (${button.type}) takes no parameters`);
}

/**
 * One scope (the template, or one carousel card) against its compiled spec; returns the body values.
 * @param {ScopeSpec} spec
 * @param {{ body?: Record<string, any>, header?: Record<string, any>, buttons: Map<number, Record<string, any>> }} groups
 * @param {string} where
 * @param {SendChecks} checks
 * @returns {SendFailure | Map<string, string>}
 */
function validateScope(spec, groups, where, checks) {
	// BODY
	const bodyParams = (groups.body && groups.body.parameters) || [];
	if (bodyParams.length !== spec.bodyVars.length) return countMismatch(`${where}body`, bodyParams.length, spec.bodyVars.length);
	/** @type {Map<string, string>} */
	const values = new Map();
	for (let i = 0; i < bodyParams.length; i++) {
		const r = checkParam(bodyParams[i], `${where}body`);
		if (isFailure(r)) return r;
		if (spec.named) {
			const pname = bodyParams[i].parameter_name;
			if (typeof pname !== 'string' || !spec.bodyVars.includes(pname)) {
				return invalidParameter(
					`${where}body: parameter_name "${String(pname)}" is missing or not in the template (expected ${spec.bodyVars.join(', ')})`,
				);
			}
			if (values.has(pname)) return invalidParameter(`${where}body: parameter_name "${pname}" given more than once`);
			values.set(pname, /** @type {{text: string}} */ (r).text);
		} else {
			values.set(spec.bodyVars[i], /** @type {{text: string}} */ (r).text);
		}
	}

	// HEADER
	const header = spec.header;
	if (header && header.format !== 'TEXT') {
		const hp = (groups.header && groups.header.parameters) || [];
		if (hp.length !== 1) return countMismatch(`${where}header`, hp.length, 1);
		const p = hp[0];
		const want = header.format.toLowerCase();
		if (!isObject(p) || String(p.type || '').toLowerCase() !== want) {
			return {
				message: '(#132012) Parameter format does not match format in the created template',
				description: `${where}header: Format mismatch, expected ${header.format}, received ${isObject(p) && p.type ? String(p.type).toUpperCase() : 'UNKNOWN'}`,
			};
		}
		const media = p[want];
		if (!isObject(media) || (!media.link && !media.id)) return invalidParameter(`${where}header: ${want} needs a link or an id`);
		if (media.link !== undefined) {
			let ok = false;
			try {
				ok = typeof media.link === 'string' && new URL(media.link).protocol === 'https:';
			} catch {
				ok = false;
			}
			if (!ok) return invalidParameter(`${where}header: ${want} link must be a full https URL`);
		}
	} else {
		const expected = header ? header.vars.length : 0;
		const hp = (groups.header && groups.header.parameters) || [];
		if (hp.length !== expected) return countMismatch(`${where}header`, hp.length, expected);
		for (const p of hp) {
			const r = checkParam(p, `${where}header`);
			if (isFailure(r)) return r;
		}
	}

	// BUTTONS
	const bodyCode = values.get(spec.bodyVars[0]);
	for (const [index, comp] of groups.buttons) {
		const button = spec.buttons[index];
		if (!button) return invalidValue(`${where}button at index ${index} does not exist in the template`);
		const problem = checkButton(button, comp, `${where}button at index ${index}`, bodyCode, checks);
		if (problem) return problem;
	}
	for (const button of spec.buttons) {
		const needs = button.otp || button.type === 'COPY_CODE' ? 1 : button.vars.length;
		if (needs > 0 && !groups.buttons.has(button.index)) return countMismatch(`${where}button at index ${button.index}`, 0, needs);
	}
	return values;
}

/**
 * The limited-time offer's expiration: required when the offer counts down, and in the future.
 * @param {TemplateSpec} spec
 * @param {Record<string, any> | undefined} offer
 * @returns {SendFailure | null}
 */
function checkOffer(spec, offer) {
	if (!spec.offerExpires) return offer ? invalidParameter('limited_time_offer: this template has no offer expiration') : null;
	const list = (offer && offer.parameters) || [];
	if (list.length !== 1) return countMismatch('limited_time_offer', list.length, 1);
	const p = list[0];
	const ms = isObject(p) && p.type === 'limited_time_offer' && isObject(p.limited_time_offer) ? p.limited_time_offer.expiration_time_ms : undefined;
	if (!Number.isInteger(ms)) return invalidParameter('limited_time_offer: parameters must be [{type:"limited_time_offer", limited_time_offer:{expiration_time_ms}}]');
	if (/** @type {number} */ (ms) <= Date.now()) return invalidValue('limited_time_offer: expiration_time_ms must be in the future');
	return null;
}

/**
 * The carousel: one entry per approved card, in order, each card checked like a template of its own.
 * @param {TemplateSpec} spec
 * @param {Record<string, any> | undefined} carousel
 * @param {SendChecks} checks
 * @returns {SendFailure | null}
 */
function checkCarousel(spec, carousel, checks) {
	if (spec.cards.length === 0) return carousel ? invalidParameter('carousel: this template has no carousel') : null;
	const cards = carousel && Array.isArray(carousel.cards) ? carousel.cards : [];
	if (cards.length !== spec.cards.length) return countMismatch('carousel', cards.length, spec.cards.length);
	for (let i = 0; i < cards.length; i++) {
		const card = cards[i];
		const where = `carousel card ${i}: `;
		if (!isObject(card) || card.card_index !== i) return invalidParameter(`${where}card_index must be ${i}`);
		if (!Array.isArray(card.components)) return invalidParameter(`${where}components must be an array`);
		const groups = groupComponents(card.components, where, false);
		if (isFailure(groups)) return groups;
		const result = validateScope(spec.cards[i], groups, where, checks);
		if (isFailure(result)) return result;
	}
	return null;
}

/**
 * Validates `params` of a sendTemplate body against a compiled template, like Meta/1MSG would.
 * @param {TemplateSpec} spec
 * @param {unknown} params
 * @param {SendChecks} [checks] the fake's switches; none by default
 * @returns {SendFailure | null}
 */
function validateParams(spec, params, checks = {}) {
	if (params === undefined || params === null) params = [];
	if (!Array.isArray(params)) return invalidParameter('params must be an array of component objects');
	const groups = groupComponents(params, '', true);
	if (isFailure(groups)) return groups;
	const values = validateScope(spec, groups, '', checks);
	if (isFailure(values)) return values;
	const hydrated = spec.bodyText.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (_m, name) => values.get(name) ?? '');
	if (hydrated.length > MAX_BODY_CHARS) {
		return { message: '(#132005) Translated text too long', description: `body: hydrated text is ${hydrated.length} characters (max ${MAX_BODY_CHARS})` };
	}
	return checkOffer(spec, groups.offer) || checkCarousel(spec, groups.carousel, checks);
}

const BSUID_RE = /^[A-Z]{2}\.[A-Za-z0-9]{1,128}$/;
const USERNAME_RE = /^[A-Za-z0-9._]{3,35}$/;

/**
 * The recipient of a send: exactly one of phone, chatId, bsuid and username (phone and chatId may
 * both be given when they agree). `key` is what sends are counted and statuses addressed by: the
 * phone digits for a person, otherwise the id as given.
 * @param {Record<string, unknown>} b
 * @returns {SendFailure | { key: string }}
 */
function readRecipient(b) {
	/** @param {unknown} v */
	const text = (v) => (v === undefined || v === null ? undefined : String(v));
	const phoneRaw = text(b.phone);
	const chatRaw = text(b.chatId);
	const bsuid = text(b.bsuid);
	const username = text(b.username);
	const given = [phoneRaw, chatRaw, bsuid, username].filter((v) => v !== undefined).length;
	const invalid = (/** @type {string} */ description) => ({ message: 'Phone number is not valid', description });
	if (phoneRaw !== undefined) {
		// A production app sends a hidden-number contact with phone = BSUID, "1msg lo mapea al teléfono
		// real y entrega" (ebor94/1msg docs/migraciones/003-bsuid.sql, 2026-07-31).
		if (given === 1 && BSUID_RE.test(phoneRaw)) return { key: phoneRaw };
		if (!/^\d{8,15}$/.test(phoneRaw)) return invalid(`phone "${phoneRaw}" must be 8-15 digits with country code, no + or spaces`);
		if (given > 2 || (chatRaw !== undefined && chatRaw !== `${phoneRaw}@c.us`) || (given === 2 && chatRaw === undefined)) {
			return { message: 'Provide either phone or chatId, not both' };
		}
		return { key: phoneRaw };
	}
	if (given > 1) return { message: 'Provide only one of phone, chatId, bsuid and username' };
	if (chatRaw !== undefined) {
		const person = /^(\d{8,15})@c\.us$/.exec(chatRaw);
		if (person) return { key: person[1] };
		if (/^[0-9-]+@g\.us$/.test(chatRaw) || /^[A-Za-z0-9.]+@lid$/.test(chatRaw)) return { key: chatRaw };
		return invalid(`chatId "${chatRaw}" must look like 5511999999999@c.us`);
	}
	if (bsuid !== undefined) {
		if (!BSUID_RE.test(bsuid)) return { message: 'bsuid is not valid', description: `bsuid "${bsuid}" must look like US.13491208655302741918` };
		return { key: bsuid };
	}
	if (username !== undefined) {
		if (!USERNAME_RE.test(username)) return { message: 'username is not found', description: `username "${username}" is not a WhatsApp username` };
		return { key: username };
	}
	return invalid('phone or chatId is required');
}

module.exports = { compileTemplate, inventedQuickReplyRefusal, ownNamespace, readRecipient, validateParams };
