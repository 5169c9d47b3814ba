import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CATEGORIES, describeFailure, failureOf } from './failures';
import type { SentBeforeStop } from './stoppedRun';
import { describeStop } from './stoppedRun';
import { toNodeApiError } from './transport';

interface ItemFailure {
	itemIndex: number;
	error: NodeOperationError | NodeApiError;
	json: IDataObject;
}

/**
 * The output of an operation, item by item: one output item per input item, in input order, whatever
 * order the items finish in. A failure becomes an item shaped the same way for every operation, or,
 * without Continue On Fail, the error that stops the run.
 */
export class ItemResults {
	private readonly results: Array<INodeExecutionData | undefined>;

	private readonly failures: ItemFailure[] = [];

	/** Whether retrying the execution would send again what this run sent; said when a failure stops the run. */
	retryResends = true;

	constructor(
		private readonly context: IExecuteFunctions,
		count: number,
		readonly continueOnFail: boolean,
	) {
		this.results = new Array(count);
	}

	/** Without Continue On Fail the first failure stops the run: nothing more may be started. */
	get stopped(): boolean {
		return !this.continueOnFail && this.failures.length > 0;
	}

	succeed(itemIndex: number, json: IDataObject): void {
		this.results[itemIndex] = { json, pairedItem: { item: itemIndex } };
	}

	/** Records why an item failed; `context` (what the item was about) is kept in its output. */
	fail(itemIndex: number, error: unknown, context: IDataObject = {}): void {
		const failure = describeFailure(error);
		const itemMessage = `${failure.message} [item ${itemIndex}]`;
		const apiFailure = failureOf(error);
		const node = this.context.getNode();
		const nodeError = apiFailure
			? toNodeApiError(node, { ...apiFailure, message: itemMessage }, itemIndex)
			: new NodeOperationError(node, itemMessage, { itemIndex, description: failure.description });
		nodeError.context.category = failure.category;
		this.failures.push({
			itemIndex,
			error: nodeError,
			json: {
				...context,
				status: CATEGORIES[failure.category].status,
				error: failure.message,
				category: failure.category,
				statusCode: failure.statusCode ?? null,
				description: failure.description,
				...(failure.field ? { field: failure.field } : {}),
				itemIndex,
			},
		});
	}

	/** The output items; without Continue On Fail the first failure (by item order) is thrown instead. */
	finish(): INodeExecutionData[] {
		this.failures.sort((a, b) => a.itemIndex - b.itemIndex);
		if (!this.continueOnFail && this.failures.length > 0) throw this.stopError();
		for (const failure of this.failures) {
			this.results[failure.itemIndex] = { json: failure.json, pairedItem: { item: failure.itemIndex } };
		}
		return this.results.map(
			(item, index) => item ?? { json: { error: 'Not processed', itemIndex: index }, pairedItem: { item: index } },
		);
	}

	/** The first failure, saying which messages went out before it stopped the run. */
	private stopError(): NodeOperationError | NodeApiError {
		const [first, ...others] = this.failures;
		const recipientOf = (json: IDataObject) => (typeof json.recipient === 'string' ? { recipient: json.recipient } : {});
		const sent: SentBeforeStop[] = [
			...this.results.flatMap((item, itemIndex): SentBeforeStop[] =>
				item?.json.status === 'accepted' || item?.json.status === 'skipped'
					? [{ itemIndex, messageId: (item.json.messageId as string | null) ?? null, status: item.json.status, ...recipientOf(item.json) }]
					: [],
			),
			...others
				.filter((failure) => failure.json.status === 'unknown')
				.map((failure): SentBeforeStop => ({ itemIndex: failure.itemIndex, messageId: null, status: 'unknown', ...recipientOf(failure.json) })),
		];
		const report = describeStop(sent, this.retryResends);
		if (report) {
			first.error.message += report.message;
			first.error.description = [report.description, first.error.description].filter(Boolean).join(' ');
		}
		return first.error;
	}
}
