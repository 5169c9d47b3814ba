import type { TemplateRecord, TemplateSlot } from './templates';
import { cardsOf, componentOf, templateSlots } from './templates';

/**
 * The `params` array of `POST /sendTemplate`: Cloud-API components, only those with variables.
 * One shape per component kind, as Meta's template-message reference documents them.
 */
export type TemplateParam = HeaderParam | BodyParam | LimitedTimeOfferParam | ButtonParam | CarouselParam;

export interface HeaderParam {
	type: 'header';
	parameters: MediaOrTextParameter[];
}

export interface BodyParam {
	type: 'body';
	parameters: BodyParameter[];
}

export interface LimitedTimeOfferParam {
	type: 'limited_time_offer';
	parameters: Array<{ type: 'limited_time_offer'; limited_time_offer: { expiration_time_ms: number } }>;
}

export type ButtonParam =
	| { type: 'button'; sub_type: 'url'; index: number; parameters: TextParameter[] }
	| CodeButtonParam
	| { type: 'button'; sub_type: 'copy_code'; index: number; parameters: Array<{ type: 'coupon_code'; coupon_code: string }> }
	| { type: 'button'; sub_type: 'flow'; index: number; parameters: Array<{ type: 'action'; action: FlowAction }> }
	| QuickReplyParam;

/**
 * An authentication template's code button, as Meta's "Sending authentication templates" documents
 * it: sub_type `url` (the button is listed as a URL button), the code as its text, and `index` the
 * string "0" as in the copy-code page's syntax and example (Jun 24, 2026; the one-tap page's syntax
 * has the number, its example the string).
 */
export interface CodeButtonParam {
	type: 'button';
	sub_type: 'url';
	index: string;
	parameters: [TextParameter];
}

/** A quick-reply button's payload: WhatsApp returns it with the customer's tap. */
export interface QuickReplyParam {
	type: 'button';
	sub_type: 'quick_reply';
	index: number;
	parameters: [{ type: 'payload'; payload: string }];
}

export interface FlowAction {
	flow_token: string;
	flow_action_data?: Record<string, unknown>;
}

export interface CarouselParam {
	type: 'carousel';
	cards: Array<{ card_index: number; components: TemplateParam[] }>;
}

export interface TextParameter {
	type: 'text';
	text: string;
	parameter_name?: string;
}

/** Body values Meta also takes localised: an amount or a date, with the text shown where they cannot be. */
export type BodyParameter =
	| TextParameter
	| { type: 'currency'; currency: { fallback_value: string; code: string; amount_1000: number } }
	| { type: 'date_time'; date_time: { fallback_value: string } };

export type MediaOrTextParameter =
	| TextParameter
	| { type: 'image'; image: { link: string } }
	| { type: 'video'; video: { link: string } }
	| { type: 'document'; document: { link: string } };

/** Meta's flow token when the flow expects none. */
export const UNUSED_FLOW_TOKEN = 'unused';

function textParameter(slot: TemplateSlot, text: string): TextParameter {
	// Named placeholders ({{customer_name}}) must say which name they fill.
	return slot.placeholder && !/^\d+$/.test(slot.placeholder)
		? { type: 'text', text, parameter_name: slot.placeholder }
		: { type: 'text', text };
}

function headerParam(slot: TemplateSlot, value: string): HeaderParam {
	if (slot.kind === 'image') return { type: 'header', parameters: [{ type: 'image', image: { link: value } }] };
	if (slot.kind === 'video') return { type: 'header', parameters: [{ type: 'video', video: { link: value } }] };
	if (slot.kind === 'document') return { type: 'header', parameters: [{ type: 'document', document: { link: value } }] };
	return { type: 'header', parameters: [textParameter(slot, value)] };
}

function limitedTimeOfferParam(expiresAtMs: string): LimitedTimeOfferParam {
	return {
		type: 'limited_time_offer',
		parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: Number(expiresAtMs) } }],
	};
}

/**
 * One button's component from its slots (a flow button has two). The copy-code button of an
 * authentication template repeats the body code when no separate value is given: WhatsApp refuses
 * an authentication template whose button is left out. A marketing coupon never does.
 */
function buttonParam(slots: TemplateSlot[], values: Record<string, string>, bodyCode: string | undefined): ButtonParam {
	const [slot] = slots;
	const index = slot.buttonIndex ?? 0;
	if (slot.buttonSubType === 'copy_code') {
		return { type: 'button', sub_type: 'copy_code', index, parameters: [{ type: 'coupon_code', coupon_code: values[slot.id] }] };
	}
	if (slot.buttonSubType === 'flow') {
		const token = slots.find((s) => s.kind === 'flowToken');
		const data = slots.find((s) => s.kind === 'flowData');
		const action: FlowAction = { flow_token: (token && values[token.id]) || UNUSED_FLOW_TOKEN };
		if (data && values[data.id] !== undefined) action.flow_action_data = JSON.parse(values[data.id]) as Record<string, unknown>;
		return { type: 'button', sub_type: 'flow', index, parameters: [{ type: 'action', action }] };
	}
	if (slot.buttonSubType === 'otp') {
		// Meta: the code "must appear twice in the payload", in the body and in the button.
		return { type: 'button', sub_type: 'url', index: String(index), parameters: [{ type: 'text', text: values[slot.id] ?? bodyCode ?? '' }] };
	}
	return { type: 'button', sub_type: 'url', index, parameters: [{ type: 'text', text: values[slot.id] }] };
}

/** The components of one scope (the template itself, or one carousel card) in Meta's order. */
function scopeParams(slots: TemplateSlot[], values: Record<string, string>): TemplateParam[] {
	const params: TemplateParam[] = [];
	const header = slots.find((slot) => slot.component === 'header');
	if (header) params.push(headerParam(header, values[header.id]));
	const body = slots.filter((slot) => slot.component === 'body');
	if (body.length > 0) params.push({ type: 'body', parameters: body.map((slot) => textParameter(slot, values[slot.id])) });
	const offer = slots.find((slot) => slot.component === 'limited_time_offer');
	if (offer) params.push(limitedTimeOfferParam(values[offer.id]));
	const buttons = new Map<number, TemplateSlot[]>();
	for (const slot of slots) {
		if (slot.component !== 'button' || slot.buttonIndex === undefined) continue;
		buttons.set(slot.buttonIndex, [...(buttons.get(slot.buttonIndex) ?? []), slot]);
	}
	const bodyCode = body[0] ? values[body[0].id] : undefined;
	for (const buttonSlots of buttons.values()) params.push(buttonParam(buttonSlots, values, bodyCode));
	return params;
}

/**
 * Builds `params` from the template's own structure and one value per slot id (already validated).
 * Components follow the template order (header, body, offer, buttons, then the carousel); buttons
 * keep their position in the approved template as `index`, even when earlier buttons send nothing.
 * A carousel sends every card, in order, with its `card_index`.
 */
export function buildTemplateParams(
	template: TemplateRecord,
	values: Record<string, string>,
	slots: TemplateSlot[] = templateSlots(template),
): TemplateParam[] {
	const params = scopeParams(
		slots.filter((slot) => slot.card === undefined),
		values,
	);
	const cards = cardsOf(template);
	if (cards.length > 0) {
		params.push({
			type: 'carousel',
			cards: cards.map((_, card) => ({
				card_index: card,
				components: scopeParams(
					slots.filter((slot) => slot.card === card),
					values,
				),
			})),
		});
	}
	return params;
}

/** What a quick-reply button's payload says: the send's reference, then which button (its position). */
export function quickReplyPayload(reference: string, index: number): string {
	return `${reference}|${index}`;
}

/** Whether the template has quick-reply buttons of its own (a carousel card's are not counted). */
export function hasQuickReplies(template: TemplateRecord): boolean {
	return (componentOf(template, 'BUTTONS')?.buttons ?? []).some((button) => button.type === 'QUICK_REPLY');
}

/**
 * A payload for each quick-reply button of the template, by its position in the approved template:
 * `<reference>|<index>`, so a tap comes back naming the send and the button tapped. Meta documents
 * the payload ("Value to be included in messages webhooks (messages.button.payload)"), and 1MSG's
 * SDK lists `quick_reply` as a sub_type, but 1MSG's help page "Sending a template via API" says
 * quick-reply buttons "are always omitted": only sent when the user asks for it.
 */
export function quickReplyParams(template: TemplateRecord, reference: string): QuickReplyParam[] {
	const buttons = componentOf(template, 'BUTTONS')?.buttons ?? [];
	return buttons.flatMap((button, index): QuickReplyParam[] =>
		button.type === 'QUICK_REPLY'
			? [{ type: 'button', sub_type: 'quick_reply', index, parameters: [{ type: 'payload', payload: quickReplyPayload(reference, index) }] }]
			: [],
	);
}
