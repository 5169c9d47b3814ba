import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InputError } from '../../shared/failures';
import { NodeRecords } from '../../shared/nodeRecords';
import type { TemplateOperation } from './types';

/** Keys remembered by default: far more than the statuses of a day's sends on a busy channel. */
const DEFAULT_KEYS_KEPT = 100_000;

const EMPTY_KEY = new InputError(
	'Event Key',
	'Event Key is empty',
	'Place this node right after the 1MSG Trigger and keep the default {{ $json.dedupeKey }}, or map another field that is the same for every copy of one event.',
);

const fields: INodeProperties[] = [
	{
		displayName: 'Event Key',
		name: 'eventKey',
		type: 'string',
		required: true,
		default: '={{ $json.dedupeKey }}',
		hint: "The 1MSG Trigger's dedupeKey: the same for every copy of one status of one message on one channel",
		description: 'What makes two items the same event. An item whose key passed before, in any execution, is dropped.',
	},
	{
		displayName: 'Keys Kept',
		name: 'keysKept',
		type: 'number',
		default: DEFAULT_KEYS_KEPT,
		typeOptions: { minValue: 100 },
		description: "How many of the most recent keys n8n's database keeps for this node; the oldest are forgotten first",
	},
];

/**
 * Each event once, wherever and whenever its copies arrive. 1MSG may post a status twice, and the
 * trigger's own repeat filter lives in the memory of the process that receives the webhook, so a copy
 * reaching another webhook process, or arriving after a restart, starts a run. n8n's Remove Duplicates
 * node keeps its keys in the same database store but loses some when executions write at the same
 * moment; this operation records through shared/nodeRecords, which does not.
 */
export const dropRepeatedEvents: TemplateOperation = {
	option: {
		name: 'Drop Repeated Events',
		value: 'dropRepeatedEvents',
		description: 'Pass each 1MSG Trigger event once across executions, n8n processes and restarts; place it right after the trigger',
		action: 'Drop repeated events',
	},
	fields,
	async execute({ results }) {
		const items = this.getInputData();
		const records = new NodeRecords(this, Number(this.getNodeParameter('keysKept', 0, DEFAULT_KEYS_KEPT)) || DEFAULT_KEYS_KEPT);
		const firstItemOfKey = new Map<string, number>();
		const dropped = new Set<number>();
		for (let i = 0; i < items.length && !results.stopped; i++) {
			const key = String(this.getNodeParameter('eventKey', i, '') ?? '').trim();
			if (!key) {
				results.fail(i, EMPTY_KEY, { eventKey: key });
				continue;
			}
			// The same event twice in one run: its first copy stands for both.
			if (firstItemOfKey.has(key)) dropped.add(i);
			else firstItemOfKey.set(key, i);
		}
		if (results.stopped) return [results.finish()];
		if (!records.available) {
			throw new NodeOperationError(this.getNode(), 'This n8n offers nodes no deduplication store, so repeats cannot be told apart', {
				description: 'Use n8n 1.123.0 or newer, where the store is part of n8n.',
			});
		}
		const keys = [...firstItemOfKey.keys()];
		const seen = keys.length > 0 ? await records.record(keys) : new Set<string>();
		for (const [key, i] of firstItemOfKey) {
			if (seen.has(key)) dropped.add(i);
			else results.succeed(i, items[i].json);
		}
		await records.confirm(keys.filter((key) => !seen.has(key)));
		return [results.finish().filter((_item, i) => !dropped.has(i))];
	},
};
