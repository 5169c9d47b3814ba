// Prints one line per n8n version the e2e suites ran on ("n8n 2.41.1: N passed, N failed"), then the
// plain closing line "tests: N passed, N failed" that CI reads, after jest's own summary.
class SummaryLineReporter {
	/** @param {unknown} _globalConfig @param {{ n8nByProject?: Record<string, string> }} [options] */
	constructor(_globalConfig, options = {}) {
		this.n8nByProject = options.n8nByProject ?? {};
	}

	onRunComplete(_contexts, results) {
		const lines = [];
		for (const [project, version] of Object.entries(this.n8nByProject)) {
			const suites = results.testResults.filter((suite) => suite.displayName?.name === project);
			if (suites.length === 0) continue;
			const count = (key) => suites.reduce((sum, suite) => sum + suite[key], 0);
			const failedSuites = suites.filter((suite) => suite.testExecError).length;
			const skipped = count('numPendingTests') + count('numTodoTests');
			lines.push(
				`n8n ${version}: ${count('numPassingTests')} passed, ${count('numFailingTests')} failed` +
					(skipped ? `, ${skipped} skipped` : '') +
					(failedSuites ? `, ${failedSuites} suite(s) failed to run` : ''),
			);
		}
		const skipped = results.numPendingTests + results.numTodoTests;
		lines.push(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
		// jest prints its own summary after the reporters run; printing at exit keeps the closing line last.
		process.once('exit', () => process.stderr.write(`\n${lines.join('\n')}\n`));
	}
}

module.exports = SummaryLineReporter;
