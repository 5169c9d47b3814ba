import type { IDataObject } from 'n8n-workflow';

import { OneMsgTemplate } from '../../../../../nodes/OneMsg/OneMsgTemplate.node';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN } from '../../../../fake-1msg/server';
import { executeContext } from '../../../../helpers/context';
import { racingStore } from '../../../../helpers/racingStore';

const node = new OneMsgTemplate();
const credentials = { channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: 'http://127.0.0.1:9' };
const params = (keys: string[], overrides: IDataObject = {}) => (i: number): IDataObject => ({ operation: 'dropRepeatedEvents', eventKey: keys[i], keysKept: 1000, ...overrides });

/** Trigger items as the 1MSG Trigger emits them (only the fields this operation reads, and one more). */
const events = (eventKeys: string[]) => eventKeys.map((dedupeKey) => ({ json: { dedupeKey, status: dedupeKey.split(':')[2] } }));

async function run(eventKeys: string[], store: ReturnType<typeof racingStore>, workflowId = 'wf-drop') {
	const context = executeContext({ params: params(eventKeys), items: events(eventKeys), credentials, dedupHelpers: store.helpers, workflowId });
	const [out] = await node.execute.call(context);
	return out.map((item) => item.json.dedupeKey);
}

describe('Drop Repeated Events', () => {
	it('passes an event once: its repeat in a later execution and its copy in the same one are dropped', async () => {
		const store = racingStore(1);
		expect(await run(['ch:m1:delivered', 'ch:m1:delivered', 'ch:m1:read'], store)).toEqual(['ch:m1:delivered', 'ch:m1:read']);
		expect(await run(['ch:m1:read', 'ch:m2:sent'], store)).toEqual(['ch:m2:sent']);
	});

	it('keeps the input item as it is, paired with its input', async () => {
		const keys = ['ch:m9:sent'];
		const [out] = await node.execute.call(executeContext({ params: params(keys), items: events(keys), credentials, dedupHelpers: racingStore(1).helpers }));
		expect(out).toEqual([{ json: { dedupeKey: 'ch:m9:sent', status: 'sent' }, pairedItem: { item: 0 } }]);
	});

	it('lets exactly one of 20 executions started together with the same event through, and each of 20 different events once', async () => {
		const store = racingStore(3);
		const same = await Promise.all(Array.from({ length: 20 }, async () => await run(['ch:m3:read'], store, 'wf-drop-together')));
		expect(same.flat()).toEqual(['ch:m3:read']);
		const different = await Promise.all(Array.from({ length: 20 }, async (_v, i) => await run([`ch:n${i}:read`], store, 'wf-drop-together')));
		expect(different.flat()).toHaveLength(20);
		const repeats = await Promise.all(Array.from({ length: 20 }, async (_v, i) => await run([`ch:n${i}:read`], store, 'wf-drop-together')));
		expect(repeats.flat()).toEqual([]);
	});

	it('fails an item whose key is empty, naming the field and the fix', async () => {
		const context = executeContext({ params: params(['']), items: events(['x']), credentials, dedupHelpers: racingStore(1).helpers, continueOnFail: true });
		const [out] = await node.execute.call(context);
		expect(out[0].json).toMatchObject({ field: 'Event Key', error: 'Event Key is empty' });
		expect(String(out[0].json.description)).toContain('{{ $json.dedupeKey }}');
	});
});
