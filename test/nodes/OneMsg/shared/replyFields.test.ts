import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseChannelEvents, type MessageEvent } from '../../../../nodes/OneMsg/shared/statusEvents';
import {
	REFERENCE,
	WAMID,
	incomingMessageBody,
	interactiveReplyBody,
	quickReplyTapBody,
	reactionBody,
	textReplyBody,
} from '../../../fixtures/webhookBodies';

/** One fixture body of the contract corpus (test/fixtures/contract/, see SOURCES.md), by its file and name. */
function contract(file: string, name: string): unknown {
	const { fixtures } = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../fixtures/contract', file), 'utf8')) as {
		fixtures: Array<{ name: string; body: unknown }>;
	};
	const fixture = fixtures.find((candidate) => candidate.name === name);
	if (!fixture) throw new Error(`no fixture "${name}" in ${file}`);
	return fixture.body;
}

const only = (body: unknown) => {
	const events = parseChannelEvents(body) as MessageEvent[];
	expect(events).toHaveLength(1);
	return events[0];
};

describe('replies to our messages', () => {
	it("a quick-reply tap in Meta's raw format names the template, the button and its payload", () => {
		expect(only(quickReplyTapBody('meta'))).toMatchObject({
			event: 'message',
			phone: '79991234567',
			messageType: 'button',
			inReplyTo: WAMID,
			buttonText: 'Confirm',
			buttonPayload: REFERENCE,
			text: 'Confirm',
		});
	});

	it("a quick-reply tap in 1MSG's normalized format names the template and the button, and has no payload", () => {
		expect(only(quickReplyTapBody('chatApi'))).toMatchObject({
			event: 'message',
			phone: '79991234567',
			messageType: 'button',
			inReplyTo: WAMID,
			buttonText: 'Confirm',
			buttonPayload: null,
			text: 'Confirm',
		});
	});

	it('a Meta tap without a label keeps its payload and copies it nowhere else', () => {
		const meta = quickReplyTapBody('meta') as unknown as { entry: Array<{ changes: Array<{ value: { messages: Array<Record<string, unknown>> } }> }> };
		meta.entry[0].changes[0].value.messages[0].button = { payload: REFERENCE };
		expect(only(meta)).toMatchObject({ buttonText: null, buttonPayload: REFERENCE, text: null });
	});

	it('a normalized tap that does carry a payload field keeps it', () => {
		const tap = quickReplyTapBody('chatApi') as { messages: Array<Record<string, unknown>> };
		tap.messages[0] = { ...tap.messages[0], payload: REFERENCE };
		expect(only(tap)).toMatchObject({ buttonText: 'Confirm', buttonPayload: REFERENCE });
	});

	it("Meta's own tap examples keep their payloads (template button, authentication template, interactive button)", () => {
		expect(only(contract('meta-webhooks.json', 'template quick-reply button tap (type button)'))).toMatchObject({
			inReplyTo: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=',
			buttonText: 'Unsubscribe',
			buttonPayload: 'Unsubscribe',
			timestamp: '2025-06-16T16:24:05.000Z',
		});
		expect(only(contract('meta-webhooks.json', "'I didn't request a code' tap on an authentication template (type button)"))).toMatchObject({
			buttonText: "I didn't request a code",
			buttonPayload: 'DID_NOT_REQUEST_CODE',
		});
		expect(only(contract('meta-webhooks.json', 'interactive reply-button tap (button_reply)'))).toMatchObject({
			messageType: 'button',
			inReplyTo: 'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBJBM0Y4RUU0RUNFQkFDMjYzQUMA',
		});
	});

	it.each(['chatApi', 'meta'] as const)('a reaction (%s format) is a reaction: it answers nothing and has no button fields', (format) => {
		const event = only(reactionBody(format));
		expect(event).toMatchObject({ event: 'message', messageType: 'reaction', type: 'reaction', text: '👍', inReplyTo: null, reactedTo: WAMID });
		expect(event).not.toHaveProperty('buttonText');
		expect(event).not.toHaveProperty('buttonPayload');
	});

	it("the capture's reply test input ties the answer to the message it quotes", () => {
		expect(only(contract('capture-messages.json', 'reply with quotedMsgId (test input)'))).toMatchObject({
			messageType: 'text',
			text: 'ok',
			inReplyTo: 'ORIG1',
		});
	});

	it("an interactive reply button (Meta's button_reply) gives its title and id", () => {
		expect(only(interactiveReplyBody())).toMatchObject({ inReplyTo: WAMID, buttonText: 'Confirm', buttonPayload: REFERENCE });
	});

	it.each(['chatApi', 'meta'] as const)('a plain text reply (%s format) names the template and has no button fields', (format) => {
		const event = only(textReplyBody(format));
		expect(event).toMatchObject({ inReplyTo: WAMID, messageType: 'text', text: 'Can we move it to Friday?' });
		expect(event).not.toHaveProperty('buttonText');
		expect(event).not.toHaveProperty('buttonPayload');
	});

	it('a message that answers nothing has inReplyTo null', () => {
		const [event] = parseChannelEvents(incomingMessageBody) as MessageEvent[];
		expect(event.inReplyTo).toBeNull();
		expect(event).not.toHaveProperty('buttonText');
	});
});
