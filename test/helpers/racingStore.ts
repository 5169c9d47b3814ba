/**
 * n8n's deduplication store as it behaves under load (`deduplication/deduplication-helper.js` in
 * n8n 1.123.81 and 2.41.1): one row per node holding the whole list; each call reads the row, waits
 * for the database, then writes its changed copy back whole. Two calls that overlap lose the
 * earlier one's change, as in n8n.
 */
import type { IDataObject } from 'n8n-workflow';

const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

export interface RacingStore {
	/** The row as last written. */
	values: Set<string>;
	/** Calls made, by kind. */
	calls: { record: number; remove: number };
	helpers: IDataObject;
}

export function racingStore(roundTripMs = 5): RacingStore {
	const store: RacingStore = {
		values: new Set<string>(),
		calls: { record: 0, remove: 0 },
		helpers: {
			checkProcessedAndRecord: async (items: Array<string | number>) => {
				store.calls.record++;
				const row = new Set(store.values);
				await pause(roundTripMs);
				const answer = { new: [] as Array<string | number>, processed: [] as Array<string | number> };
				for (const item of items) {
					(row.has(String(item)) ? answer.processed : answer.new).push(item);
					row.add(String(item));
				}
				await pause(roundTripMs);
				store.values = row;
				return answer;
			},
			removeProcessed: async (items: Array<string | number>) => {
				store.calls.remove++;
				const row = new Set(store.values);
				await pause(roundTripMs);
				for (const item of items) row.delete(String(item));
				store.values = row;
			},
		},
	};
	return store;
}
