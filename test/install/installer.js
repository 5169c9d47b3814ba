// @ts-check
'use strict';

/**
 * n8n's community-package installer, driven the way the editor drives it (Settings -> Community
 * Nodes): POST /rest/community-packages to install, GET to list (with `updateAvailable` from
 * `npm outdated`), PATCH to update, DELETE ?name= to uninstall. The same endpoints and bodies in
 * n8n 1.x and 2.x. The environment points n8n and the npm it runs at the loopback registry.
 */

const fs = require('node:fs');
const path = require('node:path');
const { isolatedNpmEnv } = require('./packages');

/**
 * n8n settings for installs, and the route to the loopback registry. N8N_COMMUNITY_PACKAGES_REGISTRY
 * stays unset: without a licence n8n refuses a custom registry, so the registry is reached as
 * https://registry.npmjs.org through the loopback proxy (see registry.js).
 * @param {{ proxyUrl: string, caFile: string }} registry @param {string} dir  npm's config and cache
 * @returns {Record<string, string>}
 */
function installerEnv(registry, dir) {
	const npmDir = path.join(dir, 'n8n-npm');
	fs.mkdirSync(npmDir, { recursive: true });
	const npmEnv = isolatedNpmEnv(npmDir);
	const loopback = '127.0.0.1,localhost,::1';
	return {
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		HTTPS_PROXY: registry.proxyUrl,
		https_proxy: registry.proxyUrl,
		NO_PROXY: loopback,
		no_proxy: loopback,
		// n8n's own registry lookups (Node's TLS) and npm (which reads only its `cafile` when one is set).
		NODE_EXTRA_CA_CERTS: registry.caFile,
		npm_config_cafile: registry.caFile,
		npm_config_userconfig: npmEnv.npm_config_userconfig,
		npm_config_globalconfig: npmEnv.npm_config_globalconfig,
		npm_config_cache: npmEnv.npm_config_cache,
		npm_config_update_notifier: 'false',
	};
}

/**
 * @typedef {{ packageName: string, installedVersion: string, updateAvailable?: string, failedLoading?: boolean,
 *   installedNodes: Array<{ name: string, type: string, latestVersion: number }> }} InstalledPackage
 * @typedef {{ rest: (method: string, restPath: string, body?: any) => Promise<any> }} RestClient
 */

/**
 * What the editor's install dialog sends for a package name typed as `name@version`.
 * @param {RestClient} n8n @param {string} name @param {string} version @returns {Promise<InstalledPackage>}
 */
async function installPackage(n8n, name, version) {
	return n8n.rest('POST', 'community-packages', { name: `${name}@${version}` });
}

/** @param {RestClient} n8n @returns {Promise<InstalledPackage[]>} */
async function installedPackages(n8n) {
	return n8n.rest('GET', 'community-packages');
}

/**
 * The editor's Update button. n8n 1.x takes the latest version, 2.x the one given.
 * @param {RestClient} n8n @param {string} name @param {string} version @returns {Promise<InstalledPackage>}
 */
async function updatePackage(n8n, name, version) {
	return n8n.rest('PATCH', 'community-packages', { name, version });
}

/** @param {RestClient} n8n @param {string} name */
async function uninstallPackage(n8n, name) {
	return n8n.rest('DELETE', `community-packages?name=${encodeURIComponent(name)}`);
}

/**
 * Where the installers of n8n 1.x (1.123) and 2.x differ in what a test can see (read from their sources).
 * @param {string} version  n8n's version, e.g. '2.41.1'
 */
function installerTraits(version) {
	const major = Number(version.split('.')[0]);
	return {
		/** 2.x runs `npm outdated` with n8n's environment (proxy and npm config included). 1.x runs it with only
		 * PATH and NODE_PATH, so npm would ask the public registry directly; what reaches that npm is the
		 * project `.npmrc` in its working directory, ~/.n8n/nodes (see writeOutdatedNpmrc). */
		outdatedNeedsProjectNpmrc: major < 2,
		/** 2.x removes the package from ~/.n8n/nodes/package.json on uninstall; 1.x deletes only its folder. */
		uninstallEditsLedger: major >= 2,
	};
}

/**
 * For an n8n whose `npm outdated` gets no environment but PATH and NODE_PATH (1.x): a project `.npmrc`
 * in ~/.n8n/nodes, where that npm runs, sends it to the loopback registry over plain http (which the
 * registry serves on 127.0.0.1) with a cache of its own. Installs are unaffected: n8n passes
 * `--registry=https://registry.npmjs.org` to those, and the command line wins over a `.npmrc`.
 * @param {string} dataDir  N8N_USER_FOLDER @param {{ url: string }} registry @param {string} dir  npm's cache
 */
function writeOutdatedNpmrc(dataDir, registry, dir) {
	const nodesDir = path.join(dataDir, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const settings = {
		registry: `${registry.url}/`,
		cache: path.join(dir, 'n8n-npm', 'outdated-cache'),
		'update-notifier': 'false',
		audit: 'false',
		fund: 'false',
	};
	const text = Object.entries(settings).map(([key, value]) => `${key}=${value}\n`).join('');
	fs.writeFileSync(path.join(nodesDir, '.npmrc'), text);
}

/**
 * Where n8n keeps installed packages (~/.n8n/nodes) and what is in it for `name`.
 * @param {string} dataDir  N8N_USER_FOLDER @param {string} name
 */
function nodesFolder(dataDir, name) {
	const dir = path.join(dataDir, '.n8n', 'nodes');
	const read = (/** @type {string} */ file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined);
	return {
		dir,
		/** ~/.n8n/nodes/package.json: the ledger n8n keeps of installed packages */
		ledger: () => read(path.join(dir, 'package.json')),
		/** the installed copy's package.json (undefined when it is not there) */
		installedManifest: () => read(path.join(dir, 'node_modules', name, 'package.json')),
		/** names of everything under ~/.n8n/nodes/node_modules (scopes expanded) */
		modules: () => {
			const root = path.join(dir, 'node_modules');
			if (!fs.existsSync(root)) return [];
			return fs
				.readdirSync(root)
				.filter((entry) => !entry.startsWith('.'))
				.flatMap((entry) => (entry.startsWith('@') ? fs.readdirSync(path.join(root, entry)).map((sub) => `${entry}/${sub}`) : [entry]));
		},
	};
}

module.exports = { installerEnv, installerTraits, writeOutdatedNpmrc, installPackage, installedPackages, updatePackage, uninstallPackage, nodesFolder };
