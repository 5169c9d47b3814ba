// Prints the plain closing line "N passed, N failed" that CI reads, after jest's own summary.
class SummaryLineReporter {
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests + results.numTodoTests;
		const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
		// jest prints its own summary after the reporters run; printing at exit keeps this line last.
		process.once('exit', () => process.stderr.write(`\n${line}\n`));
	}
}

module.exports = SummaryLineReporter;
