/** The fake 1MSG channel and a real n8n holding its credential, started and stopped together by e2e suites. */
import { ensureN8nInstalled, nodeOutput, startN8n } from '../harness/n8n';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../fake-1msg/server';
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
