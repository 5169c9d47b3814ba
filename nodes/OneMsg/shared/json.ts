/** A parsed JSON object: what 1MSG's answers and webhook bodies are read as before their fields are checked. */
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON text read without throwing: the value, or the parser's complaint for a message that names the field. */
export function parseJsonText(text: string): { value: unknown } | { error: string } {
	try {
		return { value: JSON.parse(text) as unknown };
	} catch (error) {
		return { error: (error as Error).message };
	}
}
