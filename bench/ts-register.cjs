// Lets plain `node` run the project's TypeScript (the node, the engine helper, the fake server and
// the bench scripts) the way ts-jest does in the test suite: each .ts file is transpiled to CommonJS
// on require, without type checking. Transpiled files are cached in .cache/ts-register so the child
// processes of the memory benchmark start quickly.
// Usage: node -r ./bench/ts-register.cjs bench/run.ts
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const cacheDir = path.join(__dirname, '..', '.cache', 'ts-register');
let ts;

function transpile(source, filename) {
	ts ??= require('typescript');
	return ts.transpileModule(source, {
		fileName: filename,
		compilerOptions: {
			module: ts.ModuleKind.CommonJS,
			target: ts.ScriptTarget.ES2022,
			esModuleInterop: true,
			resolveJsonModule: true,
			isolatedModules: true,
			inlineSourceMap: true,
		},
	}).outputText;
}

function compileTs(module, filename) {
	const source = fs.readFileSync(filename, 'utf8');
	const key = crypto.createHash('sha256').update(filename).update('\0').update(source).digest('hex').slice(0, 32);
	const cached = path.join(cacheDir, `${key}.js`);
	let output;
	try {
		output = fs.readFileSync(cached, 'utf8');
	} catch {
		output = transpile(source, filename);
		try {
			fs.mkdirSync(cacheDir, { recursive: true });
			fs.writeFileSync(`${cached}.${process.pid}`, output);
			fs.renameSync(`${cached}.${process.pid}`, cached);
		} catch {
			// a cache that cannot be written only costs time
		}
	}
	module._compile(output, filename, 'commonjs');
}

// `require('./MuviVideo.node')` must find MuviVideo.node.ts before the codex MuviVideo.node.json,
// as in jest (extensions are tried in key order): put .ts right after .js.
const others = Object.entries(Module._extensions).filter(([ext]) => ext !== '.js' && ext !== '.ts');
for (const [ext] of others) delete Module._extensions[ext];
Module._extensions['.ts'] = compileTs;
for (const [ext, handler] of others) Module._extensions[ext] = handler;
