/**
 * The Template node as an AI Agent's tool. n8n runs a node with `usableAsTool` as the synthetic type
 * `<type>Tool` and hands the first output's items, JSON only, to the model as the tool's answer. A model
 * acts on a small answer better than on the whole send record, a model's bad call must come back as an
 * answer it can correct (n8n 1.x fails the whole agent run when a tool throws), and a model that calls
 * the tool again with the same arguments must not send the message twice.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { SkipPolicy, SkipWindow } from './alreadySent';

/** True when n8n runs the node as an AI Agent's tool (its synthetic `…Tool` type). */
export function isToolRun(context: Pick<IExecuteFunctions, 'getNode'>): boolean {
	return /Tool$/.test(context.getNode().type);
}

/**
 * Skip Messages Already Sent when a tool run leaves it unset: a message with the same key (recipient,
 * template, language and values) sent within 24 hours is skipped, whichever execution sent it; a model
 * repeating its call, in the same run or a later turn of the conversation, gets the first message back.
 */
export const TOOL_SKIP_DEFAULTS: { policy: SkipPolicy; window: SkipWindow } = { policy: 'always', window: '24h' };

/** The fields a model gets back, in this order; the fix is the error item's `description`. */
const TOOL_FIELDS = ['status', 'messageId', 'recipient', 'template', 'messageType', 'outcome', 'deliveryStatus', 'reason', 'error', 'category', 'field'] as const;

/** One output item as the tool's answer: what happened, the message id, and on failure the category, field and fix. */
export function toolResult(json: IDataObject): IDataObject {
	const result: IDataObject = {};
	for (const name of TOOL_FIELDS) {
		if (json[name] !== undefined && json[name] !== null) result[name] = json[name];
	}
	if (typeof json.error === 'string' && typeof json.description === 'string' && json.description !== '') result.fix = json.description;
	return result;
}

/** Every output's items as tool answers, keeping their pairing. */
export function toolOutputs(outputs: INodeExecutionData[][]): INodeExecutionData[][] {
	return outputs.map((items) => items.map((item) => ({ ...item, json: toolResult(item.json) })));
}
