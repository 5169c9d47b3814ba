/**
 * How a trigger registers with its channel. `POST /webhook` replaces the whole list and the list has
 * no version, so: the changes this n8n process makes to one channel's list take turns; each reads
 * the list right before writing, adds or removes only our own entry, and reads the list back after,
 * writing again when another process's write at the same moment undid ours. Delivery statuses are a
 * channel setting, switched off again only when no other consumer may need them (trigger/statusConsumers).
 */
import type { IDataObject, IHookFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { withKeyLock } from '../shared/keyedLock';

import type { OneMsgChannel } from '../shared/transport';
import { oneMsgApiRequest, resolveChannelFor } from '../shared/transport';
import { flagOn } from '../shared/flags';
import { holdsStatuses, statusBaseline, statusesOnLeaving, withStatusesMark } from './statusConsumers';
import { generateWebhookSecret, urlWithSecret } from './webhookAuth';
import { addOurUrl, disabledUrlsOf, isOurUrl, MAX_WEBHOOK_URLS, webhookUrlsOf, withoutOurUrl, withoutQuery } from './webhookList';

/** What a trigger keeps in the workflow's static data between activation, webhooks and deactivation. */
export interface TriggerStaticData extends IDataObject {
	secret?: string;
	registeredUrl?: string;
	/**
	 * True when this trigger holds the delivery statuses a trigger of this package switched on (it did,
	 * or took them over), so `delete` may switch them off when no other consumer remains.
	 */
	ackEnabledByTrigger?: boolean;
	/** Digests of the other URLs there when it came to hold them (statusConsumers.statusBaseline). */
	statusBaseline?: string[];
	/** `test` for the editor's test listener: its registration and repeat memory are its own. */
	listener?: 'test' | 'production';
}

export function triggerStaticData(context: Pick<IHookFunctions, 'getWorkflowStaticData'>): TriggerStaticData {
	return context.getWorkflowStaticData('node') as TriggerStaticData;
}

/** The channel's list, and the entries of it 1MSG reports as disabled (`webhookStatuses`, see webhookList). */
export interface WebhookState {
	list: string[];
	disabled: string[];
}

/** Trailing slashes before the query are not told apart when a status is matched to its list entry. */
const sameUrl = (a: string, b: string) => a.trim().replace(/\/+(\?|$)/, '$1') === b.trim().replace(/\/+(\?|$)/, '$1');

export async function readWebhookState(this: IHookFunctions, channel?: OneMsgChannel): Promise<WebhookState> {
	const body = await oneMsgApiRequest.call(this, { method: 'GET', path: 'webhook' }, channel);
	const list = webhookUrlsOf(body);
	const reported = disabledUrlsOf(body);
	// Only entries of the list count: a status left over for a URL no longer there says nothing.
	return { list, disabled: list.filter((entry) => reported.some((url) => sameUrl(url, entry))) };
}

export async function readWebhookList(this: IHookFunctions, channel?: OneMsgChannel): Promise<string[]> {
	return (await readWebhookState.call(this, channel)).list;
}

/** Writes the whole list; an empty list is cleared through settings, as POST /webhook wants at least one URL. */
export async function writeWebhookList(this: IHookFunctions, list: string[], channel?: OneMsgChannel): Promise<void> {
	if (list.length === 0) {
		await oneMsgApiRequest.call(this, { method: 'POST', path: 'settings', body: { webhookUrl: '' } }, channel);
	} else {
		await oneMsgApiRequest.call(this, { method: 'POST', path: 'webhook', body: { webhookUrl: list } }, channel);
	}
}

export async function statusesAreOn(this: IHookFunctions, channel?: OneMsgChannel): Promise<boolean> {
	const settings = await oneMsgApiRequest.call(this, { method: 'GET', path: 'settings' }, channel);
	// The answer's type is undocumented: read as 1MSG's own node reads flags (true, 1, '1', 'true').
	return flagOn(settings.ackNotificationsOn);
}

/** Switches delivery statuses on unless they are; true when this call switched them. */
export async function switchStatusesOn(this: IHookFunctions, channel?: OneMsgChannel): Promise<boolean> {
	if (await statusesAreOn.call(this, channel)) return false;
	await setStatuses.call(this, true, channel);
	return true;
}

async function setStatuses(this: IHookFunctions, on: boolean, channel?: OneMsgChannel): Promise<void> {
	await oneMsgApiRequest.call(this, { method: 'POST', path: 'settings', body: { ackNotificationsOn: on } }, channel);
}

/**
 * Switches delivery statuses off again when this trigger holds them and nothing in `remaining` (the
 * list without our URL) may need them; otherwise leaves them on and says why in the log.
 */
export async function restoreStatuses(
	this: IHookFunctions,
	staticData: TriggerStaticData,
	channel?: OneMsgChannel,
	remaining: string[] = [],
): Promise<void> {
	const decision = statusesOnLeaving(staticData.ackEnabledByTrigger === true, remaining, staticData.statusBaseline);
	if (decision.switchOff) {
		await setStatuses.call(this, false, channel);
		return;
	}
	if (staticData.ackEnabledByTrigger) this.logger?.info(`1MSG Trigger: delivery statuses stay on: ${decision.reason}`);
}

/**
 * Our URL with its secret is on the list, 1MSG does not report it disabled, and statuses are on. A
 * disabled URL receives nothing, so it counts as not registered: n8n then calls `create`, which
 * submits the list again (how 1MSG re-enables a destination).
 */
export async function isRegistered(this: IHookFunctions): Promise<boolean> {
	const staticData = triggerStaticData(this);
	if (!staticData.secret) return false;
	const ourUrl = staticData.registeredUrl ?? urlWithSecret(this.getNodeWebhookUrl('default') as string, staticData.secret);
	const { list, disabled } = await readWebhookState.call(this);
	if (!list.includes(ourUrl) || disabled.includes(ourUrl)) return false;
	return await statusesAreOn.call(this);
}

/**
 * After a write, says in the log which destinations 1MSG had disabled and no longer does, and warns
 * when ours still is. 1MSG re-enables a destination when the complete list is submitted again
 * through Set webhook URL, then the list is to be read back (1msg/1msg-for-agents
 * references/reliability.md, "Recover the affected destination"); every URL of the list is
 * submitted, so another consumer's disabled URL may come back too, and is named as well.
 */
function reportReenabled(context: IHookFunctions, before: WebhookState, after: WebhookState, ourUrl: string, baseUrl: string): void {
	const wasDisabled = [...new Set(before.disabled.map((url) => (isOurUrl(url, baseUrl) ? ourUrl : url)))].filter((url) => after.list.includes(url));
	// Ours first: it is what the line is about.
	const reenabled = wasDisabled.filter((url) => !after.disabled.includes(url)).sort((a, b) => Number(b === ourUrl) - Number(a === ourUrl));
	if (reenabled.length > 0) {
		const named = reenabled.map((url) => (url === ourUrl ? `this trigger's URL ${withoutQuery(url)}` : withoutQuery(url)));
		context.logger?.info(
			`1MSG Trigger: re-enabled ${named.join(', ')}: 1MSG had disabled ${reenabled.length === 1 ? 'it' : 'them'} after failed deliveries; the complete list of ${after.list.length} webhook URL(s) was submitted again and read back`,
		);
	}
	if (after.disabled.includes(ourUrl)) {
		context.logger?.warn(
			`1MSG Trigger: 1MSG still reports this trigger's URL as disabled after the list was submitted again (${withoutQuery(ourUrl)}); it receives no statuses until 1MSG re-enables it. Check that n8n is reachable from 1MSG, then activate the workflow again.`,
		);
	}
}

/**
 * Attempts at one change of the list: a read-back that misses our change (another n8n process wrote
 * its own copy at the same moment) is followed by a fresh read and a new write, after a pause that
 * grows each time (with some jitter, so two processes do not collide again in step).
 */
export const LIST_WRITE_ATTEMPTS = 5;
const LIST_WRITE_PAUSE_MS = 150;

/** The changes this process makes to one channel's list take turns, so none writes over another's. */
async function withChannelTurn<T>(channel: OneMsgChannel, section: () => Promise<T>): Promise<T> {
	return await withKeyLock(`webhook-list:${channel.baseUrl}/${channel.channelId}`, section);
}

async function pauseBeforeAttempt(attempt: number): Promise<void> {
	await sleep(LIST_WRITE_PAUSE_MS * 2 ** attempt * (0.5 + Math.random()));
}

/** Adds our URL (keeping the others) and switches statuses on; refused when the list is full. */
export async function register(this: IHookFunctions): Promise<void> {
	const staticData = triggerStaticData(this);
	const baseUrl = this.getNodeWebhookUrl('default') as string;
	// Kept across a refused activation, so the URL quoted in the error stays valid once added by hand.
	staticData.secret ??= generateWebhookSecret();
	staticData.listener = this.getMode?.() === 'manual' ? 'test' : 'production';
	const channel = await resolveChannelFor.call(this);
	const secret = staticData.secret;

	await withChannelTurn(channel, async () => {
		const statusesWereOn = await statusesAreOn.call(this, channel);
		for (let attempt = 0; ; attempt++) {
			if (attempt > 0) await pauseBeforeAttempt(attempt - 1);
			const state = await readWebhookState.call(this, channel);
			const { list } = state;
			const others = withoutOurUrl(list, baseUrl);
			// Off: this trigger switches them on. On and held by another trigger of this package: it takes
			// them over too, so whichever of them leaves last switches them off. On otherwise: not ours.
			const holds =
				!statusesWereOn || others.some(holdsStatuses) || (staticData.ackEnabledByTrigger === true && list.some((url) => isOurUrl(url, baseUrl)));
			const plainUrl = urlWithSecret(baseUrl, secret);
			const ourUrl = holds ? withStatusesMark(plainUrl) : plainUrl;
			// A URL of ours that 1MSG disabled is submitted again with the whole list, in its place.
			const ourDisabled = state.disabled.some((url) => isOurUrl(url, baseUrl));
			if (!list.includes(ourUrl) || ourDisabled) {
				const added = addOurUrl(list, baseUrl, ourUrl);
				if (!added.ok) throw listFullError(this, added.others, ourUrl);
				await writeWebhookList.call(this, added.list, channel);
				const readBack = await readWebhookState.call(this, channel);
				if (!readBack.list.includes(ourUrl)) {
					if (attempt + 1 >= LIST_WRITE_ATTEMPTS) throw listRaceError(this, 'add', ourUrl);
					this.logger?.info(`1MSG Trigger: another writer replaced the webhook list at the same moment; adding ${ourUrl} again`);
					continue;
				}
				reportReenabled(this, state, readBack, ourUrl, baseUrl);
			}
			if (holds && !staticData.ackEnabledByTrigger) staticData.statusBaseline = statusBaseline(others);
			staticData.ackEnabledByTrigger = holds;
			if (!holds) delete staticData.statusBaseline;
			staticData.registeredUrl = ourUrl;
			break;
		}
		if (!statusesWereOn) await setStatuses.call(this, true, channel);
	});
}

/** Removes only our URL, and switches statuses off again if this trigger switched them on. */
export async function unregister(this: IHookFunctions): Promise<void> {
	const staticData = triggerStaticData(this);
	const baseUrl = this.getNodeWebhookUrl('default') as string;
	const channel = await resolveChannelFor.call(this);
	await withChannelTurn(channel, async () => {
		let remaining: string[] = [];
		for (let attempt = 0; ; attempt++) {
			if (attempt > 0) await pauseBeforeAttempt(attempt - 1);
			// Read right before writing: a URL another trigger removed meanwhile is never written back.
			const list = await readWebhookList.call(this, channel);
			remaining = withoutOurUrl(list, baseUrl);
			if (remaining.length === list.length) break;
			await writeWebhookList.call(this, remaining, channel);
			const readBack = await readWebhookList.call(this, channel);
			if (!readBack.some((url) => isOurUrl(url, baseUrl))) {
				remaining = readBack;
				break;
			}
			if (attempt + 1 >= LIST_WRITE_ATTEMPTS) throw listRaceError(this, 'remove', baseUrl);
			this.logger?.info('1MSG Trigger: another writer put the webhook list back at the same moment; removing this trigger\'s URL again');
		}
		await restoreStatuses.call(this, staticData, channel, remaining);
	});
	delete staticData.secret;
	delete staticData.registeredUrl;
	delete staticData.ackEnabledByTrigger;
	delete staticData.statusBaseline;
	delete staticData.listener;
}

function listFullError(context: IHookFunctions, others: string[], ourUrl: string): NodeApiError {
	return new NodeApiError(context.getNode(), { webhookUrl: others } as unknown as JsonObject, {
		// n8n shows only the message when an activation fails, so the URL to add by hand is in it.
		message: `The channel already has ${others.length} webhook URLs, the most 1MSG allows (${MAX_WEBHOOK_URLS}). Remove one in the 1MSG dashboard, or add this trigger's URL there by hand: ${ourUrl}`,
		description: `Remove a URL you no longer use in the 1MSG dashboard and activate again, or add this trigger's URL there by hand: ${ourUrl}`,
	});
}

function listRaceError(context: IHookFunctions, change: 'add' | 'remove', url: string): NodeApiError {
	const what = change === 'add' ? `This trigger's URL did not stay on the channel's webhook list` : `This trigger's URL stayed on the channel's webhook list`;
	return new NodeApiError(context.getNode(), {} as JsonObject, {
		message: `${what} after ${LIST_WRITE_ATTEMPTS} writes: something else rewrites the list at the same moment (${url})`,
		description:
			'Another program or n8n instance is replacing the webhook list of this channel over and over. Stop it, or check the list in the 1MSG dashboard, then activate the workflow again.',
	});
}
