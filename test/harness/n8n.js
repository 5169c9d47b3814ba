// @ts-check
/**
 * Test harness: a real n8n (Node 24, 2.41.1 from n8n-runtime/ or 1.123.81 from n8n-runtime-1.x/,
 * see runtime.js) with this package installed the way a community install looks, driven from tests
 * that run on the machine's Node (20+). Node built-ins only. The parts: runtime.js (which n8n, its
 * install), process.js (the server process, its log, CLI steps, webhooks), api.js (REST and public
 * API: owner, activation, executions), executions.js (reading runs).
 *
 *   const { ensureN8nInstalled, startN8n, nodeOutput } = require('./harness/n8n');
 *   ensureN8nInstalled();                       // once, e.g. in globalSetup/beforeAll
 *   const n8n = await startN8n({ credentials, workflows, publish: ['wfSend0000000001'] });
 *   const res = await n8n.postWebhook(n8n.webhookUrl(SEND_WEBHOOK_ID), { to: '...' });
 *   const [exec] = await n8n.waitForExecutions('wfSend0000000001', 1);
 *   await n8n.stop();
 */
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { REPO_ROOT, NODE24_BIN, INSTALL_SCRIPT, DATA_ROOT, RUNTIMES, selectRuntime, ensureN8nInstalled, assertInstalled } = require('./runtime');
const { ENCRYPTION_KEY, freePort } = require('./process');
const { N8n, OWNER } = require('./api');
const { TERMINAL_STATUSES, nodeOutput, nodeOutputs, nodeError, startItems, repeatedEventsOf } = require('./executions');

/**
 * Installs the built package into a fresh (or given) n8n user folder, imports credentials and
 * workflows, publishes the given workflows, starts `n8n start` and resolves once the editor is up.
 * Ports that are picked automatically are re-picked once if n8n finds them taken.
 * @param {import('./process').StartOptions} [options] @returns {Promise<N8n>}
 */
async function startN8n(options = {}) {
	const runtime = selectRuntime(options.version);
	assertInstalled(runtime);
	const started = Date.now();
	const ownsDataDir = !options.dataDir;
	const dataDir = options.dataDir ?? path.join(DATA_ROOT, `${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}`);
	fs.mkdirSync(dataDir, { recursive: true });
	const instance = new N8n({
		...options,
		runtime,
		dataDir: path.resolve(dataDir),
		port: options.port ?? (await freePort()),
		brokerPort: options.brokerPort ?? (await freePort()),
		ownsDataDir,
	});
	try {
		instance._installPackage();
		const cliStarted = Date.now();
		await instance._seedDatabase();
		await instance._importAndPublish();
		instance.timings.cli = Date.now() - cliStarted;
		try {
			await instance._spawnServer();
		} catch (error) {
			const portClash = /already in use|EADDRINUSE/i.test(instance.logTail(200));
			if (!portClash || options.port || options.brokerPort) throw error;
			instance.port = await freePort();
			instance.brokerPort = await freePort();
			instance.baseUrl = `http://127.0.0.1:${instance.port}`;
			instance._onLine(`[harness] port clash; retrying on port ${instance.port}, broker ${instance.brokerPort}`);
			await instance._spawnServer();
		}
		if (options.waitForPublished !== false) {
			for (const id of options.publish ?? []) await instance.waitForStartupActivation(id, options.startTimeoutMs ?? 120_000);
		}
	} catch (error) {
		await instance.stop({ keepDataDir: true }).catch(() => undefined);
		throw error;
	}
	instance.timings.total = Date.now() - started;
	return instance;
}

const defaultRuntime = selectRuntime();

module.exports = {
	ensureN8nInstalled,
	startN8n,
	nodeOutput,
	nodeOutputs,
	startItems,
	repeatedEventsOf,
	nodeError,
	TERMINAL_STATUSES,
	freePort,
	selectRuntime,
	RUNTIMES,
	N8n,
	ENCRYPTION_KEY,
	OWNER,
	/** RUNTIME_DIR and N8N_BIN are those of the version selected when this module loaded. */
	paths: { REPO_ROOT, RUNTIME_DIR: defaultRuntime.dir, NODE24_BIN, N8N_BIN: defaultRuntime.n8nBin, INSTALL_SCRIPT, DATA_ROOT },
};
