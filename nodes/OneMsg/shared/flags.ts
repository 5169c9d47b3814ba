/**
 * 1MSG's on/off flags (`ackNotificationsOn`, `guaranteedHooks`, `rawHooks`, …) as booleans. Their
 * type in an answer is undocumented: the 2023 spec names `ackNotificationsOn` only in prose, the
 * current MCP and Rust SDK type them boolean in requests only, and no source shows a `GET /settings`
 * answer (test/fixtures/contract/SOURCES.md, "Types of flags"). 1MSG's own n8n node reads its flags
 * as `true | 1 | '1' | 'true'` (1msg/1msg-n8n-nodes utils/events.ts), so every one of those counts as
 * on here, and anything else (false, 0, '0', 'false', missing, an unknown form) as off.
 */
export function flagOn(value: unknown): boolean {
	if (value === true || value === 1) return true;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		return text === '1' || text === 'true';
	}
	return false;
}

/**
 * A flag given explicitly: true or false in any of the forms above, undefined when missing or in a
 * form that says neither. For the places where a missing flag must not count as off.
 */
export function explicitFlag(value: unknown): boolean | undefined {
	if (flagOn(value)) return true;
	if (value === false || value === 0) return false;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === '0' || text === 'false') return false;
	}
	return undefined;
}
