/** The fake 1MSG channel and a real n8n holding its credential, started and stopped together by e2e suites. */
import { ensureN8nInstalled, nodeOutput, startN8n } from '../harness/n8n';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../fake-1msg/server';
import { NAMESPACE } from '../fake-1msg/templates';
import { credentialJson } from './workflows';

export type Fake = Awaited<ReturnType<typeof startFake1msg>>;
export type N8n = Awaited<ReturnType<typeof startN8n>>;
export type Execution = Awaited<ReturnType<N8n['executions']>>[number];

export interface StackOptions {
	fake?: Parameters<typeof startFake1msg>[0];
	workflows: object[];
	publish?: string[];
}

export async function startStack(options: StackOptions): Promise<{ fake: Fake; n8n: N8n }> {
	ensureN8nInstalled();
	const fake = await startFake1msg(options.fake);
	try {
		const n8n = await startN8n({
			credentials: credentialJson({ baseUrl: fake.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
			workflows: options.workflows,
			publish: options.publish,
		});
		return { fake, n8n };
	} catch (error) {
		await fake.close();
		throw error;
	}
}

/** Posts a CRM event to a send workflow's webhook (answering with the last node's items) and returns the first item. */
export async function postForFirstItem(n8n: N8n, spec: { path: string }, body: Record<string, unknown>): Promise<Record<string, unknown>> {
	const response = await n8n.postWebhook(`webhook/${spec.path}`, body);
	if (response.status !== 200) throw new Error(`webhook/${spec.path} answered HTTP ${response.status}: ${JSON.stringify(response.body)}`);
	const [item] = response.body as Array<Record<string, unknown>>;
	return item;
}

export async function stopStack(stack: { fake?: Fake; n8n?: N8n }): Promise<void> {
	await stack.n8n?.stop();
	await stack.fake?.close();
}

/** The statuses the 1MSG Trigger emitted for one message, over the trigger workflow's successful executions. */
export function statusesFor(executions: Execution[], messageId: string): string[] {
	return executions
		.filter((execution) => execution.status === 'success')
		.flatMap((execution) => nodeOutput(execution, '1MSG Trigger') as Array<Record<string, unknown>>)
		.filter((item) => item.messageId === messageId)
		.map((item) => String(item.status));
}

/**
 * Sends one template straight to the fake channel, as another system on the channel would, so that
 * its statuses (sent, delivered, read) are posted to the channel's webhook list. Resolves with its id.
 */
export async function sendStraightToChannel(fake: Fake, phone: string): Promise<string> {
	const response = await fetch(`${fake.baseUrl}/${fake.channelId}/sendTemplate`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${fake.token}` },
		body: JSON.stringify({
			phone,
			template: 'order_no_response_notification',
			namespace: NAMESPACE,
			language: { policy: 'deterministic', code: 'en' },
			params: [{ type: 'body', parameters: ['Alexey', '10482', 'delivery slot confirmation', 'Please choose a time'].map((text) => ({ type: 'text', text })) }],
		}),
	});
	const answer = (await response.json()) as { sent?: boolean; id?: string; message?: string };
	if (answer.sent !== true || !answer.id) throw new Error(`the fake channel refused a send to ${phone}: ${JSON.stringify(answer)}`);
	return answer.id;
}

/** A webhook post the fake made, as it records them. */
export type FakeDelivery = { url: string; body: { ack?: Array<{ id: string; status: string }> }; statusCode?: number; answer?: string; error?: string; attempt: number; at: number };

/** How many events of the body the 1MSG Trigger's answer says it took (`accepted`); 0 when the answer is not the trigger's. */
export function acceptedIn(delivery: FakeDelivery): number {
	try {
		return Number((JSON.parse(delivery.answer ?? '') as { accepted?: number }).accepted ?? 0);
	} catch {
		return 0;
	}
}
