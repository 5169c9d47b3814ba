/**
 * Counters of the reliability suites, one JSON file per suite under .bench/reliability/ (git-ignored),
 * printed as one table by test/reporters/reliabilitySummary.js when the run ends.
 *
 * tried: cases (or items) run; passed: those whose outcome was the expected one; lost: input items
 * without an output item, or accepted sends without a messageId; duplicates: messages sent more than
 * once for one input item.
 */
import * as fs from 'fs';
import * as path from 'path';

export const SUMMARY_ROOT = path.resolve(__dirname, '..', '..', '.bench', 'reliability');

/**
 * The reporter gives each jest run a folder of its own (RELIABILITY_SUMMARY_DIR), so two runs in the
 * same checkout at once never mix their counters; without the reporter the files land in SUMMARY_ROOT.
 */
export function summaryDir(): string {
	return process.env.RELIABILITY_SUMMARY_DIR || SUMMARY_ROOT;
}

export interface ClassCounters {
	tried: number;
	passed: number;
	lost: number;
	duplicates: number;
}

export class ReliabilityCounters {
	private readonly classes = new Map<string, ClassCounters>();

	constructor(private readonly suite: string) {}

	add(className: string, counts: Partial<ClassCounters>): void {
		const row = this.classes.get(className) ?? { tried: 0, passed: 0, lost: 0, duplicates: 0 };
		row.tried += counts.tried ?? 0;
		row.passed += counts.passed ?? 0;
		row.lost += counts.lost ?? 0;
		row.duplicates += counts.duplicates ?? 0;
		this.classes.set(className, row);
		this.write();
	}

	get(className: string): ClassCounters | undefined {
		return this.classes.get(className);
	}

	private write(): void {
		const dir = summaryDir();
		fs.mkdirSync(dir, { recursive: true });
		const rows = [...this.classes].map(([name, counts]) => ({ class: name, ...counts }));
		fs.writeFileSync(path.join(dir, `${this.suite}.json`), `${JSON.stringify({ suite: this.suite, classes: rows }, null, 2)}\n`);
	}
}
