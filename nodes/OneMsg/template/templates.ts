/**
 * The channel's template list as 1MSG returns it, made dependable: components that arrive as a
 * JSON string, namespaces under three names (or missing), statuses in either case, and the
 * variables each template needs.
 */

import { isObject, type Json } from '../shared/json';

export interface TemplateButton {
	type: string;
	text?: string;
	url?: string;
}

export interface TemplateComponent {
	type: string;
	format?: string;
	text?: string;
	buttons?: TemplateButton[];
	/** CAROUSEL: the cards, each with its own header, body and buttons. */
	cards?: Array<{ components: TemplateComponent[] }>;
	/** LIMITED_TIME_OFFER: whether the offer shows a countdown, so an expiration time is sent. */
	hasExpiration?: boolean;
}

export interface TemplateRecord {
	id?: string;
	name: string;
	language: string;
	category: string;
	status: string;
	/** Meta's reason for a rejection; 1MSG sends `NONE` for templates that were not rejected. */
	rejectedReason?: string;
	namespace?: string;
	components: TemplateComponent[];
}

export type SlotKind = 'text' | 'image' | 'video' | 'document' | 'coupon' | 'expiration' | 'flowToken' | 'flowData';

/** One value the template needs at send time. */
export interface TemplateSlot {
	/**
	 * Stable id, used as the resource-mapper field id: `body_1`, `body_customer_name`, `header_text`,
	 * `header_media`, `button_2_url`, `button_0_code`, `button_1_coupon`, `button_0_flow_token`,
	 * `offer_expiration`; a carousel card's slots start with `card_{n}_` (n from 1).
	 */
	id: string;
	component: 'header' | 'body' | 'button' | 'limited_time_offer';
	kind: SlotKind;
	/** The placeholder name inside `{{…}}` for text slots. */
	placeholder?: string;
	buttonIndex?: number;
	/**
	 * `url` for a dynamic URL suffix, `otp` for an authentication code button, `copy_code` for a
	 * marketing coupon, `flow` for a WhatsApp Flow button.
	 */
	buttonSubType?: 'url' | 'otp' | 'copy_code' | 'flow';
	/** The carousel card (0-based) the slot belongs to; undefined outside a carousel. */
	card?: number;
	/** A value that may stay empty: the OTP button repeats the body code, a flow token defaults to Meta's "unused". */
	optional?: boolean;
	label: string;
}

function parseComponents(raw: unknown): TemplateComponent[] {
	let value = raw;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return [];
		}
	}
	if (!Array.isArray(value)) return [];
	return value.filter(isObject).map(parseComponent);
}

function parseComponent(component: Json): TemplateComponent {
	const parsed: TemplateComponent = {
		type: String(component.type ?? '').toUpperCase(),
		format: typeof component.format === 'string' ? component.format.toUpperCase() : undefined,
		text: typeof component.text === 'string' ? component.text : undefined,
		buttons: Array.isArray(component.buttons)
			? component.buttons.filter(isObject).map((button) => ({
					type: String(button.type ?? '').toUpperCase(),
					text: typeof button.text === 'string' ? button.text : undefined,
					url: typeof button.url === 'string' ? button.url : undefined,
				}))
			: undefined,
	};
	if (parsed.type === 'CAROUSEL') {
		// The list names the cards `cards` or `card_components`, depending on the channel.
		const cards = Array.isArray(component.cards) ? component.cards : component.card_components;
		parsed.cards = (Array.isArray(cards) ? cards : [])
			.filter(isObject)
			.map((card) => ({ components: parseComponents(card.components) }));
	}
	if (parsed.type === 'LIMITED_TIME_OFFER') {
		const offer = component.limited_time_offer;
		parsed.hasExpiration = isObject(offer) && offer.has_expiration === true;
	}
	return parsed;
}

function languageOf(raw: unknown): string {
	if (typeof raw === 'string') return raw;
	if (isObject(raw) && typeof raw.code === 'string') return raw.code;
	return '';
}

function namespaceOf(record: Json): string | undefined {
	for (const key of ['namespace', 'message_template_namespace', 'messageTemplateNamespace']) {
		const value = record[key];
		if (typeof value === 'string' && value.trim()) return value.trim();
	}
	return undefined;
}

/** The records of one `GET /templates` page: `{templates:[…]}` or a bare array. */
export function templateRecordsOf(body: unknown): TemplateRecord[] {
	const list = Array.isArray(body) ? body : isObject(body) && Array.isArray(body.templates) ? body.templates : [];
	return list.filter(isObject).map((record) => ({
		id: record.id !== undefined ? String(record.id) : undefined,
		name: String(record.name ?? ''),
		language: languageOf(record.language),
		category: String(record.category ?? '').toUpperCase(),
		status: String(record.status ?? ''),
		...(typeof record.rejected_reason === 'string' ? { rejectedReason: record.rejected_reason } : {}),
		namespace: namespaceOf(record),
		components: parseComponents(record.components),
	}));
}

export function templateKey(template: Pick<TemplateRecord, 'name' | 'language'>): string {
	return `${template.name}|${template.language}`;
}

export function isApproved(template: TemplateRecord): boolean {
	return template.status.toUpperCase() === 'APPROVED';
}

/**
 * Some channels omit the namespace on templates; all templates of one WhatsApp account share it,
 * so it is borrowed from siblings when they agree on exactly one.
 */
export function withResolvedNamespaces(templates: TemplateRecord[]): TemplateRecord[] {
	const namespaces = new Set(templates.map((t) => t.namespace).filter((n): n is string => !!n));
	if (namespaces.size !== 1) return templates;
	const [shared] = [...namespaces];
	return templates.map((t) => (t.namespace ? t : { ...t, namespace: shared }));
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Placeholder names in the order WhatsApp expects their values: numbers ascending, names by first use. */
export function placeholdersOf(text: string | undefined): string[] {
	if (!text) return [];
	const seen: string[] = [];
	for (const match of text.matchAll(PLACEHOLDER)) {
		if (!seen.includes(match[1])) seen.push(match[1]);
	}
	if (seen.every((name) => /^\d+$/.test(name))) return seen.sort((a, b) => Number(a) - Number(b));
	return seen;
}

export function isNamedPlaceholder(name: string): boolean {
	return !/^\d+$/.test(name);
}

export function componentOf(template: TemplateRecord, type: string): TemplateComponent | undefined {
	return template.components.find((component) => component.type === type);
}

export function bodyText(template: TemplateRecord): string {
	return componentOf(template, 'BODY')?.text ?? '';
}

/**
 * The link Meta lists for the code button of a created authentication template. The creation
 * request names the button `OTP`, but "WhatsApp sets the button type to URL upon creation" (Meta,
 * "Copy code authentication templates", Jun 24, 2026; "One-tap autofill authentication templates"
 * says the same), and 1MSG's 2023 list schema knows only PHONE_NUMBER, URL and QUICK_REPLY buttons.
 * The listed link is `https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}`
 * (Microsoft's ACS docs print the listed template), `otp_type=ONE_TAP` or `ZERO_TAP` for autofill.
 */
const OTP_CODE_URL = /^https:\/\/(?:www\.)?whatsapp\.com\/otp\/code\/?\?(?:[^#]*&)?otp_type=(?:COPY_CODE|ONE_TAP|ZERO_TAP)(?:[&#]|$)/i;

/** Whether the button is an authentication template's code button, in any form a list gives it. */
export function isCodeButton(button: TemplateButton, authentication: boolean): boolean {
	if (button.type === 'OTP') return true;
	if (button.type === 'URL') return OTP_CODE_URL.test(button.url ?? '');
	// Some lists name an authentication template's code button COPY_CODE: it stays the OTP button.
	return button.type === 'COPY_CODE' && authentication;
}

/** Meta's category of code templates; 1MSG's 2023 spec names it `OTP` (its enum: MARKETING, TRANSACTIONAL, OTP). */
export function isAuthentication(template: Pick<TemplateRecord, 'category'>): boolean {
	return template.category === 'AUTHENTICATION' || template.category === 'OTP';
}

function humanise(name: string): string {
	return name
		.replace(/_/g, ' ')
		.replace(/\b\w/g, (c) => c.toUpperCase());
}

/** Every value the template needs, in the order the form shows them: its own components, then each carousel card's. */
export function templateSlots(template: TemplateRecord): TemplateSlot[] {
	const authentication = isAuthentication(template);
	const slots = componentSlots(template.components, authentication);
	cardsOf(template).forEach((card, index) => slots.push(...componentSlots(card.components, authentication, index)));
	return slots;
}

/** The cards of the template's carousel, none when it has no carousel. */
export function cardsOf(template: TemplateRecord): Array<{ components: TemplateComponent[] }> {
	return template.components.find((component) => component.type === 'CAROUSEL')?.cards ?? [];
}

/** One scope's slots: the template's own components, or one carousel card's (card index from 0). */
function componentSlots(components: TemplateComponent[], authentication: boolean, card?: number): TemplateSlot[] {
	const slots: TemplateSlot[] = [];
	// Card slots are told apart by id and label: `card_2_body_1`, "Card 2 – Body Variable {{1}}".
	const idPrefix = card === undefined ? '' : `card_${card + 1}_`;
	const labelPrefix = card === undefined ? '' : `Card ${card + 1} – `;
	const add = (slot: TemplateSlot) =>
		slots.push({ ...slot, id: idPrefix + slot.id, label: labelPrefix + slot.label, ...(card === undefined ? {} : { card }) });
	const header = components.find((component) => component.type === 'HEADER');
	if (header) {
		const format = header.format ?? 'TEXT';
		if (format === 'TEXT') {
			const names = placeholdersOf(header.text);
			if (names.length > 0) {
				add({
					id: 'header_text',
					component: 'header',
					kind: 'text',
					placeholder: names[0],
					label: `Header Variable {{${names[0]}}}`,
				});
			}
		} else if (format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT') {
			const kind = format.toLowerCase() as SlotKind;
			add({ id: 'header_media', component: 'header', kind, label: `Header ${humanise(kind)} Link (HTTPS URL)` });
		}
	}
	const body = components.find((component) => component.type === 'BODY');
	for (const name of placeholdersOf(body?.text)) {
		add({
			id: `body_${name}`,
			component: 'body',
			kind: 'text',
			placeholder: name,
			label: isNamedPlaceholder(name) ? `Body ${humanise(name)} {{${name}}}` : `Body Variable {{${name}}}`,
		});
	}
	if (components.some((component) => component.type === 'LIMITED_TIME_OFFER' && component.hasExpiration)) {
		add({ id: 'offer_expiration', component: 'limited_time_offer', kind: 'expiration', label: 'Offer Expires At' });
	}
	const buttons = components.find((component) => component.type === 'BUTTONS')?.buttons ?? [];
	buttons.forEach((button, index) => buttonSlots(button, index, authentication).forEach(add));
	return slots;
}

/** The values one button needs; most buttons (quick replies, phone numbers, static links) need none. */
function buttonSlots(button: TemplateButton, index: number, authentication: boolean): TemplateSlot[] {
	const at = { component: 'button' as const, kind: 'text' as const, buttonIndex: index };
	// Before the URL check: Meta lists the code button as a URL button whose link ends in `otp{{1}}`.
	if (isCodeButton(button, authentication)) {
		return [
			{ ...at, id: `button_${index}_code`, buttonSubType: 'otp', optional: true, label: `Button "${button.text ?? 'Copy code'}" Code` },
		];
	}
	if (button.type === 'URL' && placeholdersOf(button.url).length > 0) {
		return [{ ...at, id: `button_${index}_url`, buttonSubType: 'url', label: `Button "${button.text ?? index + 1}" URL Suffix` }];
	}
	// A marketing coupon: its own value, never the body's (that is the customer's name, not a code).
	if (button.type === 'COPY_CODE') {
		return [{ ...at, id: `button_${index}_coupon`, kind: 'coupon', buttonSubType: 'copy_code', label: 'Coupon Code' }];
	}
	if (button.type === 'FLOW') {
		const name = `Button "${button.text ?? index + 1}"`;
		return [
			{ ...at, id: `button_${index}_flow_token`, kind: 'flowToken', buttonSubType: 'flow', optional: true, label: `${name} Flow Token` },
			{ ...at, id: `button_${index}_flow_data`, kind: 'flowData', buttonSubType: 'flow', optional: true, label: `${name} Flow Data (JSON)` },
		];
	}
	return [];
}

export function bodySlots(template: TemplateRecord): TemplateSlot[] {
	return templateSlots(template).filter((slot) => slot.component === 'body' && slot.card === undefined);
}

/** What the customer reads: the body with each placeholder replaced by its value. */
export function renderText(text: string, valueOf: (placeholder: string) => string | undefined): string {
	return text.replace(PLACEHOLDER, (whole, name: string) => valueOf(name) ?? whole);
}

/** `name · language · category`, as the picker lists templates. */
export function templateLabel(template: TemplateRecord): string {
	return [template.name, template.language, template.category].filter(Boolean).join(' · ');
}
