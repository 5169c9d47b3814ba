import { parseChannelEvents, type MessageEvent } from '../../../../nodes/OneMsg/shared/statusEvents';
import {
	REFERENCE,
	WAMID,
	incomingMessageBody,
	interactiveReplyBody,
	quickReplyTapBody,
	textReplyBody,
} from '../../../fixtures/webhookBodies';

const only = (body: unknown) => {
	const events = parseChannelEvents(body) as MessageEvent[];
	expect(events).toHaveLength(1);
	return events[0];
};

describe('replies to our messages', () => {
	it.each(['chatApi', 'meta'] as const)('a quick-reply tap (%s format) names the template, the button and its payload', (format) => {
		expect(only(quickReplyTapBody(format))).toMatchObject({
			event: 'message',
			phone: '79991234567',
			inReplyTo: WAMID,
			buttonText: 'Confirm',
			buttonPayload: REFERENCE,
			text: 'Confirm',
		});
	});

	it("an interactive reply button (Meta's button_reply) gives its title and id", () => {
		expect(only(interactiveReplyBody())).toMatchObject({ inReplyTo: WAMID, buttonText: 'Confirm', buttonPayload: REFERENCE });
	});

	it.each(['chatApi', 'meta'] as const)('a plain text reply (%s format) names the template and has no button fields', (format) => {
		const event = only(textReplyBody(format));
		expect(event).toMatchObject({ inReplyTo: WAMID, text: 'Can we move it to Friday?' });
		expect(event).not.toHaveProperty('buttonText');
		expect(event).not.toHaveProperty('buttonPayload');
	});

	it('a message that answers nothing has inReplyTo null', () => {
		const [event] = parseChannelEvents(incomingMessageBody) as MessageEvent[];
		expect(event.inReplyTo).toBeNull();
		expect(event).not.toHaveProperty('buttonText');
	});
});
