// Unit tests run on the machine's Node; e2e tests drive a real n8n (Node 24) installed by scripts/install-n8n.sh.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }];

const common = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	moduleFileExtensions: ['ts', 'js', 'json'],
	modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.n8n-data/', '<rootDir>/n8n-runtime/', '<rootDir>/.bench/'],
};

module.exports = {
	projects: [
		{
			...common,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/fake-1msg/**/*.test.js'],
			testPathIgnorePatterns: ['<rootDir>/test/e2e/', '<rootDir>/test/queue/'],
		},
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/harness/**/*.test.js'],
		},
	],
	// jest's own progress and summary, the reliability table, and the plain closing line (printed at exit).
	reporters: [
		'default',
		'<rootDir>/test/reporters/reliabilitySummary.js',
		'<rootDir>/test/reporters/summary-line.js',
	],
};
