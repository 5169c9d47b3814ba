/**
 * Concurrency, pacing and retries of the Template node against the fake 1MSG server over real HTTP:
 * every message is sent exactly once, whatever the server answers.
 */
import type { IDataObject } from 'n8n-workflow';

import { OneMsgTemplate } from '../../../nodes/OneMsg/OneMsgTemplate.node';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../../fake-1msg/server';
import { executeContext } from '../../helpers/context';

jest.setTimeout(60_000);

type Fake = Awaited<ReturnType<typeof startFake1msg>>;

const node = new OneMsgTemplate();
let fake: Fake;

beforeAll(async () => {
	fake = await startFake1msg({ ackDelayMs: 5, seed: 7 });
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const phoneOf = (i: number) => `7999${String(i).padStart(7, '0')}`;

function run(count: number, options: IDataObject, continueOnFail = true) {
	const items = Array.from({ length: count }, (_v, i) => ({ json: { i } }));
	return node.execute.call(
		executeContext({
			items,
			continueOnFail,
			credentials: { channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl },
			params: (i) => ({
				operation: 'sendTemplate',
				scenario: 'clientInactivityNotification',
				template: { __rl: true, mode: 'list', value: 'client_inactivity_notification|en' },
				phone: phoneOf(i),
				customerName: `Client ${i}`,
				incompleteAction: 'account setup',
				options,
			}),
		}),
	);
}

describe('sending many templates', () => {
	it('keeps output order and pairedItem equal to input order at concurrency 10', async () => {
		const [out] = await run(50, { concurrency: 10 });
		expect(out.map((item) => item.pairedItem)).toEqual(out.map((_v, i) => ({ item: i })));
		expect(out.map((item) => item.json.phone)).toEqual(out.map((_v, i) => phoneOf(i)));
		expect(out.every((item) => item.json.status === 'accepted')).toBe(true);
	});

	it('sends every message exactly once when 30 % of requests are answered 429', async () => {
		fake.setFaults([
			{ method: 'sendTemplate', probability: 0.3, response: { status: 429, body: { error: 'Rate limit exceeded' } } },
		]);
		const [out] = await run(200, { concurrency: 10, maxRetries: 10 });
		const rejected429 = fake.rejected.filter((r: { status: number }) => r.status === 429).length;
		expect(rejected429).toBeGreaterThan(30);
		expect(out.filter((item) => item.json.status === 'accepted')).toHaveLength(200);
		for (let i = 0; i < 200; i++) expect(fake.sendCount(phoneOf(i))).toBe(1);
		expect(out.some((item) => Number(item.json.attempts) > 1)).toBe(true);
	});

	it('retries Meta throughput errors (130429) that come back as sent:false', async () => {
		fake.setFaults([
			{ method: 'sendTemplate', count: 3, response: { status: 200, body: { sent: false, message: '(#130429) Rate limit hit' } } },
		]);
		const [out] = await run(3, { concurrency: 1, maxRetries: 3 });
		expect(out.map((item) => item.json.status)).toEqual(['accepted', 'accepted', 'accepted']);
		for (let i = 0; i < 3; i++) expect(fake.sendCount(phoneOf(i))).toBe(1);
	});

	it('gives up after Max Retries with a rate_limited error item, having sent nothing', async () => {
		fake.setFaults([{ method: 'sendTemplate', response: { status: 429, body: { error: 'Rate limit exceeded' } } }]);
		const [[item]] = await run(1, { maxRetries: 2 });
		expect(item.json).toMatchObject({ status: 'failed', category: 'rate_limited', statusCode: 429 });
		expect(String(item.json.error)).toMatch(/gave up after 3 attempts/);
		expect(fake.requests.filter((r: { path: string }) => r.path.endsWith('/sendTemplate'))).toHaveLength(3);
		expect(fake.sendCount(phoneOf(0))).toBe(0);
	});

	it.each([500, 502, 503])('reports HTTP %i after the send as unknown_outcome and never resends', async (status) => {
		fake.setFaults([{ method: 'sendTemplate', afterSend: true, count: 5, response: { status, body: { error: 'Internal error' } } }]);
		const [out] = await run(10, { concurrency: 5, maxRetries: 5 });
		const unknown = out.filter((item) => item.json.category === 'unknown_outcome');
		expect(unknown).toHaveLength(5);
		expect(unknown.every((item) => item.json.status === 'unknown' && item.json.statusCode === status)).toBe(true);
		for (let i = 0; i < 10; i++) expect(fake.sendCount(phoneOf(i))).toBe(1);
		expect(fake.requests.filter((r: { path: string }) => r.path.endsWith('/sendTemplate'))).toHaveLength(10);
	});

	it('reports a send that times out as unknown_outcome and never resends it', async () => {
		fake.setFaults([{ method: 'sendTemplate', count: 2, hang: true }]);
		const [out] = await run(4, { concurrency: 4, timeoutMs: 1000, maxRetries: 5 });
		expect(out.filter((item) => item.json.category === 'unknown_outcome')).toHaveLength(2);
		expect(out.filter((item) => item.json.status === 'accepted')).toHaveLength(2);
		expect(fake.requests.filter((r: { path: string }) => r.path.endsWith('/sendTemplate'))).toHaveLength(4);
	});

	it('reports a queued jobId as unknown_outcome, not as a message id', async () => {
		fake.setFaults([{ method: 'sendTemplate', count: 1, response: { status: 200, body: { sent: false, jobId: 'job-8812', message: 'queued' } } }]);
		const [[item]] = await run(1, { maxRetries: 5 });
		expect(item.json).toMatchObject({ status: 'unknown', category: 'unknown_outcome' });
		expect(item.json.messageId).toBeUndefined();
		expect(fake.requests.filter((r: { path: string }) => r.path.endsWith('/sendTemplate'))).toHaveLength(1);
	});

	it('paces 20 messages per second so that no one-second window holds more than 20 sends', async () => {
		const [out] = await run(70, { concurrency: 10, maxPerSecond: 20 });
		expect(out.every((item) => item.json.status === 'accepted')).toBe(true);
		const times = fake.sends.map((s: { at: number }) => s.at).sort((a: number, b: number) => a - b);
		let worst = 0;
		for (let i = 0; i < times.length; i++) {
			let j = i;
			while (j < times.length && times[j] - times[i] < 1000) j++;
			worst = Math.max(worst, j - i);
		}
		expect(times).toHaveLength(70);
		expect(worst).toBeLessThanOrEqual(20);
		expect(worst).toBeGreaterThanOrEqual(12);
	});
});
