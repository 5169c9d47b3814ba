/**
 * Send and Wait for Outcome in a real n8n 2.41.1 with the built package, against the fake 1MSG server:
 * the example workflow, with a 10 s time limit, runs 30 orders in one execution.
 */
import { nodeOutputs } from '../harness/n8n';
import { INBOX_WEBHOOK_URL } from '../fake-1msg/server';
import { exampleNode, loadExample } from './editor/exampleWorkflows';
import { type Fake, type N8n, startStack, stopStack } from './stack';

jest.setTimeout(240_000);

type Item = Record<string, unknown>;

const TIME_LIMIT_S = 10;
const workflow = loadExample('crm-send-and-wait-fallback.json');
exampleNode(workflow, 'Send and Wait for Outcome').parameters.waitTimeLimit = TIME_LIMIT_S;
const path = `webhook/${String(exampleNode(workflow, 'CRM Event').parameters.path)}`;

/** 20 delivered after 1 to 4 s, 3 failed for a Meta experiment (text only), 2 rate limited (Meta code), 5 never. */
const orders = Array.from({ length: 30 }, (_, i) => ({
	orderId: `A-${10_000 + i}`,
	phone: `+7 999 000-${String(i).padStart(2, '0')}-00`,
	customerName: `Customer ${i}`,
	orderNumber: String(10_000 + i),
	pendingAction: 'delivery slot confirmation',
	reminderNote: 'Please reply by 6:00 PM',
}));
const digits = (phone: string) => phone.replace(/\D/g, '');
const DELIVERED = orders.slice(0, 20);
const EXPERIMENT = orders.slice(20, 23);
const RATE_LIMITED = orders.slice(23, 25);
const NEVER = orders.slice(25);

let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	({ fake, n8n } = await startStack({ fake: { ackDelayMs: 200, webhookUrls: [INBOX_WEBHOOK_URL] }, workflows: [workflow], publish: [workflow.id] }));
	DELIVERED.forEach((order, i) => fake.setDeliveryPlan(digits(order.phone), { outcome: 'delivered', afterMs: 1000 + (i % 4) * 1000 }));
	for (const order of EXPERIMENT) {
		fake.setDeliveryPlan(digits(order.phone), { outcome: 'failed', afterMs: 2000, error: { text: "User's number is part of an experiment" } });
	}
	for (const order of RATE_LIMITED) {
		fake.setDeliveryPlan(digits(order.phone), { outcome: 'failed', afterMs: 1500, error: { text: 'Rate limit hit', code: 130429 } });
	}
	for (const order of NEVER) fake.setDeliveryPlan(digits(order.phone), { outcome: 'never' });
});

afterAll(() => stopStack({ fake, n8n }));

const ids = (items: Item[]) => items.map((item) => item.orderId).sort();

describe('real n8n: Send and Wait for Outcome, 30 orders in one run', () => {
	it('routes 20 delivered, 5 failed (two categories) and 5 without outcome, each with its order, in about the time limit', async () => {
		const response = await n8n.postWebhook(path, { orders });
		expect(response.status).toBe(200);
		const [execution] = await n8n.waitForExecutions(workflow.id, 1, 90_000);
		expect(execution.status).toBe('success');

		const [delivered, failed, pending] = nodeOutputs(execution, 'Send and Wait for Outcome') as Item[][];
		expect(ids(delivered)).toEqual(ids(DELIVERED));
		expect(ids(failed)).toEqual(ids([...EXPERIMENT, ...RATE_LIMITED]));
		expect(ids(pending)).toEqual(ids(NEVER));

		const byId = new Map(orders.map((order) => [order.orderId, order]));
		for (const item of [...delivered, ...failed, ...pending]) {
			const order = byId.get(String(item.orderId))!;
			expect(item).toMatchObject({ customerName: order.customerName, orderNumber: order.orderNumber, pendingAction: order.pendingAction });
		}
		expect(delivered.every((item) => item.outcome === 'delivered' && item.deliveryStatus === 'delivered')).toBe(true);
		expect(pending.every((item) => item.outcome === 'noOutcomeYet' && item.deliveryStatus === 'sent')).toBe(true);
		const reasonOf = (item: Item) => [item.category, item.metaCode, item.failureReason];
		expect(failed.filter((item) => EXPERIMENT.some((order) => order.orderId === item.orderId)).map(reasonOf)).toEqual(
			Array(3).fill(['recipient_unreachable', 130472, "User's number is part of an experiment"]),
		);
		expect(failed.filter((item) => RATE_LIMITED.some((order) => order.orderId === item.orderId)).map(reasonOf)).toEqual(
			Array(2).fill(['rate_limited', 130429, 'Rate limit hit']),
		);

		// The fallback reads the order's own fields from the same run.
		const sms = nodeOutputs(execution, 'Prepare SMS Fallback')[0] as Item[];
		expect(sms.map((item) => item.smsText)).toEqual(
			failed.map((item) => `Hello, ${String(item.customerName)}! We are waiting for your reply regarding order #${String(item.orderNumber)}: delivery slot confirmation. Please reply by 6:00 PM.`),
		);

		// Orders waited side by side: the node takes about one time limit, not thirty.
		const nodeMs = Number(execution.runData['Send and Wait for Outcome'][0].executionTime);
		expect(nodeMs).toBeGreaterThanOrEqual(TIME_LIMIT_S * 1000);
		expect(nodeMs).toBeLessThan(2 * TIME_LIMIT_S * 1000);
		expect(fake.sends).toHaveLength(30);
	});
});
