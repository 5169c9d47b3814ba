import { parseChannelEvents } from '../../../../nodes/OneMsg/shared/statusEvents';
import type { ProgressClaim } from '../../../../nodes/OneMsg/trigger/repeats';
import { IN_FLIGHT_LIMIT_MS, StatusProgress, newEvents, statusProgressFor, forgetStatusProgress } from '../../../../nodes/OneMsg/trigger/repeats';
import { WAMID, ackBody, incomingMessageBody } from '../../../fixtures/webhookBodies';

const ALL_STATUSES = { statuses: new Set(['sent', 'delivered', 'read', 'failed']), includeMessages: false };

describe('StatusProgress', () => {
	it('emits each status of a message once and never goes backwards', () => {
		const progress = new StatusProgress(100);
		expect(progress.advance('m1', 'sent')).toBe(true);
		expect(progress.advance('m1', 'sent')).toBe(false);
		expect(progress.advance('m1', 'read')).toBe(true);
		expect(progress.advance('m1', 'delivered')).toBe(false);
		expect(progress.advance('m1', 'sent')).toBe(false);
	});

	it('keeps failed unless the message was already delivered', () => {
		const progress = new StatusProgress(100);
		progress.advance('a', 'sent');
		expect(progress.advance('a', 'failed')).toBe(true);
		progress.advance('b', 'delivered');
		expect(progress.advance('b', 'failed')).toBe(false);
	});

	it('takes back the steps it is given, so a status n8n did not take passes again', () => {
		const progress = new StatusProgress(100);
		progress.advance('m1', 'sent');
		const claims: ProgressClaim[] = [];
		expect(progress.advance('m1', 'delivered', claims)).toBe(true);
		expect(progress.advance('m2', 'sent', claims)).toBe(true);
		progress.release(claims);
		expect(progress.advance('m1', 'sent')).toBe(false);
		expect(progress.advance('m1', 'delivered')).toBe(true);
		expect(progress.advance('m2', 'sent')).toBe(true);
	});

	it('keeps a newer step taken after the one it takes back', () => {
		const progress = new StatusProgress(100);
		const claims: ProgressClaim[] = [];
		progress.advance('m1', 'delivered', claims);
		progress.advance('m1', 'read');
		progress.release(claims);
		expect(progress.advance('m1', 'read')).toBe(false);
		expect(progress.advance('m1', 'delivered')).toBe(false);
	});

	it('holds a status as in flight until n8n answers, then keeps it on a 2xx', () => {
		const progress = new StatusProgress(100);
		const claims: ProgressClaim[] = [];
		const first = parseChannelEvents(ackBody('delivered'));
		newEvents(first, progress, ALL_STATUSES, claims);
		progress.hold(claims, 1000);
		expect(progress.anyInFlight(parseChannelEvents(ackBody('delivered')), 6000)).toBe(true);
		// A later status of the same message is not the held one.
		expect(progress.anyInFlight(parseChannelEvents(ackBody('read')), 6000)).toBe(false);
		progress.settle(claims, true);
		expect(progress.anyInFlight(first, 7000)).toBe(false);
		expect(newEvents(parseChannelEvents(ackBody('delivered')), progress, ALL_STATUSES)).toEqual([]);
	});

	it('takes a held status back when n8n answers with an error, so the retry runs', () => {
		const progress = new StatusProgress(100);
		const claims: ProgressClaim[] = [];
		newEvents(parseChannelEvents(ackBody('delivered')), progress, ALL_STATUSES, claims);
		progress.hold(claims, 1000);
		progress.settle(claims, false);
		expect(progress.anyInFlight(parseChannelEvents(ackBody('delivered')), 2000)).toBe(false);
		expect(newEvents(parseChannelEvents(ackBody('delivered')), progress, ALL_STATUSES)).toHaveLength(1);
	});

	it('lets a retry run once a hold has lasted longer than the in-flight limit', () => {
		const progress = new StatusProgress(100);
		const claims: ProgressClaim[] = [];
		newEvents(parseChannelEvents(ackBody('sent')), progress, ALL_STATUSES, claims);
		progress.hold(claims, 0);
		expect(progress.anyInFlight(parseChannelEvents(ackBody('sent')), IN_FLIGHT_LIMIT_MS)).toBe(true);
		expect(progress.anyInFlight(parseChannelEvents(ackBody('sent')), IN_FLIGHT_LIMIT_MS + 1)).toBe(false);
		expect(newEvents(parseChannelEvents(ackBody('sent')), progress, ALL_STATUSES)).toHaveLength(1);
	});

	it("keeps a retry's step when the post it replaced, held too long, is answered with an error at last", () => {
		const progress = new StatusProgress(100);
		const first: ProgressClaim[] = [];
		newEvents(parseChannelEvents(ackBody('sent')), progress, ALL_STATUSES, first);
		progress.hold(first, 0);
		expect(progress.anyInFlight(parseChannelEvents(ackBody('sent')), IN_FLIGHT_LIMIT_MS + 1)).toBe(false);
		const retry: ProgressClaim[] = [];
		expect(newEvents(parseChannelEvents(ackBody('sent')), progress, ALL_STATUSES, retry)).toHaveLength(1);
		progress.hold(retry, IN_FLIGHT_LIMIT_MS + 1);
		progress.settle(first, false);
		expect(progress.anyInFlight(parseChannelEvents(ackBody('sent')), IN_FLIGHT_LIMIT_MS + 2)).toBe(true);
		progress.settle(retry, true);
		expect(newEvents(parseChannelEvents(ackBody('sent')), progress, ALL_STATUSES)).toEqual([]);
	});

	it('stays within its capacity, forgetting the oldest messages first', () => {
		const progress = new StatusProgress(3);
		for (const id of ['a', 'b', 'c', 'd']) progress.advance(id, 'sent');
		// Three remembered, the oldest of the four forgotten.
		for (const id of ['b', 'c', 'd']) expect(progress.advance(id, 'sent')).toBe(false);
		expect(progress.advance('a', 'sent')).toBe(true);
		expect(progress.advance('d', 'sent')).toBe(false);
	});
});

describe('newEvents', () => {
	const ALL = { statuses: new Set(['sent', 'delivered', 'read', 'failed']), includeMessages: false };

	it('passes a status once, and drops its repeat in a later body', () => {
		const progress = new StatusProgress(100);
		expect(newEvents(parseChannelEvents(ackBody('delivered')), progress, ALL).map((event) => event.event)).toEqual(['status']);
		expect(newEvents(parseChannelEvents(ackBody('delivered')), progress, ALL)).toEqual([]);
		expect(newEvents(parseChannelEvents(ackBody('sent')), progress, ALL)).toEqual([]);
	});

	it('remembers statuses that are not selected, so a late one is still dropped once selected', () => {
		const progress = new StatusProgress(100);
		expect(newEvents(parseChannelEvents(ackBody('read')), progress, { ...ALL, statuses: new Set(['failed']) })).toEqual([]);
		expect(newEvents(parseChannelEvents(ackBody('delivered')), progress, ALL)).toEqual([]);
	});

	it('passes incoming messages only when they are included', () => {
		const progress = new StatusProgress(100);
		const body = incomingMessageBody;
		expect(newEvents(parseChannelEvents(body), progress, ALL)).toEqual([]);
		const messages = newEvents(parseChannelEvents(body), progress, { ...ALL, includeMessages: true });
		expect(messages.map((event) => event.event)).toEqual(['message']);
	});
});

describe('statusProgressFor', () => {
	it('keeps one memory per trigger until the trigger is forgotten', () => {
		statusProgressFor('wf-a:node').advance(WAMID, 'read');
		expect(statusProgressFor('wf-a:node').advance(WAMID, 'read')).toBe(false);
		expect(statusProgressFor('wf-b:node').advance(WAMID, 'read')).toBe(true);
		forgetStatusProgress('wf-a:node');
		expect(statusProgressFor('wf-a:node').advance(WAMID, 'read')).toBe(true);
	});
});
