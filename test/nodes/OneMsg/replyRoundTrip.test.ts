/**
 * A quick-reply template sent with a Reference, tapped by the customer, received by the trigger: the
 * tap comes back naming the template's messageId in both webhook formats, and carrying the payload
 * the send gave its button only in Meta's (raw hooks).
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { OneMsgTemplate } from '../../../nodes/OneMsg/OneMsgTemplate.node';
import { OneMsgTrigger } from '../../../nodes/OneMsg/OneMsgTrigger.node';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../../fake-1msg/server';
import { replyPayload } from '../../fake-1msg/replies';
import { executeContext, triggerRun, webhookContext } from '../../helpers/context';

type Fake = Awaited<ReturnType<typeof startFake1msg>>;

let fake: Fake;
beforeAll(async () => {
	fake = await startFake1msg({ ackDelayMs: 5 });
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const credentials = () => ({ channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl });

const bookingParams = (options: IDataObject): IDataObject => ({
	operation: 'sendTemplate',
	scenario: 'pendingBookingConfirmation',
	template: { __rl: true, mode: 'list', value: 'pending_booking_confirmation|en' },
	phone: '79991234567',
	customerName: 'Maria',
	serviceName: 'massage',
	date: 'June 12',
	time: '3:30 PM',
	options,
});

async function sendBooking(options: IDataObject) {
	const [[item]] = await new OneMsgTemplate().execute.call(executeContext({ params: bookingParams(options), credentials: credentials() }));
	expect(item.json.status).toBe('accepted');
	return { messageId: String(item.json.messageId), body: fake.sends[fake.sends.length - 1].body };
}

async function receive(body: unknown) {
	const staticData: IDataObject = { secret: 'round-trip-secret' };
	const params = { statuses: ['failed'], outputPerStatus: true, options: { includeMessages: true } };
	const { context } = webhookContext({
		credentials: credentials(),
		webhookUrl: 'http://127.0.0.1:5688/webhook/round-trip/webhook',
		staticData,
		params,
		body,
		query: { secret: staticData.secret },
	});
	const trigger = new OneMsgTrigger();
	const result = await trigger.webhook.call(context as unknown as IWebhookFunctions);
	return await triggerRun(trigger, result.workflowData!, params);
}

describe('a quick-reply template, round trip', () => {
	it('sends no quick-reply payload by default, Reference or not; with the option, one payload per button naming it', async () => {
		const byDefault = await sendBooking({ reference: 'booking-77' });
		expect(byDefault.body.params.filter((param: IDataObject) => param.type === 'button')).toEqual([]);
		const withOption = await sendBooking({ reference: 'booking-77', quickReplyPayloads: true });
		expect(withOption.body.params.filter((param: IDataObject) => param.type === 'button')).toEqual([
			{ type: 'button', sub_type: 'quick_reply', index: 0, parameters: [{ type: 'payload', payload: 'booking-77|0' }] },
			{ type: 'button', sub_type: 'quick_reply', index: 1, parameters: [{ type: 'payload', payload: 'booking-77|1' }] },
		]);
	});

	it.each(['ack', 'meta'] as const)('a tap (%s format) reaches Reply with inReplyTo and buttonText; only raw hooks carry its payload', async (format) => {
		const { messageId } = await sendBooking({ reference: 'booking-77', quickReplyPayloads: true });
		const send = fake.sends.find((candidate: { id: string }) => candidate.id === messageId)!;
		const tap = replyPayload(fake, send, 'wamid.tap1', { format, button: { text: 'Cancel', payload: 'booking-77|1' } });
		const outputs = await receive(tap);
		expect(outputs[5].map((item) => item.json)).toEqual([
			expect.objectContaining({ event: 'message', inReplyTo: messageId, buttonText: 'Cancel', buttonPayload: format === 'meta' ? 'booking-77|1' : null }),
		]);
	});

	it.each(['ack', 'meta'] as const)('a text reply (%s format) reaches Reply with inReplyTo and no button fields', async (format) => {
		const { messageId } = await sendBooking({ reference: 'booking-77' });
		const send = fake.sends.find((candidate: { id: string }) => candidate.id === messageId)!;
		const outputs = await receive(replyPayload(fake, send, 'wamid.text1', { format, text: 'Can we do 4 PM?' }));
		const [reply] = outputs[5].map((item) => item.json);
		expect(reply).toMatchObject({ inReplyTo: messageId, text: 'Can we do 4 PM?' });
		expect(reply).not.toHaveProperty('buttonText');
		expect(reply).not.toHaveProperty('buttonPayload');
	});
});
