/**
 * Every failure shape 1MSG answers a send with, served by the fake server to the 1MSG Template
 * node's own execute(), must come back as the category that tells the user what to do: fix the
 * input, fix the template, wait, or check before resending. Each answer is given to a batch of
 * items; all must fail the same way and none may be sent twice.
 */
import type { IDataObject } from 'n8n-workflow';

import { OneMsgTemplate } from '../../nodes/OneMsg/OneMsgTemplate.node';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../fake-1msg/server';
import { perItemContext } from './itemContext';
import { ReliabilityCounters } from './summary';

type Fake = Awaited<ReturnType<typeof startFake1msg>>;

const node = new OneMsgTemplate();
const counters = new ReliabilityCounters('sendAnswers');
let fake: Fake;

beforeAll(async () => {
	fake = await startFake1msg({ ackDelayMs: 50 });
});
afterAll(async () => fake.close());

const ITEMS = 4;
let batch = 0;

async function answerEverySendWith(status: number, body: unknown, afterSend = false) {
	fake.reset();
	fake.setFaults([{ method: 'sendTemplate', afterSend, response: { status, body } }]);
	const run = ++batch;
	const phones = Array.from({ length: ITEMS }, (_v, i) => `7992${String(run).padStart(3, '0')}${String(i).padStart(4, '0')}`);
	const [out] = await node.execute.call(
		perItemContext({
			params: (i) => ({
				operation: 'sendTemplate',
				scenario: 'registrationWelcome',
				template: { __rl: true, mode: 'list', value: 'registration_welcome|en' },
				phone: phones[i],
				customerName: 'Maria',
				serviceName: 'Acme Cloud',
				options: { maxRetries: 0 },
			}),
			items: phones.map((phone) => ({ json: { phone } })),
			credentials: { channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl },
			continueOnFail: true,
		}),
	);
	return { out: out.map((item) => item.json), phones };
}

type Answer = [string, number, IDataObject, string];

const answers: Answer[] = [
	['sent:false (#132001) template not in the language', 200, { sent: false, message: '(#132001) Template name does not exist in the translation' }, 'template_not_found'],
	['sent:false (#132000) parameter count', 200, { sent: false, message: '(#132000) Number of parameters does not match the expected number of params' }, 'param_mismatch'],
	['sent:false (#131026) undeliverable', 200, { sent: false, message: '(#131026) Message undeliverable' }, 'recipient_unreachable'],
	['sent:false (#130472) part of an experiment', 200, { sent: false, message: "(#130472) User's number is part of an experiment" }, 'recipient_unreachable'],
	['sent:false (#131047) re-engagement', 200, { sent: false, message: '(#131047) Re-engagement message' }, 'window_closed'],
	['sent:false (#131056) pair rate limit', 200, { sent: false, message: '(#131056) (Business Account, Consumer Account) pair rate limit hit' }, 'rate_limited'],
	['sent:false phone not valid', 200, { sent: false, message: 'Phone number is not valid' }, 'invalid_input'],
	['400 template is not defined', 400, { message: 'template is not defined' }, 'template_not_found'],
	["400 Meta's nested error object", 400, { error: { message: '(#132012) Parameter format does not match format in the created template', code: 132012 } }, 'param_mismatch'],
	['400 (#100) invalid parameter', 400, { sent: false, message: '(#100) Invalid parameter', description: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces' }, 'invalid_input'],
	['403 subscription blocked', 403, { error: 'Channel subscription is blocked' }, 'auth'],
	['429 rate limit', 429, { error: 'Rate limit exceeded' }, 'rate_limited'],
	// The same Meta request errors answered the usual 1MSG way, HTTP 200 with sent:false: nothing was
	// sent and resending will not help, so "a server error, try again later" is the wrong advice.
	['sent:false (#100) invalid parameter, text rule in the description', 200, { sent: false, message: '(#100) Invalid parameter', description: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces' }, 'invalid_input'],
	['sent:false (#131009) parameter value not valid', 200, { sent: false, message: '(#131009) Parameter value is not valid', description: 'button at index 0: the OTP code must equal the body {{1}} code' }, 'invalid_input'],
	['sent:false (#132005) translated text too long', 200, { sent: false, message: '(#132005) Translated text too long', description: 'body: hydrated text is 1100 characters (max 1024)' }, 'invalid_input'],
];

describe("1MSG's failure answers to a send", () => {
	const rows = answers.map(([name, status, body, category]) => ({ name, status, body, category }));
	it.each(rows)('$name (HTTP $status) → $category', async ({ status, body, category }) => {
		const { out, phones } = await answerEverySendWith(status, body);
		const categories = out.map((json) => json.category);
		const sentTwice = phones.filter((phone) => fake.sendCount(phone) > 1).length;
		counters.add('1MSG failure answers', { tried: ITEMS, passed: categories.filter((c) => c === category).length, duplicates: sentTwice });
		expect(out).toHaveLength(ITEMS);
		expect(categories).toEqual(Array(ITEMS).fill(category));
		expect(out.every((json) => json.status === 'failed' && json.statusCode === status)).toBe(true);
		expect(phones.map((phone) => fake.sendCount(phone))).toEqual(Array(ITEMS).fill(0));
	});
});
