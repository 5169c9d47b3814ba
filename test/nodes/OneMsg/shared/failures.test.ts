import { failureFromResponse } from '../../../../nodes/OneMsg/shared/apiAnswers';
import { CATEGORIES, ChannelConfigError, InputError, describeFailure, failureOf } from '../../../../nodes/OneMsg/shared/failures';
import { toNodeApiError } from '../../../../nodes/OneMsg/shared/transport';
import { TEST_NODE } from '../../../helpers/context';

describe('failure categories', () => {
	it('give unknown_outcome, and only it, the item status "unknown"', () => {
		const unknown = Object.entries(CATEGORIES).filter(([, rule]) => rule.status === 'unknown').map(([category]) => category);
		expect(unknown).toEqual(['unknown_outcome']);
	});

	it('let only rate-limited answers be repeated', () => {
		const retryable = Object.entries(CATEGORIES).filter(([, rule]) => rule.retryable).map(([category]) => category);
		expect(retryable).toEqual(['rate_limited']);
	});

	it("give an answer its category's fix", () => {
		const failure = failureFromResponse({ statusCode: 200, body: { sent: false, message: 'Dialog window is closed' }, isSend: true });
		expect(failure?.description).toBe(CATEGORIES.window_closed.fix);
	});
});

describe('describeFailure', () => {
	it('reads a bad item with its field and fix', () => {
		const error = new InputError('Recipient Phone', 'Recipient Phone is empty', 'Enter the number.');
		expect(describeFailure(error)).toEqual({
			message: 'Recipient Phone is empty',
			description: 'Enter the number.',
			category: 'invalid_input',
			field: 'Recipient Phone',
		});
	});

	it('reads an API failure carried by a node error', () => {
		const failure = failureFromResponse({ statusCode: 429, body: { error: 'Rate limit exceeded' }, isSend: true });
		const error = toNodeApiError(TEST_NODE, failure!);
		expect(failureOf(error)).toBe(failure);
		expect(describeFailure(error)).toEqual({
			message: 'Rate limit exceeded',
			description: CATEGORIES.rate_limited.fix,
			category: 'rate_limited',
			statusCode: 429,
		});
	});

	it('reads any other error as a server failure, keeping its description', () => {
		const error = new ChannelConfigError('This 1MSG token is not tied to a channel', 'Fill in Channel ID.');
		expect(describeFailure(error)).toEqual({
			message: 'This 1MSG token is not tied to a channel',
			description: 'Fill in Channel ID.',
			category: 'server',
		});
	});
});
