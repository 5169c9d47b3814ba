import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { TEMPLATE_OUTPUTS_EXPRESSION, TEMPLATE_SUBTITLE, templateNodeProperties } from './template/description';
import { getTemplateVariables, searchTemplates } from './template/methods';
import { runOperation } from './template/operations';

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
		subtitle: TEMPLATE_SUBTITLE,
		description: 'Send approved WhatsApp templates through 1MSG, from ready-made scenarios or any template',
		defaults: { name: '1MSG Template' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: TEMPLATE_OUTPUTS_EXPRESSION,
		credentials: [{ name: 'oneMsgChannelApi', required: true }],
		properties: templateNodeProperties,
	};

	methods = {
		listSearch: { searchTemplates },
		resourceMapping: { getTemplateVariables },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation.call(this);
	}
}
