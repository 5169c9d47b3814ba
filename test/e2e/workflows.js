// @ts-check
'use strict';

/**
 * Workflows and the credential for a real n8n, shared by the end-to-end tests, the demo and the
 * benchmark. Node types are those of the installed community package.
 */

const PACKAGE = 'n8n-nodes-1msg-scenarios';
const TEMPLATE_TYPE = `${PACKAGE}.oneMsgTemplate`;
const TRIGGER_TYPE = `${PACKAGE}.oneMsgTrigger`;

const CREDENTIAL = { id: 'credOneMsgFake01', name: '1MSG Channel (fake server)' };

/** @param {{ baseUrl: string, channelId: string, token: string }} channel */
function credentialJson(channel) {
	return [
		{
			...CREDENTIAL,
			type: 'oneMsgChannelApi',
			data: { channelId: channel.channelId, token: channel.token, baseUrl: channel.baseUrl },
		},
	];
}

const credentials = () => ({ oneMsgChannelApi: { ...CREDENTIAL } });

/**
 * A webhook that answers with the last node's items, so a caller sees the 1MSG Template node's output.
 * @param {string} path @param {string} webhookId
 */
function webhookNode(path, webhookId) {
	return {
		id: `${webhookId.slice(0, 8)}-in`,
		name: 'CRM Event',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
	};
}

/**
 * @param {{ id: string, name: string, path: string, webhookId: string, templateNode: Record<string, any> }} spec
 */
function sendWorkflow(spec) {
	return {
		id: spec.id,
		name: spec.name,
		active: false,
		nodes: [webhookNode(spec.path, spec.webhookId), spec.templateNode],
		connections: { 'CRM Event': { main: [[{ node: spec.templateNode.name, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * CRM event → one item per entry of `body.items` → 1MSG Template (`templateNode`: its settings,
 * parameters and credentials).
 * @param {{ id: string, path: string, webhookId: string }} spec @param {string} name
 * @param {Record<string, unknown>} templateNode
 */
function batchWorkflow(spec, name, templateNode) {
	const prefix = spec.webhookId.slice(0, 8);
	return {
		id: spec.id,
		name,
		active: false,
		nodes: [
			webhookNode(spec.path, spec.webhookId),
			{
				id: `${prefix}-split`,
				name: 'Split Items',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} },
			},
			{ ...templateNode, id: `${prefix}-tpl`, name: '1MSG Template', type: TEMPLATE_TYPE, typeVersion: 1, position: [440, 0] },
		],
		connections: {
			'CRM Event': { main: [[{ node: 'Split Items', type: 'main', index: 0 }]] },
			'Split Items': { main: [[{ node: '1MSG Template', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * A 1MSG Template node with the parameters given.
 * @param {string} name @param {Record<string, unknown>} parameters @param {string} [id]
 */
function operationNode(name, parameters, id = `op-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`) {
	return {
		id,
		name,
		type: TEMPLATE_TYPE,
		typeVersion: 1,
		position: [260, 0],
		onError: 'continueRegularOutput',
		parameters,
		credentials: credentials(),
	};
}

/**
 * @param {string} scenario @param {string} template
 * @param {Record<string, unknown>} variables  preset field (or templateVariables in Custom Template mode) -> value
 * @param {Record<string, unknown>} [options]
 */
function templateNode(scenario, template, variables, options = {}) {
	/** @type {Record<string, unknown>} */
	const parameters = {
		operation: 'sendTemplate',
		scenario,
		template: { __rl: true, mode: 'list', value: template, cachedResultName: template.replace('|', ' · ') },
		phone: '={{ $json.body.phone }}',
		options: { reference: '={{ $json.body.reference }}', ...options },
	};
	for (const [key, expression] of Object.entries(variables)) parameters[key] = expression;
	return operationNode('1MSG Template', parameters, `tpl-${scenario.slice(0, 20)}`);
}

/**
 * Create Template From Scenario; name, text, button link and the examples given come from the event.
 * @param {string} scenario @param {Record<string, string>} [examples] parameter name -> expression
 */
function createTemplateNode(scenario, examples = {}) {
	return operationNode('Create Template', {
		operation: 'createTemplate',
		scenario,
		templateName: '={{ $json.body.templateName ?? "" }}',
		templateLanguage: 'en',
		templateText: '={{ $json.body.templateText ?? "" }}',
		buttonUrl: '={{ $json.body.buttonUrl }}',
		...examples,
	});
}

function templateStatusNode() {
	return operationNode('Template Status', {
		operation: 'getTemplateStatus',
		templateName: '={{ $json.body.templateName }}',
		templateLanguage: 'en',
	});
}

const ORDER_NO_RESPONSE = {
	id: 'wfOrderNoResp001',
	path: 'order-no-response',
	webhookId: '3f0a6c52-1b7d-4c8e-9a41-5d2e7f8a9b01',
};

const CLIENT_INACTIVITY = {
	id: 'wfInactivity0001',
	path: 'client-inactivity',
	webhookId: '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e02',
};

function orderNoResponseWorkflow() {
	return sendWorkflow({
		...ORDER_NO_RESPONSE,
		name: 'CRM event → Order No-Response template',
		templateNode: templateNode('orderNoResponseNotification', 'order_no_response_notification|en', {
			customerName: '={{ $json.body.customerName }}',
			orderNumber: '={{ $json.body.orderNumber }}',
			pendingAction: '={{ $json.body.pendingAction }}',
			reminderNote: '={{ $json.body.reminderNote }}',
		}),
	});
}

function clientInactivityWorkflow() {
	return sendWorkflow({
		...CLIENT_INACTIVITY,
		name: 'Inactivity event → Client Inactivity template',
		templateNode: templateNode('clientInactivityNotification', 'client_inactivity_notification|en', {
			customerName: '={{ $json.body.customerName }}',
			incompleteAction: '={{ $json.body.incompleteAction }}',
		}),
	});
}

const STATUS_TRIGGER = { id: 'wfStatusTrigger1', webhookId: '9d5a0c1e-6d3c-4a0a-9d7e-1a2b3c4d5e6f' };

/** @param {{ outputPerStatus?: boolean, statuses?: string[], includeMessages?: boolean }} [options] */
function statusTriggerWorkflow(options = {}) {
	return {
		id: STATUS_TRIGGER.id,
		name: '1MSG delivery statuses',
		active: false,
		nodes: [
			{
				id: 'trg-1msg-status',
				name: '1MSG Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: STATUS_TRIGGER.webhookId,
				parameters: {
					statuses: options.statuses ?? ['sent', 'delivered', 'read', 'failed'],
					outputPerStatus: options.outputPerStatus ?? false,
					options: options.includeMessages ? { includeMessages: true } : {},
				},
				credentials: credentials(),
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

module.exports = {
	PACKAGE,
	TEMPLATE_TYPE,
	TRIGGER_TYPE,
	CREDENTIAL,
	credentialJson,
	ORDER_NO_RESPONSE,
	CLIENT_INACTIVITY,
	STATUS_TRIGGER,
	orderNoResponseWorkflow,
	clientInactivityWorkflow,
	statusTriggerWorkflow,
	templateNode,
	operationNode,
	sendWorkflow,
	batchWorkflow,
	createTemplateNode,
	templateStatusNode,
};
