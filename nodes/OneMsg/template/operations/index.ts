import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ItemResults } from '../../shared/itemResults';
import { resolveChannelFor } from '../../shared/transport';
import { isToolRun, toolOutputs } from '../toolUse';
import { createTemplate } from './createTemplate';
import { dropRepeatedEvents } from './dropRepeatedEvents';
import { getDeliveryStatus } from './getDeliveryStatus';
import { getTemplateStatus } from './getTemplateStatus';
import { sendAndWait } from './sendAndWait';
import { sendMessage } from './sendMessage';
import { sendTemplate } from './sendTemplate';
import type { TemplateOperation } from './types';

/** The Template node's operations; a new one is a module added here. Fields appear in this order. */
export const TEMPLATE_OPERATIONS: readonly TemplateOperation[] = [
	sendTemplate,
	sendAndWait,
	sendMessage,
	getDeliveryStatus,
	createTemplate,
	getTemplateStatus,
	dropRepeatedEvents,
];

export const DEFAULT_OPERATION = sendTemplate.option.value;

/** Each field once, with the operations that show it: operations may share fields (Send and Wait shows a send's). */
const operationsOfField = new Map<INodeProperties, string[]>();
for (const operation of TEMPLATE_OPERATIONS) {
	for (const field of operation.fields) {
		operationsOfField.set(field, [...(operationsOfField.get(field) ?? []), operation.option.value]);
	}
}

/** The Operation list, then each operation's fields, shown only while one of its operations is selected. */
export const operationProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: TEMPLATE_OPERATIONS.map((operation) => operation.option).sort((a, b) => a.name.localeCompare(b.name)),
		default: DEFAULT_OPERATION,
	},
	...[...operationsOfField].map(
		([field, operations]): INodeProperties => ({
			...field,
			displayOptions: {
				...field.displayOptions,
				show: { operation: operations, ...field.displayOptions?.show },
			},
		}),
	),
];

/** Operations whose answer to an AI Agent is the short send result (toolUse). */
const SENDING_OPERATIONS = new Set([sendTemplate, sendAndWait, sendMessage].map((operation) => operation.option.value));

/**
 * Resolves the channel once, then hands the items to the selected operation. As an AI Agent's tool,
 * a failed item is always an answer (never a thrown error) and a send answers in short.
 */
export async function runOperation(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const value = this.getNodeParameter('operation', 0, DEFAULT_OPERATION) as string;
	const operation = TEMPLATE_OPERATIONS.find((candidate) => candidate.option.value === value);
	if (!operation) throw new NodeOperationError(this.getNode(), `Unknown operation "${value}"`);
	const channel = await resolveChannelFor.call(this);
	const asTool = isToolRun(this);
	const results = new ItemResults(this, this.getInputData().length, asTool || this.continueOnFail());
	const outputs = await operation.execute.call(this, { channel, results });
	return asTool && SENDING_OPERATIONS.has(value) ? toolOutputs(outputs) : outputs;
}
