// @ts-check
'use strict';
/**
 * Workflows for n8n in queue mode: the status trigger with its downstream effect behind the 1MSG
 * Template node's Drop Repeated Events (keyed on the trigger's `dedupeKey`), the same behind n8n's
 * own Remove Duplicates (for comparison), n8n's own Webhook node with the same effect (the baseline
 * the status storm compares the trigger with), and several triggers on one channel.
 */
const { CREDENTIAL, STATUS_TRIGGER, TEMPLATE_TYPE, orderNoResponseWorkflow, statusTriggerWorkflow } = require('../e2e/workflows');

const PLAIN_WEBHOOK = { id: 'wfPlainWebhook01', webhookId: '5b1e0c2d-3f4a-4b5c-8d6e-7f8091a2b3c4', path: 'plain-status' };

/** The node between the trigger and the effect, by how it drops repeats. */
const DEDUPE_NODE = { dropRepeatedEvents: 'Drop Repeated Events', removeDuplicates: 'Remove Repeated Statuses' };

/** The status trigger behind n8n's Remove Duplicates, for the two-worker comparison (scripts/queue-repeats.js). */
const REMOVE_DUPLICATES_TRIGGER = { id: 'wfStatusTrigRD01', webhookId: '4e8f2a6c-1b3d-4c5e-9f70-8a9b0c1d2e3f' };

/** The status trigger with nothing between it and the effect: its own run drops repeats (scripts/queue-repeats.js). */
const OWN_CHECK_TRIGGER = { id: 'wfStatusTrigOC01', webhookId: '6a2c9e4f-7b1d-4e3a-8c5f-0d9e8f7a6b5c' };

/** @param {string} effectUrl the downstream effect: one POST per status that gets through */
function effectNode(effectUrl) {
	return {
		id: 'effect-http',
		name: 'Downstream Effect',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [520, 0],
		parameters: {
			method: 'POST',
			url: effectUrl,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify({ dedupeKey: $json.dedupeKey, messageId: $json.messageId, status: $json.status }) }}',
			options: {},
		},
	};
}

/** @param {'dropRepeatedEvents' | 'removeDuplicates'} via */
function dedupeNode(via) {
	if (via === 'removeDuplicates') {
		return {
			id: 'dedupe-status',
			name: DEDUPE_NODE.removeDuplicates,
			type: 'n8n-nodes-base.removeDuplicates',
			typeVersion: 2,
			position: [260, 0],
			parameters: {
				operation: 'removeItemsSeenInPreviousExecutions',
				dedupeValue: '={{ $json.dedupeKey }}',
				options: { historySize: 100000 },
			},
		};
	}
	// No "On Error: continue": a store that cannot be read must stop the run, not pass every item on.
	return {
		id: 'dedupe-status',
		name: DEDUPE_NODE.dropRepeatedEvents,
		type: TEMPLATE_TYPE,
		typeVersion: 1,
		position: [260, 0],
		parameters: { operation: 'dropRepeatedEvents', eventKey: '={{ $json.dedupeKey }}' },
		credentials: { oneMsgChannelApi: { ...CREDENTIAL } },
	};
}

/**
 * Trigger → effect, repeats dropped on dedupeKey by one of: the trigger's own run (`trigger`: Run Each
 * Event Once Across Processes, the default option, and nothing between), or with that option off,
 * Drop Repeated Events (default) or Remove Duplicates (previous executions) between the two.
 * @param {string} effectUrl
 * @param {{ via?: 'trigger' | 'dropRepeatedEvents' | 'removeDuplicates', spec?: { id: string, webhookId: string }, name?: string }} [options]
 */
function dedupedStatusWorkflow(effectUrl, options = {}) {
	const via = options.via ?? 'dropRepeatedEvents';
	const spec = options.spec ?? STATUS_TRIGGER;
	const workflow = withTrigger(statusTriggerWorkflow(), spec, options.name);
	if (via === 'trigger') {
		workflow.nodes.push(/** @type {any} */ (effectNode(effectUrl)));
		workflow.connections = /** @type {any} */ ({ '1MSG Trigger': { main: [[{ node: 'Downstream Effect', type: 'main', index: 0 }]] } });
		return workflow;
	}
	// The node between measures alone: the trigger's own check is off.
	/** @type {Record<string, unknown>} */ (workflow.nodes[0].parameters).options = { dropRepeats: false };
	const dedupe = dedupeNode(via);
	workflow.nodes.push(/** @type {any} */ (dedupe), /** @type {any} */ (effectNode(effectUrl)));
	workflow.connections = /** @type {any} */ ({
		'1MSG Trigger': { main: [[{ node: dedupe.name, type: 'main', index: 0 }]] },
		[dedupe.name]: { main: [[{ node: 'Downstream Effect', type: 'main', index: 0 }]] },
	});
	return workflow;
}

/**
 * statusTriggerWorkflow() under another id and webhook id (and credential, when given).
 * @param {ReturnType<typeof statusTriggerWorkflow>} workflow @param {{ id: string, webhookId: string }} spec
 * @param {string} [name] @param {{ id: string, name: string }} [credential]
 */
function withTrigger(workflow, spec, name, credential) {
	workflow.id = spec.id;
	if (name) workflow.name = name;
	const trigger = workflow.nodes[0];
	trigger.webhookId = spec.webhookId;
	trigger.id = `trg-${spec.id.slice(-8)}`;
	if (credential) trigger.credentials = { oneMsgChannelApi: { ...credential } };
	return workflow;
}

/** n8n's Webhook node answering at once, then the same effect: what a status costs without the trigger. @param {string} effectUrl */
function plainWebhookWorkflow(effectUrl) {
	return {
		id: PLAIN_WEBHOOK.id,
		name: 'Plain Webhook node (baseline)',
		active: false,
		nodes: [
			{
				id: 'plain-webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: PLAIN_WEBHOOK.webhookId,
				parameters: { httpMethod: 'POST', path: PLAIN_WEBHOOK.path, responseMode: 'onReceived', options: {} },
			},
			{ ...effectNode(effectUrl), parameters: { ...effectNode(effectUrl).parameters, jsonBody: '={{ JSON.stringify({ plain: true, ack: $json.body.ack }) }}' } },
		],
		connections: { Webhook: { main: [[{ node: 'Downstream Effect', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** A second channel's credential: the four triggers below register on its own fake 1MSG server. */
const SECOND_CREDENTIAL = { id: 'credOneMsgFake02', name: '1MSG Channel (second fake server)' };

/** @param {{ baseUrl: string, channelId: string, token: string }} channel */
function secondCredentialJson(channel) {
	return [{ ...SECOND_CREDENTIAL, type: 'oneMsgChannelApi', data: { channelId: channel.channelId, token: channel.token, baseUrl: channel.baseUrl } }];
}

/** Four trigger workflows on the second channel, each only a 1MSG Trigger. */
const FOUR_TRIGGERS = [1, 2, 3, 4].map((n) => ({
	id: `wfFourTrigger00${n}`,
	webhookId: `6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9${n}`,
	name: `1MSG statuses, trigger ${n} of 4`,
}));

function fourTriggerWorkflows() {
	return FOUR_TRIGGERS.map((spec) => withTrigger(statusTriggerWorkflow(), spec, spec.name, SECOND_CREDENTIAL));
}

/** CRM event → Order No-Response template on the second channel: its statuses go to the four triggers. */
const SECOND_CHANNEL_SEND = { id: 'wfSecondChSend01', path: 'second-channel-send', webhookId: '8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e' };

function secondChannelSendWorkflow() {
	const workflow = orderNoResponseWorkflow();
	workflow.id = SECOND_CHANNEL_SEND.id;
	workflow.name = 'CRM event → Order No-Response template (second channel)';
	const [webhook, template] = /** @type {any[]} */ (workflow.nodes);
	webhook.id = 'second-ch-in';
	webhook.webhookId = SECOND_CHANNEL_SEND.webhookId;
	webhook.parameters = { ...webhook.parameters, path: SECOND_CHANNEL_SEND.path };
	template.id = 'second-ch-tpl';
	template.credentials = { oneMsgChannelApi: { ...SECOND_CREDENTIAL } };
	return workflow;
}

module.exports = {
	STATUS_TRIGGER,
	PLAIN_WEBHOOK,
	DEDUPE_NODE,
	REMOVE_DUPLICATES_TRIGGER,
	OWN_CHECK_TRIGGER,
	SECOND_CREDENTIAL,
	FOUR_TRIGGERS,
	SECOND_CHANNEL_SEND,
	dedupedStatusWorkflow,
	plainWebhookWorkflow,
	secondCredentialJson,
	fourTriggerWorkflows,
	secondChannelSendWorkflow,
};
