import { SCENARIO_TITLES } from './scenarios';

export { operationProperties as templateNodeProperties } from './operations';
export { TEMPLATE_OUTPUTS_EXPRESSION } from './operations/sendAndWait';

/** Under the node name on the canvas: the operation, or for a send the scenario's title. */
export const TEMPLATE_SUBTITLE = `={{ $parameter["operation"] === "getDeliveryStatus" ? "Get delivery status" : (${JSON.stringify(SCENARIO_TITLES)}[$parameter["scenario"]] || "Send template") }}`;
