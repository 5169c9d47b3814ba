// The queue-mode suite (npm run test:queue): n8n main, worker and webhook processes on PostgreSQL and Redis.
// Kept out of jest.config.js so `npm test` does not need the services.
const base = require('./jest.config.js');
const unit = base.projects[0];

module.exports = {
	testEnvironment: 'node',
	transform: unit.transform,
	moduleFileExtensions: unit.moduleFileExtensions,
	modulePathIgnorePatterns: unit.modulePathIgnorePatterns,
	displayName: 'queue',
	testMatch: ['<rootDir>/test/queue/**/*.test.ts'],
	reporters: ['default'],
};
