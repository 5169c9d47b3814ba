import { defaultSendKey, readSkipPolicy, storeValues, WINDOW_MS } from '../../../../nodes/OneMsg/template/alreadySent';
import type { SendTemplateBody } from '../../../../nodes/OneMsg/template/sendPlan';

const body = (phone: string, text: string): SendTemplateBody => ({
	phone,
	template: 'order_no_response_notification',
	namespace: '7d3c0f5e_8a2b_4c1d_9e6f_1a2b3c4d5e6f',
	language: { policy: 'deterministic', code: 'en' },
	params: [{ type: 'body', parameters: [{ type: 'text', text }] }] as unknown as SendTemplateBody['params'],
});

describe('default send key', () => {
	it('names recipient, template and language, and differs when a value differs', () => {
		const a = defaultSendKey(body('79991234567', 'Alexey'));
		expect(a).toMatch(/^79991234567:order_no_response_notification:en:[0-9a-f]{16}$/);
		expect(defaultSendKey(body('79991234567', 'Alexey'))).toBe(a);
		expect(defaultSendKey(body('79991234567', 'Maria'))).not.toBe(a);
		expect(defaultSendKey(body('79991234568', 'Alexey'))).not.toBe(a);
	});
});

describe('stored values of a key', () => {
	it('forever stores the key itself', () => {
		expect(storeValues('order-1', 'forever', Date.now())).toEqual(['order-1']);
	});

	it('a window stores the current and the previous bucket, so a key sent at the end of a bucket is still found in the next', () => {
		const day = WINDOW_MS['24h'];
		const lateInDay = 20_000 * day + day - 1;
		const [current] = storeValues('order-1', '24h', lateInDay);
		const nextDay = storeValues('order-1', '24h', lateInDay + 2);
		expect(nextDay[1]).toBe(current);
		expect(nextDay[0]).not.toBe(current);
		// Two windows later the key is no longer among the values checked.
		expect(storeValues('order-1', '24h', lateInDay + 2 * day)).not.toContain(current);
	});
});

describe('skip options', () => {
	it('default to recording every send and skipping in retried executions, with a 7-day window', () => {
		expect(readSkipPolicy({})).toEqual({ policy: 'retries', window: '7d' });
		expect(readSkipPolicy({ skipAlreadySent: 'always', skipWindow: 'forever' })).toEqual({ policy: 'always', window: 'forever' });
	});
});
