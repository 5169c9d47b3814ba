// @ts-check
/**
 * One n8n server process of the harness: its environment, log, CLI steps before start (package
 * install, database seed, imports, activation), start/stop/restart, and plain HTTP to it
 * (webhooks). The REST and public APIs are in api.js, which extends this class.
 */
'use strict';

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { StringDecoder } = require('node:string_decoder');
const {
	REPO_ROOT,
	NODE24_BIN,
	DATA_ROOT,
	assertInstalled,
	installStamp,
	runNode24,
	PUBLISH_SCRIPT,
	SNAPSHOT_SCRIPT,
} = require('./runtime');

const WATCHDOG = path.join(__dirname, 'parent-watchdog.js');
/** Fixed, so credentials imported with plaintext data stay decryptable across restarts. */
const ENCRYPTION_KEY = 'n8n-nodes-1msg-scenarios-e2e-encryption-key-0123456789';
const READY_LINE = 'Editor is now accessible';
const LOG_TAIL_LINES = 60;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');
/** @param {string} s */
const stripAnsi = (s) => s.replace(ANSI_ESCAPE, '');

/** @param {Headers} headers */
function headersToObject(headers) {
	/** @type {Record<string, string>} */
	const result = {};
	headers.forEach((value, key) => {
		result[key] = value;
	});
	return result;
}

/** Per runtime name. @type {Map<string, Promise<string | null>>} */
const templateDbPromises = new Map();

/**
 * A freshly migrated, otherwise empty n8n database, made once per install (keyed by the install
 * stamp) under .n8n-data/.template-db/. Copying it into a new data dir saves the ~3.5 s of
 * migrations the first n8n command on an empty folder spends. Null when there is no stamp.
 * @param {import('./runtime').Runtime} runtime @returns {Promise<string | null>}
 */
function templateDb(runtime) {
	let promise = templateDbPromises.get(runtime.name);
	if (!promise) {
		promise = (async () => {
			const installed = installStamp(runtime);
			if (!installed) return null;
			const stamp = `${runtime.name}-${installed.slice(0, 16)}`;
			const dir = path.join(DATA_ROOT, '.template-db', stamp);
			const file = path.join(dir, 'database.sqlite');
			if (fs.existsSync(file)) return file;
			const workDir = path.join(DATA_ROOT, '.template-db', `${stamp}.tmp-${process.pid}-${crypto.randomBytes(3).toString('hex')}`);
			fs.mkdirSync(workDir, { recursive: true });
			try {
				const maker = new N8nProcess({ runtime, dataDir: workDir, port: 0, brokerPort: await freePort(), ownsDataDir: true, packageDir: null });
				await maker.cli(['list:workflow']);
				const snapshot = path.join(workDir, 'snapshot.sqlite');
				runNode24(SNAPSHOT_SCRIPT, [path.join(workDir, '.n8n', 'database.sqlite'), snapshot]);
				fs.mkdirSync(dir, { recursive: true });
				const partial = `${file}.${process.pid}.partial`;
				fs.copyFileSync(snapshot, partial);
				fs.renameSync(partial, file); // atomic: parallel workers may race here, both results are equal
			} finally {
				fs.rmSync(workDir, { recursive: true, force: true });
			}
			return file;
		})();
		templateDbPromises.set(runtime.name, promise);
		promise.catch(() => {
			templateDbPromises.delete(runtime.name);
		});
	}
	return promise;
}

// ---------------------------------------------------------------------------------------------
// Ports

/** Ports handed out by this process, so two instances started back to back never collide. */
const handedOutPorts = new Set();

/** @returns {Promise<number>} a currently free loopback port not handed out before */
async function freePort() {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await new Promise((resolve, reject) => {
			const server = net.createServer();
			server.unref();
			server.on('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const address = server.address();
				server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
			});
		});
		if (port && !handedOutPorts.has(port)) {
			handedOutPorts.add(port);
			return port;
		}
	}
	throw new Error('n8n harness: could not find a free port');
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: never leave n8n behind

/** @type {Set<N8nProcess>} */
const liveInstances = new Set();
let exitHandlerInstalled = false;

function installExitHandler() {
	if (exitHandlerInstalled) return;
	exitHandlerInstalled = true;
	// Synchronous last resort (test crashed, stop() never called). n8n is the leader of its own
	// process group (spawned detached), so -pid also reaches its task runner. parent-watchdog.js
	// inside n8n covers the cases where this handler cannot run (SIGKILL, fatal signals).
	process.on('exit', () => {
		for (const instance of liveInstances) instance._killGroup('SIGTERM');
	});
}

// ---------------------------------------------------------------------------------------------
// The instance

/**
 * @typedef {object} StartOptions
 * @property {string} [version]     which n8n: '2.x' | '1.x' (or its exact version); default from N8N_UNDER_TEST (runtime.js)
 * @property {string} [dataDir]     N8N_USER_FOLDER. Default: fresh <repo>/.n8n-data/<random>, removed by stop()
 *                                  unless keepDataDir or env N8N_HARNESS_KEEP_DATA=1.
 * @property {boolean} [keepDataDir]
 * @property {number} [port]        default: a free port
 * @property {number} [brokerPort]  N8N_RUNNERS_BROKER_PORT, default: a free port
 * @property {string | null} [packageDir]  built package to install (package.json + dist/); default repo root; null = none
 * @property {any[]} [credentials]  n8n credential JSON with plaintext `data` (n8n import:credentials)
 * @property {any[]} [workflows]    workflow JSON objects, each with a fixed 16-char `id` (n8n import:workflow)
 * @property {string[]} [publish]   workflow ids to publish before start (they go live at startup)
 * @property {'db' | 'cli'} [publishVia]  'db' (default): the same DB update the activation CLI makes, all ids
 *                                  in one ~0.1 s step; 'cli': one `n8n publish:workflow --id` (2.x) or
 *                                  `n8n update:workflow --id --active=true` (1.x) per id (~2.3 s each)
 * @property {boolean} [templateDb] default true: a fresh data dir starts from a cached, migrated empty DB
 * @property {boolean} [waitForPublished] default true: after start, wait until every `publish` workflow is live
 *                                  (sets up the owner account to read the publication status)
 * @property {Record<string, string | undefined>} [env]  extra env for every n8n process (undefined deletes)
 * @property {boolean | ((line: string) => void)} [log]  true: echo n8n output to stderr; fn: receive each line
 * @property {number} [startTimeoutMs]  default 120000
 */

class N8nProcess {
	/** @param {Required<Pick<StartOptions, 'dataDir' | 'port' | 'brokerPort'>> & StartOptions & { ownsDataDir: boolean, runtime: import('./runtime').Runtime }} options */
	constructor(options) {
		this.options = options;
		/** The n8n version this instance runs (see runtime.js). */
		this.runtime = options.runtime;
		this.dataDir = options.dataDir;
		this.port = options.port;
		this.brokerPort = options.brokerPort;
		this.baseUrl = `http://127.0.0.1:${this.port}`;
		/** n8n's stdout+stderr go straight into this file (so a dead test process cannot break n8n's
		 * output); the harness' own notes and the CLI steps' output are appended to it too. */
		this.logFile = path.join(this.dataDir, 'n8n.log');
		/** Lines of this.logFile written since this instance was created (ANSI colours stripped). */
		/** @type {string[]} */
		this.logLines = [];
		this._tailPos = fs.existsSync(this.logFile) ? fs.statSync(this.logFile).size : 0;
		this._tailDecoder = new StringDecoder('utf8');
		this._tailPartial = '';
		/** @type {NodeJS.Timeout | null} */
		this._tailTimer = null;
		/** @type {import('node:child_process').ChildProcess | null} */
		this.child = null;
		/** @type {Promise<void> | null} */
		this.exited = null;
		this.exitInfo = /** @type {{ code: number | null, signal: string | null } | null} */ (null);
		this.readyAt = 0;
		/** Timings in ms of the last start: { cli, spawnToReady, total } */
		this.timings = /** @type {Record<string, number>} */ ({});
		/** @type {Promise<string> | null} */
		this._apiKeyPromise = null;
		/** @type {string | null} */
		this._cookie = null;
	}

	get pid() {
		return this.child?.pid;
	}

	/** Environment for every n8n process of this instance. */
	env() {
		/** @type {Record<string, string | undefined>} */
		const env = {};
		for (const [key, value] of Object.entries(process.env)) {
			// npm run / npm test export the root project's npm config; jest sets NODE_ENV=test, which
			// makes n8n refuse to load nodes ("Not available in tests").
			if (/^npm_/i.test(key) || key === 'NODE_ENV' || key === 'NODE_OPTIONS' || key.startsWith('JEST_')) continue;
			env[key] = value;
		}
		Object.assign(env, {
			// The task runner child is spawned as plain `node`: Node 24 must come first on PATH.
			PATH: `${path.dirname(NODE24_BIN)}${path.delimiter}${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.dataDir,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			DB_TYPE: 'sqlite',
			GENERIC_TIMEZONE: 'UTC',
			TZ: 'UTC',
			N8N_LOG_LEVEL: 'info',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_DISABLED_MODULES: this.runtime.disabledModules,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			N8N_WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		});
		for (const [key, value] of Object.entries(this.options.env ?? {})) {
			if (value === undefined) delete env[key];
			else env[key] = value;
		}
		return env;
	}

	// ----- logs ------------------------------------------------------------------------------

	logText() {
		this._drain();
		return this.logLines.join('\n');
	}

	/** @param {number} [n] */
	logTail(n = LOG_TAIL_LINES) {
		this._drain();
		return this.logLines.slice(-n).join('\n');
	}

	/** Error whose message ends with the last 60 log lines. @param {string} message */
	error(message) {
		return new Error(
			`n8n harness: ${message}\n--- last ${LOG_TAIL_LINES} lines of the n8n log (${this.logFile}) ---\n${this.logTail()}\n--- end of n8n log ---`,
		);
	}

	/** Appends a harness note to the log. @param {string} line */
	_onLine(line) {
		try {
			fs.appendFileSync(this.logFile, stripAnsi(line) + '\n');
			this._drain();
		} catch {
			this._ingest(line); // data dir removed under us: keep it in memory at least
		}
	}

	/** @param {string} line */
	_ingest(line) {
		const clean = stripAnsi(line.replace(/\r$/, ''));
		this.logLines.push(clean);
		if (this.logLines.length > 20000) this.logLines.splice(0, 5000);
		const { log } = this.options;
		if (typeof log === 'function') log(clean);
		else if (log) process.stderr.write(`[n8n:${this.port}] ${clean}\n`);
	}

	/** Reads what was appended to the log file since the last call into logLines. */
	_drain() {
		/** @type {number | undefined} */
		let fd;
		try {
			fd = fs.openSync(this.logFile, 'r');
			const size = fs.fstatSync(fd).size;
			const chunk = Buffer.alloc(1 << 16);
			while (this._tailPos < size) {
				const read = fs.readSync(fd, chunk, 0, Math.min(chunk.length, size - this._tailPos), this._tailPos);
				if (read <= 0) break;
				this._tailPos += read;
				this._tailPartial += this._tailDecoder.write(chunk.subarray(0, read));
			}
		} catch {
			return; // no log file (yet / any more)
		} finally {
			if (fd !== undefined) fs.closeSync(fd);
		}
		const lines = this._tailPartial.split('\n');
		this._tailPartial = /** @type {string} */ (lines.pop());
		for (const line of lines) this._ingest(line);
	}

	/**
	 * Resolves with the first log line (from index `fromLine` on) matching `pattern`.
	 * @param {RegExp | string} pattern @param {{ timeoutMs?: number, fromLine?: number }} [options]
	 */
	async waitForLog(pattern, { timeoutMs = 10_000, fromLine = 0 } = {}) {
		const test = (/** @type {string} */ line) => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line));
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			this._drain();
			const found = this.logLines.slice(fromLine).find(test);
			if (found !== undefined) return found;
			if (Date.now() > deadline) throw this.error(`timed out after ${timeoutMs} ms waiting for log line ${pattern}`);
			await sleep(50);
		}
	}

	// ----- CLI steps before start ---------------------------------------------------------------

	/**
	 * Runs one `n8n <args>` CLI command against this instance's data dir (n8n must not be running).
	 * @param {string[]} args @param {{ timeoutMs?: number }} [options] @returns {Promise<string>} its output
	 */
	async cli(args, { timeoutMs = 90_000 } = {}) {
		assertInstalled(this.runtime);
		const started = Date.now();
		this._onLine(`[harness] $ n8n ${args.join(' ')}`);
		const child = spawn(NODE24_BIN, [this.runtime.n8nBin, ...args], {
			cwd: this.dataDir,
			env: this.env(),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		const collect = (/** @type {Buffer} */ chunk) => {
			output += chunk.toString('utf8');
		};
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		const { code, signal } = await new Promise((resolve) => {
			child.on('close', (c, s) => resolve({ code: c, signal: s }));
			child.on('error', (error) => {
				output += `\n${error.message}`;
				resolve({ code: -1, signal: null });
			});
		});
		clearTimeout(timer);
		for (const line of stripAnsi(output).split('\n')) if (line.trim()) this._onLine(`[n8n ${args[0]}] ${line}`);
		const elapsed = Date.now() - started;
		this._onLine(`[harness] n8n ${args[0]} exited ${code ?? signal} in ${elapsed} ms`);
		if (code !== 0) {
			throw this.error(
				signal === 'SIGKILL' && elapsed >= timeoutMs
					? `\`n8n ${args.join(' ')}\` timed out after ${timeoutMs} ms`
					: `\`n8n ${args.join(' ')}\` failed (exit ${code}, signal ${signal})`,
			);
		}
		return stripAnsi(output);
	}

	_installPackage() {
		const packageDir = this.options.packageDir === undefined ? REPO_ROOT : this.options.packageDir;
		if (packageDir === null) return;
		const manifestPath = path.join(packageDir, 'package.json');
		const distDir = path.join(packageDir, 'dist');
		if (!fs.existsSync(distDir)) {
			throw new Error(`n8n harness: ${distDir} does not exist. Build the package first (npm run build).`);
		}
		const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
		const nodesDir = path.join(this.dataDir, '.n8n', 'nodes');
		const target = path.join(nodesDir, 'node_modules', manifest.name);
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(target, { recursive: true });
		// A copy, not a symlink: n8n must not see the repo's node_modules (n8n-workflow comes from n8n via NODE_PATH).
		fs.copyFileSync(manifestPath, path.join(target, 'package.json'));
		fs.cpSync(distDir, path.join(target, 'dist'), { recursive: true });
		// What `npm install <pkg>` in ~/.n8n/nodes (a real community install) leaves behind.
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [manifest.name]: manifest.version } }, null, 2) + '\n',
		);
	}

	/** Fresh data dir: start from the migrated template database (see templateDb()). */
	async _seedDatabase() {
		const dbFile = path.join(this.dataDir, '.n8n', 'database.sqlite');
		if (this.options.templateDb === false || fs.existsSync(dbFile)) return;
		if (this.options.env && 'N8N_ENCRYPTION_KEY' in this.options.env) return;
		const template = await templateDb(this.runtime);
		if (!template) return;
		fs.mkdirSync(path.dirname(dbFile), { recursive: true });
		fs.copyFileSync(template, dbFile);
		this._onLine(`[harness] seeded ${dbFile} from ${template}`);
	}

	async _importAndPublish() {
		const { credentials = [], workflows = [], publish = [], publishVia = 'db' } = this.options;
		const importDir = path.join(this.dataDir, 'harness-import');
		fs.mkdirSync(importDir, { recursive: true });
		if (credentials.length > 0) {
			const file = path.join(importDir, 'credentials.json');
			fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
			await this.cli(['import:credentials', `--input=${file}`]);
		}
		if (workflows.length > 0) {
			for (const workflow of workflows) {
				if (typeof workflow?.id !== 'string' || workflow.id.length !== 16) {
					throw new Error(`n8n harness: every workflow needs a fixed 16-character "id" (got ${JSON.stringify(workflow?.id)} for "${workflow?.name}")`);
				}
			}
			const file = path.join(importDir, 'workflows.json');
			fs.writeFileSync(file, JSON.stringify(workflows, null, 2));
			const output = await this.cli(['import:workflow', `--input=${file}`]);
			if (!output.includes(`Successfully imported ${workflows.length} workflow`)) {
				throw this.error(`import:workflow did not report "Successfully imported ${workflows.length} workflow(s)"`);
			}
		}
		if (publish.length === 0) return;
		if (publishVia === 'cli') {
			// One id per call (~2.3 s each).
			for (const id of publish) await this.cli(this.runtime.activateCli(id));
			return;
		}
		const started = Date.now();
		const output = runNode24(PUBLISH_SCRIPT, [path.join(this.dataDir, '.n8n', 'database.sqlite'), this.runtime.publishes ? 'publish' : 'activate', ...publish]);
		for (const line of output.trim().split('\n')) this._onLine(`[harness] ${line}`);
		this._onLine(`[harness] published ${publish.length} workflow(s) in the database in ${Date.now() - started} ms`);
	}

	// ----- server lifecycle -------------------------------------------------------------------

	/** Spawns `n8n start` and waits for "Editor is now accessible". */
	async _spawnServer() {
		assertInstalled(this.runtime);
		const timeoutMs = this.options.startTimeoutMs ?? 120_000;
		const started = Date.now();
		this._drain();
		const fromLine = this.logLines.length;
		this._onLine(`[harness] $ n8n start (port ${this.port}, broker ${this.brokerPort}, data ${this.dataDir})`);
		const logFd = fs.openSync(this.logFile, 'a');
		/** @type {import('node:child_process').ChildProcess} */
		let child;
		try {
			child = spawn(NODE24_BIN, ['-r', WATCHDOG, this.runtime.n8nBin, 'start'], {
				cwd: this.dataDir,
				env: { ...this.env(), N8N_HARNESS_PARENT_PID: String(process.pid) },
				stdio: ['ignore', logFd, logFd],
				detached: true, // own process group: stop()/exit handler can reach the task runner via -pid
			});
		} finally {
			fs.closeSync(logFd);
		}
		this.child = child;
		this.exitInfo = null;
		liveInstances.add(this);
		installExitHandler();
		this._tailTimer = setInterval(() => this._drain(), 200);
		this._tailTimer.unref();
		this.exited = new Promise((resolve) => {
			child.on('exit', (code, signal) => {
				this.exitInfo = { code, signal };
				if (this._tailTimer) clearInterval(this._tailTimer);
				this._tailTimer = null;
				this._onLine(`[harness] n8n (pid ${child.pid}) exited: code ${code}, signal ${signal}`);
				resolve();
			});
			child.on('error', (error) => {
				this._onLine(`[harness] could not spawn n8n: ${error.message}`);
				this.exitInfo = { code: -1, signal: null };
				resolve();
			});
		});
		// The child must not keep the test process alive; stop() / the exit handler end it.
		child.unref();

		const deadline = started + timeoutMs;
		for (;;) {
			this._drain();
			if (this.logLines.slice(fromLine).some((line) => line.includes(READY_LINE))) break;
			const exitInfo = /** @type {{ code: number | null, signal: string | null } | null} */ (this.exitInfo);
			if (exitInfo) {
				liveInstances.delete(this);
				throw this.error(`n8n exited during startup (code ${exitInfo.code}, signal ${exitInfo.signal})`);
			}
			if (Date.now() > deadline) {
				const error = this.error(`n8n did not log "${READY_LINE}" within ${timeoutMs} ms`);
				await this._stopProcess(20_000);
				throw error;
			}
			await sleep(50);
		}
		this.readyAt = Date.now();
		this.timings.spawnToReady = this.readyAt - started;
	}

	/** @param {NodeJS.Signals} signal */
	_killGroup(signal) {
		const pid = this.child?.pid;
		if (!pid) return;
		try {
			process.kill(-pid, signal);
		} catch {
			// group already gone
		}
	}

	/**
	 * SIGTERM, wait for exit (n8n stops its task runner), SIGKILL the process group if that takes
	 * longer than `timeoutMs` or anything of the group is left. Removes an auto-created data dir
	 * unless keepDataDir / N8N_HARNESS_KEEP_DATA=1.
	 * @param {{ timeoutMs?: number, keepDataDir?: boolean }} [options]
	 */
	async stop({ timeoutMs = 20_000, keepDataDir } = {}) {
		await this._stopProcess(timeoutMs);
		const keep = keepDataDir ?? (this.options.keepDataDir || process.env.N8N_HARNESS_KEEP_DATA === '1');
		if (this.options.ownsDataDir && !keep) fs.rmSync(this.dataDir, { recursive: true, force: true });
	}

	/** @param {number} timeoutMs */
	async _stopProcess(timeoutMs) {
		const child = this.child;
		if (!child || !this.exited) return;
		const started = Date.now();
		if (!this.exitInfo) {
			// Main only: n8n stops its task runner itself during its graceful shutdown.
			try {
				child.kill('SIGTERM');
			} catch {
				// already gone
			}
			/** @type {NodeJS.Timeout | undefined} */
			let timer;
			const timedOut = await Promise.race([
				this.exited.then(() => false),
				new Promise((resolve) => {
					timer = setTimeout(() => resolve(true), timeoutMs);
				}),
			]);
			clearTimeout(timer);
			if (timedOut) {
				this._onLine(`[harness] n8n did not exit within ${timeoutMs} ms of SIGTERM; sending SIGKILL`);
				this._killGroup('SIGKILL');
				await this.exited;
			}
		}
		// Anything left in the group (a runner whose parent died) goes too.
		this._killGroup('SIGKILL');
		liveInstances.delete(this);
		this.child = null;
		this.timings.stop = Date.now() - started;
	}

	/**
	 * Kills n8n and everything of its process group with SIGKILL, as a power cut or the OOM killer
	 * would: no graceful shutdown, nothing flushed. `restart()` starts it again on the same data.
	 */
	async crash() {
		if (!this.child || !this.exited) return;
		const started = Date.now();
		this._killGroup('SIGKILL');
		await this.exited;
		liveInstances.delete(this);
		this.child = null;
		this.timings.crash = Date.now() - started;
	}

	/** Stops and starts n8n again on the same data dir and ports (an active workflow stays active). */
	async restart() {
		await this._stopProcess(20_000);
		this._cookie = null; // the API key stays valid (it lives in the DB)
		await this._spawnServer();
	}

	// ----- HTTP ---------------------------------------------------------------------------------

	/** @param {string} urlOrPath */
	url(urlOrPath) {
		if (/^https?:\/\//.test(urlOrPath)) return urlOrPath;
		return `${this.baseUrl}/${urlOrPath.replace(/^\/+/, '')}`;
	}

	/**
	 * Production webhook URL: {N8N_WEBHOOK_URL}webhook/{node.webhookId}/{description path}.
	 * @param {string} webhookId @param {string} [webhookPath]
	 */
	webhookUrl(webhookId, webhookPath = 'webhook') {
		return `${this.baseUrl}/webhook/${webhookId}/${webhookPath}`;
	}

	/**
	 * @param {string} method @param {string} urlOrPath
	 * @param {{ body?: any, headers?: Record<string, string>, query?: Record<string, any>, timeoutMs?: number }} [options]
	 * @returns {Promise<{ status: number, headers: Record<string, string>, body: any, setCookie: string[] }>}
	 */
	async request(method, urlOrPath, { body, headers = {}, query, timeoutMs = 30_000 } = {}) {
		const url = new URL(this.url(urlOrPath));
		for (const [key, value] of Object.entries(query ?? {})) {
			if (value !== undefined) url.searchParams.set(key, String(value));
		}
		/** @type {Record<string, string>} */
		const allHeaders = { ...headers };
		let payload;
		if (body !== undefined && body !== null) {
			if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
			else {
				payload = JSON.stringify(body);
				if (!Object.keys(allHeaders).some((h) => h.toLowerCase() === 'content-type')) allHeaders['content-type'] = 'application/json';
			}
		}
		let response;
		try {
			response = await fetch(url, { method, headers: allHeaders, body: payload, signal: AbortSignal.timeout(timeoutMs) });
		} catch (error) {
			throw this.error(`${method} ${url} failed: ${/** @type {Error} */ (error).message}${this.exitInfo ? ' (n8n is not running)' : ''}`);
		}
		const text = await response.text();
		/** @type {any} */
		let parsed = text;
		if ((response.headers.get('content-type') ?? '').includes('json') && text) {
			try {
				parsed = JSON.parse(text);
			} catch {
				// keep text
			}
		}
		return {
			status: response.status,
			headers: headersToObject(response.headers),
			body: parsed,
			setCookie: response.headers.getSetCookie?.() ?? [],
		};
	}

	/**
	 * Calls a (production) webhook. `urlOrPath`: a full URL (see webhookUrl()) or a path such as
	 * `webhook/<id>/webhook`. A 404 is retried while n8n is within `retry404Ms` (default 5 s) of being
	 * ready: right after start a published webhook can answer 404 for a moment (recipe pitfall 5).
	 * Later 404s (e.g. after deactivate()) come back at once.
	 * @param {string} urlOrPath @param {any} [body]
	 * @param {{ method?: string, headers?: Record<string, string>, query?: Record<string, any>, retry404Ms?: number, timeoutMs?: number }} [options]
	 */
	async postWebhook(urlOrPath, body, { method = 'POST', headers, query, retry404Ms = 5000, timeoutMs } = {}) {
		for (;;) {
			const response = await this.request(method, urlOrPath, { body, headers, query, timeoutMs });
			if (response.status !== 404 || Date.now() > this.readyAt + retry404Ms) return response;
			await sleep(100);
		}
	}

	/**
	 * Whether a production webhook path is registered, without executing anything (a CORS preflight:
	 * 204 when registered, 404 when not).
	 * @param {string} urlOrPath @param {string} [method]
	 */
	async isWebhookRegistered(urlOrPath, method = 'POST') {
		const response = await this.request('OPTIONS', urlOrPath, {
			headers: { origin: 'http://127.0.0.1', 'access-control-request-method': method },
		});
		if (response.status === 204 || response.status === 200) return true;
		// Unknown path: the CORS lookup throws "The requested webhook ... is not registered" (a 500 page).
		if (response.status === 404 || /not registered/.test(String(typeof response.body === 'string' ? response.body : JSON.stringify(response.body)))) {
			return false;
		}
		throw this.error(`OPTIONS ${urlOrPath} answered ${response.status}: ${JSON.stringify(response.body)}`);
	}

	/**
	 * @param {string} urlOrPath @param {{ registered?: boolean, method?: string, timeoutMs?: number }} [options]
	 */
	async waitForWebhook(urlOrPath, { registered = true, method = 'POST', timeoutMs = 10_000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		while ((await this.isWebhookRegistered(urlOrPath, method)) !== registered) {
			if (Date.now() > deadline) throw this.error(`webhook ${urlOrPath} still ${registered ? 'not registered' : 'registered'} after ${timeoutMs} ms`);
			await sleep(100);
		}
	}

	/** Resident memory (kB) of n8n and its child processes, from /proc (Linux). */
	memoryKb() {
		const pid = this.child?.pid;
		if (!pid) return undefined;
		const rss = (/** @type {number} */ p) => {
			try {
				const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
				return m ? Number(m[1]) : 0;
			} catch {
				return 0;
			}
		};
		/** @type {number[]} */
		let children = [];
		try {
			children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
		} catch {
			// not available
		}
		return { main: rss(pid), children: children.map((p) => ({ pid: p, rss: rss(p) })) };
	}
}

module.exports = { N8nProcess, ENCRYPTION_KEY, freePort, sleep };
