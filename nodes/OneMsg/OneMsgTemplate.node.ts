import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError, sleep } from 'n8n-workflow';

import { ItemParameters } from './shared/itemParameters';
import {
	DEFAULT_TIMEOUT_MS,
	failureOf,
	oneMsgApiRequest,
	oneMsgApiRequestWithRetry,
	resolveChannelFor,
	toNodeApiError,
} from './shared/transport';
import type { OneMsgFailure } from './shared/errors';
import { Deferred, runPool } from './shared/pool';
import { deliveryStatusSummary } from './template/deliveryStatus';
import { CUSTOM_SCENARIO, templateNodeProperties } from './template/description';
import { getTemplateVariables, searchTemplates } from './template/methods';
import { SCENARIO_PRESETS, findPreset, presetParameterName } from './template/presets';
import type { SendPlan } from './template/sendPlan';
import { planSend } from './template/sendPlan';
import { fetchAllTemplates, parseTemplateChoice } from './template/templateList';
import type { TemplateRecord } from './template/templates';
import { InputError } from './template/validate';

/** The canvas shows the scenario's title under the node name. */
const SCENARIO_TITLES: Record<string, string> = {
	[CUSTOM_SCENARIO]: 'Custom template',
	...Object.fromEntries(SCENARIO_PRESETS.map((preset) => [preset.value, preset.title])),
};

/** Items checked between two yields to the event loop while sends are in flight. */
const CHECKS_BETWEEN_YIELDS = 5;

const EMPTY_MESSAGE_ID = new InputError(
	'Message ID',
	'Message ID is empty',
	'Map the messageId of the send output, e.g. {{ $json.messageId }}.',
);

interface PreparedSend {
	plan: SendPlan;
	scenario: string;
	reference?: string;
}

interface ItemFailure {
	itemIndex: number;
	error: NodeOperationError | NodeApiError;
	json: IDataObject;
}

/**
 * Programmatic rather than declarative: every item is checked against the channel's template list
 * (fetched once per execution) before anything is sent, and sends run with bounded concurrency,
 * pacing and safe retries while the output keeps the input order.
 */
export class OneMsgTemplate implements INodeType {
	description: INodeTypeDescription = {
		displayName: '1MSG Template',
		name: 'oneMsgTemplate',
		icon: { light: 'file:oneMsg.svg', dark: 'file:oneMsg.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: `={{ $parameter["operation"] === "getDeliveryStatus" ? "Get delivery status" : (${JSON.stringify(SCENARIO_TITLES)}[$parameter["scenario"]] || "Send template") }}`,
		description: 'Send approved WhatsApp templates through 1MSG, from ready-made scenarios or any template',
		defaults: { name: '1MSG Template' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'oneMsgChannelApi', required: true }],
		properties: templateNodeProperties,
	};

	methods = {
		listSearch: { searchTemplates },
		resourceMapping: { getTemplateVariables },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as string;
		const channel = await resolveChannelFor.call(this);
		const continueOnFail = this.continueOnFail();
		const results: Array<INodeExecutionData | undefined> = new Array(items.length);
		const failures: ItemFailure[] = [];

		const fail = (itemIndex: number, error: unknown, context: IDataObject = {}) => {
			const failure = describeFailure(error);
			const itemMessage = `${failure.message} [item ${itemIndex}]`;
			const apiFailure = failureOf(error);
			const nodeError = apiFailure
				? toNodeApiError(this.getNode(), { ...apiFailure, message: itemMessage }, itemIndex)
				: new NodeOperationError(this.getNode(), itemMessage, { itemIndex, description: failure.description });
			nodeError.context.category = failure.category;
			failures.push({
				itemIndex,
				error: nodeError,
				json: {
					...context,
					status: failure.category === 'unknown_outcome' ? 'unknown' : 'failed',
					error: failure.message,
					category: failure.category,
					statusCode: failure.statusCode ?? null,
					description: failure.description,
					...(failure.field ? { field: failure.field } : {}),
					itemIndex,
				},
			});
		};

		if (operation === 'getDeliveryStatus') {
			for (let i = 0; i < items.length; i++) {
				const messageId = String(this.getNodeParameter('messageId', i, '')).trim();
				if (!messageId) {
					fail(i, EMPTY_MESSAGE_ID, { messageId });
					if (!continueOnFail) break;
					continue;
				}
				try {
					const body = await oneMsgApiRequest.call(this, { method: 'GET', path: 'hookInfo', qs: { messageId } }, channel);
					results[i] = { json: deliveryStatusSummary(messageId, body) as unknown as IDataObject, pairedItem: { item: i } };
				} catch (error) {
					fail(i, error, { messageId });
					if (!continueOnFail) break;
				}
			}
			return [finish.call(this, results, failures, continueOnFail)];
		}

		let templatesPromise: Promise<TemplateRecord[]> | undefined;
		const templates = () =>
			(templatesPromise ??= fetchAllTemplates((qs) =>
				oneMsgApiRequest.call(this, { method: 'GET', path: 'templates', qs }, channel),
			));
		const params = new ItemParameters(this);

		/** Checks one item and builds its request; a failure is recorded and nothing is sent for it. */
		const prepare = async (i: number): Promise<PreparedSend | undefined> => {
			const context: IDataObject = {};
			try {
				const scenario = params.get<string>('scenario', i);
				const options = params.get<IDataObject>('options', i, {});
				const reference = options.reference ? String(options.reference) : undefined;
				Object.assign(context, { scenario, ...(reference ? { reference } : {}) });
				const preset = scenario === CUSTOM_SCENARIO ? undefined : findPreset(scenario);
				if (scenario !== CUSTOM_SCENARIO && !preset) {
					return void fail(i, new InputError('Scenario', `Unknown scenario "${scenario}"`, 'Choose a scenario from the list.'), context);
				}
				const presetValues: Record<string, unknown> = {};
				for (const variable of preset?.variables ?? []) {
					presetValues[variable.key] = params.get(presetParameterName(variable), i, '');
				}
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
					},
					await templates(),
				);
				return { plan, scenario, reference };
			} catch (error) {
				return void fail(i, error, context);
			}
		};

		// Without Continue On Fail every item is checked before the first send, so one bad item stops the
		// run with nothing sent. With it, items are checked in order while earlier ones are in flight:
		// the checks (mostly n8n resolving the item's expressions) then cost no time on the critical path.
		const plans = items.map(() => new Deferred<PreparedSend | undefined>());
		if (!continueOnFail) {
			for (let i = 0; i < items.length && failures.length === 0; i++) plans[i].resolve(await prepare(i));
			if (failures.length > 0) return [finish.call(this, results, failures, continueOnFail)];
		} else {
			void (async () => {
				for (let i = 0; i < items.length; i++) {
					plans[i].resolve(await prepare(i));
					// Yield to the requests in flight now and then, so their answers are not held up.
					if (i % CHECKS_BETWEEN_YIELDS === CHECKS_BETWEEN_YIELDS - 1) await sleep(0);
				}
			})();
		}

		// Concurrency, pacing, retries and timeout come from the first item's options: they shape the whole run.
		const runOptions = params.get<IDataObject>('options', 0, {});
		const timeoutMs = Number(runOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS);
		const policy = { maxRetries: Number(runOptions.maxRetries ?? 3), baseDelayMs: 500, maxDelayMs: 30_000 };
		await runPool(
			items.length,
			async (i, pace) => {
				const prepared = await plans[i].promise;
				if (!prepared) return;
				const { plan, scenario, reference } = prepared;
				const summary: IDataObject = {
					phone: plan.body.phone,
					template: plan.body.template,
					language: plan.body.language.code,
					namespace: plan.body.namespace,
					scenario,
					variables: plan.variables,
					renderedText: plan.renderedText,
					...(reference ? { reference } : {}),
				};
				try {
					const { body, attempts } = await oneMsgApiRequestWithRetry.call(
						this,
						{ method: 'POST', path: 'sendTemplate', body: plan.body as unknown as IDataObject, isSend: true, timeoutMs },
						policy,
						channel,
						pace,
					);
					results[i] = {
						json: { messageId: body.id ?? null, status: 'accepted', sent: true, ...summary, attempts, response: body },
						pairedItem: { item: i },
					};
				} catch (error) {
					fail(i, error, summary);
				}
			},
			{
				concurrency: Number(runOptions.concurrency ?? 5),
				maxPerSecond: Number(runOptions.maxPerSecond ?? 0),
				stop: () => !continueOnFail && failures.length > 0,
			},
		);
		return [finish.call(this, results, failures, continueOnFail)];
	}
}

interface DescribedFailure {
	message: string;
	description: string;
	category: OneMsgFailure['category'];
	statusCode?: number;
	field?: string;
}

function describeFailure(error: unknown): DescribedFailure {
	if (error instanceof InputError) {
		return { message: error.message, description: error.fix, category: error.category, field: error.field };
	}
	const failure = failureOf(error);
	if (failure) {
		return {
			message: failure.message,
			description: failure.description,
			category: failure.category,
			statusCode: failure.statusCode,
		};
	}
	const description = (error as { description?: string }).description;
	return {
		message: (error as Error).message ?? String(error),
		description: description ?? '',
		category: 'server',
	};
}

/** One output item per input item, in input order; without Continue On Fail the first failure stops the run. */
function finish(
	this: IExecuteFunctions,
	results: Array<INodeExecutionData | undefined>,
	failures: ItemFailure[],
	continueOnFail: boolean,
): INodeExecutionData[] {
	failures.sort((a, b) => a.itemIndex - b.itemIndex);
	if (!continueOnFail && failures.length > 0) throw failures[0].error;
	for (const failure of failures) {
		results[failure.itemIndex] = { json: failure.json, pairedItem: { item: failure.itemIndex } };
	}
	return results.map((item, index) => item ?? { json: { error: 'Not processed', itemIndex: index }, pairedItem: { item: index } });
}
