/**
 * An execution context whose parameters differ per item the way they do in n8n: through expressions.
 * In a real workflow a value can only change from item to item when the node's parameter is an
 * expression such as `={{ $json.phone }}`, and the node may rely on that (a parameter without one is
 * the same for every item). The node seen here therefore carries an expression for every parameter
 * the items fill, while getNodeParameter returns each item's own evaluated value.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { type ExecuteContextOptions, type Params, TEST_NODE, executeContext } from '../helpers/context';

export function perItemContext(options: ExecuteContextOptions & { params: (itemIndex: number) => Params }): IExecuteFunctions {
	const context = executeContext(options);
	const parameters: Params = {};
	const count = options.items?.length ?? 1;
	for (let i = 0; i < count; i++) {
		for (const name of Object.keys(options.params(i))) {
			parameters[name] =
				name === 'templateVariables'
					? { mappingMode: 'defineBelow', value: '={{ $json.templateVariables }}' }
					: `={{ $json[${JSON.stringify(name)}] }}`;
		}
	}
	const node = { ...TEST_NODE, parameters };
	return { ...context, getNode: () => node } as IExecuteFunctions;
}
