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

	it('names the customers a retried run skipped as already sent, with the earlier message ids', () => {
		const report = describeStop(
			[
				{ itemIndex: 2, messageId: 'wamid.C', status: 'skipped', recipient: '79990000002' },
				{ itemIndex: 0, messageId: 'wamid.A', status: 'skipped', recipient: '79990000000' },
				{ itemIndex: 1, messageId: null, status: 'skipped', recipient: 'BR.abc' },
			],
			false,
		);
		expect(report?.message).toBe('; 3 skipped as already sent by an earlier run (item 0, 1, 2)');
		expect(report?.description).toBe('Already sent by an earlier run, so not sent again: item 0 (79990000000): wamid.A, item 1 (BR.abc), item 2 (79990000002): wamid.C.');
	});

	it('names both what this run sent before the stop and what an earlier run had sent', () => {
		const report = describeStop(
			[
				{ itemIndex: 1, messageId: 'wamid.B', status: 'accepted', recipient: '79990000001' },
				{ itemIndex: 0, messageId: 'wamid.A', status: 'skipped', recipient: '79990000000' },
			],
			false,
		);
		expect(report?.message).toBe('; before the stop 1 accepted (item 1), a retry skips them; 1 skipped as already sent by an earlier run (item 0)');
		expect(report?.description).toContain('Sent before the run stopped: item 1 (79990000001): wamid.B.');
		expect(report?.description).toContain('Already sent by an earlier run, so not sent again: item 0 (79990000000): wamid.A.');
	});
});
