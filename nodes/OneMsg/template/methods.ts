import type {
	FieldType,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	ResourceMapperFields,
} from 'n8n-workflow';

import { oneMsgApiRequest, resolveChannelFor } from '../shared/transport';
import { CUSTOM_SCENARIO } from './description';
import { findPreset } from './presets';
import { fetchAllTemplates, parseTemplateChoice } from './templateList';
import type { TemplateRecord } from './templates';
import { bodySlots, isApproved, templateKey, templateLabel, templateSlots } from './templates';

async function approvedTemplates(this: ILoadOptionsFunctions): Promise<TemplateRecord[]> {
	const channel = await resolveChannelFor.call(this);
	const all = await fetchAllTemplates((qs) =>
		oneMsgApiRequest.call(this, { method: 'GET', path: 'templates', qs }, channel),
	);
	return all.filter(isApproved);
}

/** Approved templates, searchable; in a scenario those with its number of variables come first. */
export async function searchTemplates(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const templates = await approvedTemplates.call(this);
	const scenario = this.getCurrentNodeParameter('scenario') as string | undefined;
	const preset = scenario && scenario !== CUSTOM_SCENARIO ? findPreset(scenario) : undefined;
	const wanted = preset?.variables.length;
	const needle = (filter ?? '').trim().toLowerCase();
	const rows = templates
		.filter((t) => !needle || templateLabel(t).toLowerCase().includes(needle))
		.map((t) => ({ template: t, fits: wanted === undefined || bodySlots(t).length === wanted }));
	rows.sort((a, b) => Number(b.fits) - Number(a.fits) || templateLabel(a.template).localeCompare(templateLabel(b.template)));
	return {
		results: rows.map(({ template, fits }) => {
			const count = bodySlots(template).length;
			const suffix = wanted === undefined ? '' : fits ? '' : ` (${count} variables, scenario needs ${wanted})`;
			return { name: `${templateLabel(template)}${suffix}`, value: templateKey(template) };
		}),
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
			required: slot.buttonSubType !== 'otp',
			defaultMatch: false,
			display: true,
			canBeUsedToMatch: false,
			type: 'string' as FieldType,
		})),
	};
}
