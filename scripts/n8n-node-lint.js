#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Runs n8n's own `n8n-node lint` (@n8n/node-cli) on the package: nodes/, credentials/, package.json
 * and tsconfig.json, staged in a scratch folder next to the eslint.config.mjs that `n8n-node new`
 * writes. n8n-node's strict mode (package.json `n8n.strict`) insists on that file unchanged; the
 * repository keeps its own eslint.config.mjs because it also lints tests and scripts, which are not
 * part of an n8n-node project. Exit code and output are n8n-node's.
 *
 *   node scripts/n8n-node-lint.js [packageRoot]   (default: this repository)
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..');
// Not through require.resolve: the package's `exports` only name ./eslint.
const NODE_CLI = path.join(REPO_ROOT, 'node_modules', '@n8n', 'node-cli');
const TEMPLATE_ESLINT_CONFIG = path.join(NODE_CLI, 'dist', 'template', 'templates', 'shared', 'default', 'eslint.config.mjs');
const PACKAGE_SOURCES = ['nodes', 'credentials', 'package.json', 'tsconfig.json'];

/**
 * Without NODE_ENV=test (set by jest): eslint-plugin-n8n-nodes-base then reads file names the way its
 * own tests need, not the way it reads a package.
 */
function lintEnv() {
	/** @type {Record<string, string | undefined>} */
	const env = { ...process.env, FORCE_COLOR: '0' };
	delete env.NODE_ENV;
	delete env.NO_COLOR;
	return env;
}

/** @param {string} packageRoot @returns {{ status: number, output: string }} */
function n8nNodeLint(packageRoot) {
	const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-node-lint-'));
	try {
		for (const entry of PACKAGE_SOURCES) fs.cpSync(path.join(packageRoot, entry), path.join(staging, entry), { recursive: true });
		fs.copyFileSync(TEMPLATE_ESLINT_CONFIG, path.join(staging, 'eslint.config.mjs'));
		// The tools n8n-node runs (eslint and its plugins) come from this repository's devDependencies.
		fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(staging, 'node_modules'), 'dir');
		const result = spawnSync(process.execPath, [path.join(NODE_CLI, 'bin', 'n8n-node.mjs'), 'lint'], {
			cwd: staging,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			env: lintEnv(),
			timeout: 180_000,
		});
		const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.split(staging).join('<package>');
		return { status: result.status ?? 1, output };
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

if (require.main === module) {
	const { status, output } = n8nNodeLint(path.resolve(process.argv[2] ?? REPO_ROOT));
	process.stdout.write(output);
	process.exit(status);
}

module.exports = { n8nNodeLint, PACKAGE_SOURCES };
