// @ts-check
/**
 * n8n in queue mode on one machine, from the same n8n 2.41.1 install as test/harness/n8n.js:
 * PostgreSQL + Redis (queueServices.js), a main process (`n8n start`, editor, API, trigger
 * activation; production webhooks off), one or more workers (`n8n worker --concurrency=10`, run the
 * executions) and two webhook processes (`n8n webhook`), each with its own ports, plus a loopback
 * round-robin balancer in front of the webhook processes: N8N_WEBHOOK_URL points at it, like a load
 * balancer in a real setup.
 *
 *   const cluster = await startQueueCluster({ credentials, workflows, publish: [id] });
 *   cluster.describe();                // the processes and their roles
 *   await cluster.main.activate(id);   // the API, executions, ... of the main process
 *   await cluster.restartWorkerAndWebhooks({ parallel: true });
 *   await cluster.stop();              // every process, the balancer and the services
 */
'use strict';

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { N8n, freePort, selectRuntime, paths } = require('./n8n');
const { assertInstalled } = require('./runtime');
const { ensureQueueServicesInstalled, startPostgres, startRedis } = require('./queueServices');

const WATCHDOG = require.resolve('./parent-watchdog.js');
/** What each n8n command logs once it serves. */
const READY_LINES = { worker: 'n8n worker is now ready', webhook: 'Webhook listener waiting for requests.' };

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A worker or webhook process on the main process' user folder (same package, same encryption key). */
class N8nQueueProcess extends N8n {
	/** @param {ConstructorParameters<typeof N8n>[0] & { command: 'worker' | 'webhook', role: string, args?: string[] }} options */
	constructor(options) {
		super(options);
		this.command = options.command;
		this.role = options.role;
		/** Flags after the command, e.g. `--concurrency=10`. */
		this.args = options.args ?? [];
		this.logFile = `${this.dataDir}/n8n-${options.role}.log`;
		this._tailPos = fs.existsSync(this.logFile) ? fs.statSync(this.logFile).size : 0;
	}

	/** Spawns `n8n worker` / `n8n webhook` and waits for its ready line (instead of `n8n start`). */
	async _spawnServer() {
		const started = Date.now();
		this._drain();
		const fromLine = this.logLines.length;
		this._onLine(`[harness] $ n8n ${[this.command, ...this.args].join(' ')} (${this.role}, port ${this.port}, broker ${this.brokerPort})`);
		const logFd = fs.openSync(this.logFile, 'a');
		/** @type {import('node:child_process').ChildProcess} */
		let child;
		try {
			child = spawn(paths.NODE24_BIN, ['-r', WATCHDOG, this.runtime.n8nBin, this.command, ...this.args], {
				cwd: this.dataDir,
				env: { ...this.env(), N8N_HARNESS_PARENT_PID: String(process.pid) },
				stdio: ['ignore', logFd, logFd],
				detached: true,
			});
		} finally {
			fs.closeSync(logFd);
		}
		this.child = child;
		this.exitInfo = null;
		this.exited = new Promise((resolve) => {
			child.on('exit', (code, signal) => {
				this.exitInfo = { code, signal };
				resolve(undefined);
			});
			child.on('error', () => {
				this.exitInfo = { code: -1, signal: null };
				resolve(undefined);
			});
		});
		child.unref();
		const onExit = () => this._killGroup('SIGKILL');
		process.on('exit', onExit);
		this.exited.then(() => process.off('exit', onExit));
		const deadline = started + (this.options.startTimeoutMs ?? 120_000);
		const ready = READY_LINES[this.command];
		for (;;) {
			this._drain();
			if (this.logLines.slice(fromLine).some((line) => line.includes(ready))) break;
			if (this.exitInfo) throw this.error(`n8n ${this.command} exited during startup (${JSON.stringify(this.exitInfo)})`);
			if (Date.now() > deadline) {
				await this._stopProcess(20_000);
				throw this.error(`n8n ${this.command} did not log "${ready}" in time`);
			}
			await sleep(50);
		}
		this.readyAt = Date.now();
		this.timings.spawnToReady = this.readyAt - started;
	}

	/** Stops the process only: the user folder belongs to the main process. */
	async stop() {
		await this._stopProcess(20_000);
	}
}

/**
 * A loopback HTTP balancer: each request goes to the next target in turn (round robin), or to
 * the target a test picks. Counts what each target received.
 * @param {number} port @param {string[]} targets base URLs
 */
async function startBalancer(port, targets) {
	let next = 0;
	const received = targets.map(() => 0);
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	const server = http.createServer((req, res) => {
		const index = next;
		next = (next + 1) % targets.length;
		received[index] += 1;
		const target = new URL(req.url ?? '/', targets[index]);
		const upstream = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host }, agent }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		upstream.on('error', (error) => {
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`balancer: ${targets[index]} failed: ${error.message}`);
		});
		req.pipe(upstream);
	});
	await new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(undefined)));
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		close: () =>
			new Promise((resolve) => {
				agent.destroy();
				server.closeAllConnections?.();
				server.close(() => resolve(undefined));
			}),
	};
}

/**
 * The main process, as startN8n does it (package, credentials, workflows, `n8n start`), with one step
 * startN8n cannot take on PostgreSQL: the workflows in `publish` are published in the database
 * before `n8n start`, exactly as 2.41.1's `n8n publish:workflow --id` does it
 * (WorkflowRepository.publishVersion: the workflow exists, is not archived and its current version
 * is in the history; then active=true, activeVersionId=versionId), for every id in one statement
 * instead of one CLI run (~2.3 s) per id. n8n then activates them itself at startup: its
 * publication reconciler finds them unreported and its outbox consumer runs up to 5 at once.
 * @param {{ credentials?: any[], workflows?: any[], publish?: string[], log?: any, env: Record<string, string> }} options
 * @param {{ query: (sql: string) => Promise<{ tag: string, rows: Array<Array<string | null>> }> }} postgres
 */
async function startMain(options, postgres) {
	// Queue mode is proven on the newest tested 2.x.
	const runtime = selectRuntime('2.x');
	assertInstalled(runtime);
	const started = Date.now();
	const dataDir = path.resolve(path.join(paths.DATA_ROOT, `${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}`));
	fs.mkdirSync(dataDir, { recursive: true });
	const main = new N8n({
		credentials: options.credentials,
		workflows: options.workflows,
		templateDb: false,
		log: options.log,
		env: options.env,
		runtime,
		dataDir,
		port: await freePort(),
		brokerPort: await freePort(),
		ownsDataDir: true,
	});
	try {
		main._installPackage();
		const cliStarted = Date.now();
		await main._importAndPublish();
		const publish = options.publish ?? [];
		if (publish.length > 0) {
			const ids = publish.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ');
			const { rows } = await postgres.query(
				`UPDATE workflow_entity w SET active = true, "activeVersionId" = w."versionId" WHERE w.id IN (${ids}) AND NOT w."isArchived" ` +
					`AND EXISTS (SELECT 1 FROM workflow_history h WHERE h."workflowId" = w.id AND h."versionId" = w."versionId") RETURNING w.id, w."versionId"`,
			);
			const done = new Set(rows.map((row) => row[0]));
			const missing = publish.filter((id) => !done.has(id));
			if (missing.length > 0) throw main.error(`publish before start: ${missing.join(', ')} not found, archived or without its current version`);
			for (const [id, version] of rows) main._onLine(`[harness] published ${id} version ${version} in the database`);
		}
		main.timings.cli = Date.now() - cliStarted;
		await main._spawnServer();
	} catch (error) {
		await main.stop({ keepDataDir: true }).catch(() => undefined);
		throw error;
	}
	main.timings.total = Date.now() - started;
	return main;
}

/**
 * @param {{ credentials?: any[], workflows?: any[], publish?: string[], env?: Record<string, string>, log?: boolean, workers?: number, workerConcurrency?: number }} [options]
 *   publish: workflows published before main starts (main activates them at startup);
 *   workers: how many `n8n worker` processes (default 1); workerConcurrency: their --concurrency (default 10)
 */
async function startQueueCluster(options = {}) {
	ensureQueueServicesInstalled();
	const workerCount = options.workers ?? 1;
	const concurrency = options.workerConcurrency ?? 10;
	/** @type {Array<() => Promise<unknown>>} */
	const stops = [];
	const stopAll = async () => {
		for (const stop of stops.reverse()) await stop().catch(() => undefined);
		stops.length = 0;
	};
	try {
		const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
		stops.push(postgres.stop, redis.stop);
		const balancerPort = await freePort();
		const webhookPorts = [await freePort(), await freePort()];
		/** Every process: one database, one queue, one encryption key (set by the harness), one public webhook URL. */
		const shared = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			// n8n's default pool of 2 connections per process times out ("timeout exceeded when trying to
			// connect", 500 answers) under a webhook burst: each webhook request reads the database.
			DB_POSTGRESDB_POOL_SIZE: '10',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			N8N_WEBHOOK_URL: `http://127.0.0.1:${balancerPort}/`,
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			...options.env,
		};
		const main = await startMain(
			{ credentials: options.credentials, workflows: options.workflows, publish: options.publish, log: options.log, env: { ...shared, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } },
			postgres,
		);
		stops.push(() => main.stop());
		/** @type {N8nQueueProcess[]} */
		const workers = [];
		for (let index = 0; index < workerCount; index++) {
			workers.push(
				new N8nQueueProcess({
					runtime: main.runtime,
					dataDir: main.dataDir,
					port: await freePort(),
					brokerPort: await freePort(),
					ownsDataDir: false,
					log: options.log,
					command: 'worker',
					role: workerCount === 1 ? 'worker' : `worker-${index + 1}`,
					// 2.41.1's worker: N8N_CONCURRENCY_PRODUCTION_LIMIT wins over --concurrency unless it is -1.
					args: [`--concurrency=${concurrency}`],
					env: { ...shared, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(await freePort()), N8N_CONCURRENCY_PRODUCTION_LIMIT: '-1' },
				}),
			);
		}
		const webhooks = await Promise.all(
			webhookPorts.map(
				async (port, index) =>
					new N8nQueueProcess({
						runtime: main.runtime,
						dataDir: main.dataDir,
						port,
						brokerPort: await freePort(),
						ownsDataDir: false,
						log: options.log,
						command: 'webhook',
						role: `webhook-${index + 1}`,
						env: shared,
					}),
			),
		);
		for (const proc of [...workers, ...webhooks]) stops.push(() => proc.stop());
		// One at a time: on 2 cores, parallel n8n boots slow each other more than they gain.
		for (const proc of [...workers, ...webhooks]) await proc._spawnServer();
		for (const worker of workers) {
			const line = (await worker.waitForLog(/\* Concurrency: (\d+)/, { timeoutMs: 10_000 }).catch(() => undefined)) ?? '';
			const logged = /Concurrency: (\d+)/.exec(String(line))?.[1];
			if (logged !== String(concurrency)) throw worker.error(`${worker.role} runs at concurrency ${logged ?? '(not logged)'}, not ${concurrency}`);
		}
		const balancer = await startBalancer(balancerPort, webhooks.map((w) => w.baseUrl));
		stops.push(balancer.close);
		const describeProcesses = () => [
			{ role: 'main', command: 'n8n start', pid: main.pid, port: main.port, what: 'editor, API, trigger activation; production webhooks off' },
			...workers.map((w) => ({ role: w.role, command: `n8n worker --concurrency=${concurrency}`, pid: w.pid, port: undefined, what: `runs the executions taken from the Redis queue, ${concurrency} at once` })),
			...webhooks.map((w) => ({ role: w.role, command: 'n8n webhook', pid: w.pid, port: w.port, what: 'receives production webhooks, enqueues executions' })),
			{ role: 'balancer', command: 'round robin (test)', pid: process.pid, port: balancerPort, what: 'N8N_WEBHOOK_URL; alternates between the webhook processes' },
			{ role: 'postgres', command: 'postgres 15', pid: postgres.pid, port: postgres.port, what: 'the database of every n8n process' },
			{ role: 'redis', command: 'redis-server 7', pid: redis.pid, port: redis.port, what: 'the execution queue (Bull)' },
		];
		return {
			main,
			/** The first (or only) worker. */
			worker: workers[0],
			workers,
			webhooks,
			balancer,
			postgres,
			redis,
			concurrency,
			get processes() {
				return describeProcesses();
			},
			/** Production webhook URL of a webhook process (or of the balancer when index is undefined). @param {string} webhookId @param {number} [index] */
			webhookUrl(webhookId, index) {
				const base = index === undefined ? balancer.url : webhooks[index].baseUrl;
				return `${base}/webhook/${webhookId}/webhook`;
			},
			describe() {
				return describeProcesses()
					.map((p) => `${p.role.padEnd(10)} ${p.command.padEnd(28)} pid ${String(p.pid).padEnd(8)} ${p.port ? `127.0.0.1:${p.port}` : '(no HTTP)'.padEnd(15)}  ${p.what}`)
					.join('\n');
			},
			/**
			 * Restarts every worker and both webhook processes (their memory is gone; the database stays).
			 * parallel: all stop at once, then all start at once (default: one after the other, each
			 * stopped and started in turn). Resolves with the time taken: { stopMs, startMs, totalMs }.
			 * @param {{ parallel?: boolean }} [how]
			 */
			async restartWorkerAndWebhooks({ parallel = false } = {}) {
				const started = Date.now();
				const procs = [...workers, ...webhooks];
				if (!parallel) {
					let stopMs = 0;
					for (const proc of procs) {
						const stopStarted = Date.now();
						await proc._stopProcess(20_000);
						stopMs += Date.now() - stopStarted;
						await proc._spawnServer();
					}
					return { stopMs, startMs: Date.now() - started - stopMs, totalMs: Date.now() - started };
				}
				await Promise.all(procs.map((proc) => proc._stopProcess(20_000)));
				const stopped = Date.now();
				await Promise.all(procs.map((proc) => proc._spawnServer()));
				return { stopMs: stopped - started, startMs: Date.now() - stopped, totalMs: Date.now() - started };
			},
			stop: stopAll,
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}

module.exports = { startQueueCluster, startBalancer, N8nQueueProcess };
