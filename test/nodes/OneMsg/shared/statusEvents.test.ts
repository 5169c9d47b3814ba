import {
	normaliseStatus,
	parseChannelEvents,
	type StatusEvent,
} from '../../../../nodes/OneMsg/shared/statusEvents';
import { CHANNEL, WAMID, ackBody, hooksBody, incomingMessageBody, metaStatusBody } from '../../../fixtures/webhookBodies';

const RECEIVED = '2026-01-01T00:00:00.000Z';

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
