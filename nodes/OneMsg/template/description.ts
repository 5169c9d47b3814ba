import { TEMPLATE_OPERATIONS } from './operations';
import { sendAndWait } from './operations/sendAndWait';
import { sendTemplate } from './operations/sendTemplate';
import { SCENARIO_TITLES } from './scenarios';

export { operationProperties as templateNodeProperties } from './operations';
export { TEMPLATE_OUTPUTS_EXPRESSION } from './operations/sendAndWait';

/** What the canvas says under the node name for operations that send nothing: their action. */
const ACTIONS = Object.fromEntries(
	TEMPLATE_OPERATIONS.filter((operation) => operation !== sendTemplate && operation !== sendAndWait).map((operation) => [
		operation.option.value,
		operation.option.action,
	]),
);

/** Under the node name on the canvas: the operation, or for a send the scenario's title. */
export const TEMPLATE_SUBTITLE = `={{ ${JSON.stringify(ACTIONS)}[$parameter["operation"]] || ${JSON.stringify(SCENARIO_TITLES)}[$parameter["scenario"]] || "Send template" }}`;
