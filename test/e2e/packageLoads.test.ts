/**
 * The built package, installed the way a community install looks, loads in the n8n under test:
 * 2.41.1, and 1.123.81 (the oldest n8n the package supports) in the e2e-1.x jest project.
 */
import { ensureN8nInstalled, selectRuntime, startN8n } from '../harness/n8n';
import { TEMPLATE_TYPE, TRIGGER_TYPE } from './workflows';

jest.setTimeout(240_000);

const runtime = selectRuntime();
let n8n: Awaited<ReturnType<typeof startN8n>>;

beforeAll(async () => {
	ensureN8nInstalled();
	n8n = await startN8n();
});

afterAll(() => n8n?.stop());

describe(`the package in n8n ${runtime.version}`, () => {
	it('runs in the pinned n8n version', async () => {
		const settings = await n8n.rest('GET', 'settings');
		expect(settings.versionCli).toBe(runtime.version);
	});

	it('offers both nodes and the credential, and n8n logged no error loading them', async () => {
		expect(await n8n.nodeTypeNames()).toEqual(expect.arrayContaining([TEMPLATE_TYPE, TRIGGER_TYPE]));
		expect(await n8n.credentialTypeNames()).toContain('oneMsgChannelApi');
		const packageErrors = n8n
			.logText()
			.split('\n')
			.filter((line) => /n8n-nodes-1msg-scenarios/.test(line) && /error|fail|could not/i.test(line));
		expect(packageErrors).toEqual([]);
	});
});
