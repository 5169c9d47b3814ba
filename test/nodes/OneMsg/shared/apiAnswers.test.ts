import { extractApiMessage, failureFromNetworkError, failureFromResponse } from '../../../../nodes/OneMsg/shared/apiAnswers';

const send = (statusCode: number, body: unknown, headers: Record<string, unknown> = {}) =>
	failureFromResponse({ statusCode, body, headers, isSend: true });

describe('1MSG error shapes', () => {
	it('accepts only sent:true as a successful send', () => {
		expect(send(200, { sent: true, id: 'wamid.1' })).toBeUndefined();
		expect(send(200, { sent: false, message: 'x' })).toMatchObject({ statusCode: 200 });
	});

	it.each([
		[200, { sent: false, message: '(#132000) Number of parameters does not match the expected number of params' }, 'param_mismatch'],
		[400, { message: 'template is not defined' }, 'template_not_found'],
		[400, { error: 'Dialog window is closed' }, 'window_closed'],
		[200, { sent: false, message: "User's number is part of an experiment" }, 'recipient_unreachable'],
		[401, { error: 'Wrong token "abc…" for channel "1". Please provide token as a GET parameter.' }, 'auth'],
		[429, { error: 'Rate limit exceeded' }, 'rate_limited'],
		[200, { sent: false, message: '(#131056) pair rate limit hit' }, 'rate_limited'],
		[502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'unknown_outcome'],
		[200, { sent: false, jobId: 'job-1' }, 'unknown_outcome'],
		[200, '{"sent":tru', 'unknown_outcome'],
		[200, { sent: false, message: '(#100) Invalid parameter', description: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces' }, 'invalid_input'],
	])('HTTP %i %j is %s', (status, body, category) => {
		expect(send(status, body)?.category).toBe(category);
	});

	it('retries only what proves nothing was sent', () => {
		expect(send(429, {}, { 'retry-after': '2' })).toMatchObject({ retryable: true, retryAfterMs: 2000 });
		expect(send(503, {})?.retryable).toBe(false);
		expect(failureFromNetworkError('ECONNREFUSED', 'connect ECONNREFUSED', true)).toMatchObject({ retryable: true, category: 'server' });
		expect(failureFromNetworkError('ECONNABORTED', 'timeout of 1000ms exceeded', true)).toMatchObject({ retryable: false, category: 'unknown_outcome' });
	});

	it("reads Meta's nested error and text bodies", () => {
		expect(extractApiMessage({ error: { message: 'Invalid OAuth', error_user_msg: 'Token expired' } })).toBe('Token expired');
		expect(extractApiMessage({ response: { error: 'upstream' } })).toBe('upstream');
		expect(extractApiMessage('<html><title>x</title><body>Service Unavailable</body></html>')).toBe('x Service Unavailable');
	});

	it('says how to fix each category', () => {
		expect(send(401, { error: 'Wrong token' })?.description).toMatch(/token in the 1MSG Channel API credential/);
		expect(send(502, {})?.description).toMatch(/not sent again/);
		expect(send(200, { sent: false, message: 'Phone number is not valid' })).toMatchObject({
			category: 'invalid_input',
			description: expect.stringMatching(/country code/),
		});
		for (const message of ['bsuid routing is disabled', 'Username routing is disabled for this channel']) {
			expect(send(200, { sent: false, message })).toMatchObject({
				category: 'invalid_input',
				retryable: false,
				description: expect.stringMatching(/Send the phone number or chat ID instead/),
			});
		}
	});
});
