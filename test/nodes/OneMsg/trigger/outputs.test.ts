import { parseChannelEvents } from '../../../../nodes/OneMsg/shared/statusEvents';
import { OUTPUTS_EXPRESSION, eventOutputs, outputNames } from '../../../../nodes/OneMsg/trigger/outputs';
import { ackBody, incomingMessageBody, quickReplyTapBody } from '../../../fixtures/webhookBodies';

const events = [
	...parseChannelEvents(ackBody('read')),
	...parseChannelEvents(ackBody('failed', { id: 'wamid.other' })),
	...parseChannelEvents(incomingMessageBody),
	...parseChannelEvents(quickReplyTapBody('chatApi')),
];
const kinds = (outputs: ReturnType<typeof eventOutputs>) =>
	outputs.map((items) =>
		items.map(({ json }) => (json.event === 'status' ? json.status : json.inReplyTo ? 'reply' : json.event)),
	);

describe('trigger outputs', () => {
	it('are named per status, then incoming messages, then replies', () => {
		expect(outputNames(false)).toEqual(['Sent', 'Delivered', 'Read', 'Failed']);
		expect(outputNames(true)).toEqual(['Sent', 'Delivered', 'Read', 'Failed', 'Incoming Message', 'Reply']);
	});

	it('put every event on one output unless each status has its own', () => {
		expect(kinds(eventOutputs(events, false, true))).toEqual([['read', 'failed', 'message', 'reply']]);
	});

	it('put each event on the output of its status, messages and then replies last', () => {
		expect(kinds(eventOutputs(events, true, true))).toEqual([[], [], ['read'], ['failed'], ['message'], ['reply']]);
		expect(kinds(eventOutputs(events, true, false))).toEqual([[], [], ['read'], ['failed']]);
	});

	it('draw the same outputs in the editor, in the same order', () => {
		const drawn = (outputPerStatus: boolean, includeMessages: boolean): unknown => {
			const expression = OUTPUTS_EXPRESSION.slice('={{'.length, -'}}'.length);
			const $parameter = { outputPerStatus, options: { includeMessages } };
			return new Function('$parameter', `return (${expression});`)($parameter);
		};
		expect(drawn(false, true)).toEqual(['main']);
		const names = (outputs: unknown) => (outputs as Array<{ displayName: string }>).map((output) => output.displayName);
		expect(names(drawn(true, false))).toEqual(outputNames(false));
		expect(names(drawn(true, true))).toEqual(outputNames(true));
	});
});
