// @ts-check
'use strict';

/**
 * `POST addTemplate` of the fake channel: a new template is checked the way Meta checks it (name,
 * category, language, a body with one example per variable, buttons), answered with Meta's error
 * shape when it is refused, kept PENDING for `approvalDelayMs` and then approved, or rejected with
 * a reason when its name starts with REJECTED_NAME_PREFIX.
 */

const { NAMESPACE, OTP_BODY, listedCodeButton } = require('./templates');
const { isObject, placeholders, sendJson } = require('./util');

/** A created template whose name starts with this is rejected by the review, with REJECTION_REASON. */
const REJECTED_NAME_PREFIX = 'review_rejects_';
const REJECTION_REASON = 'INCORRECT_CATEGORY';
const CATEGORIES = ['UTILITY', 'MARKETING', 'AUTHENTICATION'];
const BUTTON_TYPES = ['URL', 'QUICK_REPLY', 'PHONE_NUMBER', 'OTP', 'COPY_CODE'];

/**
 * @typedef {import('./templates').TemplateRecord} TemplateRecord
 * @typedef {{ body: unknown, status: number, response: unknown, at: number }} CreationRecord
 */

/**
 * Meta's answer to a refused template, as 1MSG passes it on.
 * @param {string} userMessage @param {number} [subcode]
 */
function metaRefusal(userMessage, subcode = 2388040) {
	return {
		error: {
			message: 'Invalid parameter',
			type: 'OAuthException',
			code: 100,
			error_subcode: subcode,
			is_transient: false,
			error_user_title: 'Message template could not be created',
			error_user_msg: userMessage,
		},
	};
}

/**
 * The first rule the body breaks, or null.
 * @param {unknown} body @param {TemplateRecord[]} existing
 * @returns {{ message: string, subcode?: number } | null}
 */
function refusalOf(body, existing) {
	if (!isObject(body)) return { message: 'The request has no template' };
	const { name, category, language, components } = body;
	if (typeof name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(name)) {
		return { message: 'Template name can only contain lowercase letters, numbers and underscores (#name)' };
	}
	if (typeof category !== 'string' || !CATEGORIES.includes(category.toUpperCase())) {
		return { message: `Category must be one of ${CATEGORIES.join(', ')} (#category)` };
	}
	if (typeof language !== 'string' || !/^[a-z]{2,3}(_[A-Z]{2})?$/.test(language)) {
		return { message: 'Language is not a supported language code (#language)' };
	}
	if (existing.some((t) => t.name === name && (typeof t.language === 'string' ? t.language : t.language.code) === language)) {
		return { message: `Content in this language already exists for template ${name}`, subcode: 2388024 };
	}
	if (!Array.isArray(components)) return { message: 'components must be a list (#components)' };
	const bodyComponent = components.find((c) => isObject(c) && String(c.type).toUpperCase() === 'BODY');
	if (category.toUpperCase() === 'AUTHENTICATION') {
		// Meta writes the body of authentication templates; a text of one's own is refused.
		if (!isObject(bodyComponent) || bodyComponent.text !== undefined) {
			return { message: 'Authentication templates take a BODY without text, e.g. {type:"BODY", add_security_recommendation:true} (#components)' };
		}
		return null;
	}
	if (!isObject(bodyComponent) || typeof bodyComponent.text !== 'string' || !bodyComponent.text.trim()) {
		return { message: 'A template needs a BODY component with text (#components)' };
	}
	const text = bodyComponent.text;
	if (text.length > 1024) return { message: 'The body text is longer than 1024 characters (#components)' };
	const names = placeholders(text);
	const expected = names.map((_, i) => String(i + 1));
	if (names.some((n, i) => n !== expected[i])) {
		return { message: 'Variables must be numbered in order, {{1}}, {{2}}, … (#components)', subcode: 2388043 };
	}
	if (names.length > 0) {
		const example = isObject(bodyComponent.example) ? bodyComponent.example.body_text : undefined;
		const values = Array.isArray(example) && Array.isArray(example[0]) ? example[0] : undefined;
		if (!values || values.length !== names.length || values.some((v) => typeof v !== 'string' || !v.trim())) {
			return {
				message: `The body has ${names.length} variables and needs one non-empty example for each in example.body_text (#components)`,
				subcode: 2388043,
			};
		}
	}
	const buttonsComponent = components.find((c) => isObject(c) && String(c.type).toUpperCase() === 'BUTTONS');
	if (isObject(buttonsComponent)) {
		const buttons = buttonsComponent.buttons;
		if (!Array.isArray(buttons) || buttons.length === 0) return { message: 'BUTTONS needs at least one button (#components)' };
		for (const button of buttons) {
			if (!isObject(button) || !BUTTON_TYPES.includes(String(button.type).toUpperCase())) {
				return { message: 'Unknown button type (#components)' };
			}
			if (String(button.type).toUpperCase() === 'URL' && !(typeof button.url === 'string' && /^https?:\/\/\S+$/.test(button.url))) {
				return { message: 'A URL button needs a valid url (#components)' };
			}
			if (typeof button.text !== 'string' || !button.text.trim() || button.text.length > 25) {
				return { message: 'Button text must be 1 to 25 characters (#components)' };
			}
		}
	}
	return null;
}

/** @param {Record<string, any>} input */
const categoryOf = (input) => String(input.category).toUpperCase();

/**
 * Handles `POST addTemplate`.
 * @param {import('./server').FakeOneMsg} fake @param {unknown} body @param {import('http').ServerResponse} res
 */
function addTemplate(fake, body, res) {
	const refusal = refusalOf(body, fake.templates);
	if (refusal) {
		const response = metaRefusal(refusal.message, refusal.subcode);
		fake.templateCreations.push({ body, status: 400, response, at: Date.now() });
		return sendJson(res, 400, response);
	}
	const input = /** @type {Record<string, any>} */ (body);
	/** @type {TemplateRecord} */
	const record = {
		id: String(1290000000000000 + fake.templateCreations.length + 1),
		name: input.name,
		language: input.language,
		category: input.category.toUpperCase(),
		status: 'PENDING',
		namespace: NAMESPACE,
		rejected_reason: 'NONE',
		// Meta stores an authentication template with its code text, and lists the OTP button it was
		// created with as a URL button (Meta's copy-code authentication templates page).
		components:
			categoryOf(input) === 'AUTHENTICATION'
				? input.components.map((/** @type {any} */ c) => (String(c.type).toUpperCase() === 'BODY' ? { ...c, text: OTP_BODY } : listedAuthButtons(c)))
				: input.components,
	};
	fake.setTemplates([...fake.templates, record]);
	fake.createdTemplateIds.add(record.id);
	const response = { id: record.id, status: 'PENDING', category: record.category };
	fake.templateCreations.push({ body, status: 200, response, at: Date.now() });
	sendJson(res, 200, response);
	void review(fake, record.id);
}

/** A BUTTONS component of a new authentication template as Meta lists it: each OTP button becomes its URL button. @param {any} component */
function listedAuthButtons(component) {
	if (String(component.type).toUpperCase() !== 'BUTTONS' || !Array.isArray(component.buttons)) return component;
	return {
		...component,
		buttons: component.buttons.map((/** @type {any} */ b) =>
			String(b.type).toUpperCase() === 'OTP' ? listedCodeButton(String(b.otp_type).toUpperCase() === 'ONE_TAP' ? 'ONE_TAP' : 'COPY_CODE', b.text ?? 'Copy code') : b,
		),
	};
}

/**
 * Meta's review: pending for the fake's approval delay, then a decision. A reset in between drops it.
 * @param {import('./server').FakeOneMsg} fake @param {string} id
 */
async function review(fake, id) {
	const epoch = fake._epoch;
	await fake._sleep(fake.approvalDelayMs);
	if (fake._closed || fake._epoch !== epoch) return;
	const rejected = (/** @type {string} */ name) => name.startsWith(REJECTED_NAME_PREFIX);
	fake.setTemplates(
		fake.templates.map((t) =>
			t.id !== id
				? t
				: rejected(t.name)
					? { ...t, status: 'REJECTED', rejected_reason: REJECTION_REASON }
					: { ...t, status: 'APPROVED' },
		),
	);
}

/**
 * The template list without the templates created through addTemplate (a reset restores the fixtures).
 * @param {import('./server').FakeOneMsg} fake
 */
function dropCreatedTemplates(fake) {
	if (fake.createdTemplateIds.size === 0) return;
	fake.setTemplates(fake.templates.filter((t) => !fake.createdTemplateIds.has(t.id)));
	fake.createdTemplateIds.clear();
}

module.exports = { addTemplate, dropCreatedTemplates, REJECTED_NAME_PREFIX, REJECTION_REASON };
