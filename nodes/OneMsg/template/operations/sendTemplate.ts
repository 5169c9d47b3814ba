import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ItemParameters } from '../../shared/itemParameters';
import type { ItemResults } from '../../shared/itemResults';
import type { OneMsgChannel } from '../../shared/transport';
import { oneMsgApiRequest } from '../../shared/transport';
import { alreadySentFields, defaultSendKey } from '../alreadySent';
import { findPreset } from '../presets';
import { runOptionFields } from '../runOptions';
import type { PreparedRequest } from '../sendRun';
import { runSends } from '../sendRun';
import { CUSTOM_SCENARIO, presetVariableFields, scenarioOptions, unknownScenario } from '../scenarios';
import type { SendPlan } from '../sendPlan';
import { planSend, quickReplyRefusalFix } from '../sendPlan';
import { fetchAllTemplates, parseTemplateChoice } from '../templateList';
import type { TemplateRecord } from '../templates';
import type { TemplateOperation } from './types';

/** Options read per item; with the run options they make the Options collection, in alphabetical order. */
const itemOptionFields: INodeProperties[] = [
	{
		displayName: 'Clean Variable Text',
		name: 'cleanText',
		type: 'boolean',
		default: true,
		description:
			'Whether to replace line breaks, tabs and runs of more than 4 spaces in variables with single spaces, as WhatsApp requires. When off, such values fail the item instead.',
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
		displayName: 'Namespace',
		name: 'namespace',
		type: 'string',
		default: '',
		placeholder: 'e.g. 7d3c0f5e_8a2b_4c1d_9e6f_1a2b3c4d5e6f',
		description: "Overrides the template namespace read from the channel's template list",
	},
	{
		displayName: 'Put Reference in Quick-Reply Payloads',
		name: 'quickReplyPayloads',
		type: 'boolean',
		default: false,
		// 1MSG's help says quick-reply buttons "are always omitted" on send; Meta documents the payload.
		hint: 'Needs a channel that passes payloads back (raw hooks: Meta\'s format carries button.payload). 1MSG\'s help says quick-reply buttons are omitted on send; a send 1MSG refuses names this option.',
		description:
			'Whether to give each quick-reply button of the template the payload "Reference|button position" (e.g. order-10482|0), so a tap comes back naming the message and the button. Off: no quick-reply components are sent, as 1MSG documents.',
	},
	{
		displayName: 'Reference',
		name: 'reference',
		type: 'string',
		default: '',
		placeholder: 'e.g. order-10482',
		description:
			'Your own ID for this message (order, ticket, contact), copied into the output. With Put Reference in Quick-Reply Payloads on, it also goes into the payload of each quick-reply button.',
	},
];

const sendOptions = [...itemOptionFields, ...runOptionFields, ...alreadySentFields].sort((a, b) => a.displayName.localeCompare(b.displayName));

/** The fields of a send; Send and Wait shows the same ones. */
const fields: INodeProperties[] = [
	{
		displayName: 'Scenario',
		name: 'scenario',
		type: 'options',
		noDataExpression: true,
		options: scenarioOptions,
		default: 'orderNoResponseNotification',
		description:
			"A use case from 1MSG's library: it names and explains each variable. Choose Custom Template for any other approved template.",
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
	},
	{
		// Named `phone` since the first release: saved workflows keep their value.
		displayName: 'Recipient',
		name: 'phone',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +7 999 123-45-67',
		hint: 'A phone with the country code; a chat ID (79991234567@c.us), a BSUID (US.1349…) or an @username also work. The customer must have agreed to receive WhatsApp messages from you.',
		description:
			'Phone number with country code (spaces, +, dashes and brackets are removed; 8–15 digits remain), or a chat ID, BSUID or @username. The output says which it was read as (recipientType).',
	},
	...presetVariableFields,
	{
		displayName: 'Fill Variables With',
		name: 'variablesInput',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Fields', value: 'fields', description: "One labelled field per value the template needs" },
			{ name: 'Params (JSON)', value: 'json', description: "The sendTemplate params array as WhatsApp documents it, for what the fields do not cover" },
		],
		default: 'fields',
		displayOptions: { show: { scenario: [CUSTOM_SCENARIO] } },
	},
	{
		displayName: 'Params (JSON)',
		name: 'paramsJson',
		type: 'json',
		default: '[\n  {"type": "body", "parameters": [{"type": "text", "text": "Maria"}]}\n]',
		required: true,
		hint: 'Checked for shape before sending: components header, body, button (sub_type, index), limited_time_offer, carousel',
		description: "The params array of 1MSG's sendTemplate, e.g. with currency or date_time parameters",
		displayOptions: { show: { scenario: [CUSTOM_SCENARIO], variablesInput: ['json'] } },
	},
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
		description:
			'The values the selected template needs: header, body variables, URL-button suffixes, coupon code, offer expiry, flow buttons and each carousel card',
		displayOptions: { show: { scenario: [CUSTOM_SCENARIO], variablesInput: ['fields'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: sendOptions,
	},
];

interface PreparedSend {
	plan: SendPlan;
	scenario: string;
	reference?: string;
}

/** What the output says about a send, whether it was accepted or not. */
function sendSummary({ plan, scenario, reference }: PreparedSend): IDataObject {
	return {
		...(plan.recipient.type === 'phone' ? { phone: plan.recipient.value } : {}),
		recipient: plan.recipient.value,
		recipientType: plan.recipient.type,
		template: plan.body.template,
		language: plan.body.language.code,
		namespace: plan.body.namespace,
		scenario,
		variables: plan.variables,
		renderedText: plan.renderedText,
		...(reference ? { reference } : {}),
	};
}

/**
 * Every item is checked against the channel's template list (read once per execution) before
 * anything is sent for it; sends run with bounded concurrency, pacing and safe retries (sendRun).
 */
export const sendTemplate: TemplateOperation = {
	option: {
		name: 'Send Template',
		value: 'sendTemplate',
		description: 'Send an approved WhatsApp template to a phone number, chat ID, BSUID or username',
		action: 'Send a template',
	},
	fields,
	async execute(run) {
		const params = new ItemParameters(this);
		const prepare = itemPreparer(this, params, run.channel, run.results);
		return await runSends.call(this, run, prepare, params.get<IDataObject>('options', 0, {}));
	},
};

/** Checks one item and builds its request; a failure is recorded and nothing is sent for the item. */
function itemPreparer(
	context: IExecuteFunctions,
	params: ItemParameters,
	channel: OneMsgChannel,
	results: ItemResults,
): (itemIndex: number) => Promise<PreparedRequest | undefined> {
	let templatesPromise: Promise<TemplateRecord[]> | undefined;
	const templates = () =>
		(templatesPromise ??= fetchAllTemplates((qs) =>
			oneMsgApiRequest.call(context, { method: 'GET', path: 'templates', qs }, channel),
		));
	return async (i) => {
		const itemContext: IDataObject = {};
		try {
			const scenario = params.get<string>('scenario', i);
			const options = params.get<IDataObject>('options', i, {});
			const reference = options.reference ? String(options.reference) : undefined;
			Object.assign(itemContext, { scenario, ...(reference ? { reference } : {}) });
			const preset = scenario === CUSTOM_SCENARIO ? undefined : findPreset(scenario);
			if (scenario !== CUSTOM_SCENARIO && !preset) {
				results.fail(i, unknownScenario(scenario), itemContext);
				return undefined;
			}
			const json = !preset && params.get<string>('variablesInput', i, 'fields') === 'json';
			const presetValues: Record<string, unknown> = {};
			for (const variable of preset?.variables ?? []) presetValues[variable.key] = params.get(variable.key, i, '');
			const plan = planSend(
				{
					preset,
					templateChoice: parseTemplateChoice(String(params.get('template', i, '', { extractValue: true }) ?? '')),
					languageOverride: options.languageCode as string | undefined,
					namespaceOverride: options.namespace as string | undefined,
					phone: params.get('phone', i, ''),
					presetValues,
					slotValues:
						preset || json ? undefined : (params.get<Record<string, unknown> | null>('templateVariables.value', i, {}) ?? {}),
					paramsJson: json ? params.get('paramsJson', i, '') : undefined,
					cleanText: options.cleanText !== false,
					reference,
					quickReplyPayloads: options.quickReplyPayloads === true,
				},
				await templates(),
			);
			return {
				method: 'sendTemplate',
				body: plan.body as unknown as IDataObject,
				key: String(options.skipKey ?? '').trim() || defaultSendKey(plan.body),
				summary: sendSummary({ plan, scenario, reference }),
				fixFor: (failure) => quickReplyRefusalFix(plan, failure),
			};
		} catch (error) {
			results.fail(i, error, itemContext);
			return undefined;
		}
	};
}
