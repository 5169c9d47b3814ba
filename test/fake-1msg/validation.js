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

module.exports = { compileTemplate, ownNamespace, validateParams };
