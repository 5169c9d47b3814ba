/**
 * A headless Chromium (the system's, never a downloaded one) driving n8n's editor on loopback.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

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

/** Fails with what to do when the browser is not installed: the editor check never passes silently. */
export function assertChromiumInstalled(): void {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(
			`The editor check needs Chromium at ${CHROMIUM}, which is missing. Install it with \`apt-get install chromium\` (.ci/run does this on CI); playwright-core never downloads a browser.`,
		);
	}
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
	assertChromiumInstalled();
	// n8n's editor marks its elements with data-test-id.
	selectors.setTestIdAttribute('data-test-id');
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-editor-chromium-'));
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
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
	await page.locator('#emailOrLdapLoginId').fill(owner.email);
	await page.locator('#password').fill(owner.password);
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
