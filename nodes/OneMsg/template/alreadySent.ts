/**
 * Skip Messages Already Sent: "never twice" across runs. A key per message (recipient, template and
 * values by default) is claimed in n8n's own deduplication store before the send, and released only
 * when the outcome proves nothing went out, so a retried execution, a CRM event delivered twice or a
 * re-run of the node sends nothing that was already accepted (or may have been).
 *
 * n8n's store keeps hashed values only, one list per node, with no time window: the window is a
 * time bucket in the stored value, and a key counts as sent when it is in the current or the previous
 * bucket. Executions writing at the same time are safe through shared/nodeRecords. The earlier
 * message id is not in the store: this process remembers it, and the node's static data keeps it
 * across restarts, best-effort.
 */
import { createHash } from 'crypto';

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { BoundedMap } from '../shared/boundedMap';
import { NodeRecords } from '../shared/nodeRecords';
import { Deferred } from '../shared/pool';
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
/** Earlier message ids kept per node (in this process and in static data) for skipped items; the most recent win. */
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

/** The policy the Options give, or `fallback` (the form's defaults unless said) for what they leave unset. */
export function readSkipPolicy(
	options: IDataObject,
	fallback: { policy: SkipPolicy; window: SkipWindow } = { policy: DEFAULTS.skipAlreadySent, window: DEFAULTS.skipWindow },
): { policy: SkipPolicy; window: SkipWindow } {
	return {
		policy: (options.skipAlreadySent as SkipPolicy | undefined) ?? fallback.policy,
		window: (options.skipWindow as SkipWindow | undefined) ?? fallback.window,
	};
}

/**
 * The default key: recipient, template and language, and a digest of the values sent. A phone stays
 * first and bare, so keys recorded by earlier versions (phones only) are still found.
 */
export function defaultSendKey(body: SendTemplateBody): string {
	return `${recipientKey(body)}:${body.template}:${body.language.code}:${digestOf(body.params ?? [])}`;
}

/**
 * The default key of a message inside the 24-hour window: recipient, the 1MSG method and a digest of
 * what the message says (the body without its recipient).
 */
export function defaultMessageKey(method: string, body: IDataObject): string {
	const { phone, chatId, bsuid, username, ...content } = body;
	return `${recipientKey({ phone, chatId, bsuid, username })}:${method}:${digestOf(content)}`;
}

/** The recipient as a key names it: the phone (bare, as earlier versions recorded it), chat ID, BSUID or @username. */
function recipientKey(body: { phone?: unknown; chatId?: unknown; bsuid?: unknown; username?: unknown }): string {
	const recipient = body.phone ?? body.chatId ?? body.bsuid ?? (body.username === undefined ? undefined : `@${String(body.username).replace(/^@/, '')}`);
	return String(recipient);
}

function digestOf(values: unknown): string {
	return createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 16);
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
	/** Claims made again after a rival execution of this process released the key. */
	tries: number;
}

/** What became of a key an execution of this process claimed: its message went out (or may have), or nothing did. */
type Outcome = { sent: true; messageId: string | null } | { sent: false };

/** Kept in the node's static data: n8n saves it with every execution that is not a manual one. */
interface AlreadySentStaticData extends IDataObject {
	/** Key → message id of the most recent sends, for skipped items after a restart. */
	sentMessageIds?: Record<string, string>;
}

/** Nodes whose message ids and claims in flight this process keeps; the least recently used are dropped. */
const NODES_REMEMBERED = 200;
/** How long a claim waits for a rival execution of this process that is sending the same key right now. */
export const RIVAL_WAIT_MS = 60_000;
const RIVAL_CLAIMS_AGAIN = 2;
const RIVAL_POLL_MS = 20;

/**
 * Per node (NodeRecords.scope), shared by the executions of this process: the message ids of recent
 * sends (the same object is put into each execution's static data, so whichever execution n8n saves
 * last saves them all), the keys being sent right now, and the keys of runs that stopped on an error.
 */
class NodeMemory {
	readonly messageIds: Record<string, string> = {};
	readonly inFlight = new Map<string, Deferred<Outcome>>();
	readonly stoppedRuns = new BoundedMap<string, Set<string>>(NODES_REMEMBERED);

	/** Adds ids read from static data (an earlier process's), older than what this process knows. */
	adopt(saved: Record<string, string> | undefined): void {
		if (!saved) return;
		const missing = Object.entries(saved).filter(([key]) => !(key in this.messageIds));
		if (missing.length === 0) return;
		const known = Object.entries(this.messageIds);
		for (const key of Object.keys(this.messageIds)) delete this.messageIds[key];
		for (const [key, id] of [...missing, ...known]) this.messageIds[key] = id;
		this.trim();
	}

	remember(key: string, messageId: string): void {
		delete this.messageIds[key];
		this.messageIds[key] = messageId;
		this.trim();
	}

	private trim(): void {
		const keys = Object.keys(this.messageIds);
		for (const key of keys.slice(0, Math.max(0, keys.length - MESSAGE_IDS_KEPT))) delete this.messageIds[key];
	}
}

const memoryByNode = new BoundedMap<string, NodeMemory>(NODES_REMEMBERED);

function memoryOf(scope: string): NodeMemory {
	const memory = memoryByNode.get(scope) ?? new NodeMemory();
	memoryByNode.set(scope, memory);
	return memory;
}

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
	/** Keys this run claimed first in this process: rival executions wait on their outcome. */
	private readonly ownFlights = new Map<string, Deferred<Outcome>>();
	private readonly records: NodeRecords;
	private readonly memory: NodeMemory;
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
		this.records = new NodeRecords(context, MAX_STORE_ENTRIES);
		this.memory = memoryOf(this.records.scope);
		this.staticData = (context.getWorkflowStaticData?.('node') ?? {}) as AlreadySentStaticData;
		this.memory.adopt(this.staticData.sentMessageIds);
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
			this.pending.push({ itemIndex, key, values: storeValues(key, this.window, this.now()), resolve, reject, tries: 0 });
			this.flushing ??= this.flush();
		});
	}

	/** The item's message went out (accepted) or may have (ambiguous): its key stays recorded. */
	keep(itemIndex: number, messageId: string | null): void {
		const key = this.keyOf.get(itemIndex);
		if (key === undefined) return;
		this.kept.set(itemIndex, messageId);
		if (messageId) this.memory.remember(key, messageId);
		this.endFlight(key, { sent: true, messageId });
	}

	/**
	 * Ends the run: releases the keys of items that sent nothing (refused, given up, never started),
	 * reads back the others and records again what another process erased, keeps message ids for
	 * later skips, and notes the kept keys when the run stops on an error, for the node's next try.
	 */
	async settle(stopping: boolean): Promise<void> {
		if (!this.enabled) return;
		await this.flushing;
		const keptKeys = new Set([...this.kept.keys()].map((i) => this.keyOf.get(i) as string));
		if (!this.unavailable) {
			const release = [...this.recorded.entries()].filter(([itemIndex]) => !keptKeys.has(this.keyOf.get(itemIndex) as string));
			const keep = [...this.recorded.entries()].filter(([itemIndex]) => keptKeys.has(this.keyOf.get(itemIndex) as string));
			try {
				await this.records.remove(release.flatMap(([, values]) => values));
			} catch (error) {
				// The sends are done and their results must reach the output; a key left recorded only
				// makes a later retry skip a message that never went out, the safe side.
				this.context.logger?.warn(`1MSG Template: keys of ${release.length} unsent message(s) stay recorded: ${(error as Error).message}`);
			}
			try {
				await this.records.confirm(keep.flatMap(([, values]) => values));
			} catch (error) {
				this.context.logger?.warn(`1MSG Template: the keys of ${keep.length} message(s) sent could not be read back: ${(error as Error).message}`);
			}
		}
		for (const key of [...this.ownFlights.keys()]) this.endFlight(key, { sent: false });
		this.rememberMessageIds();
		const stoppedKey = `${this.executionId}`;
		if (stopping && this.executionId) this.memory.stoppedRuns.set(stoppedKey, keptKeys);
		else this.memory.stoppedRuns.delete(stoppedKey);
	}

	/** Puts this process's message ids into the node's static data when this run added any. */
	private rememberMessageIds(): void {
		if (![...this.kept.values()].some(Boolean)) return;
		this.staticData.sentMessageIds = this.memory.messageIds;
	}

	private endFlight(key: string, outcome: Outcome): void {
		const flight = this.ownFlights.get(key);
		if (!flight) return;
		this.ownFlights.delete(key);
		if (this.memory.inFlight.get(key) === flight) this.memory.inFlight.delete(key);
		flight.resolve(outcome);
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
		if (!this.records.available || this.unavailable) return this.withoutStore(batch, undefined);
		let processed: Set<string>;
		try {
			processed = await this.records.record(batch.flatMap((claim) => claim.values));
		} catch (error) {
			return this.withoutStore(batch, error);
		}
		const retriedHere = this.memory.stoppedRuns.get(this.executionId) ?? new Set<string>();
		for (const claim of batch) {
			const sentBefore = claim.values.some((value) => processed.has(value));
			if (!sentBefore) {
				this.recorded.set(claim.itemIndex, claim.values);
				this.startFlight(claim.key);
				claim.resolve({ skip: false, key: claim.key });
				continue;
			}
			const skip = this.skipsRecorded || retriedHere.has(claim.key);
			if (!skip) {
				claim.resolve({ skip: false, key: claim.key });
				continue;
			}
			const rival = this.memory.inFlight.get(claim.key);
			if (rival) {
				void this.afterRival(claim, rival);
				continue;
			}
			claim.resolve(this.skipped(claim.key, retriedHere.has(claim.key) && !this.skipsRecorded));
		}
	}

	private startFlight(key: string): void {
		const flight = new Deferred<Outcome>();
		this.ownFlights.set(key, flight);
		this.memory.inFlight.set(key, flight);
	}

	/**
	 * Another execution of this process claimed the key a moment before and is sending it: its
	 * outcome decides. It went out: skipped with its id. Nothing went out: this claim is made again.
	 */
	private async afterRival(claim: PendingClaim, rival: Deferred<Outcome>): Promise<void> {
		const seen: { outcome?: Outcome } = {};
		void rival.promise.then((value) => (seen.outcome = value));
		// Short sleeps rather than one long timer: nothing is left waiting once the rival has finished.
		for (let waited = 0; !seen.outcome && waited < RIVAL_WAIT_MS; waited += RIVAL_POLL_MS) await sleep(RIVAL_POLL_MS);
		const outcome = seen.outcome ?? 'timeout';
		if (outcome === 'timeout') {
			claim.resolve({
				skip: true,
				key: claim.key,
				messageId: null,
				reason: `Being sent by another execution at the same moment; its outcome did not come within ${RIVAL_WAIT_MS / 1000} s, so this one sends nothing`,
			});
			return;
		}
		if (outcome.sent) {
			claim.resolve({
				skip: true,
				key: claim.key,
				messageId: outcome.messageId,
				reason: outcome.messageId ? 'Sent by another execution at the same moment' : 'Another execution at the same moment may have sent it (its outcome is unknown)',
			});
			return;
		}
		if (claim.tries >= RIVAL_CLAIMS_AGAIN) {
			claim.resolve({ skip: true, key: claim.key, messageId: null, reason: 'Claimed by other executions at the same moment, again and again; nothing was sent' });
			return;
		}
		this.pending.push({ ...claim, tries: claim.tries + 1 });
		this.flushing ??= this.flush();
	}

	private skipped(key: string, triedEarlierHere: boolean): Claim {
		const messageId = this.memory.messageIds[key] ?? null;
		const reason = triedEarlierHere ? 'Sent by an earlier try of this node in this execution' : 'Already sent';
		return {
			skip: true,
			key,
			messageId,
			reason: messageId
				? reason
				: `${reason}; its message id is not known here (sent by another n8n process, or before n8n restarted and was not saved with the workflow): see the execution that sent it`,
		};
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
