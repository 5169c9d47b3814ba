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
	return {
		id: `tpl-${scenario.slice(0, 20)}`,
		name: '1MSG Template',
		type: TEMPLATE_TYPE,
		typeVersion: 1,
		position: [260, 0],
		onError: 'continueRegularOutput',
		parameters,
		credentials: credentials(),
	};
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
	sendWorkflow,
};
