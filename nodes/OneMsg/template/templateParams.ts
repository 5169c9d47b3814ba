import type { TemplateRecord, TemplateSlot } from './templates';
import { componentOf, templateSlots } from './templates';

/** The `params` array of `POST /sendTemplate`: Cloud-API components, only those with variables. */
export type TemplateParam =
	| { type: 'header'; parameters: MediaOrTextParameter[] }
	| { type: 'body'; parameters: TextParameter[] }
	| { type: 'button'; sub_type: 'url'; index: number; parameters: TextParameter[] }
	| QuickReplyParam;

/** A quick-reply button's payload: WhatsApp returns it with the customer's tap. */
export interface QuickReplyParam {
	type: 'button';
	sub_type: 'quick_reply';
	index: number;
	parameters: [{ type: 'payload'; payload: string }];
}

export interface TextParameter {
	type: 'text';
	text: string;
	parameter_name?: string;
}

export type MediaOrTextParameter =
	| TextParameter
	| { type: 'image'; image: { link: string } }
	| { type: 'video'; video: { link: string } }
	| { type: 'document'; document: { link: string } };

function textParameter(slot: TemplateSlot, text: string): TextParameter {
	// Named placeholders ({{customer_name}}) must say which name they fill.
	return slot.placeholder && !/^\d+$/.test(slot.placeholder)
		? { type: 'text', text, parameter_name: slot.placeholder }
		: { type: 'text', text };
}

/**
 * Builds `params` from the template's own structure and one value per slot id (already validated).
 * Components follow the template order (header, body, buttons); buttons keep their position in the
 * approved template as `index`, even when earlier buttons send nothing. The copy-code button of an
 * authentication template repeats the body code when no separate value is given: WhatsApp refuses
 * an authentication template whose button is left out.
 */
export function buildTemplateParams(
	template: TemplateRecord,
	values: Record<string, string>,
	slots: TemplateSlot[] = templateSlots(template),
): TemplateParam[] {
	const params: TemplateParam[] = [];
	const header = slots.find((slot) => slot.component === 'header');
	if (header) {
		const value = values[header.id];
		if (header.kind === 'text') params.push({ type: 'header', parameters: [textParameter(header, value)] });
		else if (header.kind === 'image') params.push({ type: 'header', parameters: [{ type: 'image', image: { link: value } }] });
		else if (header.kind === 'video') params.push({ type: 'header', parameters: [{ type: 'video', video: { link: value } }] });
		else params.push({ type: 'header', parameters: [{ type: 'document', document: { link: value } }] });
	}
	const body = slots.filter((slot) => slot.component === 'body');
	if (body.length > 0) {
		params.push({ type: 'body', parameters: body.map((slot) => textParameter(slot, values[slot.id])) });
	}
	for (const slot of slots) {
		if (slot.component !== 'button' || slot.buttonIndex === undefined) continue;
		const value = slot.buttonSubType === 'otp' ? (values[slot.id] ?? values[body[0]?.id ?? '']) : values[slot.id];
		params.push({ type: 'button', sub_type: 'url', index: slot.buttonIndex, parameters: [{ type: 'text', text: value }] });
	}
	return params;
}

/**
 * One payload for every quick-reply button of the template, by its position in the approved template:
 * the reference of the send, so a tap comes back naming what it answers.
 */
export function quickReplyParams(template: TemplateRecord, payload: string): QuickReplyParam[] {
	const buttons = componentOf(template, 'BUTTONS')?.buttons ?? [];
	return buttons.flatMap((button, index): QuickReplyParam[] =>
		button.type === 'QUICK_REPLY' ? [{ type: 'button', sub_type: 'quick_reply', index, parameters: [{ type: 'payload', payload }] }] : [],
	);
}
