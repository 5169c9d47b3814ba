#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * The product in one command: a fake 1MSG channel and a real n8n on loopback, the package installed
 * as a community node, a CRM event sending the "Order No-Response Notification" template, and the
 * delivery statuses coming back through the 1MSG Trigger.
 *
 *   npm run demo            run it, print everything, stop every process it started
 *   npm run demo -- --keep  leave n8n and the fake channel running to explore the editor (Ctrl+C stops)
 */

const { ensureN8nInstalled, nodeOutput, selectRuntime, startN8n, OWNER } = require('../test/harness/n8n');
const { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, INBOX_WEBHOOK_URL, startFake1msg } = require('../test/fake-1msg/server');
const {
	ORDER_NO_RESPONSE,
	CLIENT_INACTIVITY,
	STATUS_TRIGGER,
	clientInactivityWorkflow,
	credentialJson,
	orderNoResponseWorkflow,
	statusTriggerWorkflow,
} = require('../test/e2e/workflows');

const keep = process.argv.includes('--keep');
const bold = (/** @type {string} */ text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const step = (/** @type {string} */ text) => console.log(`\n${bold(`▶ ${text}`)}`);
const show = (/** @type {unknown} */ value) => console.log(JSON.stringify(value, null, 2).replace(/^/gm, '  '));

const ORDER_EVENT = {
	phone: '+7 (999) 123-45-67',
	customerName: 'Alexey',
	orderNumber: '10482',
	pendingAction: 'delivery slot confirmation',
	reminderNote: 'Please choose a convenient time by tomorrow 6:00 PM, otherwise shipment may be rescheduled',
	reference: 'order-10482',
};

async function main() {
	step(`Installing the real n8n (${selectRuntime().version} on Node 24) if it is not there yet`);
	ensureN8nInstalled();

	step('Starting the fake 1MSG channel on loopback');
	const fake = await startFake1msg({ ackDelayMs: 400, webhookUrls: [INBOX_WEBHOOK_URL], port: keep ? 18261 : 0 });
	console.log(`  ${fake.baseUrl}/${DEFAULT_CHANNEL_ID}  (webhook list: ${JSON.stringify(fake.webhookUrls)})`);

	/** @type {Awaited<ReturnType<typeof startN8n>> | undefined} */
	let n8n;
	const stopAll = async () => {
		await n8n?.stop().catch(() => undefined);
		await fake.close().catch(() => undefined);
	};
	process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

	try {
		step('Starting n8n with the package, a "1MSG Channel API" credential and the example workflows');
		n8n = await startN8n({
			port: keep ? 5678 : undefined,
			credentials: credentialJson({ baseUrl: fake.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
			workflows: [statusTriggerWorkflow(), orderNoResponseWorkflow(), clientInactivityWorkflow()],
			publish: [ORDER_NO_RESPONSE.id, CLIENT_INACTIVITY.id],
		});
		console.log(`  n8n is up at ${n8n.baseUrl} (started in ${(n8n.timings.total / 1000).toFixed(1)} s)`);

		step('Activating the "1MSG delivery statuses" workflow (1MSG Trigger)');
		await n8n.activate(STATUS_TRIGGER.id);
		await fake.waitFor(() => fake.webhookUrls.length === 2 && fake.settings.ackNotificationsOn === true, 15_000);
		console.log('  The channel\'s webhook list now holds 1MSG\'s inbox URL and the trigger\'s URL (with its secret):');
		show(fake.webhookUrls);

		step('A CRM event arrives: order 10482 is waiting for the customer\'s answer');
		show(ORDER_EVENT);
		const response = await n8n.postWebhook(`webhook/${ORDER_NO_RESPONSE.path}`, ORDER_EVENT);
		const [output] = /** @type {Array<Record<string, any>>} */ (response.body);

		step('The request 1MSG received: POST /' + DEFAULT_CHANNEL_ID + '/sendTemplate');
		show(fake.sends[0]?.body);

		step('The 1MSG Template node\'s output');
		// 1MSG's raw answer is in `response`; the rest is what the next node works with.
		show(Object.fromEntries(Object.entries(output ?? {}).filter(([key]) => key !== 'response')));

		step('Delivery statuses emitted by the 1MSG Trigger');
		const seen = new Set();
		const deadline = Date.now() + 20_000;
		while (seen.size < 3 && Date.now() < deadline) {
			for (const execution of await n8n.executions(STATUS_TRIGGER.id)) {
				if (execution.status !== 'success') continue;
				for (const item of nodeOutput(execution, '1MSG Trigger')) {
					const key = `${item.messageId}|${item.status}`;
					if (item.messageId !== output?.messageId || seen.has(key)) continue;
					seen.add(key);
					console.log(`  ${item.timestamp}  ${String(item.status).padEnd(9)} ${item.messageId}  to ${item.phone}`);
				}
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		if (seen.size < 3) throw new Error(`Only ${seen.size} of 3 statuses arrived within 20 s`);

		if (keep) {
			await n8n.setupOwner();
			step('n8n keeps running: open the editor');
			console.log(`  ${n8n.baseUrl}   sign in as ${OWNER.email} / ${OWNER.password}`);
			console.log(`  fake 1MSG channel: ${fake.baseUrl}/${DEFAULT_CHANNEL_ID} (token ${DEFAULT_TOKEN})`);
			console.log('  Press Ctrl+C to stop both.');
			await new Promise(() => undefined);
		}

		step('Deactivating the trigger: only its URL is removed');
		await n8n.deactivate(STATUS_TRIGGER.id);
		await fake.waitFor(() => fake.webhookUrls.length === 1, 15_000);
		show(fake.webhookUrls);
	} finally {
		if (!keep) {
			step('Stopping n8n and the fake channel');
			await stopAll();
			console.log('  Done. Run `npm run demo -- --keep` to explore the workflows in the editor.');
		}
	}
}

main().catch((error) => {
	console.error(`\nDemo failed: ${error?.stack ?? error}`);
	process.exitCode = 1;
});
