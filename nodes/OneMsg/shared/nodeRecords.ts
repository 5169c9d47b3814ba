/**
 * A node's records in n8n's deduplication store, safe when executions write at the same time.
 *
 * n8n keeps one row per workflow and node holding the whole list of hashed values; each call reads
 * the row, changes it in memory and writes it back whole, with no lock or version. Two executions
 * recording different values at the same moment therefore erase one another's, and a later repeat
 * finds nothing. Here:
 * - inside one n8n process, every call for the same workflow and node takes its turn (keyedLock), so
 *   no execution of this process erases another's, and of two claims of one value exactly one wins;
 * - across processes (several queue workers), a run reads its values back once it is done and
 *   records again those another process erased (`confirm`), a few times with a growing pause.
 * What remains across processes is a write of another process that read the row before this run
 * recorded and wrote it back after this run confirmed; README "Sending exactly once" gives the figure.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { withKeyLock } from './keyedLock';

type DedupHelpers = Pick<IExecuteFunctions['helpers'], 'checkProcessedAndRecord' | 'removeProcessed'>;

/** Rounds of `confirm`, and the pause before each round after the first. */
export const CONFIRM_ROUNDS = 3;
const CONFIRM_PAUSE_MS = 40;
/**
 * A first write for a node inserts its row: two processes doing so at once make one of them fail
 * on the row's key. The row exists then, so the call is made once more after a pause.
 */
const STORE_RETRY_PAUSE_MS = 60;

export class NodeRecords {
	private readonly helpers: DedupHelpers | undefined;
	/** The lock's key: n8n keeps the row per workflow and node (context `n:<node id>`). */
	readonly scope: string;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly maxEntries: number,
	) {
		const helpers = context.helpers as Partial<DedupHelpers> | undefined;
		this.helpers =
			typeof helpers?.checkProcessedAndRecord === 'function' && typeof helpers.removeProcessed === 'function'
				? (helpers as DedupHelpers)
				: undefined;
		const node = context.getNode();
		this.scope = `records:${context.getWorkflow?.()?.id ?? ''}:${node.id ?? node.name}`;
	}

	/** False on an n8n without the deduplication helpers. */
	get available(): boolean {
		return this.helpers !== undefined;
	}

	private get options() {
		return { mode: 'entries' as const, maxEntries: this.maxEntries };
	}

	/** Records `values`; answers those that were recorded already (by anyone, before this call). */
	async record(values: string[]): Promise<Set<string>> {
		const helpers = this.required();
		const answer = await this.turn(() => helpers.checkProcessedAndRecord(values, 'node', this.options));
		return new Set(answer.processed.map(String));
	}

	async remove(values: string[]): Promise<void> {
		if (values.length === 0) return;
		const helpers = this.required();
		await this.turn(() => helpers.removeProcessed(values, 'node', this.options));
	}

	/**
	 * Reads `values` back and records again those another process erased, until a round finds none
	 * missing (at most CONFIRM_ROUNDS). Answers how many were restored in all.
	 */
	async confirm(values: string[]): Promise<number> {
		values = [...new Set(values)];
		if (values.length === 0 || !this.helpers) return 0;
		let restored = 0;
		for (let round = 0; round < CONFIRM_ROUNDS; round++) {
			if (round > 0) await sleep(CONFIRM_PAUSE_MS * round);
			const present = (await this.record(values)).size;
			const missing = values.length - present;
			if (missing === 0) break;
			restored += missing;
		}
		if (restored > 0) {
			this.context.logger?.warn(`1MSG: ${restored} record(s) erased by a write of another n8n process were recorded again`);
		}
		return restored;
	}

	private required(): DedupHelpers {
		if (!this.helpers) throw new NodeOperationError(this.context.getNode(), 'this n8n has no deduplication store');
		return this.helpers;
	}

	/** One call in this process's queue for the node's row; retried once, as a first insert may collide. */
	private async turn<T>(call: () => Promise<T>): Promise<T> {
		return await withKeyLock(this.scope, async () => {
			try {
				return await call();
			} catch (error) {
				await sleep(STORE_RETRY_PAUSE_MS);
				try {
					return await call();
				} catch {
					throw new NodeOperationError(this.context.getNode(), error as Error);
				}
			}
		});
	}
}
