// @ts-check
'use strict';

/** Identities and limits of the fake channel, shared by its modules and re-exported by server.js. */

const DEFAULT_CHANNEL_ID = 'VID182868781';
const DEFAULT_TOKEN = 'dummy-1msg-token-0123456789abcdef';
/** Sends to this phone are accepted, then fail asynchronously (sent -> failed, Meta 131026). */
const FAILING_PHONE = '15550009999';
const INBOX_WEBHOOK_URL = `https://app.1msg.io/service/whatsapp/hook/${DEFAULT_CHANNEL_ID}`;
const WABA_ID = '102290129340398';
const MAX_WEBHOOKS = 5;
const WEBHOOK_TIMEOUT_MS = 5000;
const MAX_BODY_CHARS = 1024;

module.exports = {
	DEFAULT_CHANNEL_ID,
	DEFAULT_TOKEN,
	FAILING_PHONE,
	INBOX_WEBHOOK_URL,
	WABA_ID,
	MAX_WEBHOOKS,
	WEBHOOK_TIMEOUT_MS,
	MAX_BODY_CHARS,
};
