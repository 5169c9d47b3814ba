// Prints the reliability suites' counters (cases tried per class, passed, messages lost, duplicates)
// as one table after jest's own summary. Each suite writes its counters to <run folder>/<suite>.json
// (test/reliability/summary.ts); the run folder is made here when the run starts and handed to the test
// workers through RELIABILITY_SUMMARY_DIR, so runs started at the same time in one checkout stay apart.
// The last table is also kept in .bench/reliability/summary.txt.
const fs = require('node:fs');
const path = require('node:path');

const COLUMNS = ['tried', 'passed', 'lost', 'duplicates'];

/** @param {string} dir */
function readSuites(dir) {
	let files = [];
	try {
		files = fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
	} catch {
		return [];
	}
	const suites = [];
	for (const name of files) {
		try {
			const data = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
			if (data && Array.isArray(data.classes)) suites.push(data);
		} catch {
			// a file cut short by a crashed worker: skip it rather than lose the whole summary
		}
	}
	return suites;
}

/** @param {Array<{ suite: string, classes: Array<Record<string, any>> }>} suites */
function formatTable(suites) {
	const rows = suites.flatMap((suite) => suite.classes.map((row) => [suite.suite, String(row.class), ...COLUMNS.map((c) => Number(row[c] ?? 0))]));
	const totals = COLUMNS.map((_c, i) => rows.reduce((sum, row) => sum + /** @type {number} */ (row[i + 2]), 0));
	const all = [['suite', 'class', ...COLUMNS], ...rows, ['total', '', ...totals]];
	const widths = all[0].map((_h, i) => Math.max(...all.map((row) => String(row[i]).length)));
	const line = (/** @type {Array<string | number>} */ row) =>
		row.map((cell, i) => (i < 2 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ').trimEnd();
	const rule = widths.map((w) => '-'.repeat(w)).join('  ');
	return [line(all[0]), rule, ...rows.map(line), rule, line(all[all.length - 1])].join('\n');
}

class ReliabilitySummaryReporter {
	/** @param {{ rootDir: string }} globalConfig @param {{ dir?: string }} [options] */
	constructor(globalConfig, options = {}) {
		this.root = options.dir ? path.resolve(globalConfig.rootDir, options.dir) : path.join(globalConfig.rootDir, '.bench', 'reliability');
		this.runDir = '';
	}

	onRunStart() {
		this.runDir = path.join(this.root, 'runs', `${process.pid}-${Date.now().toString(36)}`);
		fs.mkdirSync(this.runDir, { recursive: true });
		process.env.RELIABILITY_SUMMARY_DIR = this.runDir;
	}

	onRunComplete() {
		const suites = readSuites(this.runDir);
		fs.rmSync(this.runDir, { recursive: true, force: true });
		if (suites.length === 0) return;
		const table = formatTable(suites);
		fs.writeFileSync(path.join(this.root, 'summary.txt'), `${table}\n`);
		process.stdout.write(`\nReliability summary (cases and items per class)\n${table}\n`);
	}
}

module.exports = ReliabilitySummaryReporter;
module.exports.formatTable = formatTable;
module.exports.readSuites = readSuites;
