import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { SCENARIO_PRESETS, presetParameterName } from './presets';

export const CUSTOM_SCENARIO = 'custom';

const byTitle = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

const scenarioOptions: INodePropertyOptions[] = [
	{
		name: 'Custom Template',
		value: CUSTOM_SCENARIO,
		description: 'Any approved template: its variables are read from the template itself',
	},
	...SCENARIO_PRESETS.map((preset) => ({
		name: preset.title,
		value: preset.value,
		description: `${preset.category}: ${preset.description}. Template text: "${preset.templateText}".`,
	})),
].sort(byTitle);

const sendOnly = { operation: ['sendTemplate'] };

/** One labelled field per preset variable, shown only for its scenario. */
const presetVariableFields: INodeProperties[] = SCENARIO_PRESETS.flatMap((preset) =>
	preset.variables.map(
		(variable, index): INodeProperties => ({
			displayName: variable.label,
			name: presetParameterName(variable),
			type: 'string',
			required: true,
			default: '',
			placeholder: `e.g. ${variable.example}`,
			hint: `Fills {{${index + 1}}} of the template`,
			description: variable.description,
			displayOptions: { show: { ...sendOnly, scenario: [preset.value] } },
		}),
	),
);

export const templateNodeProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Get Delivery Status',
				value: 'getDeliveryStatus',
				description: 'Look up the delivery statuses of a sent message by its ID',
				action: 'Get delivery status',
			},
			{
				name: 'Send Template',
				value: 'sendTemplate',
				description: 'Send an approved WhatsApp template to a phone number',
				action: 'Send a template',
			},
		],
		default: 'sendTemplate',
	},
	{
		displayName: 'Scenario',
		name: 'scenario',
		type: 'options',
		noDataExpression: true,
		options: scenarioOptions,
		default: 'orderNoResponseNotification',
		description:
			"A use case from 1MSG's library: it names and explains each variable. Choose Custom Template for any other approved template.",
		displayOptions: { show: sendOnly },
	},
	{
		displayName: 'Template',
		name: 'template',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		hint: 'Only templates WhatsApp has approved are listed. The text of the template decides what the customer reads; the fields below fill its variables.',
		description:
			"The approved template to send. In a scenario, templates with the scenario's number of variables are listed first.",
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a template...',
				typeOptions: { searchListMethod: 'searchTemplates', searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'e.g. order_no_response_notification',
				hint: 'The template name as approved; set Language Code in the options when it exists in several languages',
			},
		],
		displayOptions: { show: sendOnly },
	},
	{
		displayName: 'Recipient Phone',
		name: 'phone',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +7 999 123-45-67',
		hint: 'With the country code. The customer must have agreed to receive WhatsApp messages from you.',
		description:
			'Phone number with country code. Spaces, +, dashes and brackets are removed; 8–15 digits remain.',
		displayOptions: { show: sendOnly },
	},
	...presetVariableFields,
	{
		displayName: 'Template Variables',
		name: 'templateVariables',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['template.value'],
			resourceMapper: {
				resourceMapperMethod: 'getTemplateVariables',
				mode: 'add',
				fieldWords: { singular: 'variable', plural: 'variables' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
			},
		},
		description: 'The values the selected template needs: header, body variables and URL-button suffixes',
		displayOptions: { show: { ...sendOnly, scenario: [CUSTOM_SCENARIO] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: sendOnly },
		options: [
			{
				displayName: 'Clean Variable Text',
				name: 'cleanText',
				type: 'boolean',
				default: true,
				description:
					'Whether to replace line breaks, tabs and runs of more than 4 spaces in variables with single spaces, as WhatsApp requires. When off, such values fail the item instead.',
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50 },
				default: 5,
				description: 'How many send requests may be in flight at once. Output order always follows input order.',
			},
			{
				displayName: 'Language Code',
				name: 'languageCode',
				type: 'string',
				default: '',
				placeholder: 'e.g. en or pt_BR',
				description: 'Overrides the language of the selected template; needed only when a name is typed by hand',
			},
			{
				displayName: 'Max Messages per Second',
				name: 'maxPerSecond',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					'Pace the sends to at most this many per second; 0 means no cap. WhatsApp allows 80 per second per number by default.',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 3,
				description:
					'Retries when 1MSG or WhatsApp answers "rate limited" or the connection is refused, i.e. when nothing was sent. Timeouts and server errors are never retried, so nothing is sent twice.',
			},
			{
				displayName: 'Namespace',
				name: 'namespace',
				type: 'string',
				default: '',
				placeholder: 'e.g. 7d3c0f5e_8a2b_4c1d_9e6f_1a2b3c4d5e6f',
				description: "Overrides the template namespace read from the channel's template list",
			},
			{
				displayName: 'Reference',
				name: 'reference',
				type: 'string',
				default: '',
				placeholder: 'e.g. order-10482',
				description: 'Your own ID for this message (order, ticket, contact); it is copied into the output',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeoutMs',
				type: 'number',
				typeOptions: { minValue: 1000 },
				default: 30000,
				description:
					'How long to wait for 1MSG to answer a send. A send without an answer is reported as unknown outcome, not resent.',
			},
		],
	},
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. wamid.HBgLNzk5OTEyMzQ1NjcVAgARGBI1',
		hint: 'Statuses arrive a few seconds after sending; the 1MSG Trigger receives them as they happen',
		description: 'The ID returned when the template was sent (the messageId field of the send output)',
		displayOptions: { show: { operation: ['getDeliveryStatus'] } },
	},
];
