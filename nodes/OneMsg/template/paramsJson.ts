/**
 * Params (JSON) mode: the `params` array written by hand, for anything the form does not cover.
 * Checked for the shape Meta documents before sending, so a typo fails the item naming the place
 * (`params[1].parameters[0]`) instead of costing a send. Pure.
 */
import { InputError } from '../shared/failures';
import { isObject, parseJsonText, type Json } from '../shared/json';
import type { TemplateParam } from './templateParams';
import { MAX_COUPON_LENGTH, textRuleViolation } from './validate';

export const PARAMS_JSON_FIELD = 'Params (JSON)';

const FIX =
	'Give the params array as WhatsApp documents it, e.g. [{"type":"body","parameters":[{"type":"text","text":"Maria"}]}]; header, body, button (with sub_type and index), limited_time_offer and carousel components are accepted.';

const BUTTON_SUB_TYPES = ['url', 'quick_reply', 'copy_code', 'flow', 'catalog', 'mpm', 'spm', 'order_details', 'voice_call'];

function fail(where: string, problem: string): never {
	throw new InputError(PARAMS_JSON_FIELD, `${PARAMS_JSON_FIELD}: ${where} ${problem}`, FIX);
}

function needString(value: unknown, where: string): string {
	if (typeof value !== 'string' || value.trim() === '') fail(where, 'must be a non-empty string');
	return value;
}

function needObject(value: unknown, where: string): Json {
	if (!isObject(value)) fail(where, 'must be an object');
	return value;
}

function needArray(value: unknown, where: string): unknown[] {
	if (!Array.isArray(value) || value.length === 0) fail(where, 'must be a non-empty array');
	return value;
}

/** The shape of each parameter type: the object under its own key and what it must hold. */
const PARAMETER_CHECKS: Record<string, (p: Json, where: string) => void> = {
	text: (p, where) => {
		const text = needString(p.text, `${where}.text`);
		const violation = textRuleViolation(text);
		if (violation) fail(`${where}.text`, `contains ${violation}, which WhatsApp rejects in template variables`);
	},
	currency: (p, where) => {
		metaCurrency(needObject(p.currency, `${where}.currency`), `${where}.currency`);
	},
	date_time: (p, where) => needString(needObject(p.date_time, `${where}.date_time`).fallback_value, `${where}.date_time.fallback_value`),
	image: (p, where) => mediaCheck(p.image, `${where}.image`),
	video: (p, where) => mediaCheck(p.video, `${where}.video`),
	document: (p, where) => mediaCheck(p.document, `${where}.document`),
	coupon_code: (p, where) => {
		const code = needString(p.coupon_code, `${where}.coupon_code`);
		if (code.length > MAX_COUPON_LENGTH) fail(`${where}.coupon_code`, `has ${code.length} characters; WhatsApp allows ${MAX_COUPON_LENGTH}`);
	},
	payload: (p, where) => needString(p.payload, `${where}.payload`),
	action: (p, where) => needObject(p.action, `${where}.action`),
	limited_time_offer: (p, where) => {
		const ms = needObject(p.limited_time_offer, `${where}.limited_time_offer`).expiration_time_ms;
		if (!Number.isInteger(ms)) fail(`${where}.limited_time_offer.expiration_time_ms`, 'must be Unix time in milliseconds');
	},
};

/**
 * A currency parameter in Meta's form, `{fallback_value, code, amount_1000}`. 1MSG's 2023 OpenAPI
 * spec (1msg/1sdk swagger.waba.json, 2023-12-19, the oldest source) names the code `currency_code`
 * and gives `amount_1000` as the string "100990" in its example; Meta's template reference and the
 * WhatsApp Node.js SDK's Currency Object name it `code`, with a number. The newest 1MSG sources (SDK
 * of 2026-08-20, MCP `send_template`) show no currency schema and say `params` are Cloud API
 * components, so Meta's `code` is sent; `currency_code` and a digit string are accepted and rewritten.
 */
function metaCurrency(currency: Json, where: string): Json {
	needString(currency.fallback_value, `${where}.fallback_value`);
	const { currency_code: legacy, ...rest } = currency;
	if (legacy !== undefined && currency.code !== undefined && legacy !== currency.code) {
		fail(`${where}.currency_code`, `"${String(legacy)}" differs from code "${String(currency.code)}"; give one of them`);
	}
	const code = currency.code ?? legacy;
	if (!/^[A-Z]{3}$/.test(String(code))) {
		fail(`${where}.${currency.code === undefined && legacy !== undefined ? 'currency_code' : 'code'}`, 'must be an ISO 4217 code such as USD');
	}
	const amount = typeof currency.amount_1000 === 'string' && /^-?\d+$/.test(currency.amount_1000.trim()) ? Number(currency.amount_1000) : currency.amount_1000;
	if (!Number.isInteger(amount)) fail(`${where}.amount_1000`, 'must be a whole number (the amount × 1000)');
	return { ...rest, code, amount_1000: amount };
}

/** The component as sent: currency parameters in Meta's form, inside carousel cards too (already checked). */
function asSent(component: Json): Json {
	if (Array.isArray(component.cards)) {
		return { ...component, cards: component.cards.map((card: Json) => ({ ...card, components: (card.components as Json[]).map(asSent) })) };
	}
	if (!Array.isArray(component.parameters)) return component;
	return {
		...component,
		parameters: component.parameters.map((parameter: Json) =>
			parameter.type === 'currency' ? { ...parameter, currency: metaCurrency(parameter.currency as Json, '') } : parameter,
		),
	};
}

function mediaCheck(value: unknown, where: string): void {
	const media = needObject(value, where);
	if (media.id !== undefined) return;
	const link = needString(media.link, `${where}.link`);
	if (!/^https:\/\/\S+$/.test(link)) fail(`${where}.link`, 'must be an https:// link');
}

function checkParameters(component: Json, where: string): void {
	needArray(component.parameters, `${where}.parameters`).forEach((raw, i) => {
		const at = `${where}.parameters[${i}]`;
		const parameter = needObject(raw, at);
		const check = PARAMETER_CHECKS[String(parameter.type)];
		if (!check) fail(`${at}.type`, `"${String(parameter.type)}" is not a parameter type (${Object.keys(PARAMETER_CHECKS).join(', ')})`);
		check(parameter, at);
	});
}

function checkComponent(raw: unknown, where: string, inCard: boolean): void {
	const component = needObject(raw, where);
	const type = String(component.type);
	if (type === 'header' || type === 'body' || type === 'limited_time_offer') return checkParameters(component, where);
	if (type === 'button') {
		if (!BUTTON_SUB_TYPES.includes(String(component.sub_type))) {
			fail(`${where}.sub_type`, `must be one of ${BUTTON_SUB_TYPES.join(', ')}`);
		}
		const index = typeof component.index === 'string' && /^\d+$/.test(component.index) ? Number(component.index) : component.index;
		if (!Number.isInteger(index) || (index as number) < 0) fail(`${where}.index`, "must be the button's position in the template (0, 1, …)");
		return checkParameters(component, where);
	}
	if (type === 'carousel' && !inCard) {
		needArray(component.cards, `${where}.cards`).forEach((rawCard, i) => {
			const at = `${where}.cards[${i}]`;
			const card = needObject(rawCard, at);
			if (card.card_index !== i) fail(`${at}.card_index`, `must be ${i}: cards are given in order from 0`);
			needArray(card.components, `${at}.components`).forEach((c, j) => checkComponent(c, `${at}.components[${j}]`, true));
		});
		return;
	}
	fail(`${where}.type`, `"${type}" is not a component type${inCard ? ' inside a carousel card' : ''}`);
}

/** Parses and checks the field's value (the JSON text, or an array from an expression). */
export function paramsFromJson(raw: unknown): TemplateParam[] {
	let value = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') throw new InputError(PARAMS_JSON_FIELD, `${PARAMS_JSON_FIELD} is empty`, FIX);
		const parsed = parseJsonText(raw);
		if ('error' in parsed) throw new InputError(PARAMS_JSON_FIELD, `${PARAMS_JSON_FIELD} is not valid JSON (${parsed.error})`, FIX);
		value = parsed.value;
	}
	if (!Array.isArray(value)) fail('the value', 'must be a JSON array of components');
	value.forEach((component, i) => checkComponent(component, `params[${i}]`, false));
	return (value as Json[]).map(asSent) as unknown as TemplateParam[];
}
