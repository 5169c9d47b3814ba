/**
 * The npm tarball, as `npm pack` builds it from dist/, checked the way n8n's community-package
 * scanner checks a published version: what it contains, and its **\/*.js files plus package.json
 * linted with the scanner's rules (test/package/scanLint.mjs). Needs a build (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

jest.setTimeout(180_000);

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SCAN_LINT = path.join(__dirname, 'scanLint.mjs');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
};

interface LintReport {
	files: string[];
	linted: string[];
	errorCount: number;
	warningCount: number;
	messages: Array<{ file: string; line: number; ruleId: string | null; severity: number; message: string }>;
}

let workDir = '';
let unpacked = '';
let tarballFiles: string[] = [];

function run(command: string, args: string[], cwd: string): string {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
	if (result.status !== 0) {
		throw new Error(`\`${command} ${args.join(' ')}\` failed (exit ${result.status}, signal ${result.signal}): ${result.stderr || result.error?.message || ''}`);
	}
	return result.stdout;
}

function scanLint(dir: string): LintReport {
	return JSON.parse(run(process.execPath, [SCAN_LINT, dir], REPO_ROOT)) as LintReport;
}

function copyOf(dir: string, name: string): string {
	const target = path.join(workDir, name);
	fs.cpSync(dir, target, { recursive: true });
	return target;
}

beforeAll(() => {
	for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		if (!fs.existsSync(path.join(REPO_ROOT, entry))) {
			throw new Error(`${entry} does not exist: build the package first (npm run build; npm test builds before it runs the tests).`);
		}
	}
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'packed-lint-'));
	const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], REPO_ROOT)) as Array<{
		filename: string;
		files: Array<{ path: string }>;
	}>;
	tarballFiles = packed[0].files.map((f) => f.path).sort();
	unpacked = path.join(workDir, 'package');
	fs.mkdirSync(unpacked);
	run('tar', ['-xzf', path.join(workDir, packed[0].filename), '-C', unpacked, '--strip-components=1'], workDir);
});

afterAll(() => {
	if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe('the packed npm tarball', () => {
	it("ships the built nodes, credential and icons that package.json's n8n section names, and nothing from the repo besides", () => {
		for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			expect(tarballFiles).toContain(entry);
			expect(fs.existsSync(path.join(unpacked, entry))).toBe(true);
		}
		expect(tarballFiles).toEqual(expect.arrayContaining(['package.json', 'dist/nodes/OneMsg/oneMsg.svg', 'dist/nodes/OneMsg/oneMsg.dark.svg']));
		const outsideDist = tarballFiles.filter((file) => !file.startsWith('dist/'));
		expect(outsideDist.filter((file) => !/^(package\.json|README\.md|LICEN[CS]E(\.md)?)$/i.test(file))).toEqual([]);
		for (const repoOnly of ['test/', 'n8n-runtime/', 'examples/', 'scripts/', 'docs/', 'nodes/', 'credentials/', '.n8n-data/', 'node_modules/']) {
			expect(tarballFiles.filter((file) => file.startsWith(repoOnly))).toEqual([]);
		}
		// Icons referenced by the built nodes are next to them.
		for (const node of manifest.n8n.nodes) {
			const source = fs.readFileSync(path.join(unpacked, node), 'utf8');
			const icons = [...source.matchAll(/file:([\w.-]+\.svg)/g)].map(([, icon]) => path.posix.join(path.posix.dirname(node), icon));
			expect(icons.length).toBeGreaterThan(0);
			expect(tarballFiles).toEqual(expect.arrayContaining(icons));
		}
	});

	it("passes the scanner's lint of every .js file and package.json with no errors and no warnings", () => {
		const report = scanLint(unpacked);
		expect(report.linted).toEqual(report.files);
		expect(report.linted).toEqual(expect.arrayContaining(['package.json', ...manifest.n8n.nodes, ...manifest.n8n.credentials]));
		expect(report.linted).toEqual([...tarballFiles.filter((f) => f.endsWith('.js')), 'package.json'].sort());
		expect(report.messages).toEqual([]);
		expect(report.errorCount).toBe(0);
		expect(report.warningCount).toBe(0);
	});

	it('the scanner lint catches a console call in the tarball', () => {
		const dir = copyOf(unpacked, 'with-console');
		const target = manifest.n8n.nodes[0];
		fs.appendFileSync(path.join(dir, target), "\nconsole.log('sent');\n");
		const report = scanLint(dir);
		expect(report.errorCount).toBeGreaterThan(0);
		expect(report.messages).toEqual([expect.objectContaining({ file: target, ruleId: 'no-console', severity: 2 })]);
	});

	it("the scanner lint reads the tarball's package.json with the community rules", () => {
		const dir = copyOf(unpacked, 'with-dependency');
		const pkgFile = path.join(dir, 'package.json');
		const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
		fs.writeFileSync(pkgFile, JSON.stringify({ ...pkg, dependencies: { axios: '^1.0.0' } }, null, 2));
		const report = scanLint(dir);
		expect(report.messages).toEqual([
			expect.objectContaining({ file: 'package.json', ruleId: '@n8n/community-nodes/no-runtime-dependencies', severity: 2 }),
		]);
	});
});
