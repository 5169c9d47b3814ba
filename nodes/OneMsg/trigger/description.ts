import type { INodeProperties } from 'n8n-workflow';

import { DELIVERY_STATUSES } from '../shared/statusEvents';
import { DEFAULT_EVENTS_REMEMBERED } from './crossProcessRepeats';
import { STATUS_OUTPUTS, outputNames } from './outputs';

export { OUTPUTS_EXPRESSION } from './outputs';

const statusOptions = DELIVERY_STATUSES.map((status) => ({
	name: STATUS_OUTPUTS[status].name,
	value: status,
	description: STATUS_OUTPUTS[status].description,
})).sort((a, b) => a.name.localeCompare(b.name));

/** Statuses selected for a new trigger. */
const SELECTED_STATUSES = DELIVERY_STATUSES.filter((status) => STATUS_OUTPUTS[status].selected);

/** The trigger's fields; the node's outputs follow the status table too (OUTPUTS_EXPRESSION). */
export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			"On activation this trigger adds its URL to the channel's webhook list (keeping the other URLs) and turns delivery statuses on; on deactivation it removes only its own URL.",
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Statuses',
		name: 'statuses',
		type: 'multiOptions',
		options: statusOptions,
		default: [...SELECTED_STATUSES],
		description: 'Which delivery statuses start the workflow',
	},
	{
		displayName: 'One Output per Status',
		name: 'outputPerStatus',
		type: 'boolean',
		default: false,
		description: `Whether to give each status its own output (${outputNames(false).join(', ')}), so failed deliveries can be wired straight to a fallback`,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Events Remembered',
				name: 'eventsRemembered',
				type: 'number',
				default: DEFAULT_EVENTS_REMEMBERED,
				typeOptions: { minValue: 100 },
				description:
					"With Run Each Event Once Across Processes: how many of the most recent events n8n's database keeps for this trigger; a repeat of an older one runs again",
			},
			{
				displayName: 'Ignore Other Channels',
				name: 'checkInstanceId',
				type: 'boolean',
				default: true,
				description:
					"Whether to ignore requests whose instanceId names a channel other than the credential's",
			},
			{
				displayName: 'Include Incoming Messages',
				name: 'includeMessages',
				type: 'boolean',
				default: false,
				description:
					'Whether to also emit messages customers send (event "message"). A message that answers one of ours carries inReplyTo (that messageId), a quick-reply tap also buttonText and buttonPayload; with One Output per Status these come out on Reply.',
			},
			{
				displayName: 'Run Each Event Once Across Processes',
				name: 'dropRepeats',
				type: 'boolean',
				default: true,
				description:
					"Whether each run checks n8n's database before passing its events on, so that a status 1MSG posts again and another n8n process receives (queue mode with several webhook processes, or after a restart) runs once: the second execution ends at this trigger with nothing to pass on. Test runs and retries from the execution list are not checked.",
			},
		],
	},
];
