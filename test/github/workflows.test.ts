/**
 * The release path: .github/workflows/ci.yml and publish.yml pass a GitHub Actions workflow validator
 * (@action-validator/cli, the workflow schema) and do what the release relies on: CI runs .ci/run; a
 * version tag builds and tests the tagged clone the same way, then publishes that tested tarball with
 * provenance through npm trusted publishing (OIDC), with no stored npm token.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS = path.join(REPO_ROOT, '.github', 'workflows');
const VALIDATOR = path.join(REPO_ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs');
const CI_RUN = path.join(REPO_ROOT, '.ci', 'run');

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, unknown>;
}
interface Job {
	'runs-on': string;
	container?: string | { image: string };
	needs?: string | string[];
	permissions?: Record<string, string>;
	steps: Step[];
}
interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

const read = (file: string) => fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');
const load = (file: string) => parse(read(file)) as Workflow;
const runs = (job: Job) => job.steps.map((step) => step.run ?? '').filter(Boolean);
const uses = (job: Job) => job.steps.map((step) => step.uses ?? '').filter(Boolean);
const image = (job: Job) => (typeof job.container === 'string' ? job.container : job.container?.image);

function validate(file: string) {
	const result = spawnSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8', timeout: 60_000 });
	return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The commands .ci/run runs (its non-comment lines). */
const ciRunCommands = () =>
	fs
		.readFileSync(CI_RUN, 'utf8')
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line && !line.startsWith('#'));

describe('GitHub Actions workflows', () => {
	it.each(['ci.yml', 'publish.yml'])('%s passes the workflow schema validator', (file) => {
		const { status, output } = validate(path.join(WORKFLOWS, file));
		expect(output.trim()).toBe('');
		expect(status).toBe(0);
	});

	it('the validator rejects a workflow whose job misspells `steps`', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-validator-'));
		try {
			const broken = path.join(dir, 'ci.yml');
			fs.writeFileSync(broken, read('ci.yml').replace(/^(\s+)steps:/m, '$1stepz:'));
			const { status, output } = validate(broken);
			expect(status).not.toBe(0);
			expect(output).toMatch(/Additional property 'stepz' is not allowed/);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('use no secrets: nothing reads secrets.* or sets an npm token', () => {
		for (const file of ['ci.yml', 'publish.yml']) {
			const text = read(file);
			expect(text).not.toMatch(/secrets\./);
			expect(text).not.toMatch(/NODE_AUTH_TOKEN|NPM_TOKEN|_authToken/);
		}
	});
});

describe('ci.yml', () => {
	const ci = load('ci.yml');
	const jobs = Object.values(ci.jobs);

	it('runs on pushes to main and on pull requests, with read-only repository access', () => {
		expect(ci.on).toMatchObject({ push: { branches: ['main'] }, pull_request: null });
		expect(ci.permissions).toEqual({ contents: 'read' });
	});

	it('checks out the clone and runs .ci/run on the tooling Node (20) in a Debian image', () => {
		expect(jobs).toHaveLength(1);
		const [job] = jobs;
		expect(image(job)).toMatch(/^node:20-(bookworm|bullseye|trixie)$/);
		expect(uses(job)[0]).toMatch(/^actions\/checkout@v\d+$/);
		expect(runs(job)).toEqual(['.ci/run']);
	});

	it('.ci/run installs from the lockfile, runs npm test, then the queue-mode suite', () => {
		expect(fs.statSync(CI_RUN).mode & 0o111).not.toBe(0);
		const commands = ciRunCommands();
		expect(commands).toContain('npm ci --no-audit --no-fund');
		// npm test, then the queue-mode suite, which needs the services its own script unpacks.
		expect(commands.slice(-2)).toEqual(['npm test', 'npm run test:queue']);
		const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
		expect(manifest.scripts.test).toMatch(/npm run lint && npm run build .*jest/);
	});
});

describe('publish.yml', () => {
	const publish = load('publish.yml');
	const { test, publish: release } = publish.jobs;

	it('runs only on version tags', () => {
		expect(publish.on).toEqual({ push: { tags: ['v*'] } });
		expect(publish.permissions).toEqual({ contents: 'read' });
	});

	it('tests the tagged clone the way CI does, then packs that build once', () => {
		expect(image(test)).toBe(image(Object.values(load('ci.yml').jobs)[0]));
		expect(uses(test)[0]).toMatch(/^actions\/checkout@v\d+$/);
		const commands = runs(test);
		expect(commands.indexOf('.ci/run')).toBeGreaterThan(-1);
		expect(commands.indexOf('npm pack --ignore-scripts')).toBeGreaterThan(commands.indexOf('.ci/run'));
		const upload = test.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
		expect(upload?.with).toMatchObject({ name: 'package', path: '*.tgz', 'if-no-files-found': 'error' });
	});

	/** Exit status of the test job's steps that read the tag, run in this clone for `tag`. */
	const tagChecks = (tag: string) =>
		runs(test)
			.filter((command) => command.includes('GITHUB_REF_NAME'))
			.map((command) => spawnSync('sh', ['-c', command], { cwd: REPO_ROOT, env: { ...process.env, GITHUB_REF_NAME: tag } }).status);

	it("accepts the tag of package.json's version, which CHANGELOG.md has a section for", () => {
		const version = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
		expect(fs.readFileSync(path.join(REPO_ROOT, 'CHANGELOG.md'), 'utf8').split('\n')).toContain(`## ${version}`);
		expect(tagChecks(`v${version}`)).toEqual([0, 0]);
	});

	it('refuses a tag that is not package.json\'s version or has no CHANGELOG.md section', () => {
		const version = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
		expect(tagChecks('v99.0.0')).toEqual([1, 1]);
		expect(tagChecks(version)[0]).not.toBe(0);
	});

	it('publishes the tested tarball with provenance through OIDC trusted publishing', () => {
		expect(release.needs).toBe('test');
		expect(release.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		expect(release.steps.find((step) => step.uses?.startsWith('actions/download-artifact@'))?.with).toEqual({ name: 'package' });
		const node = release.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
		// Trusted publishing needs Node 22.14+ and npm 11.5.1+.
		expect(node?.uses).toBe('actions/setup-node@v6');
		expect(node?.with).toEqual({ 'node-version': '24', 'registry-url': 'https://registry.npmjs.org', 'package-manager-cache': false });
		expect(runs(release)).toContain('npm install -g npm@^11.5.1');
		const publishCommand = runs(release).find((command) => command.startsWith('npm publish'));
		expect(publishCommand?.split(/\s+/)).toEqual(['npm', 'publish', './*.tgz', '--provenance', '--access', 'public']);
		for (const step of release.steps) expect(step.env).toBeUndefined();
	});
});
