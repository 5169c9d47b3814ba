/**
 * Turns one item's form values into the exact `sendTemplate` body, or an InputError, before any
 * request. Pure: the node calls it once per item with the execution's template list.
 */
import type { TemplateParam } from './templateParams';
import { buildTemplateParams, hasQuickReplies, quickReplyParams } from './templateParams';
import type { ScenarioPreset } from './presets';
import type { TemplateChoice } from './templateList';
import type { TemplateRecord, TemplateSlot } from './templates';
import { bodyText, isApproved, renderText, templateSlots } from './templates';
import { FIX, InputError, type OneMsgFailure } from '../shared/failures';
import { checkBodyLength, couponCode, flowActionData, mediaLink, offerExpiration, variableText } from './validate';
import { paramsFromJson } from './paramsJson';
import type { Recipient, RecipientType } from './recipient';
import { readRecipient } from './recipient';

/** Exactly one recipient property is set: the one the Recipient field is sent as (a BSUID as `chatId`). */
export type SendTemplateBody = { [type in RecipientType]?: string } & {
	template: string;
	namespace: string;
	language: { policy: 'deterministic'; code: string };
	params?: TemplateParam[];
};

export interface SendInput {
	/** A preset, or undefined for Custom Template mode. */
	preset?: ScenarioPreset;
	templateChoice: TemplateChoice;
	languageOverride?: string;
	namespaceOverride?: string;
	phone: unknown;
	/** Preset mode: values by preset variable key. */
	presetValues?: Record<string, unknown>;
	/** Custom mode: values by template slot id. */
	slotValues?: Record<string, unknown>;
	/** Custom mode, Params (JSON): the `params` array as given; replaces slotValues. */
	paramsJson?: unknown;
	cleanText: boolean;
	/** For the limited-time-offer check; the current time unless a test fixes it. */
	now?: number;
	/** The send's own id (option Reference). */
	reference?: string;
	/**
	 * Option Put Reference in Quick-Reply Payloads: each quick-reply button gets the payload
	 * `<reference>|<index>`. Off by default: 1MSG's help says quick-reply buttons are omitted on send.
	 */
	quickReplyPayloads?: boolean;
}

/** The option's name as the form shows it, for the errors that name it. */
export const QUICK_REPLY_PAYLOADS_OPTION = 'Put Reference in Quick-Reply Payloads';

export interface SendPlan {
	body: SendTemplateBody;
	template: TemplateRecord;
	recipient: Recipient;
	/** Values by the label the user saw. */
	variables: Record<string, string>;
	renderedText: string;
	/** Whether the body carries quick-reply payloads (the option was on and the template has quick replies). */
	quickReplyPayloads: boolean;
}

const PICK_TEMPLATE = 'Pick the template from the list, or check its name and language in the 1MSG dashboard.';

export function findTemplate(
	templates: TemplateRecord[],
	choice: TemplateChoice,
	languageOverride?: string,
): TemplateRecord {
	const name = choice.name;
	if (!name) throw new InputError('Template', 'No template is selected', PICK_TEMPLATE);
	const language = languageOverride?.trim() || choice.language;
	const sameName = templates.filter((t) => t.name === name);
	const approved = sameName.filter(isApproved);
	if (approved.length === 0) {
		if (sameName.length > 0) {
			throw new InputError(
				'Template',
				`Template "${name}" is ${sameName.map((t) => `${t.status.toLowerCase()} (${t.language})`).join(', ')}, not approved`,
				'Only templates approved by WhatsApp can be sent. Wait for approval or pick another template.',
				'template_not_found',
			);
		}
		throw new InputError('Template', `Template "${name}" does not exist on this channel`, PICK_TEMPLATE, 'template_not_found');
	}
	if (language) {
		const match = approved.find((t) => t.language === language);
		if (!match) {
			throw new InputError(
				'Template',
				`Template "${name}" has no approved "${language}" version (approved: ${approved.map((t) => t.language).join(', ')})`,
				'Set Language Code to one of the approved languages, or pick the template from the list.',
				'template_not_found',
			);
		}
		return match;
	}
	if (approved.length > 1) {
		throw new InputError(
			'Template',
			`Template "${name}" is approved in several languages (${approved.map((t) => t.language).join(', ')})`,
			'Pick the template from the list, or set Language Code in the options.',
			'template_not_found',
		);
	}
	return approved[0];
}

function presetSlotValues(preset: ScenarioPreset, template: TemplateRecord, slots: TemplateSlot[], input: SendInput) {
	const body = slots.filter((slot) => slot.component === 'body' && slot.card === undefined);
	const others = slots.filter((slot) => (slot.component !== 'body' || slot.card !== undefined) && !slot.optional);
	if (body.length !== preset.variables.length) {
		throw new InputError(
			'Template',
			`Template "${template.name}" has ${body.length} body variable${body.length === 1 ? '' : 's'}, but the scenario "${preset.title}" fills ${preset.variables.length}`,
			`Pick a template whose text has ${preset.variables.length} variables (the list shows those first), or use Custom Template mode.`,
			'param_mismatch',
		);
	}
	if (others.length > 0) {
		throw new InputError(
			'Template',
			`Template "${template.name}" also needs ${others.map((slot) => slot.label).join(', ')}, which the scenario "${preset.title}" does not fill`,
			'Use Custom Template mode for templates with header media or URL-button variables.',
			'param_mismatch',
		);
	}
	const values: Record<string, string> = {};
	const labelled: Record<string, string> = {};
	preset.variables.forEach((variable, index) => {
		const text = variableText(input.presetValues?.[variable.key], variable.label, { clean: input.cleanText });
		values[body[index].id] = text;
		labelled[variable.label] = text;
	});
	return { values, labelled };
}

/** One form value, checked by what its slot holds; undefined for an optional slot left empty. */
function slotValue(slot: TemplateSlot, raw: unknown, input: SendInput): string | undefined {
	const blank = raw === undefined || raw === null || String(raw).trim() === '';
	if (slot.optional && blank) return undefined;
	if (slot.component === 'header' && slot.kind !== 'text') return mediaLink(raw, slot.label);
	if (slot.kind === 'coupon') return couponCode(raw, slot.label, { clean: input.cleanText });
	if (slot.kind === 'expiration') return String(offerExpiration(raw, slot.label, input.now));
	if (slot.kind === 'flowData') return JSON.stringify(flowActionData(raw, slot.label));
	return variableText(raw, slot.label, { clean: input.cleanText });
}

function customSlotValues(slots: TemplateSlot[], input: SendInput) {
	const values: Record<string, string> = {};
	const labelled: Record<string, string> = {};
	for (const slot of slots) {
		const text = slotValue(slot, input.slotValues?.[slot.id], input);
		if (text === undefined) continue;
		values[slot.id] = text;
		labelled[slot.label] = text;
	}
	return { values, labelled };
}

/** Params (JSON) mode: body texts given as plain numbered text fill the rendered text; others stay as placeholders. */
function jsonBodyValues(params: TemplateParam[]): Record<string, string> {
	const body = params.find((param) => param.type === 'body');
	const values: Record<string, string> = {};
	body?.parameters.forEach((parameter, index) => {
		const text = parameter.type === 'text' ? parameter.text : parameter.type === 'currency' ? parameter.currency.fallback_value : parameter.date_time.fallback_value;
		const name = parameter.type === 'text' && parameter.parameter_name ? parameter.parameter_name : String(index + 1);
		values[`body_${name}`] = text;
	});
	return values;
}

export function planSend(input: SendInput, templates: TemplateRecord[]): SendPlan {
	const recipient = readRecipient(input.phone);
	const template = findTemplate(templates, input.templateChoice, input.languageOverride);
	const namespace = input.namespaceOverride?.trim() || template.namespace;
	if (!namespace) {
		throw new InputError(
			'Namespace',
			`Template "${template.name}" has no namespace in the channel's template list`,
			'Copy the namespace from the 1MSG dashboard (Templates) into the option Namespace.',
			'template_not_found',
		);
	}
	let params: TemplateParam[];
	let values: Record<string, string>;
	let labelled: Record<string, string>;
	let quickReplyPayloads = false;
	if (!input.preset && input.paramsJson !== undefined) {
		params = paramsFromJson(input.paramsJson);
		values = jsonBodyValues(params);
		labelled = {};
	} else {
		const slots = templateSlots(template);
		({ values, labelled } = input.preset
			? presetSlotValues(input.preset, template, slots, input)
			: customSlotValues(slots, input));
		params = buildTemplateParams(template, values, slots);
		// Params given as JSON are sent as written; built ones carry payloads only when asked to.
		if (input.quickReplyPayloads && hasQuickReplies(template)) {
			const reference = input.reference?.trim();
			if (!reference) {
				throw new InputError(
					'Reference',
					`${QUICK_REPLY_PAYLOADS_OPTION} is on, but Reference is empty`,
					`Set the option Reference (e.g. the order number), or turn off ${QUICK_REPLY_PAYLOADS_OPTION}.`,
				);
			}
			params.push(...quickReplyParams(template, reference));
			quickReplyPayloads = true;
		}
	}
	const renderedText = renderText(bodyText(template), (placeholder) => values[`body_${placeholder}`]);
	checkBodyLength(renderedText);
	const body: SendTemplateBody = {
		[recipient.property]: recipient.sent,
		template: template.name,
		namespace,
		language: { policy: 'deterministic', code: template.language },
	};
	// A template without variables is sent without `params`, as 1MSG expects.
	if (params.length > 0) body.params = params;
	return { body, template, recipient, variables: labelled, renderedText, quickReplyPayloads };
}

/**
 * The fix to give when 1MSG refuses a send that carried quick-reply payloads: how 1MSG refuses a
 * quick_reply component is not documented, so any refusal of the values of such a send names the
 * option (a built send's values were checked against the template before it went out). Undefined
 * when the send carried none, or when the refusal is about something else (the recipient).
 */
export function quickReplyRefusalFix(plan: SendPlan, failure: OneMsgFailure): string | undefined {
	if (!plan.quickReplyPayloads) return undefined;
	if (failure.category !== 'invalid_input' && failure.category !== 'param_mismatch') return undefined;
	if (failure.description.includes(QUICK_REPLY_PAYLOADS_OPTION)) return undefined;
	if (failure.description === FIX.phone || failure.description === FIX.recipientRouting) return undefined;
	return `${FIX.quickReplyPayloads} ${failure.description}`;
}
