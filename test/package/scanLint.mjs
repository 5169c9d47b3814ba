// Lints an unpacked npm tarball the way n8n's community-package scanner (@n8n/scan-community-package,
// scanner.mjs: buildScanConfig + analyzePackage) lints the published artifact: every **/*.js file
// plus the root package.json, with the community `recommended` config, the eslint-plugin-n8n-nodes-base
// community rules for package.json and `no-console: error`, inline eslint comments ignored.
//
//   node test/package/scanLint.mjs <unpacked package dir>   -> JSON report on stdout
//
// An ES module run in its own process: the community plugin is ESM-only, which jest's CommonJS
// module registry cannot load.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

export function scanConfig() {
	return [
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
		{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
		// package.json is parsed as a TypeScript object literal, as the scanner does.
		{ files: ['**/*.json'], languageOptions: { parser: tseslint.parser } },
	];
}

/** Every **\/*.js file under dir (node_modules excluded) and the root package.json, relative, sorted. */
export function scannedFiles(dir) {
	const files = [];
	const walk = (relative) => {
		for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
			const child = relative ? `${relative}/${entry.name}` : entry.name;
			if (entry.isDirectory()) {
				if (entry.name !== 'node_modules') walk(child);
			} else if (entry.isFile() && entry.name.endsWith('.js')) {
				files.push(child);
			}
		}
	};
	walk('');
	if (fs.existsSync(path.join(dir, 'package.json'))) files.push('package.json');
	return files.sort();
}

export async function lintUnpackedPackage(dir) {
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: scanConfig(),
	});
	const files = scannedFiles(dir);
	const results = await eslint.lintFiles(files.map((file) => path.join(dir, file)));
	return {
		files,
		linted: results.map((r) => path.relative(dir, r.filePath).split(path.sep).join('/')).sort(),
		errorCount: results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0),
		warningCount: results.reduce((n, r) => n + r.warningCount, 0),
		messages: results.flatMap((r) =>
			r.messages.map((m) => ({
				file: path.relative(dir, r.filePath).split(path.sep).join('/'),
				line: m.line,
				ruleId: m.ruleId,
				severity: m.severity,
				message: m.message,
			})),
		),
	};
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
	const dir = process.argv[2];
	if (!dir) {
		process.stderr.write('usage: node test/package/scanLint.mjs <unpacked package dir>\n');
		process.exit(2);
	}
	process.stdout.write(JSON.stringify(await lintUnpackedPackage(path.resolve(dir))) + '\n');
}
