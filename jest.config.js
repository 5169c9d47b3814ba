// Unit tests run on the machine's Node; e2e tests drive a real n8n (Node 24) installed by scripts/install-n8n.sh:
// every e2e suite on the newest installable 2.x, and again on the oldest n8n the package supports.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }];

/** The n8n version a runtime directory pins (its package.json), e.g. '2.41.1'. */
const pinnedN8n = (dir) => require(`./${dir}/package.json`).dependencies.n8n;

const common = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	moduleFileExtensions: ['ts', 'js', 'json'],
	modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.n8n-data/', '<rootDir>/n8n-runtime/', '<rootDir>/n8n-runtime-1.x/', '<rootDir>/.bench/'],
};

/** Every e2e suite runs on both n8n versions. */
const E2E_TESTS = ['<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/harness/**/*.test.js'];

/** Which n8n each e2e project runs on (the harness reads the N8N_UNDER_TEST global); the reporter names it. */
const E2E_PROJECTS = {
	e2e: { runtime: '2.x', n8n: pinnedN8n('n8n-runtime') },
	'e2e-1.x': { runtime: '1.x', n8n: pinnedN8n('n8n-runtime-1.x') },
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
			globals: { N8N_UNDER_TEST: E2E_PROJECTS.e2e.runtime },
			testMatch: E2E_TESTS,
		},
		{
			...common,
			displayName: 'e2e-1.x',
			globals: { N8N_UNDER_TEST: E2E_PROJECTS['e2e-1.x'].runtime },
			testMatch: E2E_TESTS,
		},
	],
	// jest's own progress and summary, the reliability table, one line per n8n version, and the plain
	// closing line (printed at exit).
	reporters: [
		'default',
		'<rootDir>/test/reporters/reliabilitySummary.js',
		['<rootDir>/test/reporters/summary-line.js', { n8nByProject: Object.fromEntries(Object.entries(E2E_PROJECTS).map(([name, p]) => [name, p.n8n])) }],
	],
};
