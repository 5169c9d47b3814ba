// @ts-check
/**
 * n8n in queue mode on one machine, from the same n8n 2.41.1 install as test/harness/n8n.js:
 * PostgreSQL + Redis (queueServices.js), a main process (`n8n start`, editor, API, trigger
 * activation; production webhooks off), one worker (`n8n worker`, runs executions) and two webhook
 * processes (`n8n webhook`), each with its own ports, plus a loopback round-robin balancer in front
 * of the webhook processes: N8N_WEBHOOK_URL points at it, like a load balancer in a real setup.
 *
 *   const cluster = await startQueueCluster({ credentials, workflows });
 *   cluster.describe();                // the processes and their roles
 *   await cluster.main.activate(id);   // the API, executions, ... of the main process
 *   await cluster.stop();              // every process, the balancer and the services
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const { N8n, freePort, startN8n, paths } = require('./n8n');
const { ensureQueueServicesInstalled, startPostgres, startRedis } = require('./queueServices');

const WATCHDOG = require.resolve('./parent-watchdog.js');
/** What each n8n command logs once it serves. */
const READY_LINES = { worker: 'n8n worker is now ready', webhook: 'Webhook listener waiting for requests.' };

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A worker or webhook process on the main process' user folder (same package, same encryption key). */
class N8nQueueProcess extends N8n {
	/** @param {ConstructorParameters<typeof N8n>[0] & { command: 'worker' | 'webhook', role: string }} options */
	constructor(options) {
		super(options);
		this.command = options.command;
		this.role = options.role;
		this.logFile = `${this.dataDir}/n8n-${options.role}.log`;
		this._tailPos = fs.existsSync(this.logFile) ? fs.statSync(this.logFile).size : 0;
	}

	/** Spawns `n8n worker` / `n8n webhook` and waits for its ready line (instead of `n8n start`). */
	async _spawnServer() {
		const started = Date.now();
		this._drain();
		const fromLine = this.logLines.length;
		this._onLine(`[harness] $ n8n ${this.command} (${this.role}, port ${this.port}, broker ${this.brokerPort})`);
		const logFd = fs.openSync(this.logFile, 'a');
		/** @type {import('node:child_process').ChildProcess} */
		let child;
		try {
			child = spawn(paths.NODE24_BIN, ['-r', WATCHDOG, this.runtime.n8nBin, this.command], {
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
 * @param {{ credentials?: any[], workflows?: any[], env?: Record<string, string>, log?: boolean, workerConcurrency?: number }} [options]
 */
async function startQueueCluster(options = {}) {
	ensureQueueServicesInstalled();
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
		const main = await startN8n({
			// Queue mode is proven on the newest tested 2.x.
			version: '2.x',
			credentials: options.credentials,
			workflows: options.workflows,
			templateDb: false,
			waitForPublished: false,
			log: options.log,
			env: { ...shared, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		});
		stops.push(() => main.stop());
		const worker = new N8nQueueProcess({
			runtime: main.runtime,
			dataDir: main.dataDir,
			port: await freePort(),
			brokerPort: await freePort(),
			ownsDataDir: false,
			log: options.log,
			command: 'worker',
			role: 'worker',
			env: { ...shared, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(await freePort()), N8N_CONCURRENCY_PRODUCTION_LIMIT: '-1' },
		});
		// --concurrency is a CLI flag; the env default (10) is what a plain `n8n worker` uses.
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
		for (const proc of [worker, ...webhooks]) stops.push(() => proc.stop());
		// One at a time: on 2 cores, parallel n8n boots slow each other more than they gain.
		for (const proc of [worker, ...webhooks]) await proc._spawnServer();
		const balancer = await startBalancer(balancerPort, webhooks.map((w) => w.baseUrl));
		stops.push(balancer.close);
		const processes = [
			{ role: 'main', command: 'n8n start', pid: main.pid, port: main.port, what: 'editor, API, trigger activation; production webhooks off' },
			{ role: worker.role, command: 'n8n worker', pid: worker.pid, port: undefined, what: 'runs the executions taken from the Redis queue' },
			...webhooks.map((w) => ({ role: w.role, command: 'n8n webhook', pid: w.pid, port: w.port, what: 'receives production webhooks, enqueues executions' })),
			{ role: 'balancer', command: 'round robin (test)', pid: process.pid, port: balancerPort, what: 'N8N_WEBHOOK_URL; alternates between the webhook processes' },
			{ role: 'postgres', command: 'postgres 15', pid: postgres.pid, port: postgres.port, what: 'the database of every n8n process' },
			{ role: 'redis', command: 'redis-server 7', pid: redis.pid, port: redis.port, what: 'the execution queue (Bull)' },
		];
		return {
			main,
			worker,
			webhooks,
			balancer,
			postgres,
			redis,
			processes,
			/** Production webhook URL of a webhook process (or of the balancer when index is undefined). @param {string} webhookId @param {number} [index] */
			webhookUrl(webhookId, index) {
				const base = index === undefined ? balancer.url : webhooks[index].baseUrl;
				return `${base}/webhook/${webhookId}/webhook`;
			},
			describe() {
				return processes.map((p) => `${p.role.padEnd(10)} ${p.command.padEnd(20)} pid ${String(p.pid).padEnd(8)} ${p.port ? `127.0.0.1:${p.port}` : '(no HTTP)'.padEnd(15)}  ${p.what}`).join('\n');
			},
			/** Restarts the worker and both webhook processes (their memory is gone; the database stays). */
			async restartWorkerAndWebhooks() {
				for (const proc of [worker, ...webhooks]) {
					await proc._stopProcess(20_000);
					await proc._spawnServer();
				}
			},
			stop: stopAll,
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}

module.exports = { startQueueCluster, startBalancer, N8nQueueProcess };
