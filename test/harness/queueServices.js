// @ts-check
/**
 * The services n8n's queue mode shares between its processes, run on loopback from the binaries
 * scripts/install-queue-services.sh unpacked into queue-services/: a PostgreSQL (the database of
 * every n8n process) and a Redis (the execution queue). Each start gets fresh data in its own
 * folder and free ports; stop() ends the server and removes the folder. Node built-ins only.
 *
 *   ensureQueueServicesInstalled();
 *   const postgres = await startPostgres();   // { host, port, database, user, password, query(sql), stop() }
 *   const redis = await startRedis();         // { host, port, stop() }
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { freePort, paths } = require('./n8n');

const SERVICES_DIR = path.join(paths.REPO_ROOT, 'queue-services');
const UNPACKED = path.join(SERVICES_DIR, 'root');
const LIB_DIR = path.join(UNPACKED, 'usr', 'lib', 'x86_64-linux-gnu');
const POSTGRES_BIN_DIR = path.join(UNPACKED, 'usr', 'lib', 'postgresql', '15', 'bin');
const REDIS_BIN = path.join(UNPACKED, 'usr', 'bin', 'redis-server');
const INSTALL_SCRIPT = path.join(paths.REPO_ROOT, 'scripts', 'install-queue-services.sh');
const DATA_ROOT = path.join(paths.DATA_ROOT, 'queue-services');

/** PostgreSQL refuses to run as root; as root (CI), its processes run as this unprivileged user. */
const POSTGRES_OS_USER = { uid: 65534, gid: 65534, name: 'nobody' };

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function ensureQueueServicesInstalled() {
	if (spawnSync('bash', [INSTALL_SCRIPT, '--check'], { stdio: 'ignore' }).status === 0) return;
	const result = spawnSync('bash', [INSTALL_SCRIPT], { stdio: 'inherit' });
	if (result.status !== 0) throw new Error(`queue services: ${path.relative(paths.REPO_ROOT, INSTALL_SCRIPT)} failed (exit ${result.status})`);
}

function serviceEnv() {
	return { ...process.env, LD_LIBRARY_PATH: [LIB_DIR, process.env.LD_LIBRARY_PATH].filter(Boolean).join(path.delimiter) };
}

const asRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** A folder under .n8n-data/queue-services/ the server may write (owned by the server's user). @param {string} name */
function serviceDir(name) {
	const dir = path.join(DATA_ROOT, `${name}-${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`);
	fs.mkdirSync(dir, { recursive: true });
	if (asRoot() && name === 'postgres') fs.chownSync(dir, POSTGRES_OS_USER.uid, POSTGRES_OS_USER.gid);
	return dir;
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port. @param {number} port @param {number} timeoutMs @param {() => string | null} died */
async function waitForPort(port, timeoutMs, died) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const open = await new Promise((resolve) => {
			const socket = net.connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (open) return;
		const reason = died();
		if (reason) throw new Error(reason);
		if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
		await sleep(100);
	}
}

/**
 * Spawns a service server in its own process group, output into `logFile`.
 * @param {string} bin @param {string[]} args @param {string} logFile @param {{ uid?: number, gid?: number }} [user]
 */
function spawnService(bin, args, logFile, user = {}) {
	const logFd = fs.openSync(logFile, 'a');
	try {
		const child = spawn(bin, args, { env: serviceEnv(), stdio: ['ignore', logFd, logFd], detached: true, ...user });
		child.unref();
		/** @type {{ code: number | null, signal: string | null } | null} */
		let exitInfo = null;
		const exited = new Promise((resolve) => {
			child.on('exit', (code, signal) => {
				exitInfo = { code, signal };
				resolve(undefined);
			});
			child.on('error', () => {
				exitInfo = { code: -1, signal: null };
				resolve(undefined);
			});
		});
		// Last resort when the caller never calls stop(): the servers must not outlive the tests.
		const onExit = () => {
			try {
				process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
			} catch {
				// gone
			}
		};
		process.on('exit', onExit);
		const stop = async () => {
			process.off('exit', onExit);
			if (!exitInfo) {
				// SIGINT: PostgreSQL's "fast" shutdown; Redis stops on it too.
				child.kill('SIGINT');
				await Promise.race([exited, sleep(15_000)]);
			}
			onExit();
			await exited;
		};
		return { child, exited, stop, exitInfo: () => exitInfo };
	} finally {
		fs.closeSync(logFd);
	}
}

/** @param {string} file */
const tail = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-30).join('\n') : '');

/**
 * A fresh PostgreSQL 15 cluster on a free loopback port, trust authentication, database `n8n`.
 * @returns {Promise<{ host: string, port: number, database: string, user: string, password: string, readonly pid: number, dataDir: string, query: (sql: string) => Promise<{ tag: string, rows: Array<Array<string | null>> }>, pause: () => Promise<void>, resume: () => Promise<void>, stop: () => Promise<void> }>}
 */
async function startPostgres() {
	const dir = serviceDir('postgres');
	const dataDir = path.join(dir, 'data');
	const logFile = path.join(dir, 'postgres.log');
	const user = asRoot() ? { uid: POSTGRES_OS_USER.uid, gid: POSTGRES_OS_USER.gid } : {};
	const initdb = spawnSync(path.join(POSTGRES_BIN_DIR, 'initdb'), ['-D', dataDir, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], {
		env: serviceEnv(),
		encoding: 'utf8',
		...user,
	});
	if (initdb.status !== 0) throw new Error(`queue services: initdb failed (exit ${initdb.status}): ${initdb.stderr || initdb.error?.message}`);
	const port = await freePort();
	// Throwaway test data: no fsync, no JIT; the socket lives in the data folder (not /var/run).
	const args = ['-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'jit=off', '-c', 'max_connections=200'];
	let server = spawnService(path.join(POSTGRES_BIN_DIR, 'postgres'), args, logFile, user);
	const readyLines = () => (fs.readFileSync(logFile, 'utf8').match(/ready to accept connections/g) ?? []).length;
	/** Accepting TCP is not accepting queries yet ("the database system is starting up"): waits for a new ready line. @param {number} before */
	const waitReady = async (before) => {
		await waitForPort(port, 30_000, () => (server.exitInfo() ? `postgres exited: ${tail(logFile)}` : null));
		const deadline = Date.now() + 30_000;
		while (readyLines() <= before) {
			if (Date.now() > deadline) throw new Error(`postgres not ready after 30 s: ${tail(logFile)}`);
			await sleep(100);
		}
	};
	const stop = async () => {
		await server.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		await waitReady(0);
		await createDatabase(port, 'n8n');
	} catch (error) {
		await stop();
		throw new Error(`queue services: ${/** @type {Error} */ (error).message}`);
	}
	return {
		host: '127.0.0.1',
		port,
		database: 'n8n',
		user: 'n8n',
		password: 'n8n',
		get pid() {
			return /** @type {number} */ (server.child.pid);
		},
		dataDir,
		/** One SQL statement on the `n8n` database. @param {string} sql */
		query: (sql) => query(port, 'n8n', sql),
		/** Stops the server (fast shutdown: connections are cut), keeping its data; `resume()` starts it again on the same port. */
		pause: () => server.stop(),
		async resume() {
			const before = readyLines();
			server = spawnService(path.join(POSTGRES_BIN_DIR, 'postgres'), args, logFile, user);
			await waitReady(before);
		},
		stop,
	};
}

/**
 * One SQL statement through PostgreSQL's wire protocol (startup message, trust auth, one simple
 * query), so no client package is needed. Resolves with the command tag (e.g. `UPDATE 4`) and the
 * rows as arrays of text values (NULL as null); rejects with the server's error.
 * @param {number} port @param {string} database @param {string} sql
 * @returns {Promise<{ tag: string, rows: Array<Array<string | null>> }>}
 */
function query(port, database, sql) {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1');
		const params = Buffer.from(`user\0n8n\0database\0${database}\0\0`);
		const startup = Buffer.alloc(8);
		startup.writeInt32BE(8 + params.length, 0);
		startup.writeInt32BE(196608, 4); // protocol 3.0
		let buffer = Buffer.alloc(0);
		let queried = false;
		let tag = '';
		/** @type {Array<Array<string | null>>} */
		const rows = [];
		socket.on('connect', () => socket.write(Buffer.concat([startup, params])));
		socket.on('data', (chunk) => {
			buffer = Buffer.concat([buffer, chunk]);
			while (buffer.length >= 5) {
				const type = String.fromCharCode(buffer[0]);
				const length = buffer.readInt32BE(1);
				if (buffer.length < 1 + length) break;
				const body = buffer.subarray(5, 1 + length);
				buffer = buffer.subarray(1 + length);
				if (type === 'E') {
					socket.destroy();
					reject(new Error(`${sql.slice(0, 60)}: ${body.toString('utf8').replace(/\0/g, ' ').trim()}`));
					return;
				}
				if (type === 'D') {
					const count = body.readInt16BE(0);
					let at = 2;
					/** @type {Array<string | null>} */
					const row = [];
					for (let i = 0; i < count; i++) {
						const size = body.readInt32BE(at);
						at += 4;
						if (size < 0) row.push(null);
						else {
							row.push(body.subarray(at, at + size).toString('utf8'));
							at += size;
						}
					}
					rows.push(row);
				} else if (type === 'C') {
					tag = body.toString('utf8').replace(/\0+$/, '');
				} else if (type === 'Z' && !queried) {
					queried = true;
					const text = Buffer.from(`${sql}\0`);
					const message = Buffer.alloc(5);
					message.write('Q', 0);
					message.writeInt32BE(4 + text.length, 1);
					socket.write(Buffer.concat([message, text]));
				} else if (type === 'Z') {
					socket.end();
					resolve({ tag, rows });
				}
			}
		});
		socket.on('error', reject);
	});
}

/** @param {number} port @param {string} name */
const createDatabase = (port, name) => query(port, 'postgres', `CREATE DATABASE ${name}`);

/**
 * A fresh Redis on a free loopback port, with an append-only file in its folder.
 * @returns {Promise<{ host: string, port: number, readonly pid: number, pause: () => Promise<void>, resume: () => Promise<void>, stop: () => Promise<void> }>}
 */
async function startRedis() {
	const dir = serviceDir('redis');
	const logFile = path.join(dir, 'redis.log');
	const port = await freePort();
	// An append-only file, as a production Redis has: jobs queued before a stop are there after it.
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir];
	let server = spawnService(REDIS_BIN, args, logFile);
	const waitUp = () => waitForPort(port, 15_000, () => (server.exitInfo() ? `redis exited: ${tail(logFile)}` : null));
	const stop = async () => {
		await server.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		await waitUp();
	} catch (error) {
		await stop();
		throw new Error(`queue services: ${/** @type {Error} */ (error).message}`);
	}
	return {
		host: '127.0.0.1',
		port,
		get pid() {
			return /** @type {number} */ (server.child.pid);
		},
		/** Stops the server, keeping its append-only file; `resume()` starts it again on the same port. */
		pause: () => server.stop(),
		async resume() {
			server = spawnService(REDIS_BIN, args, logFile);
			await waitUp();
		},
		stop,
	};
}

module.exports = { ensureQueueServicesInstalled, startPostgres, startRedis, query };
