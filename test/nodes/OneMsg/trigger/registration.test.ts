import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { readWebhookList, restoreStatuses, switchStatusesOn, writeWebhookList } from '../../../../nodes/OneMsg/trigger/registration';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, INBOX_WEBHOOK_URL, startFake1msg } from '../../../fake-1msg/server';
import { hookContext } from '../../../helpers/context';

type Fake = Awaited<ReturnType<typeof startFake1msg>>;

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
