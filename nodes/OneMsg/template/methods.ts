import { createHash } from 'crypto';
import type {
	FieldType,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	ResourceMapperFields,
} from 'n8n-workflow';

import { BoundedMap } from '../shared/boundedMap';
import { oneMsgApiRequest, resolveChannelFor } from '../shared/transport';
import { CUSTOM_SCENARIO } from './scenarios';
import { findPreset } from './presets';
import { templateNameFor } from './templateDraft';
import { fetchAllTemplates, parseTemplateChoice } from './templateList';
import { reviewLabel } from './templateStatus';
import type { TemplateRecord } from './templates';
import { bodySlots, isApproved, templateKey, templateLabel, templateSlots } from './templates';

/** How long the editor reuses a channel's template list: searching the picker should not re-read every page. */
export const EDITOR_TEMPLATE_CACHE_MS = 30_000;
const MAX_CACHED_CHANNELS = 50;
const editorTemplateCache = new BoundedMap<string, { at: number; templates: Promise<TemplateRecord[]> }>(MAX_CACHED_CHANNELS);

/** The channel's templates for the editor's picker and field list, reused for a short while per channel and token. */
async function channelTemplates(this: ILoadOptionsFunctions): Promise<TemplateRecord[]> {
	const channel = await resolveChannelFor.call(this);
	// The token is part of the key: another credential for the same channel must prove itself to 1MSG.
	const token = String(channel.credentials.data?.token ?? '');
	const key = `${channel.baseUrl}|${channel.channelId}|${createHash('sha256').update(token).digest('hex')}`;
	const now = Date.now();
	const cached = editorTemplateCache.get(key);
	if (cached && now - cached.at < EDITOR_TEMPLATE_CACHE_MS) return await cached.templates;
	const templates = fetchAllTemplates((qs) =>
		oneMsgApiRequest.call(this, { method: 'GET', path: 'templates', qs }, channel),
	);
	editorTemplateCache.set(key, { at: now, templates });
	// A failed read is not kept: the next attempt asks 1MSG again.
	templates.catch(() => editorTemplateCache.delete(key));
	return await templates;
}

async function approvedTemplates(this: ILoadOptionsFunctions): Promise<TemplateRecord[]> {
	return (await channelTemplates.call(this)).filter(isApproved);
}

/**
 * Approved templates, searchable; in a scenario those with its number of variables come first. The
 * scenario's own template (by its derived name) is shown first while Meta has not approved it, so an
 * empty list is explained; choosing it fails the send with the same reason.
 */
export async function searchTemplates(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const all = await channelTemplates.call(this);
	const templates = all.filter(isApproved);
	const scenario = this.getCurrentNodeParameter('scenario') as string | undefined;
	const preset = scenario && scenario !== CUSTOM_SCENARIO ? findPreset(scenario) : undefined;
	const wanted = preset?.variables.length;
	const needle = (filter ?? '').trim().toLowerCase();
	const rows = templates
		.filter((t) => !needle || templateLabel(t).toLowerCase().includes(needle))
		.map((t) => ({ template: t, fits: wanted === undefined || bodySlots(t).length === wanted }));
	rows.sort((a, b) => Number(b.fits) - Number(a.fits) || templateLabel(a.template).localeCompare(templateLabel(b.template)));
	const ownName = preset ? templateNameFor(preset) : undefined;
	const notYetApproved = all.filter((t) => t.name === ownName && !isApproved(t));
	return {
		results: [
			...notYetApproved.map((template) => ({
				name: `${templateLabel(template)} — ${reviewLabel(template)}, cannot be sent yet`,
				value: templateKey(template),
			})),
			...rows.map(({ template, fits }) => {
				const count = bodySlots(template).length;
				const suffix = wanted === undefined ? '' : fits ? '' : ` (${count} variables, scenario needs ${wanted})`;
				return { name: `${templateLabel(template)}${suffix}`, value: templateKey(template) };
			}),
		],
	};
}

/** The fields Custom Template mode shows: one per value the selected template needs. */
export async function getTemplateVariables(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const value = this.getNodeParameter('template', undefined, { extractValue: true }) as string | undefined;
	if (!value) return { fields: [], emptyFieldsNotice: 'Select a template first' };
	const choice = parseTemplateChoice(value);
	const templates = await approvedTemplates.call(this);
	const template =
		templates.find((t) => t.name === choice.name && (!choice.language || t.language === choice.language)) ?? undefined;
	if (!template) return { fields: [], emptyFieldsNotice: `Template "${choice.name}" is not approved on this channel` };
	const slots = templateSlots(template);
	if (slots.length === 0) return { fields: [], emptyFieldsNotice: 'This template has no variables: nothing to fill in' };
	return {
		fields: slots.map((slot) => ({
			id: slot.id,
			displayName: slot.label,
			required: !slot.optional,
			defaultMatch: false,
			display: true,
			canBeUsedToMatch: false,
			type: 'string' as FieldType,
		})),
	};
}
