/**
 * `n8n-node lint`, the check n8n asks verified authors to run, passes on the package sources, in
 * strict mode (its own eslint.config.mjs), and fails when a source breaks one of its rules.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PACKAGE_SOURCES, n8nNodeLint } from '../../scripts/n8n-node-lint';

jest.setTimeout(180_000);

const REPO_ROOT = path.resolve(__dirname, '..', '..');
let workDir = '';

function copyOfPackage(name: string): string {
	const target = path.join(workDir, name);
	for (const entry of PACKAGE_SOURCES) fs.cpSync(path.join(REPO_ROOT, entry), path.join(target, entry), { recursive: true });
	return target;
}

beforeAll(() => {
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-node-lint-test-'));
});

afterAll(() => {
	if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe('n8n-node lint (@n8n/node-cli)', () => {
	it('passes on the package in strict mode with no errors and no warnings', () => {
		const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
		expect(manifest.n8n.strict).toBe(true);
		const { status, output } = n8nNodeLint(REPO_ROOT);
		expect(output).not.toMatch(/Strict mode violation|\d+ problems?|error|warning/i);
		expect(status).toBe(0);
	});

	it('fails on a node that logs to the console, naming the rule', () => {
		const dir = copyOfPackage('with-console');
		const node = path.join(dir, 'nodes', 'OneMsg', 'OneMsgTemplate.node.ts');
		fs.appendFileSync(node, "\nconsole.log('sent');\n");
		const { status, output } = n8nNodeLint(dir);
		expect(status).not.toBe(0);
		expect(output).toMatch(/OneMsgTemplate\.node\.ts[\s\S]*no-console/);
	});

	it('fails on a package.json with a runtime dependency, naming the rule', () => {
		const dir = copyOfPackage('with-dependency');
		const file = path.join(dir, 'package.json');
		const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
		fs.writeFileSync(file, JSON.stringify({ ...manifest, dependencies: { axios: '^1.0.0' } }, null, 2));
		const { status, output } = n8nNodeLint(dir);
		expect(status).not.toBe(0);
		expect(output).toMatch(/package\.json[\s\S]*@n8n\/community-nodes\/no-runtime-dependencies/);
	});
});
