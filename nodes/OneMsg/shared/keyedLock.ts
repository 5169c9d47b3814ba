/**
 * One-at-a-time sections per key, for this n8n process. n8n's deduplication store and 1MSG's webhook
 * list are both one shared value that a writer reads, changes and writes back whole, with no version:
 * two executions doing so at the same moment lose one of the two changes. Every execution of a
 * process (a main-mode instance, or a queue worker up to its concurrency) loads this module once, so
 * queuing their read-modify-writes here makes them take turns; across processes the callers read
 * back what they wrote (see alreadySent and trigger/registration).
 */

/** The tail of each key's queue; an entry is dropped when its last section ends, so memory stays bounded. */
const tails = new Map<string, Promise<void>>();

/** Runs `section` once every earlier section of `key` in this process has ended, and returns its result. */
export async function withKeyLock<T>(key: string, section: () => Promise<T>): Promise<T> {
	const previous = tails.get(key) ?? Promise.resolve();
	let release!: () => void;
	const done = new Promise<void>((resolve) => (release = resolve));
	const tail = previous.then(() => done);
	tails.set(key, tail);
	await previous;
	try {
		return await section();
	} finally {
		release();
		if (tails.get(key) === tail) tails.delete(key);
	}
}

/** Keys with a section running or waiting; for tests. */
export function lockedKeyCount(): number {
	return tails.size;
}
