/**
 * package.json carries what n8n's community-node verification and npm provenance look at: the name and keyword
 * n8n finds community packages by, the MIT licence, an author, the GitHub repository the publish workflow runs in
 * (provenance ties the tarball to it), `files`, engines, no runtime dependencies and n8n-workflow as the only peer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

describe('package.json for n8n verification and npm provenance', () => {
	it('is named and tagged the way n8n finds community packages', () => {
		expect(manifest.name).toMatch(/^(@[a-z0-9-~][a-z0-9-._~]*\/)?n8n-nodes-[a-z0-9-._~]+$/);
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.description.length).toBeGreaterThan(20);
	});

	it('names an MIT licence, an author with an e-mail and the GitHub repository it is published from', () => {
		expect(manifest.license).toBe('MIT');
		expect(fs.existsSync(path.join(REPO_ROOT, 'LICENSE.md'))).toBe(true);
		expect(manifest.author).toEqual({ name: expect.any(String), email: expect.stringMatching(/^[^@\s]+@[^@\s]+\.[a-z]+$/) });
		expect(manifest.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/) });
		const repo = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
		expect(manifest.homepage).toBe(`${repo}#readme`);
		expect(manifest.bugs).toEqual({ url: `${repo}/issues` });
	});

	it('ships dist/ only, states its Node range, and depends on nothing at run time but the n8n-workflow n8n provides', () => {
		expect(manifest.files).toEqual(['dist']);
		expect(manifest.engines).toEqual({ node: expect.stringMatching(/^>=\d+/) });
		expect(manifest.dependencies).toBeUndefined();
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.overrides).toBeUndefined();
	});

	it("lists the built nodes and credential in its n8n section, in n8n-node's strict mode", () => {
		expect(manifest.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
		expect(manifest.n8n.credentials).toEqual([expect.stringMatching(/^dist\/credentials\/\w+\.credentials\.js$/)]);
		expect(manifest.n8n.nodes.length).toBeGreaterThanOrEqual(2);
		for (const node of manifest.n8n.nodes) expect(node).toMatch(/^dist\/nodes\/[\w/]+\.node\.js$/);
	});

	it('has no install-time scripts that would run on a user machine', () => {
		for (const hook of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish']) {
			expect(manifest.scripts[hook]).toBeUndefined();
		}
	});
});
