// @ts-check
'use strict';

/**
 * The 1MSG Template node's own CPU time per item: the built node runs in this process with a
 * request helper that answers at once (templates from the fake server's fixtures, `sent:true` for
 * sends), so what is measured is the node's checks, params building and output, not HTTP or n8n.
 */
const { OneMsgTemplate } = require('../dist/nodes/OneMsg/OneMsgTemplate.node');
const { TEMPLATES } = require('../test/fake-1msg/templates');

async function runOnce(/** @type {number} */ count) {
	const items = Array.from({ length: count }, (_v, i) => ({ json: { i } }));
	let sent = 0;
	const context = {
		getInputData: () => items,
		getNode: () => ({ id: 'bench', name: '1MSG Template', type: 'oneMsgTemplate', typeVersion: 1, position: [0, 0], parameters: {} }),
		continueOnFail: () => true,
		getCredentials: async () => ({ channelId: 'VID182868781', token: 'dummy-token', baseUrl: 'http://127.0.0.1:9' }),
		getNodeParameter: (/** @type {string} */ name, /** @type {number} */ i, /** @type {unknown} */ fallback) => {
			switch (name) {
				case 'operation':
					return 'sendTemplate';
				case 'scenario':
					return 'clientInactivityNotification';
				case 'template':
					return 'client_inactivity_notification|en';
				case 'phone':
					return `+7 999 ${String(i).padStart(7, '0')}`;
				case 'customerName':
					return `Client ${i}`;
				case 'incompleteAction':
					return 'account setup';
				case 'options':
					return { concurrency: 10, maxRetries: 0 };
				default:
					return fallback;
			}
		},
		helpers: {
			httpRequestWithAuthentication: async (/** @type {string} */ _type, /** @type {{ url: string }} */ options) => {
				if (options.url.endsWith('/templates')) return { statusCode: 200, headers: {}, body: { total: TEMPLATES.length, templates: TEMPLATES } };
				sent++;
				return { statusCode: 200, headers: {}, body: { sent: true, id: `wamid.bench${sent}`, message: 'ok' } };
			},
		},
	};
	const [out] = await new OneMsgTemplate().execute.call(/** @type {any} */ (context));
	if (out.length !== count || sent !== count) throw new Error(`expected ${count} sends, got ${sent}`);
}

/** Median CPU milliseconds per item over 5 runs, after a warm-up run. */
async function nodeCpuPerItemMs(count = 10_000) {
	await runOnce(Math.min(count, 2000));
	const samples = [];
	for (let r = 0; r < 5; r++) {
		const before = process.cpuUsage();
		await runOnce(count);
		const used = process.cpuUsage(before);
		samples.push((used.user + used.system) / 1000 / count);
	}
	samples.sort((a, b) => a - b);
	return samples[2];
}

module.exports = { nodeCpuPerItemMs };

if (require.main === module) {
	nodeCpuPerItemMs(Number(process.argv[2] ?? 10_000)).then((ms) => console.log(`node CPU per item: ${ms.toFixed(4)} ms`));
}
