// @ts-check
'use strict';

/**
 * The package as npm ships it: `npm pack` of the built repository, the same tarball under a newer
 * version (an upgrade to install), and `npm publish` of a tarball to the loopback registry. npm runs
 * with a config and cache of its own, so the machine's npm settings play no part.
 */

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Environment for an npm that reads no user or global config and caches under `dir`.
 * @param {string} dir
 */
function isolatedNpmEnv(dir) {
	const userconfig = path.join(dir, 'npmrc');
	const globalconfig = path.join(dir, 'npmrc-global');
	for (const file of [userconfig, globalconfig]) if (!fs.existsSync(file)) fs.writeFileSync(file, '');
	/** @type {Record<string, string>} */
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value !== undefined && !/^npm_/i.test(key)) env[key] = value;
	}
	return {
		...env,
		npm_config_userconfig: userconfig,
		npm_config_globalconfig: globalconfig,
		npm_config_cache: path.join(dir, 'npm-cache'),
		npm_config_update_notifier: 'false',
		npm_config_audit: 'false',
		npm_config_fund: 'false',
	};
}

/**
 * Asynchronous, so a registry served from this same process keeps answering while npm runs.
 * @param {string[]} args @param {string} cwd @param {string} dir  npm's config and cache
 * @param {Record<string, string>} [env]  on top of the isolated environment
 * @returns {Promise<string>} stdout
 */
function npm(args, cwd, dir, env = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn('npm', args, { cwd, env: { ...isolatedNpmEnv(dir), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) resolve(stdout);
			else reject(new Error(`\`npm ${args.join(' ')}\` in ${cwd} failed (exit ${code}, signal ${signal}): ${stderr.slice(-2000)}`));
		});
	});
}

/**
 * `npm pack` of the repository (its `files`: dist/, plus README, LICENSE, package.json).
 * @param {string} dir  where the tarball goes
 * @returns {Promise<{ file: string, name: string, version: string }>}
 */
async function packRepository(dir) {
	const [packed] = JSON.parse(await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], REPO_ROOT, dir));
	return { file: path.join(dir, packed.filename), name: packed.name, version: packed.version };
}

/**
 * The same tarball's content packed again under `version`: a newer release to upgrade to.
 * @param {string} tarball @param {string} version @param {string} dir
 * @returns {Promise<{ file: string, name: string, version: string }>}
 */
async function repackAs(tarball, version, dir) {
	const staging = fs.mkdtempSync(path.join(dir, `repack-${version}-`));
	const untar = spawnSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1'], { encoding: 'utf8' });
	if (untar.status !== 0) throw new Error(`tar -xzf ${tarball} failed: ${untar.stderr}`);
	const manifestPath = path.join(staging, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
	fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, version }, null, 2) + '\n');
	const [packed] = JSON.parse(await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], staging, dir));
	return { file: path.join(dir, packed.filename), name: packed.name, version: packed.version };
}

/**
 * `npm publish <tarball>` to the loopback registry.
 * @param {string} tarball @param {{ url: string, token: string }} registry @param {string} dir
 */
async function publishTarball(tarball, registry, dir) {
	const authKey = `${registry.url.replace(/^https?:/, '')}/:_authToken`;
	await npm(['publish', tarball, '--ignore-scripts', `--registry=${registry.url}/`, `--${authKey}=${registry.token}`, '--access', 'public'], dir, dir);
}

/** The next patch version: 0.1.0 -> 0.1.1. @param {string} version */
function nextPatch(version) {
	const [major, minor, patch] = version.split(/[.-]/).map(Number);
	return `${major}.${minor}.${patch + 1}`;
}

module.exports = { REPO_ROOT, isolatedNpmEnv, npm, packRepository, repackAs, publishTarball, nextPatch };
