import type { IExecuteFunctions } from 'n8n-workflow';

import type { RacingStore } from '../../../helpers/racingStore';
import { racingStore } from '../../../helpers/racingStore';

type NodeRecordsModule = typeof import('../../../../nodes/OneMsg/shared/nodeRecords');

/** The module as one n8n process loads it: each call gives a process of its own (its own lock). */
function loadInProcess(): NodeRecordsModule {
	let loaded: NodeRecordsModule | undefined;
	jest.isolateModules(() => {
		loaded = jest.requireActual<NodeRecordsModule>('../../../../nodes/OneMsg/shared/nodeRecords');
	});
	return loaded as NodeRecordsModule;
}

const contextOf = (store: RacingStore, warnings: string[] = []) =>
	({
		getNode: () => ({ id: 'dedupe-node', name: '1MSG Template' }),
		getWorkflow: () => ({ id: 'wf-records' }),
		logger: { warn: (message: string) => warnings.push(message) },
		helpers: store.helpers,
	}) as unknown as IExecuteFunctions;

describe('records in n8n store, written at the same time', () => {
	it('loses no value when 20 executions of one process record different values together', async () => {
		const { NodeRecords } = loadInProcess();
		const store = racingStore();
		await Promise.all(Array.from({ length: 20 }, (_v, i) => new NodeRecords(contextOf(store), 1000).record([`v${i}`])));
		expect(store.values.size).toBe(20);
	});

	it('shows the lost update it prevents: the same calls without the lock keep fewer values', async () => {
		const store = racingStore();
		const record = store.helpers.checkProcessedAndRecord as (values: string[]) => Promise<unknown>;
		await Promise.all(Array.from({ length: 20 }, async (_v, i) => await record([`v${i}`])));
		expect(store.values.size).toBeLessThan(20);
	});

	it('answers one winner when two executions of one process claim the same value together', async () => {
		const { NodeRecords } = loadInProcess();
		const store = racingStore();
		const answers = await Promise.all([1, 2].map(async () => (await new NodeRecords(contextOf(store), 1000).record(['same'])).has('same')));
		expect(answers.sort()).toEqual([false, true]);
	});

	it('across two processes, reading back records again what the other process erased', async () => {
		const processes = [loadInProcess(), loadInProcess()];
		const store = racingStore();
		const warnings: string[] = [];
		const runs = Array.from({ length: 20 }, (_v, i) => ({ records: new processes[i % 2].NodeRecords(contextOf(store, warnings), 1000), value: `v${i}` }));
		await Promise.all(runs.map(async (run) => await run.records.record([run.value])));
		const afterRecording = store.values.size;
		const restored = await Promise.all(runs.map(async (run) => await run.records.confirm([run.value])));
		expect(afterRecording).toBeLessThan(20);
		expect(store.values.size).toBe(20);
		expect(restored.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(20 - afterRecording);
		expect(warnings.some((line) => /erased by a write of another n8n process were recorded again/.test(line))).toBe(true);
	});

	it('records once more after a failed first call, as a first insert of the row may collide', async () => {
		const { NodeRecords } = loadInProcess();
		const store = racingStore();
		const record = store.helpers.checkProcessedAndRecord as (values: string[]) => Promise<unknown>;
		let calls = 0;
		store.helpers.checkProcessedAndRecord = async (values: string[]) => {
			if (++calls === 1) throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
			return await record(values);
		};
		await new NodeRecords(contextOf(store), 1000).record(['first']);
		expect(store.values.has('first')).toBe(true);
	});
});
