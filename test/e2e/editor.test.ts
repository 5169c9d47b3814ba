/**
 * The 1MSG Template node in n8n's own editor, in a real (headless) Chromium: the CRM example from
 * examples/ opened on the canvas, its scenario form and the template list loaded from the fake 1MSG
 * server through n8n. The browser is the Chromium npm installed (@sparticuz/chromium), or a system one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { OWNER, ensureN8nInstalled, paths, selectRuntime, startN8n } from '../harness/n8n';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../fake-1msg/server';
import { TEMPLATE_TYPE, credentialJson, sendWorkflow, templateNode } from './workflows';
import { CAROUSEL_CARD_LABELS } from '../fixtures/templates';
import { EXAMPLE_FILES, loadExample, nodeOfType } from './editor/exampleWorkflows';
import { type EditorBrowser, launchEditorBrowser, signIn, visibleParameterLabels } from './editor/browser';

jest.setTimeout(300_000);

type Fake = Awaited<ReturnType<typeof startFake1msg>>;
type N8n = Awaited<ReturnType<typeof startN8n>>;

const runtime = selectRuntime();
// The README shows the default n8n's editor; a run on another version keeps its picture in test-results/.
const SCREENSHOT =
	runtime.name === '2.x'
		? path.join(paths.REPO_ROOT, 'docs', 'images', 'template-node-editor.png')
		: path.join(paths.REPO_ROOT, 'test-results', `template-node-editor-n8n-${runtime.version}.png`);
const ORDER_FIELDS = ['Customer Name', 'Order Number', 'Pending Action', 'Reminder Note'];
const INACTIVITY_FIELDS = ['Customer Name', 'Incomplete Action'];

const crm = loadExample(EXAMPLE_FILES.crm);
const examples = [crm, loadExample(EXAMPLE_FILES.fallback), loadExample(EXAMPLE_FILES.schedule)];
const templateNodeName = nodeOfType(crm, TEMPLATE_TYPE).name;

/** Custom Template with the 3-card carousel picked and nothing mapped yet, as a user leaves it after picking. */
const carousel = sendWorkflow({
	id: 'wfEditorCarousel',
	name: 'Carousel in the editor',
	path: 'editor-carousel',
	webhookId: '50617283-94a5-4b6c-97e8-f9a0b1c2d3e4',
	templateNode: templateNode('custom', 'back_in_stock_carousel|en', {
		templateVariables: { mappingMode: 'defineBelow', value: null, matchingColumns: [], schema: [] },
	}),
});

let fake: Fake;
let n8n: N8n;
let browser: EditorBrowser;

beforeAll(async () => {
	ensureN8nInstalled();
	fake = await startFake1msg();
	n8n = await startN8n({
		credentials: credentialJson({ baseUrl: fake.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
		workflows: [...examples, carousel],
	});
	await n8n.setupOwner();
	browser = await launchEditorBrowser();
});

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await fake?.close();
});

const page = () => browser.page;
const ndv = () => page().getByTestId('ndv');
const templateListRequests = () =>
	fake.requests.filter((r: { method: string; path: string }) => r.method === 'GET' && r.path === `/${DEFAULT_CHANNEL_ID}/templates`).length;

async function chooseScenario(title: string): Promise<void> {
	await ndv().getByTestId('parameter-input-scenario').click();
	await page().getByRole('option', { name: title }).click();
	await waitForValue(ndv().getByTestId('parameter-input-scenario').locator('input'), title);
}

async function waitForValue(input: Locator, wanted: string): Promise<void> {
	const deadline = Date.now() + 15_000;
	while ((await input.inputValue()) !== wanted) {
		if (Date.now() > deadline) throw new Error(`input still shows "${await input.inputValue()}", not "${wanted}", after 15 s`);
		await page().waitForTimeout(100);
	}
}

async function waitForLabels(wanted: string[], absent: string[]): Promise<string[]> {
	const deadline = Date.now() + 15_000;
	let labels: string[] = [];
	while (Date.now() < deadline) {
		labels = await visibleParameterLabels(page());
		if (wanted.every((l) => labels.includes(l)) && absent.every((l) => !labels.includes(l))) return labels;
		await page().waitForTimeout(100);
	}
	return labels;
}

describe("the 1MSG Template node in n8n's editor (Chromium)", () => {
	it('signs in, opens the CRM example and shows its 1MSG Template node with the scenario form filled in', async () => {
		await signIn(page(), n8n.baseUrl, OWNER);
		await page().goto(`${n8n.baseUrl}/workflow/${crm.id}`);
		const node = page().locator(`[data-test-id="canvas-node"][data-node-name="${templateNodeName}"]`);
		await node.waitFor({ state: 'visible' });
		expect(await node.getAttribute('data-node-type')).toBe(TEMPLATE_TYPE);
		// The canvas names the scenario under the node, not its internal value.
		await node.getByText('Order No-Response Notification').waitFor({ state: 'visible' });
		await node.dblclick();
		await ndv().waitFor({ state: 'visible' });
		expect((await ndv().getByTestId('node-title-container').innerText()).trim()).toBe(templateNodeName);
		expect(await ndv().getByTestId('parameter-input-scenario').locator('input').inputValue()).toBe('Order No-Response Notification');

		// The form as imported: the four fields of the scenario, filled with expressions from the CRM event.
		expect(await waitForLabels(ORDER_FIELDS, [])).toEqual(expect.arrayContaining(ORDER_FIELDS));
		for (const field of ['customerName', 'orderNumber', 'pendingAction', 'reminderNote']) {
			const input = ndv().getByTestId(`parameter-input-${field}`);
			await input.waitFor({ state: 'visible' });
			await input.getByText(`{{ $json.body.${field} }}`).waitFor({ state: 'visible' });
		}
		expect(await ndv().getByTestId('rlc-input').inputValue()).toBe('order_no_response_notification · en · UTILITY');
		fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
		await page().screenshot({ path: SCREENSHOT });
		expect(fs.readFileSync(SCREENSHOT).subarray(1, 4).toString('latin1')).toBe('PNG');
	});

	it("shows the chosen scenario's labelled fields, and swaps them when the scenario changes", async () => {
		let labels = await waitForLabels(ORDER_FIELDS, ['Incomplete Action']);
		expect(labels).toEqual(expect.arrayContaining(['Recipient', ...ORDER_FIELDS]));

		await chooseScenario('Client Inactivity Notification');
		labels = await waitForLabels(INACTIVITY_FIELDS, ['Order Number']);
		expect(labels).toEqual(expect.arrayContaining(INACTIVITY_FIELDS));
		for (const gone of ['Order Number', 'Pending Action', 'Reminder Note']) expect(labels).not.toContain(gone);
		// Customer Name is the same field in both scenarios: its mapping survives the switch.
		await ndv().getByTestId('parameter-input-customerName').getByText('{{ $json.body.customerName }}').waitFor({ state: 'visible' });

		await chooseScenario('Order No-Response Notification');
		labels = await waitForLabels(ORDER_FIELDS, ['Incomplete Action']);
		expect(labels).not.toContain('Incomplete Action');
		const fieldLabels = labels.slice(labels.indexOf('Customer Name'), labels.indexOf('Customer Name') + 4);
		expect(fieldLabels).toEqual(ORDER_FIELDS);
		for (const field of ['customerName', 'orderNumber', 'pendingAction', 'reminderNote']) {
			await expectVisible(`parameter-input-${field}`);
		}
	});

	it('lists the templates n8n loaded from the 1MSG channel, the ones fitting the scenario first, and searches them', async () => {
		const before = templateListRequests();
		await ndv().getByTestId('rlc-input').click();
		const items = page().getByTestId('rlc-item');
		await items.first().waitFor({ state: 'visible' });
		await items.nth(5).waitFor({ state: 'visible' });
		const names = (await items.allInnerTexts()).map((t) => t.trim());
		expect(names).toContain('order_no_response_notification · en · UTILITY');
		expect(names).toContain('client_inactivity_notification · en · UTILITY (2 variables, scenario needs 4)');
		expect(names).toContain('language_object_notice · es · UTILITY (2 variables, scenario needs 4)');
		const misfit = (name: string) => / \(\d+ variables, scenario needs 4\)$/.test(name);
		const lastFit = Math.max(...names.map((n, i) => (misfit(n) ? -1 : i)));
		const firstMisfit = names.findIndex(misfit);
		expect(firstMisfit).toBeGreaterThan(lastFit);
		expect(templateListRequests()).toBeGreaterThan(before);

		// The search runs in the node on the list it just read (no new request to 1MSG); n8n keeps the
		// selected template on top.
		const beforeSearch = templateListRequests();
		await page().getByTestId('rlc-search').fill('inactivity');
		await items.filter({ hasText: 'inactivity' }).first().waitFor({ state: 'visible' });
		expect((await items.allInnerTexts()).map((t) => t.trim())).toEqual([
			'order_no_response_notification · en · UTILITY',
			'client_inactivity_notification · en · UTILITY (2 variables, scenario needs 4)',
		]);
		expect(templateListRequests()).toBe(beforeSearch);

		await page().keyboard.press('Escape');
		// n8n 1.x keeps the list open on Escape; a click on the empty input panel beside it closes it.
		if (await page().getByTestId('rlc-search').isVisible()) await page().mouse.click(250, 300);
		await expectHidden('rlc-search');
		expect(await ndv().getByTestId('rlc-input').inputValue()).toBe('order_no_response_notification · en · UTILITY');
	});

	it("shows a carousel template's labelled card fields in Custom Template mode", async () => {
		await page().goto(`${n8n.baseUrl}/workflow/${carousel.id}`);
		const node = page().locator('[data-test-id="canvas-node"][data-node-name="1MSG Template"]');
		await node.waitFor({ state: 'visible' });
		await node.dblclick();
		await ndv().waitFor({ state: 'visible' });
		const labels = await waitForLabels(CAROUSEL_CARD_LABELS, []);
		expect(labels).toEqual(expect.arrayContaining(['Recipient', 'Fill Variables With', 'Body Variable {{1}}', ...CAROUSEL_CARD_LABELS]));
		const cardLabels = labels.filter((label) => label.startsWith('Card '));
		expect(cardLabels).toEqual(CAROUSEL_CARD_LABELS);
	});

	it('reached nothing outside loopback', () => {
		expect(browser.blocked).toEqual([]);
	});
});

async function expectVisible(testId: string): Promise<void> {
	await ndv().getByTestId(testId).waitFor({ state: 'visible', timeout: 10_000 });
}

async function expectHidden(testId: string): Promise<void> {
	await page().getByTestId(testId).waitFor({ state: 'hidden', timeout: 10_000 });
}
