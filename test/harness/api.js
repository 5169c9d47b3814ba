// @ts-check
/**
 * n8n's internal REST API (owner sign-up, API keys) and public API (workflows, activation,
 * executions) on top of a running N8nProcess. Activation differs by version: 2.x publishes through
 * an outbox and reports progress on a status endpoint; 1.x activates within the API call.
 */
'use strict';

const { N8nProcess, sleep } = require('./process');
const { TERMINAL_STATUSES, toExecution } = require('./executions');

const OWNER = {
	email: 'owner@example.com',
	firstName: 'Test',
	lastName: 'Owner',
	password: 'Passw0rd!Passw0rd',
};

class N8n extends N8nProcess {
	// ----- owner, API key, internal REST --------------------------------------------------------

	/** Sets up the owner account (or logs in if it exists); keeps the auth cookie. Memoised. */
	async setupOwner() {
		if (this._cookie) return;
		let response = await this.request('POST', '/rest/owner/setup', { body: OWNER });
		if (response.status !== 200) {
			// Owner exists already (restart, reused data dir): log in instead.
			response = await this.request('POST', '/rest/login', {
				body: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
			});
		}
		const cookie = response.setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (response.status !== 200 || !cookie) {
			throw this.error(`owner setup/login failed: ${response.status} ${JSON.stringify(response.body)}`);
		}
		this._cookie = cookie;
	}

	/** Internal REST API (/rest/...) with the owner's cookie. @param {string} method @param {string} restPath @param {any} [body] */
	async rest(method, restPath, body) {
		await this.setupOwner();
		const call = () =>
			this.request(method, `/rest/${restPath.replace(/^\/+/, '')}`, { body, headers: { cookie: /** @type {string} */ (this._cookie) } });
		let response = await call();
		if (response.status === 401) {
			this._cookie = null;
			await this.setupOwner();
			response = await call();
		}
		if (response.status >= 300) throw this.error(`${method} /rest/${restPath} answered ${response.status}: ${JSON.stringify(response.body)}`);
		const { body: answer } = response;
		// n8n wraps REST answers in { data }; a null `data` (e.g. no activation error) is the answer.
		return answer && typeof answer === 'object' && 'data' in answer ? answer.data : answer;
	}

	/** A public API key with every scope the owner may have (memoised). */
	apiKey() {
		if (!this._apiKeyPromise) {
			this._apiKeyPromise = (async () => {
				const scopes = await this.rest('GET', 'api-keys/scopes');
				const created = await this.rest('POST', 'api-keys', { label: `e2e-${Date.now()}`, expiresAt: null, scopes });
				if (!created?.rawApiKey) throw this.error(`POST /rest/api-keys returned no rawApiKey: ${JSON.stringify(created)}`);
				return /** @type {string} */ (created.rawApiKey);
			})();
			this._apiKeyPromise.catch(() => {
				this._apiKeyPromise = null;
			});
		}
		return this._apiKeyPromise;
	}

	/**
	 * Public API (/api/v1/...) with the API key. Throws on a status >= 300.
	 * @param {string} method @param {string} apiPath @param {{ body?: any, query?: Record<string, any> }} [options]
	 */
	async api(method, apiPath, { body, query } = {}) {
		const key = await this.apiKey();
		const response = await this.request(method, `/api/v1/${apiPath.replace(/^\/+/, '')}`, {
			body,
			query,
			headers: { 'X-N8N-API-KEY': key },
		});
		if (response.status >= 300) throw this.error(`${method} /api/v1/${apiPath} answered ${response.status}: ${JSON.stringify(response.body)}`);
		return response.body;
	}

	/** Names of the node types n8n loaded, e.g. 'n8n-nodes-1msg-scenarios.oneMsgTrigger'. */
	async nodeTypeNames() {
		return this._typeNames('/types/nodes.json');
	}

	/** Names of the credential types n8n loaded, e.g. 'oneMsgChannelApi'. */
	async credentialTypeNames() {
		return this._typeNames('/types/credentials.json');
	}

	/**
	 * n8n 1.x rewrites the types files in place through a stream after a package install, so a read in
	 * that moment gets a cut-off file: such a read is repeated (for up to 10 s) until the file parses.
	 * @param {string} typesPath
	 */
	async _typeNames(typesPath) {
		await this.setupOwner();
		const deadline = Date.now() + 10_000;
		/** @type {any} */
		let body;
		for (;;) {
			const response = await this.request('GET', typesPath, { headers: { cookie: /** @type {string} */ (this._cookie) } });
			if (response.status !== 200) throw this.error(`GET ${typesPath} answered ${response.status}`);
			try {
				body = typeof response.body === 'string' ? JSON.parse(response.body) : response.body;
				break;
			} catch (error) {
				if (Date.now() > deadline) throw error;
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
		}
		/** @type {any[]} */
		const types = Array.isArray(body) ? body : Object.values(body).flat();
		return [...new Set(types.map((t) => /** @type {string} */ (t.name)))];
	}

	// ----- workflows --------------------------------------------------------------------------

	/** @param {string} workflowId */
	async workflow(workflowId) {
		return this.api('GET', `workflows/${workflowId}`);
	}

	/**
	 * n8n 2.x publishes through an outbox: the API call only flips `active` and queues the work; the
	 * triggers' webhookMethods (checkExists/create, or delete) run afterwards. This internal endpoint
	 * says when that is done: { status: in_progress | published | partial | failed | not_published,
	 * triggers: [{ nodeId, status, errorMessage }] }.
	 * @param {string} workflowId
	 */
	async publicationStatus(workflowId) {
		return this.rest('GET', `workflows/${workflowId}/publication-status`);
	}

	/**
	 * @param {string} workflowId @param {(status: any) => boolean} done @param {number} timeoutMs @param {string} what
	 */
	async _waitForPublication(workflowId, done, timeoutMs, what) {
		const deadline = Date.now() + timeoutMs;
		let status;
		for (;;) {
			status = await this.publicationStatus(workflowId);
			if (status.status !== 'in_progress' && done(status)) return status;
			if (status.status !== 'in_progress' && (status.status === 'failed' || status.status === 'partial')) {
				const error = this.error(`${what} of workflow ${workflowId} ended "${status.status}": ${JSON.stringify(status.triggers)}`);
				/** @type {any} */ (error).publication = status;
				throw error;
			}
			if (Date.now() > deadline) throw this.error(`${what} of workflow ${workflowId} not finished after ${timeoutMs} ms; last status ${JSON.stringify(status)}`);
			await sleep(100);
		}
	}

	/**
	 * Resolves once a workflow activated before start is live. 2.x activates it asynchronously after
	 * the ready line (the publication reconciler runs its triggers' checkExists/create); 1.x did it
	 * before the ready line and keeps a failure as the workflow's activation error.
	 * @param {string} workflowId @param {number} timeoutMs
	 */
	async waitForStartupActivation(workflowId, timeoutMs) {
		if (this.runtime.publishes) {
			await this._waitForPublication(workflowId, (s) => s.status === 'published', timeoutMs, 'startup activation');
			return;
		}
		const failure = await this.rest('GET', `active-workflows/error/${workflowId}`);
		if (failure) throw this.error(`startup activation of workflow ${workflowId} failed: ${JSON.stringify(failure)}`);
	}

	/**
	 * Activates (publishes) a workflow through the public API and resolves once n8n has really
	 * registered its triggers (the trigger nodes' webhookMethods checkExists/create have run).
	 * Rejects when activation failed (a trigger's create threw): the error message holds the trigger
	 * error. In 2.x the activate call itself answers 200 and `error.publication` holds the publication
	 * status; 1.x runs the triggers within the call and answers 400 with the trigger's error.
	 * @param {string} workflowId @param {{ timeoutMs?: number }} [options]
	 */
	async activate(workflowId, { timeoutMs = 30_000 } = {}) {
		const workflow = await this.api('POST', `workflows/${workflowId}/activate`);
		if (!workflow?.active) throw this.error(`activate ${workflowId}: response says active=${workflow?.active}`);
		if (this.runtime.publishes) await this._waitForPublication(workflowId, (s) => s.status === 'published', timeoutMs, 'activation');
		return workflow;
	}

	/**
	 * Deactivates (unpublishes) a workflow through the public API and resolves once n8n has
	 * removed its triggers (the trigger nodes' webhookMethods `delete` has run and its production
	 * webhook URLs answer 404).
	 * @param {string} workflowId @param {{ timeoutMs?: number }} [options]
	 */
	async deactivate(workflowId, { timeoutMs = 30_000 } = {}) {
		const workflow = await this.api('POST', `workflows/${workflowId}/deactivate`);
		if (workflow?.active) throw this.error(`deactivate ${workflowId}: response says active=${workflow.active}`);
		// 1.x has removed the triggers when the call returns.
		if (this.runtime.publishes) await this._waitForPublication(workflowId, (s) => s.status === 'not_published', timeoutMs, 'deactivation');
		return workflow;
	}

	/**
	 * Runs a workflow once from the given trigger node, as the editor's "Execute workflow" does (a
	 * `manual` execution). 1.x wants the workflow itself in the body; 2.x reads the stored one.
	 * @param {string} workflowId @param {string} triggerName
	 */
	async runManually(workflowId, triggerName) {
		const body = { triggerToStartFrom: { name: triggerName } };
		if (!this.runtime.publishes) Object.assign(body, { workflowData: await this.workflow(workflowId) });
		return this.rest('POST', `workflows/${workflowId}/run`, body);
	}

	// ----- executions -------------------------------------------------------------------------

	/**
	 * Every execution of a workflow (oldest first), with full data. Follows nextCursor.
	 * @param {string} workflowId @param {{ includeData?: boolean }} [options] @returns {Promise<import('./executions').Execution[]>}
	 */
	async executions(workflowId, { includeData = true } = {}) {
		/** @type {any[]} */
		const all = [];
		let cursor;
		do {
			const page = await this.api('GET', 'executions', {
				query: { workflowId, includeData, limit: 100, cursor },
			});
			all.push(...(page.data ?? []));
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all.map(toExecution).sort((a, b) => Number(a.id) - Number(b.id));
	}

	/** @param {string} executionId @returns {Promise<import('./executions').Execution>} */
	async execution(executionId) {
		return toExecution(await this.api('GET', `executions/${executionId}`, { query: { includeData: true } }));
	}

	/**
	 * The workflow's executions (with data) once the list has settled: at least `min` of them, every one
	 * finished and the list unchanged for `quietMs`; or, when some stay unfinished (a run whose end
	 * could not be saved), unchanged for `unfinishedQuietMs`. After `timeoutMs` the list is returned as
	 * it is, so the caller's assertions say what was missing. A run answered a moment ago may not be
	 * listed yet, hence the quiet time.
	 * @param {string} workflowId
	 * @param {{ min?: number, quietMs?: number, unfinishedQuietMs?: number, timeoutMs?: number, pollMs?: number }} [options]
	 */
	async settledExecutions(workflowId, { min = 0, quietMs = 3000, unfinishedQuietMs = Infinity, timeoutMs = 90_000, pollMs = 500 } = {}) {
		const deadline = Date.now() + timeoutMs;
		let seen = '';
		let stableSince = Date.now();
		for (;;) {
			const list = await this.executions(workflowId, { includeData: false });
			const state = list.map((e) => `${e.id}:${e.status}`).join(',');
			if (state !== seen) [seen, stableSince] = [state, Date.now()];
			const finished = list.every((e) => TERMINAL_STATUSES.has(e.status));
			if ((list.length >= min && Date.now() - stableSince >= (finished ? quietMs : unfinishedQuietMs)) || Date.now() > deadline) break;
			await sleep(pollMs);
		}
		return await this.executions(workflowId);
	}

	/**
	 * Waits until the workflow has at least `count` finished executions (success, error, crashed,
	 * canceled) and returns all of them, oldest first, with data.
	 * @param {string} workflowId @param {number} [count] @param {number} [timeoutMs]
	 */
	async waitForExecutions(workflowId, count = 1, timeoutMs = 15_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const list = await this.executions(workflowId, { includeData: false });
			const finished = list.filter((e) => TERMINAL_STATUSES.has(e.status));
			if (finished.length >= count) {
				const full = await this.executions(workflowId);
				return full.filter((e) => TERMINAL_STATUSES.has(e.status));
			}
			if (Date.now() > deadline) {
				throw this.error(
					`workflow ${workflowId}: ${finished.length} of ${count} expected executions finished after ${timeoutMs} ms (all: ${JSON.stringify(list.map((e) => ({ id: e.id, status: e.status })))})`,
				);
			}
			await sleep(150);
		}
	}
}

module.exports = { N8n, OWNER };
