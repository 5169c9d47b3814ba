import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { failureFromNetworkError, failureFromResponse } from './apiAnswers';
import { channelUrl, resolveChannel, type ResolvedChannel } from './channel';
import { ChannelConfigError, failureOf, type OneMsgFailure } from './failures';

export const CREDENTIAL_TYPE = 'oneMsgChannelApi';

export type OneMsgContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export interface OneMsgRequest {
	method: IHttpRequestMethods;
	/** The API method after the channel, e.g. `sendTemplate` or `webhook`. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	timeoutMs?: number;
	/** Sends are never repeated after an ambiguous answer. */
	isSend?: boolean;
}

export interface RetryPolicy {
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** The channel of the node's credential, with the decrypted credential to reuse for every request. */
export interface OneMsgChannel extends ResolvedChannel {
	credentials: ICredentialsDecrypted;
}

export async function resolveChannelFor(this: OneMsgContext): Promise<OneMsgChannel> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const reference = this.getNode().credentials?.[CREDENTIAL_TYPE];
	try {
		const channel = resolveChannel({
			channelId: credentials.channelId as string | undefined,
			token: credentials.token as string | undefined,
			baseUrl: credentials.baseUrl as string | undefined,
		});
		return {
			...channel,
			credentials: { id: reference?.id ?? '', name: reference?.name ?? '', type: CREDENTIAL_TYPE, data: credentials },
		};
	} catch (error) {
		if (error instanceof ChannelConfigError) {
			throw new NodeApiError(this.getNode(), {} as JsonObject, {
				message: error.message,
				description: error.description,
			});
		}
		throw new NodeApiError(this.getNode(), {} as JsonObject, { message: (error as Error).message });
	}
}

export function toNodeApiError(node: INode, failure: OneMsgFailure, itemIndex?: number): NodeApiError {
	const error = new NodeApiError(
		node,
		{ message: failure.message, category: failure.category } as JsonObject,
		{
			message: failure.message,
			description: failure.description,
			httpCode: failure.statusCode !== undefined ? String(failure.statusCode) : undefined,
			itemIndex,
		},
	);
	// NodeApiError rewrites messages for some HTTP codes; keep 1MSG's own words.
	error.message = failure.message;
	error.description = failure.description;
	error.context.oneMsgFailure = failure;
	return error;
}

interface NetworkErrorShape {
	code?: string;
	message?: string;
	cause?: { code?: string };
	httpCode?: string;
}

function networkCodeOf(error: NetworkErrorShape): string | undefined {
	// n8n 1.x drops the cause of the errors its request helpers throw; the code is left in httpCode.
	const code = error.code ?? error.cause?.code ?? (/^E[A-Z_]+$/.test(error.httpCode ?? '') ? error.httpCode : undefined);
	if (code) return code;
	if (/timeout/i.test(error.message ?? '')) return 'ETIMEDOUT';
	return undefined;
}

/** One request, one answer: success body, or a NodeApiError carrying a typed failure. */
export async function oneMsgApiRequest(
	this: OneMsgContext,
	request: OneMsgRequest,
	channel?: OneMsgChannel,
): Promise<IDataObject> {
	const resolved = channel ?? (await resolveChannelFor.call(this));
	const options: IHttpRequestOptions = {
		method: request.method,
		url: channelUrl(resolved, request.path),
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;

	let response: { statusCode: number; body: unknown; headers: Record<string, unknown> };
	try {
		// Passing the credential read once per execution spares n8n a database read and decryption per
		// request, which otherwise dominates the time of a large send.
		response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options, {
			credentialsDecrypted: resolved.credentials,
		})) as typeof response;
	} catch (error) {
		const shape = error as NetworkErrorShape;
		throw toNodeApiError(
			this.getNode(),
			failureFromNetworkError(networkCodeOf(shape), shape.message ?? String(error), request.isSend === true),
		);
	}
	const failure = failureFromResponse({
		statusCode: response.statusCode,
		body: response.body,
		headers: response.headers,
		isSend: request.isSend === true,
	});
	if (failure) throw toNodeApiError(this.getNode(), failure);
	if (typeof response.body === 'object' && response.body !== null) return response.body as IDataObject;
	return { raw: response.body as string } as IDataObject;
}

/** Exponential backoff with full jitter, never shorter than what Retry-After asks for. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random = Math.random): number {
	const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	const jittered = exponential / 2 + random() * (exponential / 2);
	return Math.max(retryAfterMs ?? 0, Math.round(jittered));
}

export interface RetriedResult {
	body: IDataObject;
	attempts: number;
}

/**
 * Repeats a request only when the failure proves nothing was sent (429, Meta throughput codes,
 * connection refused). Timeouts, 5xx and queued answers surface at once as `unknown_outcome`.
 */
export async function oneMsgApiRequestWithRetry(
	this: OneMsgContext,
	request: OneMsgRequest,
	policy: RetryPolicy,
	channel?: OneMsgChannel,
	beforeAttempt?: () => Promise<void>,
): Promise<RetriedResult> {
	for (let attempt = 0; ; attempt++) {
		await beforeAttempt?.();
		try {
			const body = await oneMsgApiRequest.call(this, request, channel);
			return { body, attempts: attempt + 1 };
		} catch (error) {
			const failure =
				failureOf(error) ?? failureFromNetworkError(undefined, String(error), request.isSend === true);
			if (!failure.retryable || attempt >= policy.maxRetries) {
				if (failure.retryable) failure.message = `${failure.message} (gave up after ${attempt + 1} attempts)`;
				throw toNodeApiError(this.getNode(), failure);
			}
			await sleep(retryDelayMs(policy, attempt, failure.retryAfterMs));
		}
	}
}
