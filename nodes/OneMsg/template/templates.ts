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

export type SlotKind = 'text' | 'image' | 'video' | 'document';

/** One value the template needs at send time. */
export interface TemplateSlot {
	/** Stable id, used as the resource-mapper field id: `body_1`, `body_customer_name`, `header_text`, `header_media`, `button_2_url`, `button_0_code`. */
	id: string;
	component: 'header' | 'body' | 'button';
	kind: SlotKind;
	/** The placeholder name inside `{{…}}` for text slots. */
	placeholder?: string;
	buttonIndex?: number;
	/** `url` for a dynamic URL suffix, `otp` for an authentication code button. */
	buttonSubType?: 'url' | 'otp';
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
	return value.filter(isObject).map((component) => ({
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
	}));
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

function humanise(name: string): string {
	return name
		.replace(/_/g, ' ')
		.replace(/\b\w/g, (c) => c.toUpperCase());
}

/** Every value the template needs, in the order the form shows them. */
export function templateSlots(template: TemplateRecord): TemplateSlot[] {
	const slots: TemplateSlot[] = [];
	const header = componentOf(template, 'HEADER');
	if (header) {
		const format = header.format ?? 'TEXT';
		if (format === 'TEXT') {
			const names = placeholdersOf(header.text);
			if (names.length > 0) {
				slots.push({
					id: 'header_text',
					component: 'header',
					kind: 'text',
					placeholder: names[0],
					label: `Header Variable {{${names[0]}}}`,
				});
			}
		} else if (format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT') {
			const kind = format.toLowerCase() as SlotKind;
			slots.push({ id: 'header_media', component: 'header', kind, label: `Header ${humanise(kind)} Link (HTTPS URL)` });
		}
	}
	for (const name of placeholdersOf(bodyText(template))) {
		slots.push({
			id: `body_${name}`,
			component: 'body',
			kind: 'text',
			placeholder: name,
			label: isNamedPlaceholder(name) ? `Body ${humanise(name)} {{${name}}}` : `Body Variable {{${name}}}`,
		});
	}
	const buttons = componentOf(template, 'BUTTONS')?.buttons ?? [];
	buttons.forEach((button, index) => {
		if (button.type === 'URL' && placeholdersOf(button.url).length > 0) {
			slots.push({
				id: `button_${index}_url`,
				component: 'button',
				kind: 'text',
				buttonIndex: index,
				buttonSubType: 'url',
				label: `Button "${button.text ?? index + 1}" URL Suffix`,
			});
		}
		if (button.type === 'OTP' || button.type === 'COPY_CODE') {
			slots.push({
				id: `button_${index}_code`,
				component: 'button',
				kind: 'text',
				buttonIndex: index,
				buttonSubType: 'otp',
				label: `Button "${button.text ?? 'Copy code'}" Code`,
			});
		}
	});
	return slots;
}

export function bodySlots(template: TemplateRecord): TemplateSlot[] {
	return templateSlots(template).filter((slot) => slot.component === 'body');
}

/** What the customer reads: the body with each placeholder replaced by its value. */
export function renderText(text: string, valueOf: (placeholder: string) => string | undefined): string {
	return text.replace(PLACEHOLDER, (whole, name: string) => valueOf(name) ?? whole);
}

/** `name · language · category`, as the picker lists templates. */
export function templateLabel(template: TemplateRecord): string {
	return [template.name, template.language, template.category].filter(Boolean).join(' · ');
}
