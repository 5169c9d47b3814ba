/**
 * Sends shaped by the contract corpus (test/fixtures/contract/), in a real n8n (2.41.1, and 1.123.81) with the
 * built package installed, against the fake 1MSG server, which lists authentication templates as Meta lists them:
 * the OTP preset sends Meta's documented body, quick-reply payloads go out only with their option, and a BSUID goes
 * as its `@lid` chat id.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { sendWorkflow, templateNode } from './workflows';
import { type Fake, type N8n, postForFirstItem, startStack, stopStack } from './stack';

jest.setTimeout(240_000);

type Item = Record<string, unknown>;
type Param = { type: string; sub_type?: string; index?: unknown; parameters?: Array<Record<string, unknown>> };

const OTP = { id: 'wfContractOtp001', path: 'contract-otp', webhookId: 'c0a1b2c3-d4e5-4f60-8172-839405a6b701' };
const BOOKING = { id: 'wfContractQr0001', path: 'contract-booking', webhookId: 'c0a1b2c3-d4e5-4f60-8172-839405a6b702' };
const BOOKING_PAYLOADS = { id: 'wfContractQrOpt1', path: 'contract-booking-payloads', webhookId: 'c0a1b2c3-d4e5-4f60-8172-839405a6b703' };

const bookingVariables = {
	customerName: '={{ $json.body.customerName }}',
	serviceName: 'massage',
	date: 'June 12',
	time: '3:30 PM',
};

/** Meta's example send of an authentication template ("Copy code authentication templates", Jun 24, 2026). */
const META_AUTH_SEND = (() => {
	const file = path.join(__dirname, '../fixtures/contract/meta-send-bodies.json');
	const { fixtures } = JSON.parse(fs.readFileSync(file, 'utf8')) as { fixtures: Array<{ name: string; body: { template: { components: Param[] } } }> };
	return fixtures.find((fixture) => fixture.name === 'send authentication template — example request')!.body;
})();
const META_CODE = 'J$FpnYnP';

let fake: Fake;
let n8n: N8n;

beforeAll(async () => {
	({ fake, n8n } = await startStack({
		fake: { ackDelayMs: 50 },
		workflows: [
			sendWorkflow({ ...OTP, name: 'Login → OTP Verification Code', templateNode: templateNode('otpVerification', 'otp_verification|en', { code: '={{ $json.body.code }}' }) }),
			sendWorkflow({ ...BOOKING, name: 'Booking → Pending Booking Confirmation', templateNode: templateNode('pendingBookingConfirmation', 'pending_booking_confirmation|en', bookingVariables) }),
			sendWorkflow({
				...BOOKING_PAYLOADS,
				name: 'Booking → Pending Booking Confirmation, payloads on',
				templateNode: templateNode('pendingBookingConfirmation', 'pending_booking_confirmation|en', bookingVariables, { quickReplyPayloads: true }),
			}),
		],
		publish: [OTP.id, BOOKING.id, BOOKING_PAYLOADS.id],
	}));
});

afterAll(() => stopStack({ fake, n8n }));

const post = async (spec: { path: string }, body: Record<string, unknown>): Promise<Item> => await postForFirstItem(n8n, spec, body);

/** The body of the send 1MSG (the fake) accepted for this item. */
function received(item: Item): { params: Param[] } & Record<string, unknown> {
	const send = fake.sends.find((candidate: { id: string }) => candidate.id === item.messageId);
	expect(send).toBeDefined();
	return send!.body;
}

describe('real n8n: sends as 1MSG and Meta really take them', () => {
	it('the OTP preset sends to otp_verification, listed with a URL code button, the body Meta documents', async () => {
		const template = fake.templates.find((t: { name: string }) => t.name === 'otp_verification')!;
		// The fake lists it as Meta lists a created authentication template.
		expect(JSON.stringify(template.components)).toContain('"type":"URL","text":"Copy code","url":"https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}"');
		const item = await post(OTP, { phone: '+1 201 555 3931', code: META_CODE, reference: 'login-1' });
		expect(item).toMatchObject({ status: 'accepted', template: 'otp_verification', variables: { 'Verification Code': META_CODE } });
		expect(received(item).params).toEqual(META_AUTH_SEND.template.components);
	});

	it('a send with Reference to a quick-reply template carries no quick_reply component by default', async () => {
		const item = await post(BOOKING, { phone: '+7 999 123-45-67', customerName: 'Maria', reference: 'booking-77' });
		expect(item).toMatchObject({ status: 'accepted', reference: 'booking-77' });
		expect(received(item).params).toEqual([
			{ type: 'body', parameters: ['Maria', 'massage', 'June 12', '3:30 PM'].map((text) => ({ type: 'text', text })) },
		]);
	});

	it('with Put Reference in Quick-Reply Payloads, each quick-reply button carries its own payload', async () => {
		const item = await post(BOOKING_PAYLOADS, { phone: '+7 999 123-45-67', customerName: 'Maria', reference: 'booking-78' });
		expect(item).toMatchObject({ status: 'accepted', reference: 'booking-78' });
		const quickReplies = received(item).params.filter((param) => param.sub_type === 'quick_reply');
		expect(quickReplies).toEqual([
			{ type: 'button', sub_type: 'quick_reply', index: 0, parameters: [{ type: 'payload', payload: 'booking-78|0' }] },
			{ type: 'button', sub_type: 'quick_reply', index: 1, parameters: [{ type: 'payload', payload: 'booking-78|1' }] },
		]);
		expect(new Set(quickReplies.map((param) => param.parameters?.[0].payload)).size).toBe(2);
	});

	it('a BSUID recipient goes as chatId …@lid and the output still says bsuid', async () => {
		const item = await post(BOOKING, { phone: 'US.13491208655302741918', customerName: 'Maria', reference: 'booking-79' });
		expect(item).toMatchObject({ status: 'accepted', recipient: 'US.13491208655302741918', recipientType: 'bsuid' });
		const body = received(item);
		expect(body.chatId).toBe('US.13491208655302741918@lid');
		expect(['phone', 'chatId', 'bsuid', 'username'].filter((key) => key in body)).toEqual(['chatId']);
	});
});
