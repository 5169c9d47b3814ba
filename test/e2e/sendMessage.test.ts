/**
 * Send Message in a real n8n (2.41.1, and 1.123.81) with the built package installed, against the fake
 * 1MSG server, which keeps each customer's 24-hour window: inside it a text and reply buttons go out
 * with 1MSG's session methods; outside it the item fails with window_closed, names Send Template as
 * the fix, and nothing is sent.
 */
import { operationNode, sendWorkflow } from './workflows';
import { type Fake, type N8n, postForFirstItem, startStack, stopStack } from './stack';

jest.setTimeout(240_000);

type Item = Record<string, unknown>;

const TEXT = { id: 'wfSendMessage001', path: 'session-text', webhookId: 'd1a2b3c4-e5f6-4a70-8b91-a2b3c4d5e601' };
const BUTTONS = { id: 'wfSendMessage002', path: 'session-buttons', webhookId: 'd1a2b3c4-e5f6-4a70-8b91-a2b3c4d5e602' };
const HOUR = 60 * 60 * 1000;

let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	({ fake, n8n } = await startStack({
		fake: { ackDelayMs: 50 },
		workflows: [
			sendWorkflow({
				...TEXT,
				name: 'Support answer → Send Message',
				templateNode: operationNode('Send Message', {
					operation: 'sendMessage',
					phone: '={{ $json.body.phone }}',
					messageType: 'text',
					text: '={{ $json.body.text }}',
					options: { reference: '={{ $json.body.reference }}', replyTo: '={{ $json.body.replyTo }}' },
				}),
			}),
			sendWorkflow({
				...BUTTONS,
				name: 'Booking question → Send Message with buttons',
				templateNode: operationNode('Ask With Buttons', {
					operation: 'sendMessage',
					phone: '={{ $json.body.phone }}',
					messageType: 'buttons',
					text: 'Shall we keep Friday 3:30 PM?',
					buttons: { button: [{ title: 'Confirm' }, { title: 'Reschedule', id: 'reschedule' }] },
					footer: 'Studio Lotus',
				}),
			}),
		],
		publish: [TEXT.id, BUTTONS.id],
	}));
});

afterAll(() => stopStack({ fake, n8n }));

const post = async (spec: { path: string }, body: Record<string, unknown>): Promise<Item> => await postForFirstItem(n8n, spec, body);

describe('real n8n: Send Message inside and outside the 24-hour window', () => {
	it('sends a text, quoting the customer message, to a customer who wrote an hour ago', async () => {
		fake.customerWrote('79991230001', Date.now() - HOUR);
		const item = await post(TEXT, { phone: '+7 999 123-00-01', text: 'Friday works.\nSee you then!', reference: 'ticket-1', replyTo: 'wamid.HBgLNzk5OTEyMzAwMDEVAgASGBQzQUI' });
		const send = fake.sessionSends.find((candidate: { id: string }) => candidate.id === item.messageId);
		expect(send).toMatchObject({
			method: 'sendMessage',
			body: { phone: 79991230001, body: 'Friday works.\nSee you then!', quotedMsgId: 'wamid.HBgLNzk5OTEyMzAwMDEVAgASGBQzQUI' },
		});
		expect(item).toMatchObject({ status: 'accepted', sent: true, messageType: 'text', reference: 'ticket-1', replyTo: 'wamid.HBgLNzk5OTEyMzAwMDEVAgASGBQzQUI' });
	});

	it('fails the item with window_closed, naming Send Template, when the customer wrote 25 hours ago; nothing is sent', async () => {
		fake.customerWrote('79991230002', Date.now() - 25 * HOUR);
		const item = await post(TEXT, { phone: '79991230002', text: 'Are you still there?', reference: 'ticket-2' });
		expect(item).toMatchObject({ status: 'failed', category: 'window_closed', error: 'Dialog window is closed', reference: 'ticket-2' });
		expect(String(item.description)).toContain('Send Template operation');
		expect(fake.sessionSends.filter((send: { phone: string }) => send.phone === '79991230002')).toEqual([]);
	});

	it('sends reply buttons with their titles and ids inside the window', async () => {
		fake.customerWrote('79991230003');
		const item = await post(BUTTONS, { phone: '79991230003' });
		expect(item).toMatchObject({ status: 'accepted', messageType: 'buttons', buttons: ['Confirm', 'Reschedule'], footer: 'Studio Lotus' });
		const send = fake.sessionSends.find((candidate: { id: string }) => candidate.id === item.messageId);
		expect(send?.body).toEqual({
			phone: '79991230003',
			body: 'Shall we keep Friday 3:30 PM?',
			footer: 'Studio Lotus',
			sections: [
				{ type: 'reply', reply: { id: 'Confirm', title: 'Confirm' } },
				{ type: 'reply', reply: { id: 'reschedule', title: 'Reschedule' } },
			],
		});
	});
});
