import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { AlreadySent, defaultSendKey, readSkipPolicy, storeValues, WINDOW_MS } from '../../../../nodes/OneMsg/template/alreadySent';
import type { RacingStore } from '../../../helpers/racingStore';
import { racingStore } from '../../../helpers/racingStore';
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

	it('names a chat ID, BSUID or username recipient too, so two of them with the same values are two messages', () => {
		const rest = { ...body('79991234567', 'Alexey'), phone: undefined };
		const keys = [{ chatId: 'US.13491208655302741918@lid' }, { chatId: 'US.13491208655302741919@lid' }, { chatId: '79991234567@c.us' }, { username: 'maria.shop' }].map((recipient) =>
			defaultSendKey({ ...rest, ...recipient }),
		);
		expect(keys[0]).toMatch(/^US\.13491208655302741918@lid:order_no_response_notification:en:/);
		expect(keys[3]).toMatch(/^@maria\.shop:/);
		expect(new Set(keys).size).toBe(4);
		expect(keys.some((key) => key.startsWith('undefined'))).toBe(false);
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

describe('executions that claim at the same moment (one n8n process)', () => {
	type Policy = ConstructorParameters<typeof AlreadySent>[1];
	const contextOf = (store: RacingStore, options: { workflowId?: string; executionId?: string; mode?: string; staticData?: IDataObject } = {}) =>
		({
			getNode: () => ({ id: 'send-node', name: '1MSG Template' }),
			getWorkflow: () => ({ id: options.workflowId ?? 'wf-concurrent' }),
			getExecutionId: () => options.executionId ?? 'exec-1',
			getMode: () => options.mode ?? 'webhook',
			getWorkflowStaticData: () => options.staticData ?? {},
			logger: { warn: () => undefined },
			helpers: store.helpers,
		}) as unknown as IExecuteFunctions;

	/** One execution: claims its keys, "sends" the claimed ones (id `m-<key>`) after `sendMs`, settles. */
	async function execution(store: RacingStore, keys: string[], policy: Policy = 'always', sendMs = 10, options = {}) {
		const run = new AlreadySent(contextOf(store, options), policy, '7d');
		const claims = await Promise.all(keys.map((key, i) => run.claim(i, key)));
		await new Promise((resolve) => setTimeout(resolve, sendMs));
		claims.forEach((claim, i) => {
			if (!claim.skip) run.keep(i, `m-${keys[i]}`);
		});
		await run.settle(false);
		return claims;
	}

	it('keeps every key when 30 executions record different keys together, so each repeat afterwards is skipped', async () => {
		const store = racingStore();
		const keys = Array.from({ length: 30 }, (_v, i) => `order-${i}`);
		const first = await Promise.all(keys.map((key, i) => execution(store, [key], 'always', 10, { executionId: `e${i}`, workflowId: 'wf-different-keys' })));
		expect(first.flat().filter((claim) => claim.skip)).toHaveLength(0);
		const repeats = (await Promise.all(keys.map((key, i) => execution(store, [key], 'always', 10, { executionId: `r${i}`, workflowId: 'wf-different-keys' })))).flat();
		expect(repeats.map((claim) => claim.skip)).toEqual(keys.map(() => true));
		expect(repeats.map((claim) => (claim.skip ? claim.messageId : undefined))).toEqual(keys.map((key) => `m-${key}`));
	});

	it('gives one of two claims of the same key at the same moment the send; the other skips with its message id', async () => {
		const store = racingStore();
		const [a, b] = await Promise.all([
			execution(store, ['order-same'], 'always', 30, { executionId: 'ea', workflowId: 'wf-same-key' }),
			execution(store, ['order-same'], 'always', 30, { executionId: 'eb', workflowId: 'wf-same-key' }),
		]);
		const claims = [...a, ...b];
		expect(claims.filter((claim) => !claim.skip)).toHaveLength(1);
		expect(claims.find((claim) => claim.skip)).toMatchObject({ messageId: 'm-order-same', reason: 'Sent by another execution at the same moment' });
	});

	it('claims a key again when the rival execution of the same moment sent nothing', async () => {
		const store = racingStore();
		const refused = (async () => {
			const run = new AlreadySent(contextOf(store, { executionId: 'refused', workflowId: 'wf-rival-released' }), 'always', '7d');
			const claim = await run.claim(0, 'order-r');
			await new Promise((resolve) => setTimeout(resolve, 30));
			await run.settle(false); // refused by 1MSG: nothing kept
			return claim;
		})();
		const second = execution(store, ['order-r'], 'always', 5, { executionId: 'second', workflowId: 'wf-rival-released' });
		const [firstClaim, [secondClaim]] = await Promise.all([refused, second]);
		expect(firstClaim.skip).toBe(false);
		expect(secondClaim.skip).toBe(false);
		expect(store.values.has(storeValues('order-r', '7d', Date.now())[0])).toBe(true);
	});

	it('tells why a skipped message has no id when another process sent it', async () => {
		const store = racingStore();
		await execution(store, ['order-elsewhere'], 'always', 1, { workflowId: 'wf-elsewhere' });
		// The same store row seen from a process that did not send it (its memory and static data are empty).
		const run = new AlreadySent(contextOf(store, { workflowId: 'wf-elsewhere-2', executionId: 'x' }), 'always', '7d');
		store.values = new Set(store.values);
		const claim = await run.claim(0, 'order-elsewhere');
		expect(claim).toMatchObject({ skip: true, messageId: null });
		expect(claim.skip && claim.reason).toMatch(/message id is not known here \(sent by another n8n process/);
	});

	it('puts the ids of every execution into static data, whichever n8n saves last', async () => {
		const store = racingStore();
		const staticA: IDataObject = {};
		const staticB: IDataObject = {};
		await Promise.all([
			execution(store, ['order-a'], 'always', 5, { executionId: 'sa', staticData: staticA, workflowId: 'wf-static' }),
			execution(store, ['order-b'], 'always', 40, { executionId: 'sb', staticData: staticB, workflowId: 'wf-static' }),
		]);
		expect(JSON.parse(JSON.stringify(staticA)).sentMessageIds).toEqual({ 'order-a': 'm-order-a', 'order-b': 'm-order-b' });
		expect(JSON.parse(JSON.stringify(staticB)).sentMessageIds).toEqual({ 'order-a': 'm-order-a', 'order-b': 'm-order-b' });
	});
});
