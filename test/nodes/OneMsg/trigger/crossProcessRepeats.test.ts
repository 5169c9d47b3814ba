import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { OneMsgTrigger } from '../../../../nodes/OneMsg/OneMsgTrigger.node';
import { eventsToPass, executionMark } from '../../../../nodes/OneMsg/trigger/crossProcessRepeats';
import { withDedupeKey } from '../../../../nodes/OneMsg/trigger/dedupeKey';
import { parseChannelEvents } from '../../../../nodes/OneMsg/shared/statusEvents';
import { triggerRun } from '../../../helpers/context';
import { racingStore } from '../../../helpers/racingStore';
import { ackBody } from '../../../fixtures/webhookBodies';

const trigger = new OneMsgTrigger();
const params = { statuses: ['sent', 'delivered', 'read', 'failed'], outputPerStatus: true, options: {} };

/** What a webhook process hands to the run for one body: its events, with their keys, on the first list. */
const taken = (body: unknown): INodeExecutionData[][] => [
	parseChannelEvents(body).map((event) => ({ json: withDedupeKey(event) as unknown as IDataObject })),
];
const count = (outputs: INodeExecutionData[][]) => outputs.reduce((sum, list) => sum + list.length, 0);

describe('which events a run passes on', () => {
	it('drops an event whose key another execution recorded, and passes the rest', () => {
		expect(eventsToPass(['c:a:sent', 'c:b:sent'], new Set(['c:a:sent']), 'exec-2')).toEqual([false, true]);
	});

	it('passes every event of an execution that ran before (its job picked up again after a crash)', () => {
		expect(eventsToPass(['c:a:sent'], new Set(['c:a:sent', executionMark('exec-1')]), 'exec-1')).toEqual([true]);
	});

	it('passes the same key once within one run', () => {
		expect(eventsToPass(['c:a:read', 'c:a:read'], new Set(), 'exec-1')).toEqual([true, false]);
	});
});

describe('1MSG Trigger run: a status that reached two n8n processes', () => {
	it('runs once: the second execution ends at the trigger with nothing, and says so in its custom data', async () => {
		const processedValues = new Set<string>();
		const body = ackBody('delivered');
		const first = await triggerRun(trigger, taken(body), params, { processedValues, executionId: '101' });
		const customData: Record<string, string> = {};
		const second = await triggerRun(trigger, taken(body), params, { processedValues, executionId: '102', customData });
		expect(first[1].map((item) => item.json.status)).toEqual(['delivered']);
		expect(count(second)).toBe(0);
		expect(customData).toEqual({ repeatsDropped: '1', repeatedEvents: String(first[1][0].json.dedupeKey) });
	});

	it('passes the events again when the same execution runs again', async () => {
		const processedValues = new Set<string>();
		await triggerRun(trigger, taken(ackBody('read')), params, { processedValues, executionId: '201' });
		expect(count(await triggerRun(trigger, taken(ackBody('read')), params, { processedValues, executionId: '201' }))).toBe(1);
	});

	it.each(['manual', 'retry'])('checks nothing and records nothing in %s mode', async (mode) => {
		const processedValues = new Set<string>(['c:x']);
		const outputs = await triggerRun(trigger, taken(ackBody('sent')), params, { processedValues, mode, executionId: '301' });
		expect(count(outputs)).toBe(1);
		expect([...processedValues]).toEqual(['c:x']);
	});

	it('passes repeats on when Run Each Event Once Across Processes is off', async () => {
		const processedValues = new Set<string>();
		const off = { ...params, options: { dropRepeats: false } };
		await triggerRun(trigger, taken(ackBody('sent')), off, { processedValues, executionId: '401' });
		expect(count(await triggerRun(trigger, taken(ackBody('sent')), off, { processedValues, executionId: '402' }))).toBe(1);
	});

	it('of 10 executions of one worker carrying the same status at once, exactly one passes it on', async () => {
		const store = racingStore();
		const runs = await Promise.all(
			Array.from({ length: 10 }, (_v, i) => triggerRun(trigger, taken(ackBody('failed')), params, { dedupHelpers: store.helpers, executionId: `5${i}` })),
		);
		expect(runs.map(count).sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
	});

	it('puts the events of a run saved with one list per output (an earlier version) back on their outputs', async () => {
		const perOutput = [[], taken(ackBody('delivered'))[0], [], []];
		const outputs = await triggerRun(trigger, perOutput, params, { processedValues: new Set(), executionId: '601' });
		expect(outputs.map((list) => list.length)).toEqual([0, 1, 0, 0]);
	});

	it('fails the run naming the fix when the database does not answer for about a minute, keeping the events for a Retry', async () => {
		jest.useFakeTimers();
		try {
			const down = { checkProcessedAndRecord: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')), removeProcessed: async () => undefined };
			const run = triggerRun(trigger, taken(ackBody('sent')), params, { dedupHelpers: down, executionId: '701' });
			const outcome = run.then(
				() => undefined,
				(error: { message: string; description?: string }) => error,
			);
			await jest.advanceTimersByTimeAsync(120_000);
			expect(await outcome).toMatchObject({
				message: expect.stringContaining("Could not check n8n's database for repeated events: "),
				description: expect.stringContaining('Retry it from the execution list'),
			});
		} finally {
			jest.useRealTimers();
		}
	});
});
