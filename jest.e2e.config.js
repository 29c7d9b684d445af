/**
 * End-to-end suite: a real n8n with the packed package installed as a community package, against the
 * fake Muvi API. Run it with `npm run test:e2e` (scripts/e2e.sh prepares n8n and the fake first).
 */
module.exports = {
	rootDir: __dirname,
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	testEnvironment: '<rootDir>/test/e2e/support/environment.ts',
	globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
	testSequencer: '<rootDir>/test/e2e/support/sequencer.js',
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }] },
	// One n8n instance and one fake serve every file, so the files run one after another.
	maxWorkers: 1,
	testTimeout: 180000,
	slowTestThreshold: 60,
	verbose: true,
};
