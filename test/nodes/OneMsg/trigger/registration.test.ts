import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import {
	isRegistered,
	readWebhookList,
	register,
	restoreStatuses,
	statusesAreOn,
	switchStatusesOn,
	unregister,
	writeWebhookList,
} from '../../../../nodes/OneMsg/trigger/registration';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, INBOX_WEBHOOK_URL, startFake1msg } from '../../../fake-1msg/server';
import { hookContext } from '../../../helpers/context';

type Fake = Awaited<ReturnType<typeof startFake1msg>>;
type Registration = typeof import('../../../../nodes/OneMsg/trigger/registration');

const OUR_URL = 'http://127.0.0.1:5688/webhook/0f0e0d0c/webhook';
let fake: Fake;

beforeAll(async () => {
	fake = await startFake1msg({ ackDelayMs: 5 });
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const hooks = () =>
	hookContext({
		credentials: { channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl },
		webhookUrl: OUR_URL,
		staticData: {},
	}) as unknown as IHookFunctions;

describe('webhook registration protocol', () => {
	it('reads and replaces the whole webhook list', async () => {
		expect(await readWebhookList.call(hooks())).toEqual([INBOX_WEBHOOK_URL]);
		await writeWebhookList.call(hooks(), [INBOX_WEBHOOK_URL, OUR_URL]);
		expect(fake.webhookUrls).toEqual([INBOX_WEBHOOK_URL, OUR_URL]);
	});

	it('clears the list through settings when no URL is left', async () => {
		await writeWebhookList.call(hooks(), []);
		expect(fake.webhookUrls).toEqual([]);
		const writes = fake.requests.filter((request: { method: string }) => request.method === 'POST');
		expect(writes.map((request: { path: string; body: unknown }) => [request.path, request.body])).toEqual([
			[`/${DEFAULT_CHANNEL_ID}/settings`, { webhookUrl: '' }],
		]);
	});

	it('switches statuses on once, and off again only for the trigger that switched them', async () => {
		expect(await switchStatusesOn.call(hooks())).toBe(true);
		expect(await switchStatusesOn.call(hooks())).toBe(false);
		const notOurs: IDataObject = {};
		await restoreStatuses.call(hooks(), notOurs);
		expect(fake.settings.ackNotificationsOn).toBe(true);
		await restoreStatuses.call(hooks(), { ackEnabledByTrigger: true });
		expect(fake.settings.ackNotificationsOn).toBe(false);
	});
});

describe("1MSG's delivery-status flag, whatever form GET /settings writes it in", () => {
	// No source shows a GET /settings answer; 1MSG's own node reads flags as true | 1 | '1' | 'true'.
	it.each(['number', 'digit', 'word'] as const)('reads it on and off when written as %s', async (form) => {
		fake.settingsFlagsAs = form;
		expect(await statusesAreOn.call(hooks())).toBe(false);
		fake.settings.ackNotificationsOn = true;
		expect(await statusesAreOn.call(hooks())).toBe(true);
		expect(await switchStatusesOn.call(hooks())).toBe(false);
	});

	it('leaves statuses that were already on (written as 1) on when the trigger leaves, and does not mark its URL', async () => {
		fake.settingsFlagsAs = 'number';
		fake.settings.ackNotificationsOn = true;
		const staticData: IDataObject = {};
		const context = () =>
			hookContext({ credentials: { channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl }, webhookUrl: OUR_URL, staticData }) as unknown as IHookFunctions;
		await register.call(context());
		expect(staticData.ackEnabledByTrigger).toBe(false);
		expect(String(staticData.registeredUrl)).not.toContain('statusesOn');
		expect(await isRegistered.call(context())).toBe(true);
		await unregister.call(context());
		expect(fake.settings.ackNotificationsOn).toBe(true);
		expect(fake.requests.filter((r: { method: string; path: string }) => r.method === 'POST' && r.path.endsWith('/settings'))).toEqual([]);
	});
});

describe('a trigger URL 1MSG disabled after failed deliveries', () => {
	const CRM = 'https://crm.example.com/1msg-hook?token=abc';

	function trigger() {
		const staticData: IDataObject = {};
		const logs: string[] = [];
		const context = () =>
			hookContext({
				credentials: { channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl },
				webhookUrl: OUR_URL,
				staticData,
				logs,
			}) as unknown as IHookFunctions;
		return { staticData, logs, context };
	}
	const webhookWrites = () =>
		fake.requests
			.filter((r: { method: string; path: string }) => r.method === 'POST' && r.path.endsWith('/webhook'))
			.map((r: { body: unknown }) => r.body);

	it.each(['assumed-by-url', 'assumed-list'] as const)(
		'counts as not registered, and activation submits the complete list again in its order, reads it back and logs what was re-enabled (%s)',
		async (shape) => {
			const t = trigger();
			await register.call(t.context());
			const ours = String(t.staticData.registeredUrl);
			await writeWebhookList.call(t.context(), [INBOX_WEBHOOK_URL, ours, CRM]);
			fake.disableWebhook(ours, { shape });
			fake.requests.length = 0;

			expect(await isRegistered.call(t.context())).toBe(false);
			await register.call(t.context());

			expect(webhookWrites()).toEqual([{ webhookUrl: [INBOX_WEBHOOK_URL, ours, CRM] }]);
			expect(fake.webhookUrls).toEqual([INBOX_WEBHOOK_URL, ours, CRM]);
			expect([...fake.disabledWebhooks]).toEqual([]);
			const reads = fake.requests.filter((r: { method: string; path: string }) => r.method === 'GET' && r.path.endsWith('/webhook'));
			expect(reads.length).toBeGreaterThanOrEqual(2);
			expect(t.logs).toEqual([expect.stringMatching(/^1MSG Trigger: re-enabled this trigger's URL http:\/\/127\.0\.0\.1:5688\/webhook\/0f0e0d0c\/webhook\?…: 1MSG had disabled it/)]);
			expect(t.logs.join()).not.toContain(String(t.staticData.secret));
			expect(t.staticData.registeredUrl).toBe(ours);
			expect(await isRegistered.call(t.context())).toBe(true);
		},
	);

	it('leaves another consumer\'s disabled URL alone while its own URL works', async () => {
		const t = trigger();
		await writeWebhookList.call(t.context(), [INBOX_WEBHOOK_URL, CRM]);
		await register.call(t.context());
		fake.disableWebhook(CRM);
		fake.requests.length = 0;
		expect(await isRegistered.call(t.context())).toBe(true);
		await register.call(t.context());
		expect(webhookWrites()).toEqual([]);
		expect([...fake.disabledWebhooks]).toEqual([CRM]);
	});

	it('names another disabled URL re-enabled by the same submission, without its query', async () => {
		const t = trigger();
		await register.call(t.context());
		const ours = String(t.staticData.registeredUrl);
		await writeWebhookList.call(t.context(), [INBOX_WEBHOOK_URL, CRM, ours]);
		fake.disableWebhook(ours);
		fake.disableWebhook(CRM);
		await register.call(t.context());
		expect(t.logs).toEqual([expect.stringContaining(`re-enabled this trigger's URL ${OUR_URL}?…, https://crm.example.com/1msg-hook?…: 1MSG had disabled them`)]);
		expect(t.logs.join()).not.toContain('token=abc');
	});

	it('warns, without failing the activation, when 1MSG still reports it disabled after the submission', async () => {
		const t = trigger();
		await register.call(t.context());
		const ours = String(t.staticData.registeredUrl);
		// Every read of the list says disabled, as a channel that does not re-enable on Set webhook URL would.
		fake.setFaults({
			method: 'webhook',
			httpMethod: 'GET',
			response: { status: 200, body: { webhookUrl: [INBOX_WEBHOOK_URL, ours], webhookStatuses: { [ours]: { status: 'disabled' } } } },
		});
		await register.call(t.context());
		expect(webhookWrites()).toHaveLength(2);
		expect(t.logs).toEqual([expect.stringMatching(/^1MSG Trigger: 1MSG still reports this trigger's URL as disabled after the list was submitted again/)]);
	});
});

describe('triggers of one channel activated and deactivated together', () => {
	// A remote API's round trip, so the read-modify-writes of triggers activated together overlap.
	let slowFake: Fake;
	beforeAll(async () => {
		slowFake = await startFake1msg({ latencyMs: 25 });
	});
	afterAll(async () => slowFake.close());
	beforeEach(() => slowFake.reset());

	/** The module as one n8n process loads it; each call gives another process (its own turns). */
	function loadInProcess(): Registration {
		let loaded: Registration | undefined;
		jest.isolateModules(() => {
			loaded = jest.requireActual<Registration>('../../../../nodes/OneMsg/trigger/registration');
		});
		return loaded as Registration;
	}

	interface Trigger {
		url: string;
		staticData: IDataObject;
		logs: string[];
		hooks: IHookFunctions;
	}

	function trigger(n: number): Trigger {
		const url = `http://127.0.0.1:5688/webhook/0000000${n}-6d3c-4a0a-9d7e-1a2b3c4d5e6f/webhook`;
		const staticData: IDataObject = {};
		const logs: string[] = [];
		const hooks = hookContext({
			credentials: { channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: slowFake.baseUrl },
			webhookUrl: url,
			staticData,
			workflowId: `wf-trigger-${n}`,
			logs,
		}) as unknown as IHookFunctions;
		return { url, staticData, logs, hooks };
	}

	const onList = (t: Trigger) => slowFake.webhookUrls.filter((entry: string) => entry.startsWith(`${t.url}?`)).length;


	it('puts every URL of four triggers activated together on the list, keeping 1MSG\'s inbox URL', async () => {
		const registration = loadInProcess();
		const triggers = [1, 2, 3, 4].map(trigger);
		await Promise.all(triggers.map((t) => registration.register.call(t.hooks)));
		expect(slowFake.webhookUrls[0]).toBe(INBOX_WEBHOOK_URL);
		expect(triggers.map(onList)).toEqual([1, 1, 1, 1]);
		expect(slowFake.webhookUrls).toHaveLength(5);
		expect(slowFake.settings.ackNotificationsOn).toBe(true);
		for (const t of triggers) expect(slowFake.webhookUrls).toContain(t.staticData.registeredUrl);
	});

	it('refuses only the fifth with the list-full error; the four stay registered', async () => {
		const registration = loadInProcess();
		const triggers = [1, 2, 3, 4, 5].map(trigger);
		const results = await Promise.allSettled(triggers.map((t) => registration.register.call(t.hooks)));
		const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
		expect(refused).toHaveLength(1);
		expect(String(refused[0].reason.message)).toMatch(/already has 5 webhook URLs, the most 1MSG allows \(5\)/);
		expect(triggers.map(onList).sort()).toEqual([0, 1, 1, 1, 1]);
		expect(slowFake.webhookUrls).toContain(INBOX_WEBHOOK_URL);
	});

	it('leaves exactly the others when two of four are deactivated together', async () => {
		const registration = loadInProcess();
		const triggers = [1, 2, 3, 4].map(trigger);
		await Promise.all(triggers.map((t) => registration.register.call(t.hooks)));
		await Promise.all(triggers.slice(0, 2).map((t) => registration.unregister.call(t.hooks)));
		expect(triggers.map(onList)).toEqual([0, 0, 1, 1]);
		expect(slowFake.webhookUrls).toHaveLength(3);
		expect(slowFake.webhookUrls[0]).toBe(INBOX_WEBHOOK_URL);
		// Two triggers still hold the statuses they switched on.
		expect(slowFake.settings.ackNotificationsOn).toBe(true);
	});

	it('converges when two n8n processes write the list at the same moment: the read-back finds the lost URL and adds it again', async () => {
		const processes = [loadInProcess(), loadInProcess()];
		const triggers = [1, 2, 3, 4].map(trigger);
		await Promise.all(triggers.map((t, i) => processes[i % 2].register.call(t.hooks)));
		expect(triggers.map(onList)).toEqual([1, 1, 1, 1]);
		expect(slowFake.webhookUrls[0]).toBe(INBOX_WEBHOOK_URL);
		expect(triggers.flatMap((t) => t.logs).some((line) => /another writer replaced the webhook list at the same moment/.test(line))).toBe(true);
	});

	it('never writes back a URL another process removed while it removes its own', async () => {
		const processes = [loadInProcess(), loadInProcess()];
		const triggers = [1, 2, 3].map(trigger);
		await Promise.all(triggers.map((t) => processes[0].register.call(t.hooks)));
		await Promise.all(triggers.slice(0, 2).map((t, i) => processes[i].unregister.call(t.hooks)));
		expect(triggers.map(onList)).toEqual([0, 0, 1]);
		expect(slowFake.webhookUrls).toEqual([INBOX_WEBHOOK_URL, triggers[2].staticData.registeredUrl]);
	});
});
