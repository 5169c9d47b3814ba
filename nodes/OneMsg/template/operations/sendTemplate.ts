import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { InputError } from '../../shared/failures';
import { ItemParameters } from '../../shared/itemParameters';
import type { ItemResults } from '../../shared/itemResults';
import { Deferred, runPool } from '../../shared/pool';
import type { OneMsgChannel } from '../../shared/transport';
import { oneMsgApiRequest, oneMsgApiRequestWithRetry } from '../../shared/transport';
import { findPreset } from '../presets';
import { readRunOptions, runOptionFields } from '../runOptions';
import { CUSTOM_SCENARIO, presetVariableFields, scenarioOptions } from '../scenarios';
import type { SendPlan } from '../sendPlan';
import { planSend } from '../sendPlan';
import { fetchAllTemplates, parseTemplateChoice } from '../templateList';
import type { TemplateRecord } from '../templates';
import type { TemplateOperation } from './types';

/** Items checked between two yields to the event loop while sends are in flight. */
const CHECKS_BETWEEN_YIELDS = 5;

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
		displayName: 'Reference',
		name: 'reference',
		type: 'string',
		default: '',
		placeholder: 'e.g. order-10482',
		description:
			'Your own ID for this message (order, ticket, contact); it is copied into the output, and into the payload of the template\'s quick-reply buttons, so a tap comes back with it',
	},
];

const sendOptions = [...itemOptionFields, ...runOptionFields].sort((a, b) => a.displayName.localeCompare(b.displayName));

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
		displayName: 'Recipient Phone',
		name: 'phone',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +7 999 123-45-67',
		hint: 'With the country code. The customer must have agreed to receive WhatsApp messages from you.',
		description:
			'Phone number with country code. Spaces, +, dashes and brackets are removed; 8–15 digits remain.',
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
		displayOptions: { show: { scenario: [CUSTOM_SCENARIO] } },
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
		phone: plan.body.phone,
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
 * anything is sent for it; sends run with bounded concurrency, pacing and safe retries.
 */
export const sendTemplate: TemplateOperation = {
	option: {
		name: 'Send Template',
		value: 'sendTemplate',
		description: 'Send an approved WhatsApp template to a phone number',
		action: 'Send a template',
	},
	fields,
	async execute({ channel, results, onAccepted }) {
		const count = this.getInputData().length;
		const params = new ItemParameters(this);
		const prepare = itemPreparer(this, params, channel, results);

		// Without Continue On Fail every item is checked before the first send, so one bad item stops the
		// run with nothing sent. With it, items are checked in order while earlier ones are in flight:
		// the checks (mostly n8n resolving the item's expressions) then cost no time on the critical path.
		const plans = Array.from({ length: count }, () => new Deferred<PreparedSend | undefined>());
		if (!results.continueOnFail) {
			for (let i = 0; i < count && !results.stopped; i++) plans[i].resolve(await prepare(i));
			if (results.stopped) return [results.finish()];
		} else {
			void (async () => {
				for (let i = 0; i < count; i++) {
					plans[i].resolve(await prepare(i));
					// Yield to the requests in flight now and then, so their answers are not held up.
					if (i % CHECKS_BETWEEN_YIELDS === CHECKS_BETWEEN_YIELDS - 1) await sleep(0);
				}
			})();
		}

		const run = readRunOptions(params.get<IDataObject>('options', 0, {}));
		await runPool(
			count,
			async (i, pace) => {
				const prepared = await plans[i].promise;
				if (!prepared) return;
				const summary = sendSummary(prepared);
				try {
					const { body, attempts } = await oneMsgApiRequestWithRetry.call(
						this,
						{
							method: 'POST',
							path: 'sendTemplate',
							body: prepared.plan.body as unknown as IDataObject,
							isSend: true,
							timeoutMs: run.timeoutMs,
						},
						run.retry,
						channel,
						pace,
					);
					const output = { messageId: body.id ?? null, status: 'accepted', sent: true, ...summary, attempts, response: body };
					results.succeed(i, output);
					onAccepted?.(i, output, pace);
				} catch (error) {
					results.fail(i, error, summary);
				}
			},
			{ concurrency: run.concurrency, maxPerSecond: run.maxPerSecond, stop: () => results.stopped },
		);
		return [results.finish()];
	},
};

/** Checks one item and builds its request; a failure is recorded and nothing is sent for the item. */
function itemPreparer(
	context: IExecuteFunctions,
	params: ItemParameters,
	channel: OneMsgChannel,
	results: ItemResults,
): (itemIndex: number) => Promise<PreparedSend | undefined> {
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
				results.fail(i, new InputError('Scenario', `Unknown scenario "${scenario}"`, 'Choose a scenario from the list.'), itemContext);
				return undefined;
			}
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
					slotValues: preset ? undefined : (params.get<Record<string, unknown> | null>('templateVariables.value', i, {}) ?? {}),
					cleanText: options.cleanText !== false,
					quickReplyPayload: reference,
				},
				await templates(),
			);
			return { plan, scenario, reference };
		} catch (error) {
			results.fail(i, error, itemContext);
			return undefined;
		}
	};
}
