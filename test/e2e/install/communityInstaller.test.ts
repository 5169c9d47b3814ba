/**
 * The packed package installed the way n8n users get it: `npm pack`, `npm publish` to a registry on
 * loopback, then n8n's own community-package installer (the REST calls the editor makes) installs,
 * upgrades and uninstalls it in a real n8n that starts without the package. The installed copy sends
 * the seed body to the fake 1MSG server and receives the statuses through the trigger.
 *
 * One run per n8n version in N8N_INSTALL_VERSIONS (comma-separated; default: the runtime
 * scripts/install-n8n.sh installed). Each run checks that the n8n it talks to is that version.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureN8nInstalled, paths, startN8n } from '../../harness/n8n';
import { statusesFor } from '../stack';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, INBOX_WEBHOOK_URL, startFake1msg } from '../../fake-1msg/server';
import { ORDER_NO_RESPONSE_EXAMPLE, orderNoResponseSeedBody } from '../../fixtures/seeds';
import { startLoopbackRegistry } from '../../install/registry';
import { nextPatch, packRepository, publishTarball, repackAs } from '../../install/packages';
import {
	installPackage,
	installedPackages,
	installerEnv,
	installerTraits,
	nodesFolder,
	uninstallPackage,
	updatePackage,
	writeOutdatedNpmrc,
} from '../../install/installer';
import {
	ORDER_NO_RESPONSE,
	PACKAGE,
	STATUS_TRIGGER,
	TEMPLATE_TYPE,
	TRIGGER_TYPE,
	credentialJson,
	orderNoResponseWorkflow,
	statusTriggerWorkflow,
} from '../workflows';

jest.setTimeout(300_000);

type Registry = Awaited<ReturnType<typeof startLoopbackRegistry>>;
type Fake = Awaited<ReturnType<typeof startFake1msg>>;
type N8n = Awaited<ReturnType<typeof startN8n>>;
type Packed = Awaited<ReturnType<typeof packRepository>>;

const runtimeVersion = (): string =>
	JSON.parse(fs.readFileSync(path.join(paths.RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
const VERSIONS = (process.env.N8N_INSTALL_VERSIONS ?? runtimeVersion()).split(',').map((v) => v.trim()).filter(Boolean);

const NAMESPACE = 'dummy_namespace_1a2b3c';

/** The harness' runtime selector where it has one; the first test checks the version n8n reports. */
const runtime = (version: string) => ({ version }) as object;

describe.each(VERSIONS)('n8n %s: the packed package through n8n\'s community-package installer', (version) => {
	let workDir = '';
	let registry: Registry;
	let fake: Fake;
	let n8n: N8n;
	let first: Packed;
	let newer: Packed;
	let folder: ReturnType<typeof nodesFolder>;
	const traits = installerTraits(version);

	beforeAll(async () => {
		ensureN8nInstalled();
		workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'community-install-'));
		registry = await startLoopbackRegistry({ dir: workDir });
		first = await packRepository(workDir);
		newer = await repackAs(first.file, nextPatch(first.version), workDir);
		await publishTarball(first.file, registry, workDir);
		fake = await startFake1msg({ ackDelayMs: 150, webhookUrls: [INBOX_WEBHOOK_URL] });
		n8n = await startN8n({
			...runtime(version),
			packageDir: null,
			credentials: credentialJson({ baseUrl: fake.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
			workflows: [statusTriggerWorkflow(), orderNoResponseWorkflow()],
			env: installerEnv(registry, workDir),
		});
		folder = nodesFolder(n8n.dataDir, PACKAGE);
		if (traits.outdatedNeedsProjectNpmrc) writeOutdatedNpmrc(n8n.dataDir, registry, workDir);
	});

	afterAll(async () => {
		await n8n?.stop();
		await fake?.close();
		await registry?.close();
		if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
	});

	const sends = () => fake.requests.filter((r: { path: string }) => r.path.endsWith('/sendTemplate'));

	/** Posts the seed example, checks the body 1MSG got, and waits for sent, delivered, read. */
	async function sendSeedAndReceiveStatuses(reference: string) {
		const before = sends().length;
		const e = ORDER_NO_RESPONSE_EXAMPLE;
		const response = await n8n.postWebhook(`webhook/${ORDER_NO_RESPONSE.path}`, { ...e, reference });
		expect(response.status).toBe(200);
		const [item] = response.body as Array<Record<string, unknown>>;
		expect(item).toMatchObject({ status: 'accepted', sent: true, reference });
		expect(sends()).toHaveLength(before + 1);
		expect(sends()[before].body).toEqual(
			orderNoResponseSeedBody(
				{ template: 'order_no_response_notification', namespace: NAMESPACE, language: 'en' },
				{ phone: e.phone, customerName: e.customerName, ticketNumber: e.orderNumber, topic: e.pendingAction, nextStep: e.reminderNote },
			),
		);
		const messageId = String(item.messageId);
		const deadline = Date.now() + 30_000;
		let statuses: string[] = [];
		while (Date.now() < deadline) {
			statuses = statusesFor(await n8n.executions(STATUS_TRIGGER.id), messageId).sort();
			if (statuses.length >= 3) break;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		expect(statuses).toEqual(['delivered', 'read', 'sent']);
	}

	it(`runs n8n ${version}, which starts without the package`, async () => {
		const settings = await n8n.rest('GET', 'settings');
		expect(settings.versionCli).toBe(version);
		const types = await n8n.nodeTypeNames();
		expect(types).toContain('n8n-nodes-base.webhook');
		expect(types).not.toContain(TEMPLATE_TYPE);
		expect(await installedPackages(n8n)).toEqual([]);
		expect(folder.installedManifest()).toBeUndefined();
	});

	it('installs the published version from the registry, with n8n-workflow left to n8n', async () => {
		const installed = await installPackage(n8n, PACKAGE, first.version);
		expect(installed.packageName).toBe(PACKAGE);
		expect(installed.installedVersion).toBe(first.version);
		expect(installed.installedNodes.map((node) => node.type).sort()).toEqual([TEMPLATE_TYPE, TRIGGER_TYPE]);

		// The installer fetched the packument and this tarball from the registry, through the proxy.
		const fetched = registry.viaNpmHost().map((r) => `${r.method} ${r.path} ${r.status}`);
		expect(fetched).toContain(`GET /${PACKAGE}/-/${PACKAGE}-${first.version}.tgz 200`);
		// Nothing else left the machine: the only other host n8n asked for is its package-vetting
		// service (api.n8n.io), which the proxy refuses and n8n treats as "not banned".
		expect(registry.refused.filter((host) => !host.startsWith('api.n8n.io:'))).toEqual([]);
		expect(folder.installedManifest()).toMatchObject({ name: PACKAGE, version: first.version });
		expect(folder.ledger().dependencies).toEqual({ [PACKAGE]: first.version });
		// A peer: n8n gives the package its own n8n-workflow, npm installs none next to it.
		expect(folder.modules()).toEqual([PACKAGE]);
		expect(fs.existsSync(path.join(folder.dir, 'node_modules', PACKAGE, 'node_modules'))).toBe(false);

		const types = await n8n.nodeTypeNames();
		expect(types).toEqual(expect.arrayContaining([TEMPLATE_TYPE, TRIGGER_TYPE]));
		expect(await n8n.credentialTypeNames()).toContain('oneMsgChannelApi');
	});

	it('the installed copy sends the seed body and the trigger receives its statuses', async () => {
		await n8n.activate(STATUS_TRIGGER.id);
		await fake.waitFor(() => fake.webhookUrls.length === 2, 15_000);
		expect(fake.webhookUrls[1].startsWith(n8n.webhookUrl(STATUS_TRIGGER.webhookId))).toBe(true);
		await n8n.activate(ORDER_NO_RESPONSE.id);
		await sendSeedAndReceiveStatuses('install-1');
	});

	it('shows the newer published version as an update and upgrades to it', async () => {
		await publishTarball(newer.file, registry, workDir);
		const [listed] = await installedPackages(n8n);
		expect(listed).toMatchObject({ packageName: PACKAGE, installedVersion: first.version });
		expect(listed.updateAvailable).toBe(newer.version);
		// 1.x's `npm outdated` reads the packument from the loopback registry by plain http (its .npmrc).
		if (traits.outdatedNeedsProjectNpmrc) {
			expect(registry.requests).toContainEqual(expect.objectContaining({ method: 'GET', host: new URL(registry.url).host, path: `/${PACKAGE}`, status: 200 }));
		}

		const updated = await updatePackage(n8n, PACKAGE, newer.version);
		expect(updated.installedVersion).toBe(newer.version);
		expect(updated.installedNodes.map((node) => node.type).sort()).toEqual([TEMPLATE_TYPE, TRIGGER_TYPE]);
		expect(folder.installedManifest()).toMatchObject({ version: newer.version });
		expect(folder.ledger().dependencies).toEqual({ [PACKAGE]: newer.version });
		expect(registry.viaNpmHost().map((r) => r.path)).toContain(`/${PACKAGE}/-/${PACKAGE}-${newer.version}.tgz`);
		const [after] = await installedPackages(n8n);
		expect(after).toMatchObject({ installedVersion: newer.version });
		expect(after.updateAvailable).toBeUndefined();
	});

	it('after the upgrade the same credential and workflows send the seed body and receive statuses', async () => {
		await sendSeedAndReceiveStatuses('upgraded-1');
	});

	it('after a restart n8n loads the upgraded copy and the workflows keep working', async () => {
		await n8n.restart();
		const [listed] = await installedPackages(n8n);
		expect(listed).toMatchObject({ installedVersion: newer.version });
		expect(listed.failedLoading).not.toBe(true);
		await sendSeedAndReceiveStatuses('restarted-1');
	});

	it('uninstalls: the package leaves ~/.n8n/nodes and n8n no longer knows its node types', async () => {
		await n8n.deactivate(ORDER_NO_RESPONSE.id);
		await n8n.deactivate(STATUS_TRIGGER.id);
		await fake.waitFor(() => fake.webhookUrls.length === 1, 15_000);
		expect(fake.webhookUrls).toEqual([INBOX_WEBHOOK_URL]);

		await uninstallPackage(n8n, PACKAGE);
		expect(await installedPackages(n8n)).toEqual([]);
		expect(folder.installedManifest()).toBeUndefined();
		expect(folder.modules()).toEqual([]);
		if (traits.uninstallEditsLedger) expect(folder.ledger().dependencies).toEqual({});
		const types = await n8n.nodeTypeNames();
		expect(types).not.toContain(TEMPLATE_TYPE);
		expect(types).not.toContain(TRIGGER_TYPE);
	});

	it('refuses N8N_COMMUNITY_PACKAGES_REGISTRY without a licence (why the registry is reached as registry.npmjs.org)', async () => {
		const unlicensed = await startN8n({
			...runtime(version),
			packageDir: null,
			env: { ...installerEnv(registry, workDir), N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url },
		});
		try {
			const before = registry.requests.length;
			const refusal = await installPackage(unlicensed, PACKAGE, newer.version).then(
				() => 'installed',
				(error: Error) => error.message.split('\n')[0],
			);
			// The harness' message: "<method> <path> answered <status>: <n8n's answer>" (the log tail follows on later lines).
			expect(refusal).toMatch(/^n8n harness: POST \/rest\/community-packages answered [45]\d\d: .*(licen[cs]e|feat:communityNodes:customRegistry)/i);
			expect(registry.requests.slice(before)).toEqual([]);
			expect(await installedPackages(unlicensed)).toEqual([]);
		} finally {
			await unlicensed.stop();
		}
	});
});
