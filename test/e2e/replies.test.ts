/**
 * Replies in a real n8n 2.41.1: a quick-reply template sent with a Reference, then the customer's tap
 * or text answer posted by the fake 1MSG channel in 1MSG's normalized and Meta's raw formats, received
 * by the 1MSG Trigger with one output per status and incoming messages on.
 */
import { nodeOutputs } from '../harness/n8n';
import { INBOX_WEBHOOK_URL } from '../fake-1msg/server';
import { STATUS_TRIGGER, sendWorkflow, statusTriggerWorkflow, templateNode } from './workflows';
import { type Fake, type N8n, startStack, stopStack } from './stack';

jest.setTimeout(240_000);

type Item = Record<string, unknown>;

const BOOKING = { id: 'wfBookingSend001', path: 'booking-confirmation', webhookId: '5b2e7c1a-3d4f-4e6a-8b9c-0d1e2f3a4b05' };
const REPLY_OUTPUT = 5;

let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	const booking = sendWorkflow({
		...BOOKING,
		name: 'Booking event → Pending Booking Confirmation',
		templateNode: templateNode('pendingBookingConfirmation', 'pending_booking_confirmation|en', {
			customerName: '={{ $json.body.customerName }}',
			serviceName: 'massage',
			date: 'June 12',
			time: '3:30 PM',
		}),
	});
	({ fake, n8n } = await startStack({
		fake: { ackDelayMs: 50, webhookUrls: [INBOX_WEBHOOK_URL] },
		// Only failed statuses start the trigger here, so its executions are the replies.
		workflows: [statusTriggerWorkflow({ outputPerStatus: true, includeMessages: true, statuses: ['failed'] }), booking],
		publish: [BOOKING.id],
	}));
	await n8n.activate(STATUS_TRIGGER.id);
	await fake.waitFor(() => fake.webhookUrls.length === 2, 15_000);
});

afterAll(() => stopStack({ fake, n8n }));

async function sendBooking(reference: string): Promise<string> {
	const response = await n8n.postWebhook(`webhook/${BOOKING.path}`, { phone: '+7 999 123-45-67', customerName: 'Maria', reference });
	const [item] = response.body as Item[];
	expect(item).toMatchObject({ status: 'accepted', reference });
	return String(item.messageId);
}

let executionsSeen = 0;
async function nextReply(): Promise<Item[][]> {
	executionsSeen++;
	const executions = await n8n.waitForExecutions(STATUS_TRIGGER.id, executionsSeen, 20_000);
	const execution = executions[executionsSeen - 1];
	expect(execution.status).toBe('success');
	return nodeOutputs(execution, '1MSG Trigger') as Item[][];
}

describe('real n8n: replies to a sent template reach the trigger tied to it', () => {
	it.each(['ack', 'meta'] as const)('a quick-reply tap (%s format) gives one Reply item with inReplyTo, buttonText and the reference', async (format) => {
		const reference = `booking-${format}`;
		const messageId = await sendBooking(reference);
		await fake.postReply(messageId, { format, buttonIndex: 1 });
		const outputs = await nextReply();
		expect(outputs[REPLY_OUTPUT]).toEqual([
			expect.objectContaining({ event: 'message', inReplyTo: messageId, buttonText: 'Cancel', buttonPayload: reference, phone: '79991234567' }),
		]);
		expect(outputs.flat()).toHaveLength(1);
	});

	it.each(['ack', 'meta'] as const)('a plain text reply (%s format) gives a Reply item with inReplyTo and no button fields', async (format) => {
		const messageId = await sendBooking(`text-${format}`);
		await fake.postReply(messageId, { format, text: 'Can we do 4 PM instead?' });
		const outputs = await nextReply();
		const [reply] = outputs[REPLY_OUTPUT];
		expect(reply).toMatchObject({ inReplyTo: messageId, text: 'Can we do 4 PM instead?' });
		expect(reply).not.toHaveProperty('buttonText');
		expect(reply).not.toHaveProperty('buttonPayload');
	});
});
