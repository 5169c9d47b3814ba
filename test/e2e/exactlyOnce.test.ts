/**
 * Never twice across runs, in a real n8n against the fake 1MSG channel (which counts accepted sends
 * per recipient): a batch stopped by a refusal and then retried from n8n's execution list, the same
 * CRM event delivered twice, n8n's Retry On Fail after a transient failure, and an n8n restart
 * between two deliveries of the same event.
 */
import { nodeError, nodeOutput } from '../harness/n8n';
import { INBOX_WEBHOOK_URL } from '../fake-1msg/server';
import type { Execution, Fake, N8n } from './stack';
import { startStack, stopStack } from './stack';
import { batchWorkflow, templateNode } from './workflows';

jest.setTimeout(300_000);

type Item = Record<string, unknown>;

const ORDER_VARIABLES = {
	customerName: '={{ $json.customerName }}',
	orderNumber: '={{ $json.orderNumber }}',
	pendingAction: '={{ $json.pendingAction }}',
	reminderNote: '={{ $json.reminderNote }}',
};

interface BatchSpec {
	id: string;
	path: string;
	webhookId: string;
	options?: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

/** CRM event → one item per entry of `body.items` → 1MSG Template, stopping the run on an error (n8n's default). */
function onceWorkflow(spec: BatchSpec) {
	const node = templateNode('orderNoResponseNotification', 'order_no_response_notification|en', ORDER_VARIABLES, spec.options);
	const parameters = { ...node.parameters, phone: '={{ $json.phone }}', options: { ...(node.parameters.options as object), reference: '={{ $json.ref }}' } };
	// onError left out (undefined is not saved): n8n's default, Stop Workflow.
	return batchWorkflow(spec, `Exactly once: ${spec.path}`, { ...node, onError: undefined, ...spec.settings, parameters });
}

const SKIP_ON_RETRY: BatchSpec = { id: 'wfOnceRetry00001', path: 'once-retry', webhookId: '6b1c2d3e-4f5a-4b6c-8d7e-8f9a0b1c2d01', options: { concurrency: 1 } };
const SKIP_OFF: BatchSpec = { id: 'wfOnceOff0000001', path: 'once-off', webhookId: '6b1c2d3e-4f5a-4b6c-8d7e-8f9a0b1c2d02', options: { concurrency: 1, skipAlreadySent: 'off' } };
const CRM_TWICE: BatchSpec = { id: 'wfOnceCrmTwice01', path: 'once-crm', webhookId: '6b1c2d3e-4f5a-4b6c-8d7e-8f9a0b1c2d03', options: { skipAlreadySent: 'always', skipKey: '=order-{{ $json.orderNumber }}-reminder' } };
const RETRY_ON_FAIL: BatchSpec = {
	id: 'wfOnceRetryFail1',
	path: 'once-retry-on-fail',
	webhookId: '6b1c2d3e-4f5a-4b6c-8d7e-8f9a0b1c2d04',
	options: { concurrency: 1, maxRetries: 0 },
	settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
};

let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	({ fake, n8n } = await startStack({
		fake: { ackDelayMs: 20, seed: 'exactly-once', webhookUrls: [INBOX_WEBHOOK_URL] },
		workflows: [SKIP_ON_RETRY, SKIP_OFF, CRM_TWICE, RETRY_ON_FAIL].map(onceWorkflow),
		publish: [SKIP_ON_RETRY.id, SKIP_OFF.id, CRM_TWICE.id, RETRY_ON_FAIL.id],
	}));
});

afterAll(async () => stopStack({ fake, n8n }));

let serial = 0;
function customers(count: number): Item[] {
	const run = ++serial;
	return Array.from({ length: count }, (_v, i) => ({
		ref: `once-${run}-${i}`,
		phone: `7992${String(run).padStart(3, '0')}${String(i).padStart(4, '0')}`,
		customerName: `Customer ${i}`,
		orderNumber: `${run}0${i}`,
		pendingAction: 'delivery slot confirmation',
		reminderNote: 'Please choose a convenient time by tomorrow 6:00 PM',
	}));
}

const refusal = (phone: string) => ({
	method: 'sendTemplate',
	phone,
	count: 1,
	response: { status: 200, body: { sent: false, message: '(#131026) Message undeliverable' } },
});

async function latestExecution(workflowId: string, count: number): Promise<Execution> {
	const executions = await n8n.waitForExecutions(workflowId, count, 60_000);
	return executions[executions.length - 1];
}

/** Retries a failed execution as the execution list's "Retry with original workflow" does. */
async function retryExecution(workflowId: string, execution: Execution, countBefore: number): Promise<Execution> {
	await n8n.rest('POST', `executions/${execution.id}/retry`, { loadWorkflow: false });
	return await latestExecution(workflowId, countBefore + 1);
}

describe('a stop-on-error batch, then the execution retried', () => {
	it('with the default (skip in retried executions): every customer gets exactly one message, and the error named the accepted items', async () => {
		const batch = customers(5);
		fake.setFaults([refusal(batch[2].phone as string)]);
		await n8n.postWebhook(`webhook/${SKIP_ON_RETRY.path}`, { items: batch }, { timeoutMs: 60_000 });
		const failed = await latestExecution(SKIP_ON_RETRY.id, 1);
		expect(failed.status).toBe('error');
		const error = nodeError(failed, '1MSG Template');
		expect(error.message).toContain('(#131026)');
		expect(error.message).toContain('[item 2]; before the stop 2 accepted (item 0, 1), a retry skips them');
		const ids = batch.slice(0, 2).map((customer) => (fake.sends as Array<{ id: string; phone: string }>).find((send) => send.phone === customer.phone)?.id);
		expect(error.description).toContain(`item 0 (${batch[0].phone}): ${ids[0]}, item 1 (${batch[1].phone}): ${ids[1]}`);

		// The refusal persists: the retry fails again, and its error names the customers it skipped.
		fake.setFaults([refusal(batch[2].phone as string)]);
		const failedAgain = await retryExecution(SKIP_ON_RETRY.id, failed, 1);
		expect(failedAgain).toMatchObject({ mode: 'retry', status: 'error' });
		const again = nodeError(failedAgain, '1MSG Template');
		expect(again.message).toContain('[item 2]; 2 skipped as already sent by an earlier run (item 0, 1)');
		expect(again.description).toContain(`Already sent by an earlier run, so not sent again: item 0 (${batch[0].phone}): ${ids[0]}, item 1 (${batch[1].phone}): ${ids[1]}.`);

		fake.setFaults([]);
		const retried = await retryExecution(SKIP_ON_RETRY.id, failedAgain, 2);
		expect(retried.mode).toBe('retry');
		expect(retried.status).toBe('success');
		const out = nodeOutput(retried, '1MSG Template') as Item[];
		expect(out.map((item) => item.status)).toEqual(['skipped', 'skipped', 'accepted', 'accepted', 'accepted']);
		expect(batch.map((customer) => fake.sendCount(customer.phone as string))).toEqual([1, 1, 1, 1, 1]);
	});

	it('with Skip Messages Already Sent off: the error says a retry resends them, and it does', async () => {
		const batch = customers(5);
		fake.setFaults([refusal(batch[2].phone as string)]);
		await n8n.postWebhook(`webhook/${SKIP_OFF.path}`, { items: batch }, { timeoutMs: 60_000 });
		const failed = await latestExecution(SKIP_OFF.id, 1);
		const error = nodeError(failed, '1MSG Template');
		expect(error.message).toContain('before the stop 2 accepted (item 0, 1), a retry resends them');
		expect(error.description).toContain('Retrying this execution sends them again');

		fake.setFaults([]);
		await retryExecution(SKIP_OFF.id, failed, 1);
		expect(batch.map((customer) => fake.sendCount(customer.phone as string))).toEqual([2, 2, 1, 1, 1]);
	});
});

describe('the same CRM event delivered twice, with Skip Messages Already Sent: Always', () => {
	it('sends once; the second run gives a skipped item with the first message id, also after an n8n restart', async () => {
		const [customer] = customers(1);
		const first = await n8n.postWebhook(`webhook/${CRM_TWICE.path}`, { items: [customer] });
		const [sent] = first.body as Item[];
		expect(sent).toMatchObject({ status: 'accepted', key: `order-${customer.orderNumber}-reminder` });

		const second = await n8n.postWebhook(`webhook/${CRM_TWICE.path}`, { items: [customer] });
		expect(second.body).toEqual([
			expect.objectContaining({ status: 'skipped', sent: false, key: `order-${customer.orderNumber}-reminder`, messageId: sent.messageId, phone: customer.phone }),
		]);
		expect(fake.sendCount(customer.phone as string)).toBe(1);

		await n8n.restart();
		const afterRestart = await n8n.postWebhook(`webhook/${CRM_TWICE.path}`, { items: [customer] });
		expect(afterRestart.body).toEqual([expect.objectContaining({ status: 'skipped', messageId: sent.messageId })]);
		expect(fake.sendCount(customer.phone as string)).toBe(1);
	});
});

describe("n8n's Retry On Fail on the node", () => {
	it('after a transient failure the node runs again without sending twice what its first try sent', async () => {
		const batch = customers(3);
		fake.setFaults([
			{ method: 'sendTemplate', phone: batch[1].phone as string, count: 1, response: { status: 429, body: { error: 'Rate limit exceeded' } } },
		]);
		const response = await n8n.postWebhook(`webhook/${RETRY_ON_FAIL.path}`, { items: batch }, { timeoutMs: 60_000 });
		const execution = await latestExecution(RETRY_ON_FAIL.id, 1);
		expect(execution.status).toBe('success');
		expect((response.body as Item[]).map((item) => item.status)).toEqual(['skipped', 'accepted', 'accepted']);
		expect(batch.map((customer) => fake.sendCount(customer.phone as string))).toEqual([1, 1, 1]);
	});
});
