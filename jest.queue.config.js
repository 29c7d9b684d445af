/**
 * Queue-mode suite: the packed package in an n8n that scales out (main, 2 workers, 2 webhook
 * processes, Redis, Postgres), against the fake Muvi API. Run it with `npm run test:queue`
 * (scripts/queue.sh starts all of it first and stops it afterwards).
 */
module.exports = {
	rootDir: __dirname,
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	testEnvironment: '<rootDir>/test/queue/support/environment.ts',
	globalSetup: '<rootDir>/test/queue/support/global-setup.ts',
	testSequencer: '<rootDir>/test/e2e/support/sequencer.js',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }] },
	// One instance serves every file, so the files run one after another (in file-name order).
	maxWorkers: 1,
	testTimeout: 300000,
	slowTestThreshold: 120,
	verbose: true,
};
