import type { IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(containsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(containsExpression);
	return false;
}

function rawValue(parameters: unknown, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>(
			(value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
			parameters,
		);
}

/**
 * Reads node parameters per item, but evaluates a parameter without any expression only once per
 * execution: n8n resolves every read through its expression engine, which costs far more than the
 * node's own work when thousands of items are sent.
 */
export class ItemParameters {
	private readonly constant = new Map<string, unknown>();

	/** The node's raw parameters: `getNode()` copies the node on every call. */
	private readonly raw: unknown;

	constructor(private readonly context: IExecuteFunctions) {
		this.raw = context.getNode().parameters;
	}

	get<T = unknown>(name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions): T {
		if (this.constant.has(name)) return this.constant.get(name) as T;
		const value = this.context.getNodeParameter(name, itemIndex, fallback, options);
		if (!containsExpression(rawValue(this.raw, name))) this.constant.set(name, value);
		return value as T;
	}
}
