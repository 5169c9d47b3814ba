/**
 * Several consumers of one channel's delivery statuses, in a real n8n against the fake 1MSG channel:
 * two and three trigger workflows, where deactivating any one leaves the others receiving statuses,
 * and the editor's "Listen for test event" on a published trigger (started and stopped through the
 * REST calls the editor makes), which must neither take statuses from the published trigger nor
 * wipe its repeat memory.
 */
import { nodeOutput } from '../harness/n8n';
import { INBOX_WEBHOOK_URL } from '../fake-1msg/server';
import { ORDER_NO_RESPONSE_EXAMPLE } from '../fixtures/seeds';
import type { Execution, Fake, N8n } from './stack';
import { startStack, stopStack } from './stack';
import { ORDER_NO_RESPONSE, orderNoResponseWorkflow, statusTriggerWorkflow } from './workflows';

jest.setTimeout(300_000);

const TRIGGERS = ['A', 'B', 'C'].map((name, n) => ({
	name,
	id: `wfConsumerTrig${name}1`.padEnd(16, '0').slice(0, 16),
	webhookId: `8e2f3a4b-5c6d-4e7f-9a0b-1c2d3e4f5a0${n}`,
}));

function triggerWorkflow(trigger: (typeof TRIGGERS)[number]) {
	const workflow = statusTriggerWorkflow();
	return {
		...workflow,
		id: trigger.id,
		name: `1MSG delivery statuses ${trigger.name}`,
		nodes: workflow.nodes.map((node) => ({ ...node, webhookId: trigger.webhookId })),
	};
}

let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	({ fake, n8n } = await startStack({
		fake: { ackDelayMs: 150, seed: 'trigger-consumers', webhookUrls: [INBOX_WEBHOOK_URL] },
		workflows: [orderNoResponseWorkflow(), ...TRIGGERS.map(triggerWorkflow)],
		publish: [ORDER_NO_RESPONSE.id],
	}));
});

afterAll(async () => stopStack({ fake, n8n }));

let serial = 0;
async function sendOne(): Promise<string> {
	const phone = `7993000${String(++serial).padStart(4, '0')}`;
	const response = await n8n.postWebhook(`webhook/${ORDER_NO_RESPONSE.path}`, { ...ORDER_NO_RESPONSE_EXAMPLE, phone });
	const [item] = response.body as Array<{ messageId: string; status: string }>;
	expect(item.status).toBe('accepted');
	return item.messageId;
}

const registered = (trigger: (typeof TRIGGERS)[number]) =>
	fake.webhookUrls.some((url: string) => url.startsWith(n8n.webhookUrl(trigger.webhookId)));

async function activate(...triggers: Array<(typeof TRIGGERS)[number]>) {
	for (const trigger of triggers) {
		await n8n.activate(trigger.id);
		await fake.waitFor(() => registered(trigger), 15_000);
	}
}

async function deactivate(trigger: (typeof TRIGGERS)[number]) {
	await n8n.deactivate(trigger.id);
	await fake.waitFor(() => !registered(trigger), 15_000);
}

/** Statuses a trigger workflow emitted for a message, in the order its executions ran (manual runs excluded). */
function statusesFor(executions: Execution[], messageId: string): string[] {
	return executions
		.filter((execution) => execution.status === 'success' && execution.mode !== 'manual')
		.flatMap((execution) => nodeOutput(execution, '1MSG Trigger') as Array<Record<string, unknown>>)
		.filter((item) => item.messageId === messageId)
		.map((item) => String(item.status));
}

async function waitForStatuses(trigger: (typeof TRIGGERS)[number], messageId: string, expected: string[]): Promise<string[]> {
	const deadline = Date.now() + 20_000;
	let seen: string[] = [];
	while (Date.now() < deadline) {
		seen = statusesFor(await n8n.executions(trigger.id), messageId);
		if (seen.length >= expected.length) break;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return seen;
}

const ALL = ['sent', 'delivered', 'read'];
const [A, B, C] = TRIGGERS;

describe('two and three trigger workflows on one channel', () => {
	it('three: deactivating one leaves the two others receiving every status', async () => {
		await activate(A, B, C);
		expect(fake.settings.ackNotificationsOn).toBe(true);
		await deactivate(B);
		expect(fake.settings.ackNotificationsOn).toBe(true);
		const messageId = await sendOne();
		expect(await waitForStatuses(A, messageId, ALL)).toEqual(ALL);
		expect(await waitForStatuses(C, messageId, ALL)).toEqual(ALL);
		expect(statusesFor(await n8n.executions(B.id), messageId)).toEqual([]);
	});

	it('two: deactivating the one that switched statuses on leaves the other receiving them; the last one switches them off', async () => {
		await deactivate(A);
		expect(fake.settings.ackNotificationsOn).toBe(true);
		const messageId = await sendOne();
		expect(await waitForStatuses(C, messageId, ALL)).toEqual(ALL);
		await deactivate(C);
		expect(fake.settings.ackNotificationsOn).toBe(false);
		expect(fake.webhookUrls).toEqual([INBOX_WEBHOOK_URL]);
	});

	it('two: deactivating the one activated later leaves the first receiving them', async () => {
		await activate(A, B);
		await deactivate(B);
		expect(fake.settings.ackNotificationsOn).toBe(true);
		const messageId = await sendOne();
		expect(await waitForStatuses(A, messageId, ALL)).toEqual(ALL);
		await deactivate(A);
		expect(fake.settings.ackNotificationsOn).toBe(false);
	});
});

describe('"Listen for test event" on a published trigger workflow', () => {
	const testListening = () => fake.webhookUrls.some((url: string) => url.includes(`/webhook-test/${A.webhookId}/`));
	const startListening = async () => {
		expect(await n8n.runManually(A.id, '1MSG Trigger')).toMatchObject({ waitingForWebhook: true });
		await fake.waitFor(testListening, 15_000);
	};

	it('the published trigger emits sent, delivered and read while a test run takes one, and a repeat after the test stopped starts nothing', async () => {
		await activate(A);
		await startListening();
		const messageId = await sendOne();
		// The test listener takes the first status it receives and stops listening.
		await fake.waitFor(() => !testListening(), 15_000);
		expect(await waitForStatuses(A, messageId, ALL)).toEqual(ALL);
		const manualRuns = (await n8n.executions(A.id)).filter((execution) => execution.mode === 'manual');
		expect(manualRuns.length).toBeGreaterThanOrEqual(1);
		expect(fake.settings.ackNotificationsOn).toBe(true);

		// Listening again and stopping it as the editor does.
		await startListening();
		await n8n.rest('DELETE', `test-webhook/${A.id}`);
		await fake.waitFor(() => !testListening(), 15_000);
		expect(fake.settings.ackNotificationsOn).toBe(true);

		const productionUrl = fake.webhookUrls.find((url: string) => url.startsWith(n8n.webhookUrl(A.webhookId))) as string;
		const readDelivery = (fake.deliveries as Array<{ url: string; body: { ack?: Array<{ id: string; status: string }> } }>).find(
			(delivery) => delivery.url === productionUrl && delivery.body.ack?.some((ack) => ack.id === messageId && ack.status === 'read'),
		);
		expect(readDelivery).toBeDefined();
		const before = (await n8n.executions(A.id, { includeData: false })).length;
		const repeat = await n8n.postWebhook(productionUrl, readDelivery!.body);
		expect(repeat.body).toMatchObject({ received: true, accepted: 0, ignored: 1 });
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect((await n8n.executions(A.id, { includeData: false })).length).toBe(before);
	});
});
