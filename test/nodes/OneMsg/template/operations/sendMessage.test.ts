import type { IDataObject } from 'n8n-workflow';

import { OneMsgTemplate } from '../../../../../nodes/OneMsg/OneMsgTemplate.node';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../../../../fake-1msg/server';
import { executeContext } from '../../../../helpers/context';

type Fake = Awaited<ReturnType<typeof startFake1msg>>;

const node = new OneMsgTemplate();
const CUSTOMER = '79991234567';
const HOUR = 60 * 60 * 1000;
let fake: Fake;

beforeAll(async () => {
	fake = await startFake1msg({ ackDelayMs: 5 });
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const credentials = () => ({ channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl });
const messageParams = (overrides: IDataObject = {}): IDataObject => ({
	operation: 'sendMessage',
	phone: `+${CUSTOMER}`,
	messageType: 'text',
	text: 'Thanks, Maria! Your booking is moved to Friday 3:30 PM.',
	options: { reference: 'ticket-5521' },
	...overrides,
});
const run = async (params: IDataObject, extra: Partial<Parameters<typeof executeContext>[0]> = {}) =>
	(await node.execute.call(executeContext({ params, credentials: credentials(), continueOnFail: true, ...extra })))[0];

describe('Send Message against the fake 1MSG server', () => {
	it('sends a text to a customer who wrote within 24 hours and returns its message id', async () => {
		fake.customerWrote(CUSTOMER, Date.now() - 23 * HOUR);
		const [item] = await run(messageParams());
		expect(fake.sessionSends).toHaveLength(1);
		expect(fake.sessionSends[0]).toMatchObject({ method: 'sendMessage', body: { phone: 79991234567, body: 'Thanks, Maria! Your booking is moved to Friday 3:30 PM.' } });
		expect(item.json).toMatchObject({
			messageId: fake.sessionSends[0].id,
			status: 'accepted',
			sent: true,
			recipient: CUSTOMER,
			messageType: 'text',
			reference: 'ticket-5521',
		});
	});

	it('fails with window_closed and says to send a template when the customer last wrote more than 24 hours ago', async () => {
		fake.customerWrote(CUSTOMER, Date.now() - 25 * HOUR);
		const [item] = await run(messageParams());
		expect(fake.sessionSends).toHaveLength(0);
		expect(item.json).toMatchObject({ status: 'failed', category: 'window_closed', statusCode: 400, error: 'Dialog window is closed', reference: 'ticket-5521' });
		expect(String(item.json.description)).toContain("Send Template operation");
	});

	it('sends reply buttons and a file with their own methods', async () => {
		fake.customerWrote(CUSTOMER);
		await run(messageParams({ messageType: 'buttons', text: 'Keep Friday?', buttons: { button: [{ title: 'Confirm' }, { title: 'Reschedule' }] } }));
		await run(messageParams({ messageType: 'file', fileLink: 'https://example.com/invoice-1042.pdf', text: 'Your invoice' }));
		expect(fake.sessionSends.map((send: { method: string }) => send.method)).toEqual(['sendButton', 'sendFile']);
		expect(fake.sessionSends[0].body.sections).toHaveLength(2);
		expect(fake.sessionSends[1].body).toMatchObject({ filename: 'invoice-1042.pdf', caption: 'Your invoice' });
	});

	it('gives every input item one output item and sends nothing for a bad one', async () => {
		fake.customerWrote(CUSTOMER);
		const items = [{ json: { buttons: [{ title: 'Yes' }] } }, { json: { buttons: [{ title: 'A' }, { title: 'B' }, { title: 'C' }, { title: 'D' }] } }];
		const out = await run(messageParams(), {
			items,
			params: (i: number) => messageParams({ messageType: 'buttons', text: 'Choose', buttons: { button: items[i].json.buttons } }),
		});
		expect(out.map((item) => item.json.status)).toEqual(['accepted', 'failed']);
		expect(out[1].json).toMatchObject({ category: 'invalid_input', field: 'Buttons' });
		expect(fake.sessionSends).toHaveLength(1);
	});

	it('sends nothing twice when the execution is retried: the retry skips the message with its first id', async () => {
		fake.customerWrote(CUSTOMER);
		const processedValues = new Set<string>();
		const [first] = await run(messageParams(), { processedValues });
		const [again] = await run(messageParams(), { processedValues, mode: 'retry' });
		expect(fake.sessionSends).toHaveLength(1);
		expect(again.json).toMatchObject({ status: 'skipped', sent: false, messageId: first.json.messageId });
	});
});
