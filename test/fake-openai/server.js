// @ts-check
'use strict';

/**
 * A loopback OpenAI-compatible chat model for the AI Agent tests: `POST /v1/chat/completions`, answered
 * from a script the test sets. The reply to a request is the script's step numbered by how many tool
 * answers the request already carries (`role: "tool"` messages): step 0 answers the first request of a
 * conversation, step 1 the request that carries the first tool answer, and so on. A step is a tool
 * call (`{ tool: { name?, arguments } }`, name defaulting to the request's first tool) or a final text
 * (`{ text }`). Shapes as OpenAI's Chat Completions API documents them; streaming (`stream: true`)
 * answers as server-sent chunks.
 */
const http = require('node:http');

/**
 * @typedef {{ tool: { name?: string, arguments: Record<string, unknown> } } | { text: string }} Step
 * @typedef {{ path: string, headers: http.IncomingHttpHeaders, body: any }} ModelRequest
 */

/** @param {any} body @returns {number} */
const toolAnswersIn = (body) => (Array.isArray(body?.messages) ? body.messages.filter((/** @type {any} */ m) => m?.role === 'tool').length : 0);

/** @param {Step} step @param {any} body @param {number} n */
function completion(step, body, n) {
	const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
	const base = { id: `chatcmpl-${n}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: body?.model ?? 'gpt-4o-mini', usage };
	if ('tool' in step) {
		const name = step.tool.name ?? body?.tools?.[0]?.function?.name;
		return {
			...base,
			choices: [
				{
					index: 0,
					finish_reason: 'tool_calls',
					message: { role: 'assistant', content: null, tool_calls: [{ id: `call_${n}`, type: 'function', function: { name, arguments: JSON.stringify(step.tool.arguments) } }] },
				},
			],
		};
	}
	return { ...base, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: step.text } }] };
}

/** The same answer as chat.completion.chunk events. @param {any} answer */
function chunks(answer) {
	const { choices, usage, ...base } = answer;
	const [choice] = choices;
	const delta = choice.message.tool_calls
		? { role: 'assistant', content: null, tool_calls: choice.message.tool_calls.map((/** @type {any} */ call, /** @type {number} */ index) => ({ index, ...call })) }
		: { role: 'assistant', content: choice.message.content };
	return [
		{ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] },
		{ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: choice.finish_reason }] },
		{ ...base, object: 'chat.completion.chunk', choices: [], usage },
	];
}

/** @param {{ port?: number }} [options] */
async function startFakeOpenAi(options = {}) {
	/** @type {ModelRequest[]} */
	const requests = [];
	/** @type {Step[]} */
	let script = [{ text: 'Done.' }];
	let answered = 0;
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (chunk) => (text += chunk));
		req.on('end', () => {
			const path = (req.url ?? '').split('?')[0];
			/** @type {any} */
			let body;
			try {
				body = text ? JSON.parse(text) : undefined;
			} catch {
				res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Invalid JSON', type: 'invalid_request_error' } }));
				return;
			}
			requests.push({ path, headers: req.headers, body });
			if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
				res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `Unknown path ${path}`, type: 'invalid_request_error' } }));
				return;
			}
			const step = script[Math.min(toolAnswersIn(body), script.length - 1)];
			const answer = completion(step, body, ++answered);
			if (body?.stream === true) {
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				for (const chunk of chunks(answer)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
				res.end('data: [DONE]\n\n');
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
		});
	});
	await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined)));
	const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
	return {
		/** The base URL an n8n OpenAI credential takes (with /v1). */
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		/** The conversation's steps, from the first request on. @param {Step[]} steps */
		answerWith(steps) {
			script = steps;
		},
		/** Requests to the chat endpoint, oldest first. */
		get completions() {
			return requests.filter((request) => request.path.endsWith('/chat/completions'));
		},
		close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
	};
}

module.exports = { startFakeOpenAi };
