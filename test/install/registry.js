// @ts-check
'use strict';

/**
 * An npm registry on loopback for the installer tests: `npm publish` puts a tarball in, npm and n8n
 * read packuments, version manifests and tarballs back out, over real HTTP.
 *
 * Why it also answers for https://registry.npmjs.org: an unlicensed n8n ignores
 * N8N_COMMUNITY_PACKAGES_REGISTRY (a custom registry is the licensed feature
 * `feat:communityNodes:customRegistry`) and always passes `--registry=https://registry.npmjs.org` to the
 * npm it runs. n8n and that npm honour HTTPS_PROXY, so the same server is their proxy: a CONNECT to the
 * npm registry's host is answered here with TLS under a certificate made for this run (trusted through
 * NODE_EXTRA_CA_CERTS and npm's `cafile`); a CONNECT to any other host is refused and recorded. Nothing
 * leaves the machine.
 */

const http = require('node:http');
const tls = require('node:tls');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const NPM_REGISTRY_HOST = 'registry.npmjs.org';

/**
 * @typedef {{ method: string, host: string, path: string, status: number }} RegistryRequest
 * @typedef {{ name: string, versions: Record<string, any>, 'dist-tags': Record<string, string>, time: Record<string, string> }} Packument
 */

/** @param {http.IncomingMessage} req @returns {Promise<Buffer>} */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * A certificate for the npm registry's host, self-signed, so it is its own trust anchor.
 * @returns {Promise<{ key: string, cert: string }>}
 */
async function registryCertificate() {
	const selfsigned = require('selfsigned');
	const now = new Date();
	const pems = await selfsigned.generate([{ name: 'commonName', value: NPM_REGISTRY_HOST }], {
		keySize: 2048,
		algorithm: 'sha256',
		notBeforeDate: new Date(now.getTime() - 60_000),
		notAfterDate: new Date(now.getTime() + 24 * 3600_000),
		extensions: [
			{ name: 'basicConstraints', cA: true },
			{ name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
			{ name: 'extKeyUsage', serverAuth: true },
			{ name: 'subjectAltName', altNames: [{ type: 2, value: NPM_REGISTRY_HOST }] },
		],
	});
	return { key: pems.private, cert: pems.cert };
}

/**
 * Starts the registry (and proxy) on 127.0.0.1. `dir` receives the certificate file.
 * @param {{ dir: string, token?: string }} options
 */
async function startLoopbackRegistry({ dir, token = `loopback-${crypto.randomBytes(8).toString('hex')}` }) {
	/** @type {Map<string, Packument>} */
	const packuments = new Map();
	/** @type {Map<string, Buffer>} tarball path (`/<name>/-/<file>.tgz`) -> bytes */
	const tarballs = new Map();
	/** @type {RegistryRequest[]} */
	const requests = [];
	/** @type {string[]} hosts a CONNECT was refused for */
	const refused = [];
	const { key, cert } = await registryCertificate();
	const caFile = path.join(dir, 'loopback-registry-ca.pem');
	fs.writeFileSync(caFile, cert);
	const secureContext = tls.createSecureContext({ key, cert });

	/** The registry's base URL as the client addressed it, so tarball URLs point back the same way. */
	const baseOf = (/** @type {http.IncomingMessage} */ req) =>
		`${req.socket instanceof tls.TLSSocket ? 'https' : 'http'}://${req.headers.host}`;

	/** @param {http.IncomingMessage} req @param {Packument} doc */
	const render = (req, doc) => {
		const versions = Object.fromEntries(
			Object.entries(doc.versions).map(([version, manifest]) => [
				version,
				{ ...manifest, dist: { ...manifest.dist, tarball: `${baseOf(req)}${manifest.dist.tarball}` } },
			]),
		);
		return { ...doc, versions };
	};

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	async function handle(req, res) {
		const url = new URL(req.url ?? '/', 'http://registry.invalid');
		const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
		/** @param {number} status @param {unknown} body */
		const send = (status, body) => {
			requests.push({ method: req.method ?? '', host: String(req.headers.host), path: url.pathname, status });
			if (Buffer.isBuffer(body)) {
				res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': body.length });
				res.end(body);
				return;
			}
			const text = JSON.stringify(body);
			res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
			res.end(text);
		};
		// A proxy request in absolute form (http://host/... or, from some clients, https://host/... sent in
		// the clear) for any host but the registry's: refused like a CONNECT to it.
		const hostname = String(req.headers.host ?? '').replace(/:\d+$/, '');
		if (hostname !== NPM_REGISTRY_HOST && hostname !== '127.0.0.1' && hostname !== 'localhost') {
			refused.push(String(req.headers.host));
			return send(403, { error: `not a registry for ${req.headers.host}` });
		}
		// Scoped names arrive as one encoded segment (@scope%2fname) or two (@scope/name).
		const [first, ...rest] = segments[0]?.startsWith('@') && !segments[0].includes('/') ? [`${segments[0]}/${segments[1]}`, ...segments.slice(2)] : segments;
		if (!first) return send(404, { error: 'not found' });

		if (req.method === 'PUT' && rest.length === 0) {
			if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'publishing needs the registry token' });
			const body = JSON.parse((await readBody(req)).toString('utf8'));
			const doc = packuments.get(first) ?? { name: first, versions: {}, 'dist-tags': {}, time: {} };
			for (const [version, manifest] of Object.entries(body.versions ?? {})) {
				if (doc.versions[version]) return send(409, { error: `${first}@${version} is already published` });
				const file = `${first.split('/').pop()}-${version}.tgz`;
				const attachment = body._attachments?.[`${first}-${version}.tgz`] ?? Object.values(body._attachments ?? {})[0];
				if (!attachment?.data) return send(400, { error: 'no tarball attached' });
				const tarballPath = `/${first}/-/${file}`;
				tarballs.set(tarballPath, Buffer.from(attachment.data, 'base64'));
				doc.versions[version] = { ...manifest, dist: { ...manifest.dist, tarball: tarballPath } };
				doc.time[version] = new Date().toISOString();
			}
			Object.assign(doc['dist-tags'], body['dist-tags'] ?? {});
			packuments.set(first, doc);
			return send(201, { ok: true, id: first });
		}

		if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: `${req.method} is not supported` });
		if (rest[0] === '-' && rest[1]) {
			const tarball = tarballs.get(`/${first}/-/${rest[1]}`);
			return tarball ? send(200, tarball) : send(404, { error: 'no such tarball' });
		}
		const doc = packuments.get(first);
		if (!doc) return send(404, { error: 'not found' });
		if (rest.length === 0) return send(200, render(req, doc));
		const version = doc['dist-tags'][rest[0]] ?? rest[0];
		const manifest = render(req, doc).versions[version];
		return manifest ? send(200, manifest) : send(404, { error: `version not found: ${rest[0]}` });
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: String(error?.message ?? error) }));
		});
	});
	server.on('connect', (req, socket) => {
		const [host, port] = String(req.url).split(':');
		if (host !== NPM_REGISTRY_HOST || (port && port !== '443')) {
			refused.push(String(req.url));
			socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		const secure = new tls.TLSSocket(socket, { isServer: true, secureContext });
		secure.on('error', () => socket.destroy());
		server.emit('connection', secure);
	});
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(undefined));
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const url = `http://127.0.0.1:${address.port}`;

	return {
		/** Where `npm publish --registry` goes. */
		url,
		/** HTTPS_PROXY for n8n and the npm it runs. */
		proxyUrl: url,
		/** The certificate n8n and npm must trust for https://registry.npmjs.org. */
		caFile,
		token,
		requests,
		refused,
		/** @param {string} name */
		versions: (name) => Object.keys(packuments.get(name)?.versions ?? {}),
		/** Requests the npm registry's address received (through the proxy), e.g. n8n's installer. */
		viaNpmHost: () => requests.filter((r) => r.host === NPM_REGISTRY_HOST),
		close: () =>
			new Promise((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve(undefined));
			}),
	};
}

module.exports = { startLoopbackRegistry, NPM_REGISTRY_HOST };
