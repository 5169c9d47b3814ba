/**
 * The 1MSG Template node as n8n's AI Agent's tool, in a real n8n (2.41.1, and 1.123.81): the example
 * examples/booking-assistant-agent.json, imported as it is, where a chat message starts n8n's own AI
 * Agent with n8n's OpenAI Chat Model, whose credential points at a loopback OpenAI-compatible fake model. The model calls the tool (the booking confirmation preset, every field
 * the model fills given with $fromAI), then answers in text. Checked: the tool's schema as the model
 * received it, the sendTemplate body 1MSG (the fake) got, the answer the model got back; a bad phone
 * from the model (the category and the fix come back, nothing is sent, the run ends normally); and the
 * same call made twice (one message, the second answer skipped).
 */
import { ensureN8nInstalled, startN8n } from '../harness/n8n';
import { DEFAULT_CHANNEL_ID, DEFAULT_TOKEN, startFake1msg } from '../fake-1msg/server';
import { startFakeOpenAi } from '../fake-openai/server';
import { exampleNode, loadExample } from './editor/exampleWorkflows';
import { TEMPLATE_TYPE, credentialJson } from './workflows';

jest.setTimeout(240_000);

type Fake = Awaited<ReturnType<typeof startFake1msg>>;
type Model = Awaited<ReturnType<typeof startFakeOpenAi>>;
type N8n = Awaited<ReturnType<typeof startN8n>>;
type Json = Record<string, unknown>;
/** The parts of a Chat Completions request the checks read. */
interface ChatRequest {
	messages: Array<{ role: string; content: unknown }>;
	tools: Array<{ function: { name: string; description: string; parameters: { required: string[]; properties: Record<string, unknown> } } }>;
}
interface SendRecord {
	id: string;
	phone: string;
	body: Json;
}

/** The example as a user imports it: Chat Trigger → AI Agent, with the OpenAI Chat Model and the 1MSG Template tool. */
const example = loadExample('booking-assistant-agent.json');
const chat = exampleNode(example, 'Booking Chat');
const agent = exampleNode(example, 'AI Agent');
const tool = example.nodes.find((node) => node.type === `${TEMPLATE_TYPE}Tool`)!;
const openAiCredential = exampleNode(example, 'OpenAI Chat Model').credentials!.openAiApi;
/** The tool's name as n8n gives it to the model: the node name, other characters than letters, digits, _ and - as _. */
const TOOL_NAME = tool.name.replace(/[^a-zA-Z0-9_-]+/g, '_');
/** What the model fills, as the example asks for it: $fromAI(key, description, 'string') per field. */
const FROM_AI = Object.values(tool.parameters).flatMap((value) => {
	const call = /\$fromAI\('([^']+)', '([^']+)', 'string'\)/.exec(String(value));
	return call ? [{ key: call[1], description: call[2] }] : [];
});

let fake: Fake;
let model: Model;
let n8n: N8n;

beforeAll(async () => {
	ensureN8nInstalled();
	fake = await startFake1msg({ ackDelayMs: 50 });
	model = await startFakeOpenAi();
	n8n = await startN8n({
		credentials: [
			...credentialJson({ baseUrl: fake.baseUrl, channelId: DEFAULT_CHANNEL_ID, token: DEFAULT_TOKEN }),
			{ ...openAiCredential, type: 'openAiApi', data: { apiKey: 'sk-test-loopback', url: model.baseUrl, header: false } },
		],
		workflows: [example],
		publish: [example.id],
	});
});

afterAll(async () => {
	await n8n?.stop();
	await model?.close();
	await fake?.close();
});

const booking = (phone: string, customerName: string) => ({ recipient: phone, customerName, serviceName: 'massage', date: 'June 12', time: '3:30 PM' });

/** Sends one chat message; answers the agent's reply and the model requests the conversation made. */
async function converse(steps: Parameters<Model['answerWith']>[0], chatInput: string) {
	model.answerWith(steps);
	const before = model.completions.length;
	const response = await n8n.postWebhook(`webhook/${chat.webhookId}/chat`, { action: 'sendMessage', sessionId: `session-${before}`, chatInput });
	const body = response.body as Json | Json[];
	return { status: response.status, answer: (Array.isArray(body) ? body[0] : body) ?? {}, requests: model.completions.slice(before).map((request) => request.body as ChatRequest) };
}

/** The tool answers the model got in a request, parsed (each is the JSON list of the tool's items). */
const toolAnswers = (request: ChatRequest): Json[][] => request.messages.filter((message) => message.role === 'tool').map((message) => JSON.parse(String(message.content)) as Json[]);
const sendsTo = (phone: string) => (fake.sends as SendRecord[]).filter((candidate) => candidate.phone === phone);

describe('real n8n: the 1MSG Template node as an AI Agent tool', () => {
	it('the model gets the tool as described, calls it, the template goes out, and the model reads the message id back', async () => {
		const { status, answer, requests } = await converse(
			[{ tool: { arguments: booking('+7 999 123-77-01', 'Maria') } }, { text: 'I sent Maria the booking confirmation.' }],
			'Confirm the massage booking of Maria (+7 999 123-77-01) on June 12 at 3:30 PM.',
		);
		expect(status).toBe(200);
		expect(answer.output).toBe('I sent Maria the booking confirmation.');
		expect(requests).toHaveLength(2);

				const [offered] = requests[0].tools;
		expect(offered.function.name).toBe(TOOL_NAME);
		expect(offered.function.description).toBe(tool.parameters.toolDescription);
		expect(FROM_AI.map(({ key }) => key).sort()).toEqual(['customerName', 'date', 'recipient', 'serviceName', 'time']);
		expect(offered.function.parameters.required.sort()).toEqual(FROM_AI.map(({ key }) => key).sort());
		for (const { key, description } of FROM_AI) expect(offered.function.parameters.properties[key]).toMatchObject({ type: 'string', description });
		expect(requests[0].messages[0]).toMatchObject({ role: 'system', content: (agent.parameters.options as Json).systemMessage });

		const [send] = sendsTo('79991237701');
		expect(send?.body).toMatchObject({
			phone: '79991237701',
			template: 'pending_booking_confirmation',
			language: { policy: 'deterministic', code: 'en' },
			params: [{ type: 'body', parameters: ['Maria', 'massage', 'June 12', '3:30 PM'].map((text) => ({ type: 'text', text })) }],
		});
		expect(toolAnswers(requests[1])).toEqual([[{ status: 'accepted', messageId: send?.id, recipient: '79991237701', template: 'pending_booking_confirmation' }]]);
	});

	it("a bad phone from the model comes back with the category and the fix; nothing is sent and the run ends normally", async () => {
		const sendsBefore = fake.sends.length;
		const { status, answer, requests } = await converse(
			[{ tool: { arguments: booking('12', 'Oleg') } }, { text: 'The phone number looks wrong; please give me the full number.' }],
			'Confirm the booking of Oleg, phone 12.',
		);
		expect(status).toBe(200);
		expect(answer.output).toBe('The phone number looks wrong; please give me the full number.');
		expect(fake.sends.length).toBe(sendsBefore);
		const [[refusal]] = toolAnswers(requests[1]);
		expect(refusal).toMatchObject({ status: 'failed', category: 'invalid_input', field: 'Recipient', fix: expect.stringContaining('country code') });
	});

	it('the same call twice in one conversation sends one message; the second answer says it was skipped, with the first id', async () => {
		const args = booking('+7 999 123-77-03', 'Anna');
		const { status, requests } = await converse([{ tool: { arguments: args } }, { tool: { arguments: args } }, { text: 'Anna has her confirmation.' }], 'Confirm the booking of Anna.');
		expect(status).toBe(200);
		expect(requests).toHaveLength(3);
		const sends = sendsTo('79991237703');
		expect(sends).toHaveLength(1);
		const [[first], [second]] = toolAnswers(requests[2]);
		expect(first).toMatchObject({ status: 'accepted', messageId: sends[0].id });
		expect(second).toMatchObject({ status: 'skipped', messageId: sends[0].id });
	});
});
