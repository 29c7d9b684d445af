// Runs the checks of @n8n/scan-community-package (the gate n8n applies to community packages) on
// the unpacked `npm pack` tarball, offline, and checks the tarball holds only what users need.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const dir = process.argv[2];
if (!dir) {
	console.error('usage: node scripts/scan-package.mjs <unpacked package dir>');
	process.exit(2);
}

const files = [];
const walk = (d) => {
	for (const name of readdirSync(d)) {
		const p = join(d, name);
		if (statSync(p).isDirectory()) walk(p);
		else files.push(relative(dir, p));
	}
};
walk(dir);
const unexpected = files.filter((f) => !/^(dist\/|package\.json$|README\.md$|LICENSE(\.md)?$)/.test(f));
console.log(`npm pack: ${files.length} files`);
if (unexpected.length) {
	console.error(`The package would ship files it should not: ${unexpected.join(', ')}`);
	process.exit(1);
}
for (const required of ['README.md', 'LICENSE', 'dist/credentials/MuviApi.credentials.js', 'dist/nodes/MuviVideo/MuviVideo.node.js']) {
	if (!files.includes(required)) {
		console.error(`The package is missing ${required}`);
		process.exit(1);
	}
}

// `main`, when set, must name a file the tarball ships (the package has no entry point of its own: n8n
// loads the files listed under package.json's "n8n").
const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
if (manifest.main !== undefined && !files.includes(manifest.main.replace(/^\.\//, ''))) {
	console.error(`package.json "main" names ${manifest.main}, which the package does not ship`);
	process.exit(1);
}

const result = await analyzePackage(dir);
if (!result.passed) {
	console.error(`scan-community-package: ${result.message}`);
	if (result.details) console.error(result.details);
	process.exit(1);
}
console.log('scan-community-package checks: passed');
