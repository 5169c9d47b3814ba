/**
 * The 1MSG Trigger's webhook() against hostile and broken requests: forged secrets, other channels'
 * bodies, bodies that are not 1MSG's shape, very large and very deep bodies, storms of repeated
 * statuses, and a property-based fuzz of the status parser over more than 100,000 generated bodies.
 */
import fc from 'fast-check';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { OneMsgTrigger } from '../../nodes/OneMsg/OneMsgTrigger.node';
import { DELIVERY_STATUSES, normaliseStatus, parseChannelEvents } from '../../nodes/OneMsg/shared/statusEvents';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN } from '../fake-1msg/server';
import { ackBody, hooksBody, metaStatusBody } from '../fixtures/webhookBodies';
import { webhookContext } from '../helpers/context';
import { ReliabilityCounters } from './summary';

const trigger = new OneMsgTrigger();
const counters = new ReliabilityCounters('triggerHostility');
const SECRET = '5e1f0c7a9b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d';
const OUR_URL = 'http://127.0.0.1:5688/webhook/9d5a0c1e-6d3c-4a0a-9d7e-1a2b3c4d5e6f/webhook';
const ALL_STATUSES = ['sent', 'delivered', 'read', 'failed'];

let workflowSerial = 0;

interface Delivery {
	query?: IDataObject;
	headers?: IDataObject;
	params?: IDataObject;
	staticData?: IDataObject;
	/** Requests of one test share a workflow id, so the trigger's repeat filter carries over between them. */
	workflowId: string;
}

async function deliver(body: unknown, delivery: Delivery) {
	const { context, response, n8nAnswers } = webhookContext({
		credentials: { channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN, baseUrl: 'http://127.0.0.1:9' },
		webhookUrl: OUR_URL,
		staticData: delivery.staticData ?? { secret: SECRET },
		params: { statuses: ALL_STATUSES, outputPerStatus: false, options: {}, ...(delivery.params ?? {}) },
		workflowId: delivery.workflowId,
		body,
		query: delivery.query ?? { secret: SECRET },
		headers: delivery.headers,
	});
	const result = await trigger.webhook.call(context as unknown as IWebhookFunctions);
	// What 1MSG gets: the node's own answer, or n8n's once it holds the execution.
	n8nAnswers(result);
	const items = (result.workflowData ?? []).flat().map((item) => item.json);
	return { result, response, items };
}

const newWorkflow = () => `wf-hostility-${++workflowSerial}`;

/** A tiny seeded generator, so the storms below are the same on every run. */
function seeded(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('forged requests', () => {
	const genuine = ackBody('delivered', { id: 'wamid.forgery-target' });
	const forgeries: Array<[string, Partial<Delivery>, unknown]> = [
		['no secret at all', { query: {} }, genuine],
		['a wrong secret of the same length', { query: { secret: SECRET.replace(/^./, '0') } }, genuine],
		['the secret in upper case', { query: { secret: SECRET.toUpperCase() } }, genuine],
		['the secret without its last character', { query: { secret: SECRET.slice(0, -1) } }, genuine],
		['the secret with one character more', { query: { secret: `${SECRET}0` } }, genuine],
		['the secret with spaces around it', { query: { secret: ` ${SECRET} ` } }, genuine],
		['the secret given twice in the query (a list)', { query: { secret: [SECRET, SECRET] } }, genuine],
		['the secret as a one-element list', { query: { secret: [SECRET] } }, genuine],
		['the secret under another query name', { query: { Secret: SECRET, token: SECRET, key: SECRET } }, genuine],
		['the secret as a query key', { query: { [SECRET]: '' } }, genuine],
		['the secret in a "secret" header', { query: {}, headers: { secret: SECRET } }, genuine],
		['the secret in an x-webhook-secret header', { query: {}, headers: { 'x-webhook-secret': SECRET } }, genuine],
		['the secret as a Bearer token', { query: {}, headers: { authorization: `Bearer ${SECRET}` } }, genuine],
		['the secret in a body field', { query: {} }, { ...genuine, secret: SECRET }],
		['the secret in the body as the query would carry it', { query: {} }, { ...genuine, query: { secret: SECRET } }],
		['the URL with the secret as its last path segment', { query: {} }, { ...genuine, url: `${OUR_URL}/${SECRET}` }],
		['an empty secret on a trigger never activated', { query: { secret: '' }, staticData: {} }, genuine],
		['"undefined" on a trigger never activated', { query: { secret: 'undefined' }, staticData: {} }, genuine],
		['"null" on a trigger whose secret is null', { query: { secret: 'null' }, staticData: { secret: null } }, genuine],
	];

	it.each(forgeries)('%s: answered 401 and starts nothing', async (_name, delivery, body) => {
		const workflowId = newWorkflow();
		const forged = await deliver(body, { ...delivery, workflowId });
		const refused = forged.response.statusCode === 401 && forged.result.workflowData === undefined && forged.result.noWebhookResponse === true;
		counters.add('forged requests', { tried: 1, passed: refused ? 1 : 0 });
		expect(forged.response).toEqual({ statusCode: 401, body: { received: false, error: 'Unauthorized: missing or wrong secret' } });
		expect(forged.result).toEqual({ noWebhookResponse: true });
		// A refused request leaves no trace: the same status with the secret still starts the workflow.
		const real = await deliver(genuine, { workflowId });
		expect(real.items.map((i) => [i.messageId, i.status])).toEqual([['wamid.forgery-target', 'delivered']]);
	});
});

describe("other channels' bodies", () => {
	const others = ['VID999999999', 'instance999999999', '999999999', 'VID182868782', 'VID18286878'];

	it.each(others)('instanceId %s: accepted with 200, no item, and the status is not remembered', async (instanceId) => {
		const workflowId = newWorkflow();
		const body = { ...ackBody('read', { id: `wamid.other-${instanceId}` }), instanceId };
		const other = await deliver(body, { workflowId });
		counters.add('other channels', { tried: 1, passed: other.items.length === 0 ? 1 : 0 });
		expect(other.response).toEqual({ statusCode: 200, body: { received: true, accepted: 0, ignored: 'other channel' } });
		expect(other.result.workflowData).toBeUndefined();
		const ours = await deliver({ ...body, instanceId: DEFAULT_CHANNEL_ID }, { workflowId });
		expect(ours.items).toHaveLength(1);
	});

	it.each(['instance182868781', '182868781', ` ${DEFAULT_CHANNEL_ID} `, DEFAULT_CHANNEL_ID.toLowerCase()])(
		'instanceId %s names our channel and is accepted',
		async (instanceId) => {
			const ours = await deliver({ ...ackBody('sent', { id: 'wamid.same-channel' }), instanceId }, { workflowId: newWorkflow() });
			expect(ours.items.map((i) => i.status)).toEqual(['sent']);
		},
	);

	it('takes the Meta and hooks shapes from another channel for no item either', async () => {
		const workflowId = newWorkflow();
		const meta = await deliver({ ...metaStatusBody('read'), instanceId: 'VID999999999' }, { workflowId });
		const hooks = await deliver({ ...hooksBody('read'), instanceId: 'VID999999999' }, { workflowId });
		counters.add('other channels', { tried: 2, passed: [meta, hooks].filter((r) => r.items.length === 0).length });
		expect([meta.items, hooks.items]).toEqual([[], []]);
	});

	it("ignores another channel's instanceId sent as a number", async () => {
		const body = { ...ackBody('read', { id: 'wamid.numeric-instance' }), instanceId: 999999999 };
		const other = await deliver(body, { workflowId: newWorkflow() });
		counters.add('other channels', { tried: 1, passed: other.items.length === 0 ? 1 : 0 });
		expect(other.items).toEqual([]);
	});
});

describe('bodies that are not a 1MSG status body', () => {
	const odd: Array<[string, unknown]> = [
		['a plain string', 'delivered'],
		['an empty string', ''],
		['broken JSON text', '{"instanceId":"VID182868781","ack":[{"id":"wamid.x","status":"read"'],
		['an XML text', '<ack><id>wamid.x</id><status>read</status></ack>'],
		['a number', 42],
		['true', true],
		['null', null],
		['nothing', undefined],
		['an empty list', []],
		['a list of status bodies', [ackBody('read'), metaStatusBody('read')]],
		['an empty object', {}],
		['ack as a string', { instanceId: DEFAULT_CHANNEL_ID, ack: 'read' }],
		['ack as one object instead of a list', { instanceId: DEFAULT_CHANNEL_ID, ack: ackBody('read').ack[0] }],
		['ack entries of every wrong type', { instanceId: DEFAULT_CHANNEL_ID, ack: [null, 1, 'read', [], true, {}] }],
		['statuses nobody knows', { instanceId: DEFAULT_CHANNEL_ID, ack: ['pending', 'deleted', 'queued', '', 'READ!'].map((status, i) => ({ id: `wamid.u${i}`, status })) }],
		['statuses without a message id', { instanceId: DEFAULT_CHANNEL_ID, ack: [{ status: 'read' }, { id: '', status: 'read' }, { id: '   ', status: 'sent' }, { id: null, status: 'failed' }] }],
		['entry as a string', { entry: 'statuses' }],
		['changes as a string', { entry: [{ changes: 'statuses' }] }],
		['value as a list', { entry: [{ changes: [{ value: [{ statuses: [] }] }] }] }],
		['statuses as an object', { entry: [{ changes: [{ value: { statuses: { id: 'wamid.x', status: 'read' } } }] }] }],
		['hooks as an object', { hooks: { id: 'wamid.x', status: 'read' } }],
		['only incoming messages, not asked for', { instanceId: DEFAULT_CHANNEL_ID, messages: [{ id: 'wamid.in', body: 'hi', chatId: '79991234567@c.us' }] }],
	];

	it.each(odd)('%s: answered 200 with nothing accepted, and nothing starts', async (_name, body) => {
		const received = await deliver(body, { workflowId: newWorkflow() });
		counters.add('odd bodies', { tried: 1, passed: received.items.length === 0 ? 1 : 0 });
		// An incoming message nobody asked for is "ignored"; a body with no event at all says nothing more.
		expect(received.response).toMatchObject({ statusCode: 200, body: { received: true, accepted: 0 } });
		expect(received.result).toEqual({ noWebhookResponse: true });
	});
});

describe('very large and very deep bodies', () => {
	const TEN_MB = 10 * 1024 * 1024;
	const nested = (depth: number, leaf: string) => JSON.parse(`${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`) as unknown;

	it('reads the one real status out of a 10 MB body', async () => {
		const text = JSON.stringify({ ...ackBody('read', { id: 'wamid.big-body' }), padding: 'x'.repeat(TEN_MB) });
		expect(text.length).toBeGreaterThan(TEN_MB);
		const received = await deliver(JSON.parse(text), { workflowId: newWorkflow() });
		counters.add('large and deep bodies', { tried: 1, passed: received.items.length === 1 ? 1 : 0 });
		expect(received.items.map((i) => [i.messageId, i.status])).toEqual([['wamid.big-body', 'read']]);
	});

	it('reads one real status among 10 MB of ack entries that are not statuses', async () => {
		const junk = Array.from({ length: 100_000 }, (_v, i) => ({ id: `wamid.junk-${i}`, status: 'queued', note: 'y'.repeat(64) }));
		const body = { instanceId: DEFAULT_CHANNEL_ID, ack: [...junk.slice(0, 50_000), { id: 'wamid.needle', status: 'failed', error: 'Message undeliverable' }, ...junk.slice(50_000)] };
		expect(JSON.stringify(body).length).toBeGreaterThan(TEN_MB);
		const received = await deliver(body, { workflowId: newWorkflow() });
		counters.add('large and deep bodies', { tried: 1, passed: received.items.length === 1 ? 1 : 0 });
		expect(received.items).toEqual([expect.objectContaining({ messageId: 'wamid.needle', status: 'failed', error: { message: 'Message undeliverable' } })]);
	});

	it('answers a 10 MB string body with nothing accepted', async () => {
		const received = await deliver('z'.repeat(TEN_MB), { workflowId: newWorkflow() });
		counters.add('large and deep bodies', { tried: 1, passed: received.items.length === 0 ? 1 : 0 });
		expect(received.response).toEqual({ statusCode: 200, body: { received: true, accepted: 0 } });
	});

	it('takes 10,000 levels of nesting at the top, in ack, and inside a status without breaking', async () => {
		const workflowId = newWorkflow();
		const deepTop = await deliver(nested(10_000, '1'), { workflowId });
		const deepAck = await deliver({ instanceId: DEFAULT_CHANNEL_ID, ack: nested(10_000, '[]') }, { workflowId });
		const deepList = await deliver(JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`), { workflowId });
		const inside = await deliver(
			{ instanceId: DEFAULT_CHANNEL_ID, ack: [{ id: 'wamid.deep', status: 'failed', error: nested(10_000, '"x"'), extra: nested(10_000, 'null') }] },
			{ workflowId },
		);
		const passed = [deepTop.items.length === 0, deepAck.items.length === 0, deepList.items.length === 0, inside.items.length === 1].filter(Boolean).length;
		counters.add('large and deep bodies', { tried: 4, passed });
		expect([deepTop.items, deepAck.items, deepList.items]).toEqual([[], [], []]);
		expect(inside.items).toEqual([expect.objectContaining({ messageId: 'wamid.deep', status: 'failed', error: { message: 'Delivery failed' } })]);
	});

	it('emits items n8n can store, however deep the fields of a status nest', async () => {
		// n8n serialises every item into the execution data; an item it cannot serialise leaves an
		// execution that cannot be read back.
		const received = await deliver(
			{ instanceId: DEFAULT_CHANNEL_ID, ack: [{ id: 'wamid.deep-stored', status: 'read', extra: nested(10_000, '1'), error: nested(10_000, '"x"') }] },
			{ workflowId: newWorkflow() },
		);
		const serialised = (() => {
			try {
				return JSON.stringify(received.items).length > 0;
			} catch {
				return false;
			}
		})();
		counters.add('large and deep bodies', { tried: 1, passed: serialised && received.items.length === 1 ? 1 : 0 });
		expect(received.items.map((i) => i.messageId)).toEqual(['wamid.deep-stored']);
		expect(serialised).toBe(true);
	});

	it('survives bodies whose fields throw when read', async () => {
		const throwingField = (base: Record<string, unknown>, name: string) =>
			Object.defineProperty({ ...base }, name, {
				enumerable: true,
				get() {
					throw new Error(`reading ${name}`);
				},
			});
		const refuse = () => {
			throw new Error('trap');
		};
		const trap = new Proxy({}, { get: refuse, has: refuse, ownKeys: refuse, getPrototypeOf: refuse });
		const cases: Array<[unknown, string[]]> = [
			[throwingField({ instanceId: DEFAULT_CHANNEL_ID }, 'ack'), []],
			[{ instanceId: DEFAULT_CHANNEL_ID, ack: [ackBody('sent', { id: 'wamid.before-trap' }).ack[0], throwingField({ id: 'wamid.trap' }, 'status')] }, ['wamid.before-trap']],
			[{ instanceId: DEFAULT_CHANNEL_ID, entry: [trap] }, []],
			[{ instanceId: DEFAULT_CHANNEL_ID, ack: [ackBody('read', { id: 'wamid.before-proxy' }).ack[0], trap] }, ['wamid.before-proxy']],
		];
		const parsed = cases.map(([body]) => parseChannelEvents(body).map((e) => e.messageId));
		counters.add('large and deep bodies', { tried: cases.length, passed: parsed.filter((ids, i) => JSON.stringify(ids) === JSON.stringify(cases[i][1])).length });
		expect(parsed).toEqual(cases.map(([, ids]) => ids));
	});
});

describe('storms of repeated statuses', () => {
	interface StatusEvent {
		id: string;
		status: string;
	}

	/** 10,000 statuses: each message moves forward (sent, then delivered or failed, then read), 30 % are repeats of an earlier one. */
	function storm(seed: number, total = 10_000, repeatShare = 0.3) {
		const random = seeded(seed);
		const unique: StatusEvent[] = [];
		const target = Math.round(total * (1 - repeatShare));
		for (let m = 0; unique.length < target; m++) {
			const path = random() < 0.15 ? ['sent', 'failed'] : ['sent', 'delivered', 'read'];
			for (const status of path.slice(0, Math.min(path.length, target - unique.length))) unique.push({ id: `wamid.storm-${seed}-${m}`, status });
		}
		// Spread the messages out, keeping each message's own order: sort on a per-message start + step.
		const start = new Map<string, number>();
		const timed = unique.map((event, i) => {
			if (!start.has(event.id)) start.set(event.id, random() * total);
			return { event, at: start.get(event.id)! + i * 1e-6 + (unique[i - 1]?.id === event.id ? random() * 50 : 0) };
		});
		// Keep times increasing within a message.
		const last = new Map<string, number>();
		for (const t of timed) {
			const previous = last.get(t.event.id);
			if (previous !== undefined && t.at <= previous) t.at = previous + random() * 50 + 1e-6;
			last.set(t.event.id, t.at);
		}
		const repeats = Array.from({ length: total - unique.length }, () => {
			const original = timed[Math.floor(random() * timed.length)];
			return { event: { ...original.event }, at: original.at + 1e-3 + random() * total };
		});
		const ordered = [...timed, ...repeats].sort((a, b) => a.at - b.at).map((t) => t.event);
		return { ordered, unique };
	}

	const key = (e: { messageId?: unknown; id?: unknown; status?: unknown }) => `${String(e.messageId ?? e.id)}|${String(e.status)}`;

	function tally(items: IDataObject[], unique: StatusEvent[]) {
		const seen = new Map<string, number>();
		for (const item of items) seen.set(key(item), (seen.get(key(item)) ?? 0) + 1);
		const lost = unique.filter((e) => !seen.has(key(e))).length;
		const duplicates = [...seen.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
		const expected = new Set(unique.map(key));
		const strangers = [...seen.keys()].filter((k) => !expected.has(k)).length;
		return { lost, duplicates, strangers };
	}

	it('gives exactly one item per message and status for 10,000 statuses in one body, 30 % of them repeats', async () => {
		const { ordered, unique } = storm(1);
		expect(ordered).toHaveLength(10_000);
		expect(new Set(unique.map(key)).size).toBe(7_000);
		const body = { instanceId: DEFAULT_CHANNEL_ID, ack: ordered.map((e) => ({ id: e.id, status: e.status, chatId: '79991234567@c.us', phone: '79991234567' })) };
		const received = await deliver(body, { workflowId: newWorkflow() });
		const { lost, duplicates, strangers } = tally(received.items, unique);
		counters.add('status storms', { tried: ordered.length, passed: ordered.length - lost - duplicates - strangers, lost, duplicates });
		expect({ items: received.items.length, lost, duplicates, strangers }).toEqual({ items: 7_000, lost: 0, duplicates: 0, strangers: 0 });
		expect(received.response.body).toEqual({ received: true, accepted: 7_000, ignored: 3_000, reason: expect.stringContaining('already received') });
	});

	it('gives the same items when the storm arrives over 40 requests in all three body shapes', async () => {
		const { ordered, unique } = storm(2);
		const workflowId = newWorkflow();
		const shapes = [
			(events: StatusEvent[]) => ({ instanceId: DEFAULT_CHANNEL_ID, ack: events.map((e) => ({ id: e.id, status: e.status })) }),
			(events: StatusEvent[]) => ({ ...metaStatusBody('sent'), entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { statuses: events.map((e) => ({ id: e.id, status: e.status, timestamp: '1750263773', recipient_id: '79991234567' })) } }] }] }),
			(events: StatusEvent[]) => ({ hooks: events.map((e) => ({ id: e.id, type: 'message', status: e.status, timestamp: '1750263773', recipient_id: '79991234567' })) }),
		];
		const items: IDataObject[] = [];
		for (let i = 0; i < 40; i++) {
			const slice = ordered.slice(i * 250, (i + 1) * 250);
			items.push(...(await deliver(shapes[i % 3](slice), { workflowId })).items);
		}
		const { lost, duplicates, strangers } = tally(items, unique);
		counters.add('status storms', { tried: ordered.length, passed: ordered.length - lost - duplicates - strangers, lost, duplicates });
		expect({ items: items.length, lost, duplicates, strangers }).toEqual({ items: 7_000, lost: 0, duplicates: 0, strangers: 0 });
	});
});

describe('status parser fuzz', () => {
	const RUNS = { anyJson: 35_000, anyValue: 10_000, ack: 30_000, meta: 15_000, hooks: 10_000 };
	const VALID_EVENTS = new Set(['status', 'message']);
	let checked = 0;

	const candidates = (body: unknown): number => {
		if (typeof body !== 'object' || body === null || Array.isArray(body)) return 0;
		const b = body as Record<string, unknown>;
		const len = (v: unknown) => (Array.isArray(v) ? v.length : 0);
		let n = len(b.ack) + len(b.hooks) + len(b.messages);
		for (const entry of Array.isArray(b.entry) ? b.entry : []) {
			for (const change of Array.isArray(entry?.changes) ? entry.changes : []) {
				n += len(change?.value?.statuses) + len(change?.value?.messages);
			}
		}
		return n;
	};

	/** What every parsed event must be, whatever the body. */
	function checkEvents(body: unknown): boolean {
		checked++;
		const events = parseChannelEvents(body, '2026-11-21T06:37:01.014Z');
		if (!Array.isArray(events) || events.length > candidates(body)) return false;
		for (const e of events) {
			if (!VALID_EVENTS.has(e.event)) return false;
			if (typeof e.messageId !== 'string' || e.messageId === '' || e.messageId !== e.messageId.trim()) return false;
			if (typeof e.timestamp !== 'string' || new Date(e.timestamp).toISOString() !== e.timestamp) return false;
			for (const field of [e.phone, e.chatId, e.instanceId]) if (field !== null && typeof field !== 'string') return false;
			if (e.event === 'status') {
				if (!DELIVERY_STATUSES.includes(e.status)) return false;
				if (typeof e.rawStatus !== 'string' || normaliseStatus(e.rawStatus) !== e.status) return false;
				if (e.status === 'failed' && e.error === null) return false;
				if (e.error !== null) {
					if (typeof e.error.message !== 'string' || e.error.message.trim() === '') return false;
					if (e.error.code !== undefined && !Number.isFinite(e.error.code)) return false;
				}
			}
		}
		return true;
	}

	const text = fc.oneof(
		{ weight: 4, arbitrary: fc.string() },
		{ weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
		{ weight: 1, arbitrary: fc.constantFrom('', ' ', '\n', '\u0000', '__proto__', 'constructor', 'toString') },
	);
	// Cheap stand-ins for "any JSON" inside a field: scalars, and small lists and objects of them.
	const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), text);
	const junk = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) }, { weight: 1, arbitrary: fc.dictionary(text, scalar, { maxKeys: 3 }) });
	const statusValue = fc.oneof(
		{ weight: 4, arbitrary: fc.constantFrom('sent', 'delivered', 'read', 'failed', 'viewed', 'played', 'undelivered') },
		{ weight: 2, arbitrary: fc.constantFrom(' READ ', 'Sent', 'DELIVERED\n', 'pending', 'deleted', 'queued', '') },
		{ weight: 1, arbitrary: junk },
		{ weight: 1, arbitrary: text },
	);
	const idValue = fc.oneof(
		{ weight: 4, arbitrary: fc.stringMatching(/^wamid\.[A-Za-z0-9+/=]{8,40}$/) },
		{ weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(null, '', '   ', 0, -0, Number.MAX_SAFE_INTEGER)) },
		{ weight: 1, arbitrary: junk },
	);
	const timeValue = fc.oneof(
		fc.integer({ min: 0, max: 4_102_444_800 }).map(String),
		fc.integer(),
		fc.double(),
		fc.constantFrom('1750263773', '1750263773000', '2026-11-21T06:37:01Z', 'yesterday', '1e5', '9'.repeat(30), '', '-1', '0'),
		fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())),
		junk,
	);
	const metaError = fc.record(
		{
			code: fc.oneof(fc.constantFrom(131026, 130472, 131049), fc.integer(), fc.string(), fc.double(), fc.constant(null)),
			title: text,
			message: text,
			error_data: fc.oneof(fc.record({ details: text }), junk),
		},
		{ requiredKeys: [] },
	);
	const errorValue = fc.oneof(text, fc.constantFrom('(#131026) Message undeliverable', 'Message undeliverable 131049'), metaError, fc.array(metaError, { maxLength: 3 }), junk);
	const extras = fc.dictionary(text, junk, { maxKeys: 3 });
	const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 4 });

	const ackEntry = fc
		.record({ id: sometimes(idValue), status: sometimes(statusValue), chatId: sometimes(fc.oneof(text, fc.constant('79991234567@c.us'))), phone: sometimes(fc.oneof(text, fc.integer())), error: sometimes(errorValue), errors: sometimes(fc.array(metaError, { maxLength: 2 })), timestamp: sometimes(timeValue), time: sometimes(timeValue), extra: extras })
		.map(({ extra, ...fields }) => ({ ...extra, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) }));
	const metaStatus = fc
		.record({ id: sometimes(idValue), status: sometimes(statusValue), recipient_id: sometimes(fc.oneof(text, fc.integer())), timestamp: sometimes(timeValue), errors: sometimes(fc.oneof(fc.array(metaError, { maxLength: 3 }), junk)) })
		.map((fields) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
	const incoming = fc.record({ id: sometimes(idValue), body: sometimes(text), chatId: sometimes(text), fromMe: sometimes(fc.oneof(fc.boolean(), fc.integer({ min: 0, max: 1 }))), self: sometimes(fc.integer({ min: 0, max: 1 })), time: sometimes(timeValue), type: sometimes(text) });
	const listOrNot = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: fc.array(fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: junk }), { maxLength: 6 }) }, { weight: 1, arbitrary: junk });
	const instanceId = sometimes(fc.oneof(fc.constant(DEFAULT_CHANNEL_ID), text, fc.integer()));

	const ackBodies = fc.record({ instanceId, ack: listOrNot(ackEntry), messages: sometimes(listOrNot(incoming)) });
	const metaBodies = fc.record({
		instanceId,
		entry: listOrNot(
			fc.record({ id: sometimes(text), changes: listOrNot(fc.record({ field: sometimes(text), value: fc.oneof(fc.record({ statuses: sometimes(listOrNot(metaStatus)), messages: sometimes(listOrNot(fc.record({ id: sometimes(idValue), from: sometimes(text), text: sometimes(fc.record({ body: text })), timestamp: sometimes(timeValue), type: sometimes(text) }))) }), junk) })) }),
		),
	});
	const hookBodies = fc.record({ instanceId, hooks: listOrNot(metaStatus) });

	const property = (name: string, arb: fc.Arbitrary<unknown>, numRuns: number) => {
		it(`${name}: never throws and gives only well-formed events (${numRuns.toLocaleString('en')} bodies)`, () => {
			const before = checked;
			let error: unknown;
			try {
				fc.assert(fc.property(arb, checkEvents), { numRuns, seed: 1_750_263_773 + numRuns });
			} catch (e) {
				error = e;
			}
			counters.add('parser fuzz', { tried: checked - before, passed: error ? checked - before - 1 : checked - before });
			if (error) throw error;
		});
	};

	property('any JSON value', fc.jsonValue({ maxDepth: 4 }), RUNS.anyJson);
	property(
		'any value, boxed, null-prototype and sparse ones included',
		fc.anything({ maxDepth: 3, withBoxedValues: true, withNullPrototype: true, withSparseArray: true, withObjectString: true, withMap: true, withSet: true, withTypedArray: true, withBigInt: true, withDate: true }),
		RUNS.anyValue,
	);
	property('mutated 1MSG ack bodies', ackBodies, RUNS.ack);
	property("mutated Meta 'entry' bodies", metaBodies, RUNS.meta);
	property('mutated hooks bodies', hookBodies, RUNS.hooks);

	it('has checked at least 100,000 generated bodies', () => {
		expect(checked).toBeGreaterThanOrEqual(100_000);
		expect(Object.values(RUNS).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(100_000);
	});

	it('sees real statuses in the generated ack bodies, so the fuzz reaches the parsing paths', () => {
		const samples = fc.sample(ackBodies, { numRuns: 2_000, seed: 42 });
		const statuses = samples.flatMap((body) => parseChannelEvents(body)).filter((e) => e.event === 'status');
		expect(statuses.length).toBeGreaterThan(500);
		expect(new Set(statuses.map((e) => e.status))).toEqual(new Set(DELIVERY_STATUSES));
		expect(statuses.some((e) => e.error !== null && e.error.code !== undefined)).toBe(true);
		expect(statuses.some((e) => e.timestampFromPayload)).toBe(true);
	});
});
