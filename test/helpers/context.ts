import { EventEmitter } from 'node:events';
/**
 * Execution contexts for calling the nodes directly in tests. HTTP is real: the request helper
 * sends with axios (the client n8n's own helper uses) to the fake 1MSG server, adding the
 * credential's Bearer header the way the credential's `authenticate` block describes it.
 */
import axios from 'axios';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { stripAuthPrefix } from '../../nodes/OneMsg/shared/channel';

export type Params = Record<string, unknown>;

function getPath(source: unknown, path: string): unknown {
	return path.split('.').reduce<unknown>((value, key) => (value === null || value === undefined ? undefined : (value as Record<string, unknown>)[key]), source);
}

export interface HttpCall {
	options: IHttpRequestOptions;
	credentialType: string;
}

export function makeRequestHelper(credentials: ICredentialDataDecryptedObject, calls: HttpCall[] = []) {
	return async function httpRequestWithAuthentication(credentialType: string, options: IHttpRequestOptions) {
		calls.push({ options, credentialType });
		try {
			const response = await axios.request({
				method: options.method ?? 'GET',
				url: options.url,
				data: options.body,
				params: options.qs,
				timeout: options.timeout,
				headers: { ...(options.headers ?? {}), Authorization: `Bearer ${stripAuthPrefix(String(credentials.token ?? ''))}` },
				validateStatus: options.ignoreHttpStatusErrors ? () => true : undefined,
				transitional: { silentJSONParsing: true, forcedJSONParsing: true, clarifyTimeoutError: false },
			});
			return options.returnFullResponse
				? { statusCode: response.status, body: response.data, headers: response.headers }
				: response.data;
		} catch (error) {
			const e = error as { code?: string; message: string };
			throw Object.assign(new Error(e.message), { code: e.code });
		}
	};
}

export interface ExecuteContextOptions {
	/** Parameters, the same for every item, or per item. */
	params: Params | ((itemIndex: number) => Params);
	items?: INodeExecutionData[];
	credentials: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	calls?: HttpCall[];
	/**
	 * Stands in for n8n's database-backed deduplication store (the values recorded for this node); with it the
	 * context also offers the helpers Skip Messages Already Sent uses. Shared between calls, like n8n's table.
	 */
	processedValues?: Set<string>;
	/** Deduplication helpers of their own (e.g. racingStore's), instead of `processedValues`. */
	dedupHelpers?: IDataObject;
	/** n8n's execution mode, e.g. `retry` for an execution retried from the list. */
	mode?: string;
	staticData?: IDataObject;
	/** The workflow's id; another id also stands for another n8n process, whose memory is its own. */
	workflowId?: string;
	/** The input lists, when the node reads more than `items` on its first (a trigger's run). */
	inputs?: INodeExecutionData[][];
	/** `$execution.id`; `exec-unit` when not given. */
	executionId?: string;
	/** Collects what the node sets as the execution's custom data. */
	customData?: Record<string, string>;
	/** Collects what the node logs at info level. */
	logs?: string[];
	/** The node's type, e.g. the synthetic `…Tool` type n8n gives a node used by an AI Agent. */
	nodeType?: string;
}

export const TEST_NODE: INode = {
	id: 'node-1',
	name: '1MSG Template',
	type: 'n8n-nodes-1msg-scenarios.oneMsgTemplate',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Every leaf as an n8n expression, as the raw parameters of a node whose values differ per item look. */
function asExpressions(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(asExpressions);
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, asExpressions(inner)]));
	}
	return `={{ ${JSON.stringify(value)} }}`;
}

/** The two calls of n8n's deduplication helpers the node makes, over one set of recorded values. */
function dedupHelpers(recorded: Set<string>) {
	return {
		checkProcessedAndRecord: async (values: Array<string | number>) => {
			const result = { new: [] as Array<string | number>, processed: [] as Array<string | number> };
			for (const value of values) {
				(recorded.has(String(value)) ? result.processed : result.new).push(value);
				recorded.add(String(value));
			}
			return result;
		},
		removeProcessed: async (values: Array<string | number>) => {
			for (const value of values) recorded.delete(String(value));
		},
	};
}

export function executeContext(options: ExecuteContextOptions): IExecuteFunctions {
	const items = options.items ?? [{ json: {} }];
	const paramsOf = (i: number) => (typeof options.params === 'function' ? options.params(i) : options.params);
	// Per-item parameters stand for expressions in the workflow; constant ones for fixed values.
	const params = options.params;
	const node: INode = {
		...TEST_NODE,
		...(options.nodeType ? { type: options.nodeType } : {}),
		parameters: (typeof params === 'function'
			? asExpressions(Object.assign({}, ...items.map((_item, i) => params(i))))
			: params) as INode['parameters'],
	};
	const context = {
		getInputData: (inputIndex = 0) => {
			if (!options.inputs) return items;
			// As n8n: an index past the lists throws, the one right after them is empty.
			if (inputIndex > options.inputs.length) throw new Error('Could not get input with given index');
			return options.inputs[inputIndex] ?? [];
		},
		getNode: () => node,
		continueOnFail: () => options.continueOnFail ?? false,
		getCredentials: async () => options.credentials,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown, extra?: { extractValue?: boolean }) => {
			let value = getPath(paramsOf(itemIndex), name);
			if (value && typeof value === 'object' && extra?.extractValue && '__rl' in (value as IDataObject)) {
				value = (value as IDataObject).value;
			}
			return value === undefined ? fallback : value;
		},
		getMode: () => options.mode ?? 'manual',
		getExecutionId: () => options.executionId ?? 'exec-unit',
		customData: { set: (key: string, value: string) => ((options.customData ??= {})[key] = value) },
		logger: { info: (message: string) => options.logs?.push(message), warn: (message: string) => options.logs?.push(message) },
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-unit', active: false }),
		getWorkflowStaticData: () => (options.staticData ??= {}),
		helpers: {
			httpRequestWithAuthentication: makeRequestHelper(options.credentials, options.calls),
			...(options.processedValues ? dedupHelpers(options.processedValues) : {}),
			...options.dedupHelpers,
		},
	};
	return context as unknown as IExecuteFunctions;
}

export interface TriggerContextOptions {
	credentials: ICredentialDataDecryptedObject;
	webhookUrl: string;
	staticData: IDataObject;
	params?: Params;
	workflowId?: string;
	calls?: HttpCall[];
	/** n8n's execution mode: `manual` for the editor's test listener. */
	mode?: string;
	/** Collects what the node logs at info level. */
	logs?: string[];
}

export function hookContext(options: TriggerContextOptions) {
	return {
		getMode: () => options.mode ?? 'trigger',
		logger: { info: (message: string) => options.logs?.push(message), warn: (message: string) => options.logs?.push(message) },
		getNode: () => ({ ...TEST_NODE, name: '1MSG Trigger', type: 'n8n-nodes-1msg-scenarios.oneMsgTrigger' }),
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-test', active: true }),
		getWorkflowStaticData: () => options.staticData,
		getNodeWebhookUrl: () => options.webhookUrl,
		getCredentials: async () => options.credentials,
		getNodeParameter: (name: string, fallback?: unknown) => getPath(options.params ?? {}, name) ?? fallback,
		helpers: { httpRequestWithAuthentication: makeRequestHelper(options.credentials, options.calls) },
	};
}

export interface RecordedResponse {
	statusCode?: number;
	body?: unknown;
}

/**
 * A webhook call's context. `res` records what the node wrote itself; `n8nAnswers(result, code)`
 * plays n8n's part for a result that leaves the answer to n8n (`webhookResponse`): n8n 2.x writes it
 * once the execution is saved or queued, with a 5xx when it cannot be, then closes the response.
 */
export function webhookContext(
	options: TriggerContextOptions & { body: unknown; query?: IDataObject; headers?: IDataObject },
) {
	const response: RecordedResponse = {};
	const res = Object.assign(new EventEmitter(), {
		statusCode: 200,
		writableFinished: false,
		status(code: number) {
			response.statusCode = code;
			res.statusCode = code;
			return res;
		},
		setHeader() {
			return res;
		},
		json(body: unknown) {
			response.body = body;
			return res.end();
		},
		send(body: unknown) {
			response.body = body;
			return res.end();
		},
		end() {
			res.writableFinished = true;
			res.emit('close');
			return res;
		},
	});
	const context = {
		...hookContext(options),
		getBodyData: () => options.body,
		getQueryData: () => options.query ?? {},
		getHeaderData: () => options.headers ?? {},
		getResponseObject: () => res,
		getRequestObject: () => ({ body: options.body, query: options.query ?? {}, headers: options.headers ?? {} }),
	};
	/**
	 * n8n's answer after the node returned: the node's `webhookResponse` with `code` (a 5xx when n8n
	 * could not take the execution). `hungUp` is 1MSG closing the connection first (its timeout): the
	 * socket closes, and n8n's answer, whenever it comes, goes into the closed socket.
	 */
	const n8nAnswers = (result: { webhookResponse?: unknown; noWebhookResponse?: boolean }, code = 200) => {
		if (result.noWebhookResponse) return;
		res.status(code).json(code < 300 ? result.webhookResponse : { code: 500, message: 'There was a problem executing the workflow' });
	};
	const hangUp = () => res.emit('close');
	return { context, response, n8nAnswers, hangUp };
}

/**
 * The first step of a run the trigger started, as n8n makes it on the process that runs it: the
 * trigger's `execute`, in `webhook` mode, with the lists the webhook returned as its input.
 */
export async function triggerRun(
	trigger: { execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> },
	workflowData: INodeExecutionData[][],
	params: Params,
	extra: Partial<ExecuteContextOptions> = {},
): Promise<INodeExecutionData[][]> {
	return await trigger.execute.call(executeContext({ params, credentials: {}, inputs: workflowData, mode: 'webhook', ...extra }));
}
