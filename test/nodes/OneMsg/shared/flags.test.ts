import { explicitFlag, flagOn } from '../../../../nodes/OneMsg/shared/flags';

// The forms 1MSG's own n8n node reads a flag in (1msg/1msg-n8n-nodes utils/events.ts): true | 1 | '1' | 'true'.
describe("1MSG's flags", () => {
	it('count as on in every form 1MSG may write them', () => {
		for (const value of [true, 1, '1', 'true', 'TRUE', ' true ']) expect(flagOn(value)).toBe(true);
	});

	it('count as off when false, 0, "0", "false", missing or in any other form', () => {
		for (const value of [false, 0, '0', 'false', undefined, null, '', 'yes', 2, {}, []]) expect(flagOn(value)).toBe(false);
	});

	it('tell an explicit off from a missing or unreadable flag', () => {
		expect([true, 1, '1', 'true'].map(explicitFlag)).toEqual([true, true, true, true]);
		expect([false, 0, '0', 'false'].map(explicitFlag)).toEqual([false, false, false, false]);
		expect([undefined, null, '', 'yes', 2].map(explicitFlag)).toEqual([undefined, undefined, undefined, undefined, undefined]);
	});
});
