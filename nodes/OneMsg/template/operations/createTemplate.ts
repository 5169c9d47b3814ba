import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { failureOf } from '../../shared/failures';
import { oneMsgApiRequest, toNodeApiError } from '../../shared/transport';
import { SCENARIO_PRESETS, findPreset } from '../presets';
import { scenarioOptions, CUSTOM_SCENARIO, unknownScenario } from '../scenarios';
import type { AddTemplateBody } from '../templateDraft';
import { buildAddTemplateBody, needsButtonUrl, templateNameFor } from '../templateDraft';
import type { ReviewState } from '../templateStatus';
import { reviewStateOf } from '../templateStatus';
import { templateLanguageField } from './getTemplateStatus';
import type { TemplateOperation } from './types';

/** The parameter holding the example of a scenario's `{{n}}`: its default is the scenario's own example. */
export function exampleParameterName(scenario: string, position: number): string {
	return `${scenario}Example${position}`;
}

const exampleFields: INodeProperties[] = SCENARIO_PRESETS.flatMap((preset) =>
	preset.variables.map((variable, index): INodeProperties => {
		const { example } = variable;
		return {
			displayName: `Example: ${variable.label}`,
			name: exampleParameterName(preset.value, index + 1),
			type: 'string',
			required: true,
			default: example,
			hint: `Meta reviews the template with this value in {{${index + 1}}}`,
			description: `A realistic value for ${variable.label}; Meta needs one example per variable`,
			displayOptions: { show: { scenario: [preset.value] } },
		};
	}),
);

const fields: INodeProperties[] = [
	{
		displayName: 'Scenario',
		name: 'scenario',
		type: 'options',
		noDataExpression: true,
		options: scenarioOptions.filter((option) => option.value !== CUSTOM_SCENARIO),
		default: 'orderNoResponseNotification',
		description: "The use case whose template is created: its text, variables, examples, button and category",
	},
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		default: '',
		placeholder: 'e.g. order_no_response_notification',
		hint: "Empty: the scenario's name, e.g. order_no_response_notification. Lowercase letters, digits and underscores.",
		description: 'The name the template gets on the channel; sends pick it by this name',
	},
	templateLanguageField,
	{
		displayName: 'Template Text',
		name: 'templateText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'e.g. Hello, {{1}}! We are waiting for your reply regarding order #{{2}}: {{3}}. {{4}}.',
		hint: "Empty: the scenario's suggested text. An edited text must keep {{1}}…{{n}} in order.",
		description: 'The body Meta reviews; the scenario\'s fields fill its variables when it is sent',
	},
	...exampleFields,
	{
		displayName: 'Button URL',
		name: 'buttonUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://shop.example.com/orders',
		hint: 'The https:// link the button opens; it is the same for every message',
		displayOptions: { show: { scenario: SCENARIO_PRESETS.filter(needsButtonUrl).map((preset) => preset.value) } },
	},
];

/** What 1MSG's answer says about the new template: Meta's id and review state, when it gives them. */
function submittedState(body: IDataObject): { id: string | null; status: ReviewState } {
	const id = body.id ?? (body.template as IDataObject | undefined)?.id;
	const status = typeof body.status === 'string' && body.status.trim() ? body.status : 'PENDING';
	return { id: id === undefined || id === null ? null : String(id), status: reviewStateOf({ status }) };
}

function summaryOf(body: AddTemplateBody, scenario: string): IDataObject {
	return { template: body.name, language: body.language, category: body.category, scenario };
}

/**
 * Submits each item's scenario template to Meta's review through 1MSG, one after the other. Every
 * check runs first, so a bad item submits nothing. A create is never repeated: an answer that may
 * hide a created template is reported as `unknown`, to be checked with Get Template Status.
 */
export const createTemplate: TemplateOperation = {
	option: {
		name: 'Create Template From Scenario',
		value: 'createTemplate',
		description: "Submit the scenario's template (text, examples, button, category) to WhatsApp for approval",
		action: 'Create a template from a scenario',
	},
	fields,
	async execute({ channel, results }) {
		const items = this.getInputData();
		for (let i = 0; i < items.length && !results.stopped; i++) {
			const scenario = String(this.getNodeParameter('scenario', i, ''));
			const preset = findPreset(scenario);
			if (!preset) {
				results.fail(i, unknownScenario(scenario), { scenario });
				continue;
			}
			let body: AddTemplateBody;
			try {
				body = buildAddTemplateBody({
					preset,
					name: String(this.getNodeParameter('templateName', i, '') ?? ''),
					language: String(this.getNodeParameter('templateLanguage', i, 'en') ?? ''),
					text: String(this.getNodeParameter('templateText', i, '') ?? ''),
					examples: preset.variables.map((_, index) =>
						String(this.getNodeParameter(exampleParameterName(preset.value, index + 1), i, '') ?? ''),
					),
					buttonUrl: needsButtonUrl(preset) ? String(this.getNodeParameter('buttonUrl', i, '') ?? '') : undefined,
				});
			} catch (error) {
				results.fail(i, error, { scenario, template: templateNameFor(preset) });
				continue;
			}
			const summary = summaryOf(body, scenario);
			try {
				const answer = await oneMsgApiRequest.call(
					this,
					{ method: 'POST', path: 'addTemplate', body: body as unknown as IDataObject },
					channel,
				);
				const { id, status } = submittedState(answer);
				results.succeed(i, {
					...summary,
					id,
					status,
					nextStep:
						status === 'approved'
							? 'The template is approved: send it with Send Template.'
							: "Meta reviews the template (usually minutes, at most 24 hours). Wait, then check it with Get Template Status until status is 'approved'.",
					submitted: body as unknown as IDataObject,
					response: answer,
				});
			} catch (error) {
				results.fail(i, ambiguousCreate(this.getNode(), error), summary);
			}
		}
		return [results.finish()];
	},
};

/** A create that got no readable answer may have happened: it is `unknown`, never repeated blindly. */
function ambiguousCreate(node: Parameters<typeof toNodeApiError>[0], error: unknown): unknown {
	const failure = failureOf(error);
	if (!failure || failure.category !== 'server' || failure.retryable) return error;
	if (failure.statusCode !== undefined && failure.statusCode < 500) return error;
	return toNodeApiError(node, {
		...failure,
		category: 'unknown_outcome',
		description:
			'The template may have been created. Check it with Get Template Status before creating it again; a second create with the same name is refused.',
	});
}
