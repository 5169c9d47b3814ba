/**
 * A map that keeps at most `capacity` entries and forgets the least recently written first, so memory
 * kept per process (repeat filters, editor caches) stays bounded however many keys arrive.
 */
export class BoundedMap<K, V> {
	private readonly entries = new Map<K, V>();

	constructor(private readonly capacity: number) {}

	get(key: K): V | undefined {
		return this.entries.get(key);
	}

	/** Writing a key makes it the most recent one. */
	set(key: K, value: V): void {
		this.entries.delete(key);
		this.entries.set(key, value);
		if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
	}

	delete(key: K): void {
		this.entries.delete(key);
	}
}
