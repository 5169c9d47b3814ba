/**
 * Replies in a real n8n (2.41.1, and 1.123.81 in the e2e-1.x project): a quick-reply template sent
 * with a Reference, then the customer's tap, text answer or reaction, or the echo of our own message,
 * posted by the fake 1MSG channel in 1MSG's normalized format (as the production capture shows it: no
 * payload on a tap) and Meta's raw one, received by the 1MSG Trigger with one output per status and
 * incoming messages on.
 */
import { nodeOutputs } from '../harness/n8n';
import { replyPayload } from '../fake-1msg/replies';
import { INBOX_WEBHOOK_URL } from '../fake-1msg/server';
import { STATUS_TRIGGER, sendWorkflow, statusTriggerWorkflow, templateNode } from './workflows';
import { type Fake, type N8n, startStack, stopStack } from './stack';

jest.setTimeout(240_000);

type Item = Record<string, unknown>;

const BOOKING = { id: 'wfBookingSend001', path: 'booking-confirmation', webhookId: '5b2e7c1a-3d4f-4e6a-8b9c-0d1e2f3a4b05' };
const MESSAGE_OUTPUT = 4;
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

/** Posts a body straight to the trigger's registered URL (with its secret), for the trigger's own answer. */
async function postToTrigger(body: unknown): Promise<unknown> {
	const url = fake.webhookUrls.find((candidate) => candidate !== INBOX_WEBHOOK_URL);
	if (!url) throw new Error('the trigger registered no URL');
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	expect(response.status).toBe(200);
	return response.json();
}

describe('real n8n: replies to a sent template reach the trigger tied to it', () => {
	it("a tap in 1MSG's normalized format, as the capture shows it, gives one Reply item with inReplyTo, buttonText and buttonPayload null", async () => {
		const messageId = await sendBooking('booking-ack');
		const posted = (await fake.postReply(messageId, { format: 'ack', buttonIndex: 1 })) as { messages: Array<Record<string, unknown>> };
		expect(posted.messages[0]).toMatchObject({ type: 'button', body: 'Cancel', quotedMsgId: messageId });
		expect(JSON.stringify(posted)).not.toContain('booking-ack');
		const outputs = await nextReply();
		expect(outputs[REPLY_OUTPUT]).toEqual([
			expect.objectContaining({
				event: 'message',
				messageType: 'button',
				inReplyTo: messageId,
				buttonText: 'Cancel',
				buttonPayload: null,
				phone: '79991234567',
			}),
		]);
		expect(outputs.flat()).toHaveLength(1);
	});

	it("a tap in Meta's raw format gives one Reply item with inReplyTo, buttonText and Meta's button.payload as buttonPayload", async () => {
		const messageId = await sendBooking('booking-meta');
		type MetaTap = { entry: Array<{ changes: Array<{ value: { messages: Array<{ button: { payload: string } }> } }> }> };
		const posted = (await fake.postReply(messageId, { format: 'meta', buttonIndex: 1 })) as MetaTap;
		// The payload is the one the send gave the button, else (as Meta's reference shows) the label.
		const payload = posted.entry[0].changes[0].value.messages[0].button.payload;
		expect(payload).toEqual(expect.any(String));
		const outputs = await nextReply();
		expect(outputs[REPLY_OUTPUT]).toEqual([
			expect.objectContaining({ event: 'message', inReplyTo: messageId, buttonText: 'Cancel', buttonPayload: payload, phone: '79991234567' }),
		]);
		expect(outputs.flat()).toHaveLength(1);
	});

	it.each(['ack', 'meta'] as const)('a reaction (%s format) comes out on Incoming Message as a reaction, never on Reply', async (format) => {
		const messageId = await sendBooking(`reaction-${format}`);
		await fake.postReply(messageId, { format, reaction: '👍' });
		const outputs = await nextReply();
		expect(outputs[REPLY_OUTPUT]).toEqual([]);
		expect(outputs[MESSAGE_OUTPUT]).toHaveLength(1);
		const [reaction] = outputs[MESSAGE_OUTPUT];
		expect(reaction).toMatchObject({ event: 'message', messageType: 'reaction', text: '👍', inReplyTo: null, reactedTo: messageId });
		expect(reaction).not.toHaveProperty('buttonText');
		expect(reaction).not.toHaveProperty('buttonPayload');
	});

	it.each([
		["the capture's flags (self 1, fromMe true)", true],
		["the strings '1'", { fromMe: '1', self: '1' }],
		["the strings 'true'", { fromMe: 'true', self: 'true' }],
	] as const)('the echo of our own message with %s starts no run and is not counted as accepted', async (_flags, echo) => {
		const messageId = await sendBooking(`echo-${executionsSeen}`);
		const send = fake.sends.find((candidate) => candidate.id === messageId)!;
		expect(await postToTrigger(replyPayload(fake, send, messageId, { format: 'ack', echo, text: 'Hello, Maria!' }))).toEqual({
			received: true,
			accepted: 0,
		});
		// The next run is the customer's answer posted after the echo: the echo started none.
		await fake.postReply(messageId, { format: 'ack', text: 'Thanks!' });
		const outputs = await nextReply();
		expect(outputs.flat()).toEqual([expect.objectContaining({ event: 'message', text: 'Thanks!', inReplyTo: messageId })]);
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
