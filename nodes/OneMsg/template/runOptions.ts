import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { RetryPolicy } from '../shared/transport';

/**
 * The options that shape a whole send run, as fields of the Options collection. Their defaults are the
 * code's fallbacks too (RUN_OPTION_DEFAULTS), so the form and an option left unset always agree.
 */
export const runOptionFields: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 50 },
		default: 5,
		description: 'How many send requests may be in flight at once. Output order always follows input order.',
	},
	{
		displayName: 'Max Messages per Second',
		name: 'maxPerSecond',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Pace the sends to at most this many per second; 0 means no cap. WhatsApp allows 80 per second per number by default.',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 3,
		description:
			'Retries when 1MSG or WhatsApp answers "rate limited" or the connection is refused, i.e. when nothing was sent. Timeouts and server errors are never retried, so nothing is sent twice.',
	},
	{
		displayName: 'Timeout (Ms)',
		name: 'timeoutMs',
		type: 'number',
		typeOptions: { minValue: 1000 },
		default: 30000,
		description:
			'How long to wait for 1MSG to answer a send. A send without an answer is reported as unknown outcome, not resent.',
	},
];

type RunOptionName = 'concurrency' | 'maxPerSecond' | 'maxRetries' | 'timeoutMs';

export const RUN_OPTION_DEFAULTS = Object.fromEntries(
	runOptionFields.map((field) => [field.name, field.default as number]),
) as Record<RunOptionName, number>;

/** Backoff between retries; not an option: Retry-After and the number of retries are what users tune. */
const RETRY_DELAYS = { baseDelayMs: 500, maxDelayMs: 30_000 };

export interface RunOptions {
	concurrency: number;
	maxPerSecond: number;
	timeoutMs: number;
	retry: RetryPolicy;
}

/** Read from the first item's options: concurrency, pacing, retries and timeout shape the whole run. */
export function readRunOptions(options: IDataObject): RunOptions {
	const value = (name: RunOptionName) => Number(options[name] ?? RUN_OPTION_DEFAULTS[name]);
	return {
		concurrency: value('concurrency'),
		maxPerSecond: value('maxPerSecond'),
		timeoutMs: value('timeoutMs'),
		retry: { maxRetries: value('maxRetries'), ...RETRY_DELAYS },
	};
}
