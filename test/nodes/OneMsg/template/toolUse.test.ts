import type { IDataObject } from 'n8n-workflow';

import { OneMsgTemplate } from '../../../../nodes/OneMsg/OneMsgTemplate.node';
import { toolResult } from '../../../../nodes/OneMsg/template/toolUse';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../../../fake-1msg/server';
import { executeContext } from '../../../helpers/context';

type Fake = Awaited<ReturnType<typeof startFake1msg>>;

const node = new OneMsgTemplate();
const AS_TOOL = 'n8n-nodes-1msg-scenarios.oneMsgTemplateTool';
let fake: Fake;

beforeAll(async () => {
	fake = await startFake1msg({ ackDelayMs: 5 });
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const credentials = () => ({ channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl });
const bookingParams = (phone: string): IDataObject => ({
	operation: 'sendTemplate',
	scenario: 'pendingBookingConfirmation',
	template: { __rl: true, mode: 'list', value: 'pending_booking_confirmation|en' },
	phone,
	customerName: 'Maria',
	serviceName: 'massage',
	date: 'June 12',
	time: '3:30 PM',
	options: {},
});

describe('the answer an AI Agent gets from the tool', () => {
	it('keeps what happened and the message id of a send, and leaves the send record out', () => {
		expect(toolResult({ status: 'accepted', sent: true, messageId: 'wamid.A', recipient: '79991234567', template: 'order_update', renderedText: 'Hi…', response: { sent: true } })).toEqual({
			status: 'accepted',
			messageId: 'wamid.A',
			recipient: '79991234567',
			template: 'order_update',
		});
	});

	it('gives a failure its category, the field and the fix', () => {
		expect(toolResult({ status: 'failed', error: 'Recipient "12" is too short', category: 'invalid_input', field: 'Recipient', description: 'Enter a phone…', statusCode: null, itemIndex: 0 })).toEqual({
			status: 'failed',
			error: 'Recipient "12" is too short',
			category: 'invalid_input',
			field: 'Recipient',
			fix: 'Enter a phone…',
		});
	});
});

describe('1MSG Template run as an AI Agent tool, against the fake 1MSG server', () => {
	it("answers a model's bad phone with the category and the fix, sends nothing and does not throw", async () => {
		const [[answer]] = await node.execute.call(executeContext({ params: bookingParams('12'), credentials: credentials(), nodeType: AS_TOOL, mode: 'webhook' }));
		expect(answer.json).toMatchObject({ status: 'failed', category: 'invalid_input', field: 'Recipient', fix: expect.stringContaining('country code') });
		expect(fake.sends).toHaveLength(0);
	});

	it('sends once when the model calls twice with the same arguments: the second answer is skipped with the first id', async () => {
		const processedValues = new Set<string>();
		const call = async () => (await node.execute.call(executeContext({ params: bookingParams('+7 999 123-45-67'), credentials: credentials(), nodeType: AS_TOOL, mode: 'webhook', processedValues })))[0][0].json;
		const first = await call();
		const second = await call();
		expect(first).toEqual({ status: 'accepted', messageId: fake.sends[0].id, recipient: '79991234567', template: 'pending_booking_confirmation' });
		expect(second).toMatchObject({ status: 'skipped', messageId: first.messageId, reason: 'Already sent' });
		expect(fake.sends).toHaveLength(1);
	});

	it('still sends twice outside tool use, where the form default records sends for retried executions only', async () => {
		const processedValues = new Set<string>();
		for (let i = 0; i < 2; i++) await node.execute.call(executeContext({ params: bookingParams('+7 999 123-45-67'), credentials: credentials(), mode: 'webhook', processedValues }));
		expect(fake.sends).toHaveLength(2);
	});
});
