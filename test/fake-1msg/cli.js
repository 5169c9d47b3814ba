#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Start the fake 1MSG server from the command line:
 *   node test/fake-1msg/cli.js [--port 18261] [--host 127.0.0.1] [--channel VID…] [--token …]
 *                              [--latency ms] [--ack-delay ms] [--approval-delay ms] [--ack-format ack|meta|hooks] [--ack-on] [--seed n]
 * Prints one JSON line {"baseUrl","channelId","token"} on stdout, then serves until SIGINT/SIGTERM.
 * Admin endpoints (no auth): GET /__fake/state, POST /__fake/reset, POST /__fake/faults, POST /__fake/latency.
 */

const { startFake1msg } = require('./server');

/**
 * @param {string[]} argv
 * @returns {import('./server').FakeOptions}
 */
function parseArgs(argv) {
	/** @type {import('./server').FakeOptions} */
	const options = { port: 18261 };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
		const value = () => {
			const v = inline !== undefined ? inline : argv[++i];
			if (v === undefined) throw new Error(`Missing value for ${flag}`);
			return v;
		};
		/** @param {string} v */
		const num = (v) => {
			const n = Number(v);
			if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} expects a non-negative number, got "${v}"`);
			return n;
		};
		switch (flag) {
			case '--port':
				options.port = num(value());
				break;
			case '--host':
				options.host = value();
				break;
			case '--channel':
				options.channelId = value();
				break;
			case '--token':
				options.token = value();
				break;
			case '--latency':
				options.latencyMs = num(value());
				break;
			case '--ack-delay':
				options.ackDelayMs = num(value());
				break;
			case '--approval-delay':
				options.approvalDelayMs = num(value());
				break;
			case '--ack-format': {
				const f = value();
				if (f !== 'ack' && f !== 'meta' && f !== 'hooks') throw new Error('--ack-format must be ack, meta or hooks');
				options.ackFormat = f;
				break;
			}
			case '--ack-on':
				options.settings = { ...(options.settings || {}), ackNotificationsOn: true };
				break;
			case '--seed':
				options.seed = value();
				break;
			case '--help':
			case '-h':
				process.stderr.write(
					'usage: node test/fake-1msg/cli.js [--port 18261] [--host 127.0.0.1] [--channel ID] [--token T]\n' +
						'       [--latency ms] [--ack-delay ms] [--approval-delay ms] [--ack-format ack|meta|hooks] [--ack-on] [--seed n]\n',
				);
				process.exit(0);
				break;
			default:
				throw new Error(`Unknown argument: ${arg}`);
		}
	}
	return options;
}

async function main() {
	let options;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (err) {
		process.stderr.write(`fake-1msg: ${/** @type {Error} */ (err).message}\n`);
		process.exit(2);
	}
	const fake = await startFake1msg(options);
	process.stdout.write(`${JSON.stringify({ baseUrl: fake.baseUrl, channelId: fake.channelId, token: fake.token })}\n`);

	let stopping = false;
	/** @param {string} signal */
	const stop = (signal) => {
		if (stopping) return;
		stopping = true;
		process.stderr.write(`fake-1msg: ${signal}, stopping\n`);
		fake.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
	process.stderr.write(`fake-1msg: ${err && err.message ? err.message : String(err)}\n`);
	process.exit(1);
});
