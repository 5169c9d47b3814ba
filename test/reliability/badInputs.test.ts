/**
 * Runs every case of test/fixtures/badInputs.json through the 1MSG Template node's own execute()
 * against the fake 1MSG server over real HTTP, many cases per execution, with Continue On Fail on.
 * A refused case must come back as a typed error item naming its field, with nothing sent for it; an
 * accepted case must reach 1MSG exactly once, with the cleaned values.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { OneMsgTemplate } from '../../nodes/OneMsg/OneMsgTemplate.node';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../fake-1msg/server';
import { cloneTemplates } from '../fake-1msg/templates';
import type { Params } from '../helpers/context';
import { perItemContext } from './itemContext';
import { ReliabilityCounters } from './summary';

type Fake = Awaited<ReturnType<typeof startFake1msg>>;

interface CaseInput {
	scenario?: string;
	template?: string;
	phone?: unknown;
	values?: Record<string, unknown>;
	missing?: string[];
	slots?: Record<string, unknown>;
	options?: IDataObject;
	extraParams?: Params;
}

interface SentExpectation {
	phone?: string;
	template?: string;
	language?: string;
	namespace?: string;
	body?: string[];
	params?: unknown[] | null;
	variables?: Record<string, string>;
	renderedText?: string;
}

interface ErrorExpectation {
	category: 'invalid_input' | 'template_not_found' | 'param_mismatch';
	field: string;
	messageMatches: string;
}

interface BadInputCase {
	id: string;
	class: string;
	note?: string;
	input: CaseInput;
	sent?: true;
	expect?: SentExpectation;
	error?: ErrorExpectation;
}

interface Corpus {
	defaults: { scenario: string; template: string; values: Record<string, unknown> };
	channelTemplates: { add: unknown[] };
	cases: BadInputCase[];
}

interface SendRecord {
	id: string;
	phone: string;
	body: IDataObject & { params?: Array<{ type: string; parameters?: Array<{ text?: string }> }> };
}

const corpus = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'badInputs.json'), 'utf8')) as Corpus;
const CLASSES = [...new Set(corpus.cases.map((c) => c.class))];
const ERROR_CATEGORIES = ['invalid_input', 'template_not_found', 'param_mismatch'];

const node = new OneMsgTemplate();
const counters = new ReliabilityCounters('badInputs');
let fake: Fake;

beforeAll(async () => {
	fake = await startFake1msg({ ackDelayMs: 50 });
	fake.setTemplates([...cloneTemplates(), ...corpus.channelTemplates.add] as ReturnType<typeof cloneTemplates>);
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const credentials = () => ({ channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: fake.baseUrl });

/** A valid number of its own for every case that does not test the phone, so each send names its case. */
function assignedPhone(c: BadInputCase): string | undefined {
	if ('phone' in c.input || c.input.missing?.includes('phone')) return undefined;
	return `7990${String(corpus.cases.indexOf(c)).padStart(7, '0')}`;
}

/** The number 1MSG receives for a case, when it has a valid one. */
function recipientOf(c: BadInputCase): string | undefined {
	return c.expect?.phone ?? assignedPhone(c);
}

function paramsOf(c: BadInputCase): Params {
	const { input } = c;
	const scenario = input.scenario ?? corpus.defaults.scenario;
	const params: Params = {
		operation: 'sendTemplate',
		scenario,
		template: { __rl: true, mode: 'list', value: input.template ?? corpus.defaults.template },
		options: { ...(input.options ?? {}), reference: c.id },
	};
	if ('phone' in input) params.phone = input.phone;
	else if (!input.missing?.includes('phone')) params.phone = assignedPhone(c);
	if (scenario === 'custom') {
		params.templateVariables = { mappingMode: 'defineBelow', value: input.slots ?? {} };
	} else {
		const values = { ...(scenario === corpus.defaults.scenario ? corpus.defaults.values : {}), ...(input.values ?? {}) };
		for (const key of input.missing ?? []) delete values[key];
		for (const [key, value] of Object.entries(values)) params[key] = value;
	}
	return { ...params, ...(input.extraParams ?? {}) };
}

const show = (value: unknown) => JSON.stringify(value);

function bodyTexts(body: SendRecord['body']): string[] | undefined {
	return body.params?.find((p) => p.type === 'body')?.parameters?.map((p) => String(p.text));
}

function sentProblems(c: BadInputCase, json: IDataObject, sends: SendRecord[]): string[] {
	const expect = c.expect ?? {};
	const problems: string[] = [];
	if (json.status !== 'accepted') return [`was not sent: ${show(json.category)} "${String(json.error)}"`];
	if (sends.length !== 1) return [`${sends.length} sends reached 1MSG instead of 1`];
	const [send] = sends;
	const body = send.body;
	if (typeof json.messageId !== 'string' || json.messageId !== send.id) problems.push(`messageId ${show(json.messageId)} is not 1MSG's ${send.id}`);
	const compare = (what: string, actual: unknown, expected: unknown) => {
		if (expected !== undefined && !isDeepStrictEqual(actual, expected)) problems.push(`${what}: sent ${show(actual)}, expected ${show(expected)}`);
	};
	compare('phone', body.phone, recipientOf(c));
	compare('template', body.template, expect.template);
	compare('language', (body.language as IDataObject | undefined)?.code, expect.language);
	compare('namespace', body.namespace, expect.namespace);
	compare('body texts', bodyTexts(body), expect.body);
	// The case id is the send's Reference, so each quick-reply button carries it as its payload; the
	// expected params are the ones the values make, without those.
	const sentParams = 'params' in body ? (body.params as IDataObject[]) : null;
	const isQuickReply = (param: IDataObject) => param.sub_type === 'quick_reply';
	for (const param of sentParams?.filter(isQuickReply) ?? []) {
		compare('quick-reply payload', (param.parameters as IDataObject[] | undefined)?.[0]?.payload, c.id);
	}
	if (expect.params !== undefined) compare('params', sentParams && sentParams.filter((param) => !isQuickReply(param)), expect.params);
	compare('output variables', json.variables, expect.variables);
	compare('rendered text', json.renderedText, expect.renderedText);
	return problems;
}

function errorProblems(c: BadInputCase, json: IDataObject, sends: SendRecord[]): string[] {
	const expected = c.error!;
	const problems: string[] = [];
	if (json.status !== 'failed') problems.push(`status ${show(json.status)}, expected "failed" (${show(json.category)} "${String(json.error ?? '')}")`);
	if (json.category !== expected.category) problems.push(`category ${show(json.category)}, expected "${expected.category}"`);
	if (json.field !== expected.field) problems.push(`field ${show(json.field)}, expected "${expected.field}"`);
	if (!new RegExp(expected.messageMatches, 'u').test(String(json.error))) problems.push(`message "${String(json.error)}" does not match /${expected.messageMatches}/`);
	if (sends.length > 0) problems.push(`refused, yet ${sends.length} send(s) reached 1MSG`);
	return problems;
}

interface RunReport {
	problems: string[];
	passed: number;
	lost: number;
	duplicates: number;
}

/** One execution of the node with one item per case; every case checked, every problem listed. */
async function runCases(cases: BadInputCase[]): Promise<RunReport> {
	fake.reset();
	const items: INodeExecutionData[] = cases.map((c) => ({ json: { case: c.id } }));
	const [out] = await node.execute.call(
		perItemContext({ params: (i) => paramsOf(cases[i]), items, credentials: credentials(), continueOnFail: true }),
	);
	const sends = fake.sends as SendRecord[];
	const report: RunReport = { problems: [], passed: 0, lost: 0, duplicates: 0 };
	if (out.length !== items.length) report.problems.push(`${items.length} items in, ${out.length} out`);

	cases.forEach((c, index) => {
		const item = out[index];
		const recipient = recipientOf(c);
		const own = recipient ? sends.filter((s) => s.phone === recipient) : [];
		report.duplicates += Math.max(0, own.length - 1);
		if (!item) {
			report.lost++;
			report.problems.push(`${c.id}: no output item`);
			return;
		}
		const problems: string[] = [];
		if (!isDeepStrictEqual(item.pairedItem, { item: index })) problems.push(`pairedItem ${show(item.pairedItem)}, expected {"item":${index}}`);
		if (item.json.status === 'accepted' && typeof item.json.messageId !== 'string') report.lost++;
		problems.push(...(c.sent ? sentProblems(c, item.json, own) : errorProblems(c, item.json, own)));
		if (problems.length === 0) report.passed++;
		else report.problems.push(...problems.map((p) => `${c.id}: ${p}`));
	});

	// Nothing may reach 1MSG beyond one request per accepted case, and 1MSG must refuse none of them.
	const accepted = cases.filter((c) => c.sent).length;
	const sendRequests = fake.requests.filter((r: { method: string; path: string }) => r.method === 'POST' && r.path.endsWith('/sendTemplate'));
	if (sendRequests.length !== accepted) report.problems.push(`${sendRequests.length} send requests reached 1MSG for ${accepted} accepted cases`);
	for (const rejected of fake.rejected as Array<{ body: IDataObject; response: unknown }>) {
		report.problems.push(`1MSG refused a send the node let through: ${show(rejected.body.phone)} ${show(rejected.response)}`);
	}
	return report;
}

describe('the bad-input corpus', () => {
	it('holds at least 200 cases with unique ids and one stated outcome each', () => {
		expect(corpus.cases.length).toBeGreaterThanOrEqual(200);
		expect(new Set(corpus.cases.map((c) => c.id)).size).toBe(corpus.cases.length);
		for (const c of corpus.cases) {
			expect({ id: c.id, outcomes: [c.sent === true && !!c.expect, !!c.error].filter(Boolean).length }).toEqual({ id: c.id, outcomes: 1 });
			if (c.error) {
				expect(ERROR_CATEGORIES).toContain(c.error.category);
				expect(() => new RegExp(c.error!.messageMatches, 'u')).not.toThrow();
				expect(c.error.field).toEqual(expect.any(String));
			}
		}
	});

	it('gives every accepted case a recipient of its own, so each send can be traced to its case', () => {
		const recipients = corpus.cases.filter((c) => c.sent).map(recipientOf);
		expect(recipients.every((phone) => typeof phone === 'string' && /^\d{8,15}$/.test(phone))).toBe(true);
		expect(new Set(recipients).size).toBe(recipients.length);
	});

	it('covers phones, variables, presets, templates, mismatches and Custom Template mode', () => {
		expect(CLASSES.sort()).toEqual(['custom', 'mismatch', 'phone', 'presets', 'templates', 'variables']);
		for (const name of CLASSES) {
			const inClass = corpus.cases.filter((c) => c.class === name);
			expect({ name, hasRefused: inClass.some((c) => c.error) }).toEqual({ name, hasRefused: true });
		}
	});
});

describe('every bad-input case through the 1MSG Template node', () => {
	it.each(CLASSES)('%s: each case is sent once with cleaned values or refused by name with nothing sent', async (name) => {
		const cases = corpus.cases.filter((c) => c.class === name);
		const report = await runCases(cases);
		counters.add(name, { tried: cases.length, passed: report.passed, lost: report.lost, duplicates: report.duplicates });
		expect(report.problems).toEqual([]);
		expect(report.passed).toBe(cases.length);
	});

	it('keeps every item in place when all classes are mixed in one execution in shuffled order', async () => {
		const cases = corpus.cases;
		// A fixed interleaving: stride through the corpus so neighbours come from different classes.
		const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
		let stride = 37;
		while (gcd(stride, cases.length) !== 1) stride++;
		const mixed = cases.map((_c, i) => cases[(i * stride) % cases.length]);
		expect(new Set(mixed).size).toBe(cases.length);
		const report = await runCases(mixed);
		counters.add('all classes in one execution', { tried: mixed.length, passed: report.passed, lost: report.lost, duplicates: report.duplicates });
		expect(report.problems).toEqual([]);
		expect(report.lost).toBe(0);
		expect(report.duplicates).toBe(0);
	});

	it('carries the Reference option into every output item, refused or sent', async () => {
		const cases = corpus.cases;
		const items = cases.map((c) => ({ json: { case: c.id } }));
		const [out] = await node.execute.call(
			perItemContext({ params: (i) => paramsOf(cases[i]), items, credentials: credentials(), continueOnFail: true }),
		);
		const withoutReference = cases.filter((c, i) => out[i]?.json.reference !== c.id).map((c) => c.id);
		expect(withoutReference).toEqual([]);
	});
});
