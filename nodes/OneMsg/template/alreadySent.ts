/**
 * Skip Messages Already Sent: "never twice" across runs. A key per message (recipient, template and
 * values by default) is claimed in n8n's own deduplication store before the send, and released only
 * when the outcome proves nothing went out, so a retried execution, a CRM event delivered twice or a
 * re-run of the node sends nothing that was already accepted (or may have been).
 *
 * n8n's store keeps hashed values only, one list per node, with no time window: the window is a
 * time bucket in the stored value, and a key counts as sent when it is in the current or the previous
 * bucket. The earlier message id is not in the store; it is kept, best-effort, in the node's static data.
 */
import { createHash } from 'crypto';

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { SendTemplateBody } from './sendPlan';

export type SkipPolicy = 'retries' | 'always' | 'off';
export type SkipWindow = '1h' | '24h' | '7d' | '30d' | 'forever';

const HOUR = 3_600_000;
export const WINDOW_MS: Record<Exclude<SkipWindow, 'forever'>, number> = {
	'1h': HOUR,
	'24h': 24 * HOUR,
	'7d': 7 * 24 * HOUR,
	'30d': 30 * 24 * HOUR,
};

/** Entries n8n keeps for the node (two per message with a window): the oldest are dropped first. */
export const MAX_STORE_ENTRIES = 40_000;
/** Earlier message ids kept in static data for skipped items; best-effort, the most recent first. */
export const MESSAGE_IDS_KEPT = 1_000;

export const alreadySentFields: INodeProperties[] = [
	{
		displayName: 'Skip Messages Already Sent',
		name: 'skipAlreadySent',
		type: 'options',
		options: [
			{
				name: 'In Retried Executions',
				value: 'retries',
				description:
					'Record every message sent; skip those already sent when the execution is retried, or when the node runs again after a failure (Retry On Fail)',
			},
			{
				name: 'Always',
				value: 'always',
				description: 'Skip a message whose key was already sent within the window, e.g. a CRM event delivered twice',
			},
			{ name: 'Off', value: 'off', description: 'Record nothing; every run sends every item' },
		],
		default: 'retries',
		description:
			"Whether a message already sent is skipped instead of sent again. Keys live in n8n's database for this node, so they survive restarts and are shared by every worker.",
	},
	{
		displayName: 'Skip Key',
		name: 'skipKey',
		type: 'string',
		default: '',
		placeholder: 'e.g. order-{{ $json.orderNumber }}-reminder',
		description:
			'What makes two messages the same. Empty: recipient, template, language and the values sent.',
	},
	{
		displayName: 'Skip Window',
		name: 'skipWindow',
		type: 'options',
		options: [
			{ name: '1 Hour', value: '1h' },
			{ name: '24 Hours', value: '24h' },
			{ name: '7 Days', value: '7d' },
			{ name: '30 Days', value: '30d' },
			{ name: 'Forever', value: 'forever', description: `Until the key is among the oldest beyond ${MAX_STORE_ENTRIES.toLocaleString('en-US')} kept for the node` },
		],
		default: '7d',
		description: 'How long a sent key is remembered: at least this long, at most twice as long',
	},
];

const DEFAULTS = Object.fromEntries(alreadySentFields.map((field) => [field.name, field.default])) as {
	skipAlreadySent: SkipPolicy;
	skipWindow: SkipWindow;
};

export function readSkipPolicy(options: IDataObject): { policy: SkipPolicy; window: SkipWindow } {
	return {
		policy: (options.skipAlreadySent as SkipPolicy | undefined) ?? DEFAULTS.skipAlreadySent,
		window: (options.skipWindow as SkipWindow | undefined) ?? DEFAULTS.skipWindow,
	};
}

/** The default key: recipient, template and language, and a digest of the values sent. */
export function defaultSendKey(body: SendTemplateBody): string {
	const values = createHash('sha256').update(JSON.stringify(body.params ?? [])).digest('hex').slice(0, 16);
	return `${body.phone}:${body.template}:${body.language.code}:${values}`;
}

/** The values stored for a key: the current and the previous time bucket, or the key itself forever. */
export function storeValues(key: string, window: SkipWindow, now: number): string[] {
	if (window === 'forever') return [key];
	const bucket = Math.floor(now / WINDOW_MS[window]);
	return [`${key}|${window}${bucket}`, `${key}|${window}${bucket - 1}`];
}

/** What a run knows about one item's key once it is claimed. */
export type Claim =
	| { skip: false; key: string }
	| { skip: true; key: string; messageId: string | null; reason: string };

interface PendingClaim {
	itemIndex: number;
	key: string;
	values: string[];
	resolve: (claim: Claim) => void;
	reject: (error: unknown) => void;
}

/** Kept in the node's static data: n8n saves it with every execution that is not a manual one. */
interface AlreadySentStaticData extends IDataObject {
	/** Key → message id of the most recent sends, for skipped items; last writer wins across executions. */
	sentMessageIds?: Record<string, string>;
	/** Keys kept by a run that stopped on an error, so the node's next try in that execution skips them. */
	stoppedRun?: { executionId: string; keys: string[] };
}

type DedupHelpers = Pick<IExecuteFunctions['helpers'], 'checkProcessedAndRecord' | 'removeProcessed'>;

const STORE_OPTIONS = { mode: 'entries' as const, maxEntries: MAX_STORE_ENTRIES };

/**
 * One run's claims. Claims arriving while the store is busy are sent together, so a run of 1,000
 * items makes a few store calls, not 1,000.
 */
export class AlreadySent {
	private readonly pending: PendingClaim[] = [];
	private flushing: Promise<void> | undefined;
	/** Store values this run recorded itself, by item: the only ones it may release. */
	private readonly recorded = new Map<number, string[]>();
	private readonly keyOf = new Map<number, string>();
	private readonly firstItemByKey = new Map<string, number>();
	/** Items whose message went out or may have: their keys stay recorded. */
	private readonly kept = new Map<number, string | null>();
	private readonly helpers: DedupHelpers | undefined;
	private readonly staticData: AlreadySentStaticData;
	private readonly executionId: string;
	/** Without n8n's store (a run that can do without it): nothing is recorded or skipped. */
	private unavailable = false;

	constructor(
		private readonly context: IExecuteFunctions,
		readonly policy: SkipPolicy,
		private readonly window: SkipWindow,
		private readonly now: () => number = Date.now,
	) {
		const helpers = context.helpers as Partial<DedupHelpers> | undefined;
		this.helpers =
			typeof helpers?.checkProcessedAndRecord === 'function' && typeof helpers.removeProcessed === 'function'
				? (helpers as DedupHelpers)
				: undefined;
		this.staticData = (context.getWorkflowStaticData?.('node') ?? {}) as AlreadySentStaticData;
		this.executionId = String(context.getExecutionId?.() ?? '');
	}

	get enabled(): boolean {
		return this.policy !== 'off';
	}

	/** True when keys found in the store are skipped in this run, not only recorded. */
	get skipsRecorded(): boolean {
		return this.policy === 'always' || this.context.getMode?.() === 'retry';
	}

	/** What a retry of this execution would do with the messages this run sent. */
	get retryResends(): boolean {
		return !this.enabled || this.unavailable;
	}

	/** Claims an item's key before its send: skip when it was sent already, else it is now recorded. */
	async claim(itemIndex: number, key: string): Promise<Claim> {
		if (!this.enabled) return { skip: false, key };
		this.keyOf.set(itemIndex, key);
		const first = this.firstItemByKey.get(key);
		if (first !== undefined) {
			// The same key twice in one run: the store holds it once, so only the first item claims it.
			if (this.policy === 'always') {
				return { skip: true, key, messageId: null, reason: `Same key as item ${first} of this run` };
			}
			return { skip: false, key };
		}
		this.firstItemByKey.set(key, itemIndex);
		return await new Promise<Claim>((resolve, reject) => {
			this.pending.push({ itemIndex, key, values: storeValues(key, this.window, this.now()), resolve, reject });
			this.flushing ??= this.flush();
		});
	}

	/** The item's message went out (accepted) or may have (ambiguous): its key stays recorded. */
	keep(itemIndex: number, messageId: string | null): void {
		if (this.keyOf.has(itemIndex)) this.kept.set(itemIndex, messageId);
	}

	/**
	 * Ends the run: releases the keys of items that sent nothing (refused, given up, never started),
	 * keeps message ids for later skips, and notes the kept keys when the run stops on an error, for
	 * the node's next try.
	 */
	async settle(stopping: boolean): Promise<void> {
		if (!this.enabled || this.unavailable) return;
		await this.flushing;
		const keptKeys = new Set([...this.kept.keys()].map((i) => this.keyOf.get(i) as string));
		const release = [...this.recorded.entries()]
			.filter(([itemIndex]) => !keptKeys.has(this.keyOf.get(itemIndex) as string))
			.flatMap(([, values]) => values);
		try {
			if (release.length > 0) await this.helpers?.removeProcessed(release, 'node', STORE_OPTIONS);
		} catch (error) {
			// The sends are done and their results must reach the output; a key left recorded only
			// makes a later retry skip a message that never went out, the safe side.
			this.context.logger?.warn(`1MSG Template: keys of ${release.length} unsent message(s) stay recorded: ${(error as Error).message}`);
		}
		this.rememberMessageIds();
		if (stopping && this.executionId) this.staticData.stoppedRun = { executionId: this.executionId, keys: [...keptKeys] };
		else delete this.staticData.stoppedRun;
	}

	private rememberMessageIds(): void {
		const ids = { ...(this.staticData.sentMessageIds ?? {}) };
		for (const [itemIndex, messageId] of this.kept) {
			if (!messageId) continue;
			const key = this.keyOf.get(itemIndex) as string;
			delete ids[key];
			ids[key] = messageId;
		}
		const keys = Object.keys(ids);
		for (const key of keys.slice(0, Math.max(0, keys.length - MESSAGE_IDS_KEPT))) delete ids[key];
		if (keys.length > 0) this.staticData.sentMessageIds = ids;
	}

	private async flush(): Promise<void> {
		// Let the claims of the same moment join this call.
		await sleep(0);
		while (this.pending.length > 0) {
			const batch = this.pending.splice(0);
			try {
				await this.record(batch);
			} catch (error) {
				for (const claim of batch) claim.reject(error);
			}
		}
		this.flushing = undefined;
	}

	private async record(batch: PendingClaim[]): Promise<void> {
		if (!this.helpers || this.unavailable) return this.withoutStore(batch, undefined);
		let processed: Set<string>;
		try {
			const answer = await this.helpers.checkProcessedAndRecord(batch.flatMap((claim) => claim.values), 'node', STORE_OPTIONS);
			processed = new Set(answer.processed.map(String));
		} catch (error) {
			return this.withoutStore(batch, error);
		}
		const stopped = this.staticData.stoppedRun;
		const retriedHere = new Set(stopped && stopped.executionId === this.executionId ? stopped.keys : []);
		for (const claim of batch) {
			const sentBefore = claim.values.some((value) => processed.has(value));
			if (!sentBefore) this.recorded.set(claim.itemIndex, claim.values);
			const skip = sentBefore && (this.skipsRecorded || retriedHere.has(claim.key));
			if (!skip) {
				claim.resolve({ skip: false, key: claim.key });
				continue;
			}
			claim.resolve({
				skip: true,
				key: claim.key,
				messageId: this.staticData.sentMessageIds?.[claim.key] ?? null,
				reason: retriedHere.has(claim.key) && !this.skipsRecorded ? 'Sent by an earlier try of this node in this execution' : 'Already sent',
			});
		}
	}

	/**
	 * n8n's store cannot be used (an n8n without it, or a workflow never saved). Recording only was
	 * asked for, so the run goes on and a retry may resend; skipping was asked for, so nothing is sent.
	 */
	private withoutStore(batch: PendingClaim[], cause: unknown): void {
		const why = cause instanceof Error ? cause.message : "this n8n has no deduplication store";
		if (!this.skipsRecorded) {
			if (!this.unavailable) this.context.logger?.warn(`1MSG Template: messages sent are not recorded (${why}); a retry may send them again`);
			this.unavailable = true;
			for (const claim of batch) claim.resolve({ skip: false, key: claim.key });
			return;
		}
		const error = new NodeOperationError(this.context.getNode(), `Skip Messages Already Sent cannot read n8n's store: ${why}`, {
			description: 'Nothing was sent for this item. Save the workflow and try again, or set Skip Messages Already Sent to Off.',
		});
		for (const claim of batch) claim.reject(error);
	}
}
