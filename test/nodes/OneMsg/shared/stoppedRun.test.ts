import { describeStop } from '../../../../nodes/OneMsg/shared/stoppedRun';

describe('the error of a stopped run', () => {
	it('says nothing when nothing went out', () => {
		expect(describeStop([], true)).toBeUndefined();
	});

	it('names the accepted items with their message ids, and that a retry resends them', () => {
		const report = describeStop(
			[
				{ itemIndex: 1, messageId: 'wamid.B', status: 'accepted' },
				{ itemIndex: 0, messageId: 'wamid.A', status: 'accepted' },
			],
			true,
		);
		expect(report?.message).toBe('; before the stop 2 accepted (item 0, 1), a retry resends them');
		expect(report?.description).toContain('item 0: wamid.A, item 1: wamid.B');
		expect(report?.description).toContain('Retrying this execution sends them again');
	});

	it('names items whose outcome is unknown, and that a retry skips them when keys are recorded', () => {
		const report = describeStop(
			[
				{ itemIndex: 0, messageId: 'wamid.A', status: 'accepted' },
				{ itemIndex: 3, messageId: null, status: 'unknown' },
			],
			false,
		);
		expect(report?.message).toBe('; before the stop 1 accepted (item 0) and 1 possibly sent (item 3), a retry skips them');
		expect(report?.description).toContain('item 3: outcome unknown');
		expect(report?.description).toContain('Retrying this execution skips them');
	});
});
