import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { InputError } from '../shared/failures';
import { SCENARIO_PRESETS } from './presets';

/** The Scenario value that sends any approved template, its variables read from the template itself. */
export const CUSTOM_SCENARIO = 'custom';

/** The item's Scenario names no preset (e.g. set by an expression). */
export function unknownScenario(scenario: string): InputError {
	return new InputError('Scenario', `Unknown scenario "${scenario}"`, 'Choose a scenario from the list.');
}

const byTitle = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

export const scenarioOptions: INodePropertyOptions[] = [
	{
		name: 'Custom Template',
		value: CUSTOM_SCENARIO,
		description: 'Any approved template: its variables are read from the template itself',
	},
	...SCENARIO_PRESETS.map((preset) => ({
		name: preset.title,
		value: preset.value,
		description: `${preset.category}: ${preset.description}. Template text: "${preset.templateText}".`,
	})),
].sort(byTitle);

/** The canvas shows the scenario's title under the node name. */
export const SCENARIO_TITLES: Record<string, string> = {
	[CUSTOM_SCENARIO]: 'Custom template',
	...Object.fromEntries(SCENARIO_PRESETS.map((preset) => [preset.value, preset.title])),
};

/**
 * One labelled field per preset variable, shown only for the scenarios that use it. The parameter is
 * named by the variable's key, so presets share it for the same variable (Customer Name, Order
 * Number…) and a value typed or mapped for one scenario stays when the scenario is changed.
 */
export const presetVariableFields: INodeProperties[] = SCENARIO_PRESETS.flatMap((preset) =>
	preset.variables.map(
		(variable, index): INodeProperties => ({
			displayName: variable.label,
			name: variable.key,
			type: 'string',
			required: true,
			default: '',
			placeholder: `e.g. ${variable.example}`,
			hint: `Fills {{${index + 1}}} of the template`,
			description: variable.description,
			displayOptions: { show: { scenario: [preset.value] } },
		}),
	),
);
