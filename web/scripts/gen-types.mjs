#!/usr/bin/env node
// Generates src/lib/api/schema.d.ts from the server's OpenAPI document with openapi-typescript.
//
//   node scripts/gen-types.mjs [SOURCE] [--out FILE] [--check]
//   SOURCE: a URL (default http://127.0.0.1:8080/api/v1/openapi.json, or $PORTICO_OPENAPI) or a file path
//   --out:   where to write (default src/lib/api/schema.d.ts; "-" for stdout)
//   --check: write nothing; exit 1 when the file differs from what the document generates
//
// The options are fixed here (not taken from a redocly config or CLI flags) so the output depends only on
// the document and the locked openapi-typescript version: tests/e2e/openapi-types.test.mjs imports
// `generate` and compares the result with the committed file, so the types cannot drift from the server.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_FILE = join(root, 'src/lib/api/schema.d.ts');
export const DEFAULT_SOURCE = 'http://127.0.0.1:8080/api/v1/openapi.json';

/** The options, spelled out so a changed library default shows up as a diff rather than silently. */
export const OPTIONS = {
	additionalProperties: false,
	alphabetize: false,
	arrayLength: false,
	defaultNonNullable: true,
	emptyObjectsUnknown: false,
	enum: false,
	enumValues: false,
	dedupeEnums: false,
	excludeDeprecated: false,
	exportType: false,
	immutable: false,
	pathParamsAsTypes: false,
	propertiesRequiredByDefault: false,
	rootTypes: false,
	makePathsEnum: false,
	generatePathParams: false,
	silent: true
};

/** Reads the document from a URL or a file into an object. */
export async function loadDocument(source = DEFAULT_SOURCE) {
	if (/^https?:\/\//i.test(source)) {
		const res = await fetch(source, { headers: { accept: 'application/json' } });
		if (!res.ok) throw new Error(`GET ${source} answered ${res.status}`);
		return res.json();
	}
	return JSON.parse(readFileSync(resolve(source), 'utf8'));
}

/** The text of schema.d.ts for an OpenAPI document (an object, URL or file path). */
export async function generate(doc) {
	const document = typeof doc === 'string' ? await loadDocument(doc) : doc;
	const ast = await openapiTS(document, OPTIONS);
	const text = COMMENT_HEADER + astToString(ast);
	return text.replace(/\r\n/g, '\n').replace(/\s*$/, '\n');
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
	const args = process.argv.slice(2);
	const outAt = args.indexOf('--out');
	const out = outAt >= 0 ? args[outAt + 1] : SCHEMA_FILE;
	const check = args.includes('--check');
	const source = args.find((a, i) => !a.startsWith('--') && (outAt < 0 || i !== outAt + 1)) ?? process.env.PORTICO_OPENAPI ?? DEFAULT_SOURCE;
	const text = await generate(source);
	if (check) {
		const current = readFileSync(out, 'utf8');
		if (current !== text) {
			console.error(`${out} is not what ${source} generates: run \`npm run gen:types -- ${source}\`.`);
			process.exit(1);
		}
		console.log(`${out} is up to date with ${source}.`);
	} else if (out === '-') {
		process.stdout.write(text);
	} else {
		writeFileSync(out, text);
		console.log(`wrote ${out} from ${source}`);
	}
}
