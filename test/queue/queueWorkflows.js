// @ts-check
'use strict';
/**
 * Workflows for n8n in queue mode: the status trigger with its downstream effect behind n8n's
 * database-backed Remove Duplicates (keyed on the trigger's `dedupeKey`), and n8n's own Webhook
 * node with the same effect, the baseline the status storm compares the trigger with.
 */
const { STATUS_TRIGGER, statusTriggerWorkflow } = require('../e2e/workflows');

const PLAIN_WEBHOOK = { id: 'wfPlainWebhook01', webhookId: '5b1e0c2d-3f4a-4b5c-8d6e-7f8091a2b3c4', path: 'plain-status' };

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

/** Trigger → Remove Duplicates (previous executions, on dedupeKey) → effect. @param {string} effectUrl */
function dedupedStatusWorkflow(effectUrl) {
	const workflow = statusTriggerWorkflow();
	workflow.nodes.push(
		/** @type {any} */ ({
			id: 'dedupe-status',
			name: 'Remove Repeated Statuses',
			type: 'n8n-nodes-base.removeDuplicates',
			typeVersion: 2,
			position: [260, 0],
			parameters: {
				operation: 'removeItemsSeenInPreviousExecutions',
				dedupeValue: '={{ $json.dedupeKey }}',
				options: { historySize: 100000 },
			},
		}),
		/** @type {any} */ (effectNode(effectUrl)),
	);
	workflow.connections = /** @type {any} */ ({
		'1MSG Trigger': { main: [[{ node: 'Remove Repeated Statuses', type: 'main', index: 0 }]] },
		'Remove Repeated Statuses': { main: [[{ node: 'Downstream Effect', type: 'main', index: 0 }]] },
	});
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

module.exports = { STATUS_TRIGGER, PLAIN_WEBHOOK, dedupedStatusWorkflow, plainWebhookWorkflow };
