import { sleep } from 'n8n-workflow';

export interface PoolOptions {
	/** Requests in flight at once. */
	concurrency: number;
	/** Starts per second at most; 0 = no cap. */
	maxPerSecond: number;
	/** Checked before each start: true stops launching new tasks (in-flight ones finish). */
	stop?: () => boolean;
	now?: () => number;
	wait?: (ms: number) => Promise<void>;
}

/**
 * Start times kept so that no sliding one-second window holds more than `maxPerSecond` starts,
 * spread evenly rather than in bursts.
 */
export class StartPacer {
	private readonly starts: number[] = [];

	private next = 0;

	constructor(
		private readonly maxPerSecond: number,
		private readonly now: () => number,
		private readonly wait: (ms: number) => Promise<void>,
	) {}

	async acquire(): Promise<void> {
		if (this.maxPerSecond <= 0) return;
		const spacing = 1000 / this.maxPerSecond;
		for (;;) {
			const now = this.now();
			let readyAt = Math.max(now, this.next);
			if (this.starts.length >= this.maxPerSecond) {
				// a small margin keeps the window honest when requests reach the server a few ms apart
				readyAt = Math.max(readyAt, this.starts[this.starts.length - this.maxPerSecond] + 1000 + spacing / 2);
			}
			if (readyAt <= now) break;
			await this.wait(readyAt - now);
		}
		const at = this.now();
		this.next = at + spacing;
		this.starts.push(at);
		if (this.starts.length > this.maxPerSecond * 2) this.starts.splice(0, this.starts.length - this.maxPerSecond);
	}
}

/**
 * Runs `task(i)` for every index with bounded concurrency; results stay in index order. Each task
 * calls `pace()` before every request it makes (retries included), so pacing holds for all of them.
 */
export async function runPool<T>(
	count: number,
	task: (index: number, pace: () => Promise<void>) => Promise<T>,
	options: PoolOptions,
): Promise<Array<T | undefined>> {
	const results: Array<T | undefined> = new Array(count);
	const now = options.now ?? (() => Date.now());
	const pacer = new StartPacer(options.maxPerSecond, now, options.wait ?? sleep);
	const pace = () => pacer.acquire();
	let nextIndex = 0;
	const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, count)) }, async () => {
		for (;;) {
			if (options.stop?.()) return;
			const index = nextIndex++;
			if (index >= count) return;
			results[index] = await task(index, pace);
		}
	});
	await Promise.all(workers);
	return results;
}

/** A promise resolved from outside, e.g. an item's checked request handed from the checking loop to a sender. */
export class Deferred<T> {
	readonly promise: Promise<T>;

	resolve!: (value: T) => void;

	constructor() {
		this.promise = new Promise<T>((resolve) => {
			this.resolve = resolve;
		});
	}
}
