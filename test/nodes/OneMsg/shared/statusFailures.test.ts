import { parseChannelEvents, type StatusEvent } from '../../../../nodes/OneMsg/shared/statusEvents';
import { statusFailureOf } from '../../../../nodes/OneMsg/shared/statusFailures';
import { ackBody, metaStatusBody } from '../../../fixtures/webhookBodies';

/** Failure texts as 1MSG's acks carry them, with the category and Meta code each one stands for. */
const KNOWN_FAILURE_TEXTS: Array<[string, string, number]> = [
	["User's number is part of an experiment", 'recipient_unreachable', 130472],
	['Message undeliverable', 'recipient_unreachable', 131026],
	['Message Undeliverable: the recipient is not a WhatsApp user or cannot receive this message.', 'recipient_unreachable', 131026],
	['Message not delivered to maintain healthy ecosystem engagement', 'recipient_unreachable', 131049],
	['Re-engagement message', 'window_closed', 131047],
	['(#131056) (Business Account, Consumer Account) pair rate limit hit', 'rate_limited', 131056],
	['Cloud API message throughput has been reached', 'rate_limited', 130429],
	['Template name does not exist in the translation', 'template_not_found', 132001],
	['Template is paused', 'template_not_found', 132015],
	['Template is disabled', 'template_not_found', 132016],
	['(#132000) Number of parameters does not match the expected number of params', 'param_mismatch', 132000],
];

describe('statusFailureOf', () => {
	it.each(KNOWN_FAILURE_TEXTS)('reads "%s" as %s with Meta code %d', (text, category, metaCode) => {
		expect(statusFailureOf({ message: text })).toEqual({ category, metaCode, failureReason: text });
	});

	it('keeps an unknown text as the reason, with category unknown and no code', () => {
		const text = 'Something new went wrong at the provider';
		expect(statusFailureOf({ message: text })).toEqual({ category: 'unknown', metaCode: null, failureReason: text });
	});

	it('prefers the code a Meta status gives over one a text implies', () => {
		expect(statusFailureOf({ message: 'Message undeliverable', code: 131049 })).toMatchObject({ metaCode: 131049, category: 'recipient_unreachable' });
	});

	it('names an unknown Meta code by its number, category unknown', () => {
		expect(statusFailureOf({ message: 'Generic user error', code: 131000 })).toEqual({
			category: 'unknown',
			metaCode: 131000,
			failureReason: 'Generic user error',
		});
	});
});

describe('failed status items', () => {
	it("carry category, metaCode and failureReason in 1MSG's ack format", () => {
		const [event] = parseChannelEvents(ackBody('failed', { error: "User's number is part of an experiment" })) as StatusEvent[];
		expect(event).toMatchObject({
			status: 'failed',
			category: 'recipient_unreachable',
			metaCode: 130472,
			failureReason: "User's number is part of an experiment",
		});
	});

	it("carry them in Meta's raw format too, from errors[]", () => {
		const [event] = parseChannelEvents(
			metaStatusBody('failed', { errors: [{ code: 130429, title: 'Rate limit hit', message: 'Rate limit hit' }] }),
		) as StatusEvent[];
		expect(event).toMatchObject({ category: 'rate_limited', metaCode: 130429, failureReason: 'Rate limit hit' });
	});

	it('are the only ones with a category', () => {
		const [delivered] = parseChannelEvents(ackBody('delivered')) as StatusEvent[];
		expect(delivered).not.toHaveProperty('category');
		expect(delivered).not.toHaveProperty('failureReason');
	});
});
