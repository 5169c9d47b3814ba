import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	normaliseStatus,
	parseChannelEvents,
	timestampOf,
	type MessageEvent,
	type StatusEvent,
} from '../../../../nodes/OneMsg/shared/statusEvents';
import {
	CHANNEL,
	WAMID,
	ackBody,
	fullAckBody,
	hooksBody,
	incomingMessageBody,
	mediaMessageBody,
	metaStatusBody,
	stringFlagEchoBody,
} from '../../../fixtures/webhookBodies';

const RECEIVED = '2026-01-01T00:00:00.000Z';

/** One fixture body of the contract corpus (test/fixtures/contract/, see SOURCES.md), by its file and name. */
function contract(file: string, name: string): Record<string, unknown> {
	const { fixtures } = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../fixtures/contract', file), 'utf8')) as {
		fixtures: Array<{ name: string; body: Record<string, unknown> }>;
	};
	const fixture = fixtures.find((candidate) => candidate.name === name);
	if (!fixture) throw new Error(`no fixture "${name}" in ${file}`);
	return fixture.body;
}

/** A capture message turned into the customer's: the same record with the echo flags off. */
function asCustomers(body: Record<string, unknown>): Record<string, unknown> {
	const messages = body.messages as Array<Record<string, unknown>>;
	return { ...body, messages: messages.map((message) => ({ ...message, self: 0, fromMe: false })) };
}

describe('parseChannelEvents', () => {
	it("reads 1MSG's ack format into one normalised item per status", () => {
		const body = { instanceId: CHANNEL, ack: [ackBody('sent').ack[0], { ...ackBody('delivered').ack[0] }] };
		const events = parseChannelEvents(body, RECEIVED) as StatusEvent[];
		expect(events).toHaveLength(2);
		expect(events[0]).toEqual({
			event: 'status',
			messageId: WAMID,
			status: 'sent',
			rawStatus: 'sent',
			phone: '79991234567',
			chatId: '79991234567@c.us',
			instanceId: CHANNEL,
			error: null,
			timestamp: RECEIVED,
			timestampFromPayload: false,
			raw: body.ack[0],
		});
		expect(events[1].status).toBe('delivered');
	});

	it('gives the same item for ack, Meta statuses and hooks[]', () => {
		const fields = (e: StatusEvent) => [e.messageId, e.status, e.phone, e.chatId];
		const fromAck = parseChannelEvents(ackBody('read'), RECEIVED) as StatusEvent[];
		const fromMeta = parseChannelEvents(metaStatusBody('read'), RECEIVED) as StatusEvent[];
		const fromHooks = parseChannelEvents(hooksBody('read'), RECEIVED) as StatusEvent[];
		expect(fields(fromMeta[0])).toEqual(fields(fromAck[0]));
		expect(fields(fromHooks[0])).toEqual(fields(fromAck[0]));
		expect(fromMeta[0].timestamp).toBe('2025-06-18T16:22:53.000Z');
		expect(fromMeta[0].timestampFromPayload).toBe(true);
	});

	it('maps viewed and played to read, undelivered to failed, and ignores unknown statuses', () => {
		expect(normaliseStatus('viewed')).toBe('read');
		expect(normaliseStatus('PLAYED')).toBe('read');
		expect(normaliseStatus('undelivered')).toBe('failed');
		expect(parseChannelEvents(ackBody('deleted'))).toEqual([]);
	});

	it('carries the failure text of an ack and the Meta code when one can be read', () => {
		const [plain] = parseChannelEvents(ackBody('failed', { error: "User's number is part of an experiment" })) as StatusEvent[];
		expect(plain.error).toEqual({ message: "User's number is part of an experiment" });
		const [coded] = parseChannelEvents(ackBody('failed', { error: '(#131026) Message undeliverable' })) as StatusEvent[];
		expect(coded.error).toEqual({ message: '(#131026) Message undeliverable', code: 131026 });
		const [meta] = parseChannelEvents(
			metaStatusBody('failed', {
				errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'Recipient is not a WhatsApp user' } }],
			}),
		) as StatusEvent[];
		expect(meta.error).toEqual({ message: 'Recipient is not a WhatsApp user', code: 131026 });
	});

	it('emits incoming customer messages, never our own echoes', () => {
		const events = parseChannelEvents(incomingMessageBody, RECEIVED);
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ event: 'message', messageId: 'wamid.incoming1', phone: '79991234567', text: 'Confirm' });
	});

	it.each([null, 'text', 42, [], [{ ack: [] }], { ack: 'x' }, { ack: [null, 1, 'a', { id: 5 }] }, { entry: [{ changes: [null] }] }])(
		'ignores %p without throwing',
		(body) => {
			expect(parseChannelEvents(body)).toEqual([]);
		},
	);
});

describe('statuses as 1MSG really sends them (production capture)', () => {
	it("reads the capture's failed ack: text error, its Meta code and category, and the recipient's bsuid", () => {
		const [event] = parseChannelEvents(contract('capture-acks.json', 'failed ack with text error (experiment / 130472) — capture example'), RECEIVED) as StatusEvent[];
		expect(event).toMatchObject({
			status: 'failed',
			error: { message: "User's number is part of an experiment" },
			category: 'recipient_unreachable',
			metaCode: 130472,
			bsuid: 'CO....',
			instanceId: 'VID182868781',
		});
	});

	it("keeps an ack's bsuid, userName, mmLite and its pricing category apart from the failure category", () => {
		const [delivered] = parseChannelEvents(fullAckBody('delivered'), RECEIVED) as StatusEvent[];
		expect(delivered).toMatchObject({ bsuid: 'CO.1000000000000001', userName: 'maria.shop', mmLite: true, pricingCategory: 'marketing_lite' });
		expect(delivered).not.toHaveProperty('category');
		const [failed] = parseChannelEvents(fullAckBody('failed', { error: "User's number is part of an experiment" }), RECEIVED) as StatusEvent[];
		expect(failed).toMatchObject({ category: 'recipient_unreachable', pricingCategory: 'marketing_lite' });
	});

	it('adds no extra fields to an ack that carries none', () => {
		const [event] = parseChannelEvents(contract('capture-acks.json', 'delivered ack (test input)'), RECEIVED) as StatusEvent[];
		for (const field of ['bsuid', 'userName', 'mmLite', 'pricingCategory']) expect(event).not.toHaveProperty(field);
	});

	it("reads the pricing category of Meta's status as pricingCategory", () => {
		const [event] = parseChannelEvents(contract('meta-webhooks.json', 'status sent (marketing, with conversation + pricing)'), RECEIVED) as StatusEvent[];
		expect(event).toMatchObject({ status: 'sent', pricingCategory: 'marketing', timestamp: '2025-06-15T23:27:53.000Z' });
	});
});

describe('messages as 1MSG really sends them (production capture)', () => {
	it.each([
		['capture-messages.json', 'outgoing text message (type chat, echo) — capture example'],
		['capture-messages.json', 'outgoing document message (media) — capture example'],
		['capture-messages.json', 'outgoing echo whose senderName is the business number (test input)'],
		['spec-2023-webhook-settings.json', 'messages callback body (requestBodies.Messages)'],
	])('drops the echo of our own message: %s "%s"', (file, name) => {
		expect(parseChannelEvents(contract(file, name), RECEIVED)).toEqual([]);
	});

	it.each(['1', 'true'] as const)("drops an echo whose fromMe and self are the string '%s'", (flag) => {
		expect(parseChannelEvents(stringFlagEchoBody(flag), RECEIVED)).toEqual([]);
	});

	it("keeps the customer's message and the ack of 1MSG's own n8n node test body, dropping its echo", () => {
		const events = parseChannelEvents(contract('capture-acks.json', 'normalized messages + ack in one body (1MSG\'s own n8n node test)'), RECEIVED);
		expect(events.map((event) => [event.event, event.messageId])).toEqual([
			['status', 'out'],
			['message', 'in'],
		]);
	});

	it("reads the capture's incoming text: text, kind, and the time sent as a string of seconds", () => {
		const [event] = parseChannelEvents(contract('capture-messages.json', 'incoming text message with authorBsuid (test input derived from capture)'), RECEIVED) as MessageEvent[];
		expect(event).toMatchObject({
			event: 'message',
			messageId: 'ABC1',
			phone: '573001112233',
			type: 'chat',
			messageType: 'text',
			text: 'Hola, necesito info',
			mediaUrl: null,
			senderName: 'Cliente',
			inReplyTo: null,
			timestamp: '2025-07-24T15:20:00.000Z',
		});
	});

	it("keeps a media message's file link as mediaUrl and its caption as the text", () => {
		const [document] = parseChannelEvents(asCustomers(contract('capture-messages.json', 'outgoing document message (media) — capture example')), RECEIVED) as MessageEvent[];
		expect(document).toMatchObject({
			messageType: 'document',
			text: '<X>',
			mediaUrl: 'https://s3.eu-central-1.wasabisys.com/onemessageapp/...<TOKEN>',
			timestamp: RECEIVED,
		});
		for (const type of ['image', 'audio', 'document', 'video']) {
			const [event] = parseChannelEvents(mediaMessageBody(type), RECEIVED) as MessageEvent[];
			expect(event).toMatchObject({ messageType: type, text: 'My invoice, see page 2', mediaUrl: expect.stringMatching(/^https:\/\/s3\./) });
		}
	});

	it('takes the time of receipt when the time is a placeholder, as in the masked capture examples', () => {
		const [event] = parseChannelEvents(asCustomers(contract('capture-messages.json', 'outgoing text message (type chat, echo) — capture example')), RECEIVED) as MessageEvent[];
		expect(event.timestamp).toBe(RECEIVED);
	});
});

describe('timestampOf', () => {
	it.each([
		['a string of seconds (the capture)', '1753370400'],
		['an integer of seconds (the 2023 spec)', 1753370400],
		['milliseconds', 1753370400000],
		['a string of milliseconds', '1753370400000'],
		['an ISO date', '2025-07-24T15:20:00Z'],
	])('reads %s', (_what, value) => {
		expect(timestampOf(value)).toBe('2025-07-24T15:20:00.000Z');
	});

	it.each(['<NUM>', '', 0, -5, null, undefined, 'soon'])('gives nothing for %p', (value) => {
		expect(timestampOf(value)).toBeUndefined();
	});
});
