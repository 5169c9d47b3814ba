/** A parsed JSON object: what 1MSG's answers and webhook bodies are read as before their fields are checked. */
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
