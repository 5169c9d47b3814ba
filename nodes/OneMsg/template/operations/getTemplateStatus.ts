import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../shared/failures';
import { oneMsgApiRequest } from '../../shared/transport';
import { fetchAllTemplates } from '../templateList';
import type { TemplateRecord } from '../templates';
import { findTemplateForStatus, templateStatusSummary } from '../templateStatus';
import type { TemplateOperation } from './types';

/** Shared with Create Template from Scenario, so switching the operation keeps the value. */
export const templateLanguageField: INodeProperties = {
	displayName: 'Language',
	name: 'templateLanguage',
	type: 'string',
	required: true,
	default: 'en',
	placeholder: 'e.g. en, en_US or pt_BR',
	description: "The template's language code, as WhatsApp names it",
};

const fields: INodeProperties[] = [
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. order_no_response_notification',
		hint: 'Map the template field of Create Template from Scenario, e.g. {{ $json.template }}',
		description: 'The name of the template on the channel',
	},
	templateLanguageField,
];

/**
 * Reads the channel's template list once per execution and reports each item's template: approved,
 * pending or rejected with Meta's reason, so a workflow can wait for approval (Wait, this, IF).
 */
export const getTemplateStatus: TemplateOperation = {
	option: {
		name: 'Get Template Status',
		value: 'getTemplateStatus',
		description: 'Whether a template is approved, pending or rejected (with the reason)',
		action: 'Get template status',
	},
	fields,
	async execute({ channel, results }) {
		const items = this.getInputData();
		let templates: Promise<TemplateRecord[]> | undefined;
		for (let i = 0; i < items.length && !results.stopped; i++) {
			const name = String(this.getNodeParameter('templateName', i, '') ?? '').trim();
			const language = String(this.getNodeParameter('templateLanguage', i, '') ?? '').trim();
			const context: IDataObject = { template: name, language };
			try {
				if (!name) {
					throw new InputError('Template Name', 'Template Name is empty', 'Map the template name, e.g. {{ $json.template }}.');
				}
				templates ??= fetchAllTemplates((qs) =>
					oneMsgApiRequest.call(this, { method: 'GET', path: 'templates', qs }, channel),
				);
				const template = findTemplateForStatus(await templates, name, language || undefined);
				results.succeed(i, templateStatusSummary(template) as unknown as IDataObject);
			} catch (error) {
				results.fail(i, error, context);
			}
		}
		return [results.finish()];
	},
};
