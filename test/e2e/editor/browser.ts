/**
 * A headless Chromium driving n8n's editor on loopback. The browser comes from npm: the dev
 * dependency @sparticuz/chromium carries a Chromium build inside its tarball and unpacks it into the
 * temp dir on first use, so nothing is downloaded at run time and no system package is needed. A
 * system Chromium is preferred when one is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';
import { paths } from '../../harness/n8n';

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/**
 * The packaged Chromium's path, unpacked on first call. @sparticuz/chromium is an ES module, which
 * jest's CommonJS runtime cannot load, so a short child process asks it: on the Node 24 the n8n
 * install brings (the package declares Node 22.17+), else on this Node.
 */
function packagedChromium(): string {
	const script = "import chromium from '@sparticuz/chromium'; process.stdout.write(await chromium.executablePath());";
	const node = fs.existsSync(paths.NODE24_BIN) ? paths.NODE24_BIN : process.execPath;
	const result = spawnSync(node, ['--input-type=module', '-e', script], { cwd: paths.REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
	const executable = result.stdout.trim();
	if (result.status !== 0 || !executable || !fs.existsSync(executable)) {
		throw new Error(
			`The editor check could not unpack the Chromium of the dev dependency @sparticuz/chromium (exit ${result.status}): ${result.stderr || result.error?.message || 'no path printed'}. Run \`npm ci\` so it is installed.`,
		);
	}
	return executable;
}

let resolved: string | undefined;

/**
 * The Chromium the editor check launches: a system one when installed, else the one npm installed.
 * Fails with what to do when neither works: the editor check never passes silently.
 */
export function chromiumExecutable(): string {
	if (resolved) return resolved;
	const system = SYSTEM_CHROMIUMS.find((file) => fs.existsSync(file));
	resolved = system ?? packagedChromium();
	// A binary that cannot start (a missing shared library) says so here, not as a launch timeout.
	const version = execFileSync(resolved, ['--version'], { encoding: 'utf8', stdio: 'pipe', timeout: 30_000 }).trim();
	// One line for the record: which browser the editor check drove.
	process.stdout.write(`[editor check] ${version} (${system ? 'system' : 'from npm: @sparticuz/chromium'}) at ${resolved}\n`);
	return resolved;
}

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

export interface EditorBrowser {
	context: BrowserContext;
	page: Page;
	/** URLs outside loopback the editor tried to reach (aborted). */
	blocked: string[];
	close(): Promise<void>;
}

/** Chromium with a fresh profile, 1440x900; anything but loopback (and data:/blob:) is aborted. */
export async function launchEditorBrowser(): Promise<EditorBrowser> {
	const executablePath = chromiumExecutable();
	// n8n's editor marks its elements with data-test-id.
	selectors.setTestIdAttribute('data-test-id');
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-editor-chromium-'));
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: { width: 1440, height: 900 },
			timeout: 60_000,
		});
	} catch (error) {
		fs.rmSync(userDataDir, { recursive: true, force: true });
		throw error;
	}
	const blocked: string[] = [];
	await context.route(
		(url) => (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:' || url.protocol === 'wss:') && !isLoopback(url),
		(route) => {
			blocked.push(route.request().url());
			return route.abort();
		},
	);
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(30_000);
	page.setDefaultNavigationTimeout(60_000);
	return {
		context,
		page,
		blocked,
		async close() {
			await context.close().catch(() => undefined);
			fs.rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/** Signs in on n8n's /signin page and waits until the editor left it. */
export async function signIn(page: Page, baseUrl: string, owner: { email: string; password: string }): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	// 2.x gives the inputs ids, 1.x only names.
	await page.locator('#emailOrLdapLoginId, input[name="emailOrLdapLoginId"]').first().fill(owner.email);
	await page.locator('#password, input[name="password"]').first().fill(owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
}

/**
 * The labels of the parameters the open node shows, in order (e.g. "Customer Name"). A label's
 * first line is its text; the Fixed/Expression switch a hovered field shows follows it.
 */
export async function visibleParameterLabels(page: Page): Promise<string[]> {
	const labels = page.getByTestId('ndv').getByTestId('node-parameters').locator('label.n8n-input-label');
	return (await labels.allInnerTexts()).map((text) => text.split('\n')[0].trim()).filter(Boolean);
}
