/**
 * A scenario's template as it is submitted to 1MSG for Meta's approval (`POST /addTemplate`), and
 * the checks that keep it acceptable: Meta's naming rule, the scenario's variables in order, one
 * example per variable, the length limits. Pure: every check runs before any request, and a failed
 * one names the field, so nothing is submitted for a bad item.
 */
import { InputError } from '../shared/failures';
import type { ScenarioPreset, TemplateCategory } from './presets';
import { MAX_BODY_LENGTH } from './validate';

/** Meta's rule for template names: lowercase letters, digits and underscores. */
export const TEMPLATE_NAME_PATTERN = /^[a-z0-9_]+$/;
export const MAX_TEMPLATE_NAME_LENGTH = 512;
/** Meta's limits for an example value and for a button's label. */
export const MAX_EXAMPLE_LENGTH = 1024;
export const MAX_BUTTON_TEXT_LENGTH = 25;
export const MAX_BUTTON_URL_LENGTH = 2000;
const LANGUAGE_PATTERN = /^[a-z]{2,3}(_[A-Z]{2})?$/;

export interface DraftInput {
	preset: ScenarioPreset;
	/** Empty: the name derived from the scenario. */
	name: string;
	language: string;
	/** Empty: the scenario's suggested text. */
	text: string;
	/** One per variable, in `{{1}}…{{n}}` order. */
	examples: string[];
	/** The link of a URL button (static: nothing is filled at send time). */
	buttonUrl?: string;
}

export interface TemplateButtonDraft {
	type: 'URL' | 'QUICK_REPLY' | 'OTP';
	text: string;
	url?: string;
	otp_type?: 'COPY_CODE';
}

export interface TemplateComponentDraft {
	type: 'BODY' | 'BUTTONS';
	text?: string;
	example?: { body_text: string[][] };
	/** Authentication templates: Meta writes the body itself, with this security line. */
	add_security_recommendation?: boolean;
	buttons?: TemplateButtonDraft[];
}

/** The `addTemplate` request body. */
export interface AddTemplateBody {
	name: string;
	category: TemplateCategory;
	language: string;
	components: TemplateComponentDraft[];
}

/** `Order No-Response Notification` → `order_no_response_notification`. */
export function templateNameFor(preset: Pick<ScenarioPreset, 'title'>): string {
	return preset.title
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '');
}

export function checkTemplateName(raw: string): string {
	const name = raw.trim();
	const fix = 'Use lowercase letters, digits and underscores only, e.g. order_no_response_notification.';
	if (!name) throw new InputError('Template Name', 'Template Name is empty', fix);
	if (name.length > MAX_TEMPLATE_NAME_LENGTH) {
		throw new InputError('Template Name', `Template Name has ${name.length} characters; Meta allows ${MAX_TEMPLATE_NAME_LENGTH}`, fix);
	}
	if (!TEMPLATE_NAME_PATTERN.test(name)) {
		const found = /\s/.test(name) ? 'spaces' : /[A-Z]/.test(name) ? 'capital letters' : 'characters other than a-z, 0-9 and _';
		throw new InputError('Template Name', `Template Name "${name}" contains ${found}`, fix);
	}
	return name;
}

export function checkLanguage(raw: string): string {
	const language = raw.trim();
	if (!LANGUAGE_PATTERN.test(language)) {
		throw new InputError(
			'Language',
			`Language "${language}" is not a WhatsApp language code`,
			'Enter a code such as en, en_US, es or pt_BR.',
		);
	}
	return language;
}

/**
 * An edited text must keep the scenario's variables: the fields of the scenario fill `{{1}}…{{n}}`
 * in this order when the template is sent, so a removed or renumbered variable would break sends.
 */
export function checkTemplateText(raw: string, preset: ScenarioPreset): string {
	const text = raw.trim() || preset.templateText;
	if (preset.templateCategory === 'AUTHENTICATION' && text !== preset.templateText) {
		throw new InputError(
			'Template Text',
			'Template Text cannot be changed for an authentication (one-time code) template',
			'Leave Template Text empty: Meta writes the text of code templates itself.',
		);
	}
	const count = preset.variables.length;
	const expected = Array.from({ length: count }, (_, i) => String(i + 1));
	const inOrder = [...text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((match) => match[1]);
	const wanted = expected.map((n) => `{{${n}}}`).join(', ');
	const fix = `Keep the variables ${wanted}, each once and in this order: the scenario's fields fill them when the template is sent.`;
	if (inOrder.length !== count || inOrder.some((name, i) => name !== expected[i])) {
		const found = inOrder.length ? inOrder.map((name) => `{{${name}}}`).join(', ') : 'none';
		throw new InputError('Template Text', `Template Text has the variables ${found}; the scenario needs ${wanted}`, fix);
	}
	if (text.length > MAX_BODY_LENGTH) {
		throw new InputError(
			'Template Text',
			`Template Text has ${text.length} characters; WhatsApp allows ${MAX_BODY_LENGTH}`,
			'Shorten the text.',
		);
	}
	return text;
}

export function checkExamples(raw: string[], preset: ScenarioPreset): string[] {
	return preset.variables.map((variable, i) => {
		const field = `Example: ${variable.label}`;
		const example = String(raw[i] ?? '').trim();
		if (!example) {
			throw new InputError(field, `${field} is empty`, `Meta needs an example for {{${i + 1}}}, e.g. ${variable.example}.`);
		}
		if (/[\n\t]| {5,}/.test(example) || example.length > MAX_EXAMPLE_LENGTH) {
			throw new InputError(
				field,
				`${field} has a line break, a tab, more than 4 spaces in a row or more than ${MAX_EXAMPLE_LENGTH} characters`,
				'Write the example on one line, as a real value would be.',
			);
		}
		return example;
	});
}

function checkButtonUrl(raw: string | undefined): string {
	const url = (raw ?? '').trim();
	const fix = 'Enter the https:// link the button opens, e.g. https://shop.example.com/orders.';
	if (!url) throw new InputError('Button URL', 'Button URL is empty', fix);
	if (!/^https:\/\/[^\s/]+\.[^\s]*$/.test(url)) throw new InputError('Button URL', `Button URL "${url}" is not an https:// link`, fix);
	if (url.length > MAX_BUTTON_URL_LENGTH) {
		throw new InputError('Button URL', `Button URL has ${url.length} characters; Meta allows ${MAX_BUTTON_URL_LENGTH}`, fix);
	}
	if (/\{\{/.test(url)) throw new InputError('Button URL', 'Button URL contains a variable', 'The scenario sends a static link: remove the {{…}}.');
	return url;
}

/** The scenario's button as Meta defines it: a static link, quick replies, or the code's copy button. */
export function buttonsFor(preset: ScenarioPreset, buttonUrl: string | undefined): TemplateButtonDraft[] {
	const { type, text } = preset.button;
	if (type === 'url') return [{ type: 'URL', text, url: checkButtonUrl(buttonUrl) }];
	// Meta's creation request names the code button OTP; the list then shows it as a URL button
	// ("Copy code authentication templates"), which templates.ts reads back as the same code button.
	if (type === 'copy_code') return [{ type: 'OTP', otp_type: 'COPY_CODE', text }];
	return text.split(' / ').map((reply) => ({ type: 'QUICK_REPLY' as const, text: reply.trim() }));
}

/** Whether the scenario's button needs a link from the user. */
export function needsButtonUrl(preset: ScenarioPreset): boolean {
	return preset.button.type === 'url';
}

/** Checks everything, then builds the body; throws an InputError naming the first bad field. */
export function buildAddTemplateBody(input: DraftInput): AddTemplateBody {
	const { preset } = input;
	const name = checkTemplateName(input.name || templateNameFor(preset));
	const language = checkLanguage(input.language);
	const text = checkTemplateText(input.text, preset);
	const examples = checkExamples(input.examples, preset);
	const buttons = buttonsFor(preset, input.buttonUrl);
	for (const button of buttons) {
		if (button.text.length > MAX_BUTTON_TEXT_LENGTH) {
			throw new InputError('Button', `Button text "${button.text}" is longer than ${MAX_BUTTON_TEXT_LENGTH} characters`, 'Shorten it.');
		}
	}
	return {
		name,
		category: preset.templateCategory,
		language,
		components: [
			// Meta writes the text of authentication templates itself: only its security line is chosen.
			preset.templateCategory === 'AUTHENTICATION'
				? { type: 'BODY', add_security_recommendation: true }
				: { type: 'BODY', text, example: { body_text: [examples] } },
			{ type: 'BUTTONS', buttons },
		],
	};
}
