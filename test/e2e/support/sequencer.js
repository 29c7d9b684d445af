/** Runs the e2e test files in file-name order (01-…, 02-…): later files rely on the n8n instance, not on each other's results. */
const Sequencer = require('@jest/test-sequencer').default;

module.exports = class ByName extends Sequencer {
	sort(tests) {
		return [...tests].sort((a, b) => a.path.localeCompare(b.path));
	}
};
