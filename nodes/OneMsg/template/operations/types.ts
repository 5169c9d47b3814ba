import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ItemResults } from '../../shared/itemResults';
import type { OneMsgChannel } from '../../shared/transport';

/** What an operation is given: the channel, resolved once per execution, and the per-item output. */
export interface OperationRun {
	channel: OneMsgChannel;
	results: ItemResults;
	/** Told of each message 1MSG accepted, as soon as it is, with the run's pacing for later requests. */
	onAccepted?: (itemIndex: number, output: IDataObject, pace: () => Promise<void>) => void;
}

/** One operation of the Template node: its entry in the Operation list, its fields and its execution. */
export interface TemplateOperation {
	option: INodePropertyOptions & { value: string };
	/** Fields shown only for this operation; the router adds the display condition. */
	fields: INodeProperties[];
	/** One list of items per node output. */
	execute(this: IExecuteFunctions, run: OperationRun): Promise<INodeExecutionData[][]>;
}
