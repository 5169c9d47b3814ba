import { RUN_OPTION_DEFAULTS, readRunOptions, runOptionFields } from '../../../../nodes/OneMsg/template/runOptions';

describe('run options', () => {
	it("fall back to the form's defaults when left unset", () => {
		expect(RUN_OPTION_DEFAULTS).toEqual({ concurrency: 5, maxPerSecond: 0, maxRetries: 3, timeoutMs: 30000 });
		expect(readRunOptions({})).toEqual({
			concurrency: 5,
			maxPerSecond: 0,
			timeoutMs: 30000,
			retry: { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30000 },
		});
		expect(runOptionFields.map((field) => field.name).sort()).toEqual(Object.keys(RUN_OPTION_DEFAULTS).sort());
	});

	it('read what is set', () => {
		expect(readRunOptions({ concurrency: 12, maxPerSecond: 40, maxRetries: 0, timeoutMs: 5000 })).toMatchObject({
			concurrency: 12,
			maxPerSecond: 40,
			timeoutMs: 5000,
			retry: { maxRetries: 0 },
		});
	});
});
