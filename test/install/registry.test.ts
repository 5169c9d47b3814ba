/**
 * The loopback registry the installer tests publish to: real npm publishes into it and reads from it,
 * directly and, as n8n's npm does, as https://registry.npmjs.org through its proxy; it keeps published
 * versions immutable, wants its token for a publish, and refuses to tunnel to any other host.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { NPM_REGISTRY_HOST, startLoopbackRegistry } from './registry';
import { npm, publishTarball } from './packages';

jest.setTimeout(120_000);

const NAME = 'n8n-nodes-registry-probe';
let dir = '';
let registry: Awaited<ReturnType<typeof startLoopbackRegistry>>;

async function packProbe(version: string): Promise<string> {
	const source = fs.mkdtempSync(path.join(dir, `probe-${version}-`));
	fs.writeFileSync(path.join(source, 'package.json'), JSON.stringify({ name: NAME, version, main: 'index.js' }));
	fs.writeFileSync(path.join(source, 'index.js'), `module.exports = ${JSON.stringify(version)};\n`);
	const [packed] = JSON.parse(await npm(['pack', '--json', '--pack-destination', dir], source, dir));
	return path.join(dir, packed.filename);
}

/** npm as n8n runs it: the public registry's address, reached through the proxy. */
const viaProxy = (args: string[]) =>
	npm([...args, `--registry=https://${NPM_REGISTRY_HOST}`], dir, dir, {
		HTTPS_PROXY: registry.proxyUrl,
		NO_PROXY: '127.0.0.1,localhost',
		npm_config_cafile: registry.caFile,
	});

/** Writes `request` to the registry's port as is and resolves with everything it answers until it closes. */
const rawExchange = (request: string) =>
	new Promise<string>((resolve, reject) => {
		const socket = net.connect(Number(new URL(registry.proxyUrl).port), '127.0.0.1', () => socket.write(request));
		let text = '';
		socket.on('data', (chunk) => (text += chunk));
		socket.on('end', () => resolve(text));
		socket.on('error', reject);
	});

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopback-registry-'));
	registry = await startLoopbackRegistry({ dir });
});

afterAll(async () => {
	await registry?.close();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the loopback registry', () => {
	it('takes an npm publish and serves the packument and the same tarball bytes back', async () => {
		const tarball = await packProbe('1.0.0');
		await publishTarball(tarball, registry, dir);
		expect(registry.versions(NAME)).toEqual(['1.0.0']);
		const doc = (await (await fetch(`${registry.url}/${NAME}`)).json()) as {
			'dist-tags': Record<string, string>;
			versions: Record<string, { dist: { tarball: string; integrity: string } }>;
		};
		expect(doc['dist-tags']).toEqual({ latest: '1.0.0' });
		expect(doc.versions['1.0.0'].dist.tarball).toBe(`${registry.url}/${NAME}/-/${NAME}-1.0.0.tgz`);
		const served = Buffer.from(await (await fetch(doc.versions['1.0.0'].dist.tarball)).arrayBuffer());
		expect(served.equals(fs.readFileSync(tarball))).toBe(true);
		expect(`sha512-${createHash('sha512').update(served).digest('base64')}`).toBe(doc.versions['1.0.0'].dist.integrity);
	});

	it('answers npm as https://registry.npmjs.org through the proxy, with tarball URLs on that host', async () => {
		await publishTarball(await packProbe('1.1.0'), registry, dir);
		const view = JSON.parse(await viaProxy(['view', NAME, '--json']));
		expect(view).toMatchObject({ name: NAME, version: '1.1.0', versions: ['1.0.0', '1.1.0'] });
		expect(view.dist.tarball).toBe(`https://${NPM_REGISTRY_HOST}/${NAME}/-/${NAME}-1.1.0.tgz`);
		const packed = (await viaProxy(['pack', `${NAME}@1.0.0`, '--quiet'])).trim();
		expect(packed).toBe(`${NAME}-1.0.0.tgz`);
		expect(registry.viaNpmHost().map((r) => `${r.method} ${r.path} ${r.status}`)).toContain(`GET /${NAME}/-/${NAME}-1.0.0.tgz 200`);
	});

	it('keeps a published version as it is and wants its token for a publish', async () => {
		// npm itself declines to publish over 1.0.0; a client that tries anyway gets a 409.
		const again = await packProbe('1.0.0');
		await expect(publishTarball(again, registry, dir)).rejects.toThrow(/cannot publish over the previously published versions: 1\.0\.0/);
		const put = await fetch(`${registry.url}/${NAME}`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${registry.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				name: NAME,
				versions: { '1.0.0': { name: NAME, version: '1.0.0', dist: {} } },
				_attachments: { [`${NAME}-1.0.0.tgz`]: { data: fs.readFileSync(again).toString('base64') } },
			}),
		});
		expect(put.status).toBe(409);
		await expect(publishTarball(await packProbe('2.0.0'), { ...registry, token: 'not-the-token' }, dir)).rejects.toThrow(/401|E401|publishing needs/);
		expect(registry.versions(NAME)).toEqual(['1.0.0', '1.1.0']);
	});

	it('refuses to tunnel to any host but the npm registry, and records it', async () => {
		const answer = await rawExchange('CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n');
		expect(answer).toMatch(/^HTTP\/1\.1 403/);
		expect(registry.refused).toContain('example.com:443');
		// The same for a request in absolute form, the way some HTTP clients use a proxy.
		const plain = await rawExchange(
			'POST https://api.example.com/api/package HTTP/1.1\r\nhost: api.example.com\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
		);
		expect(plain).toMatch(/^HTTP\/1\.1 403/);
		expect(registry.refused).toContain('api.example.com');
	});
});
