#!/usr/bin/env node
// Prints the gzip size of the JavaScript a page of the built SPA loads before it
// is interactive: SvelteKit's two entry chunks, plus the route nodes (layouts
// and page) of the route, plus everything those import statically (not lazy
// `import()`s such as the charts on the dashboard).
//
//   node scripts/measure-bundle.mjs [route] [--limit KB]
//   route defaults to /t/[tenant]/login; exit 1 when over --limit (default 120).
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const limitAt = args.indexOf('--limit');
const limitKb = limitAt >= 0 ? Number(args[limitAt + 1]) : 120;
const route = args.find((a, i) => !a.startsWith('--') && i !== limitAt + 1) ?? '/t/[tenant]/login';

const clientOut = join(root, '.svelte-kit/output/client');
const manifestPath = join(clientOut, '.vite/manifest.json');
const build = join(root, 'build');
if (!existsSync(manifestPath) || !existsSync(build)) {
	console.error('No build found: run `npm run build` first.');
	process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

// Route -> node indices, from the generated client app (dictionary entries
// look like "/t/[tenant]/login": [page, [layouts...], ...]).
const appSrc = readFileSync(join(root, '.svelte-kit/generated/client-optimized/app.js'), 'utf8');
const dict = /dictionary\s*=\s*(\{[\s\S]*?\});/.exec(appSrc);
if (!dict) throw new Error('cannot read the route dictionary');
const entry = new RegExp(`"${route.replace(/[[\]/]/g, (c) => '\\' + c)}":\\s*\\[~?(\\d+)(?:,\\s*\\[([\\d,~\\s]*)\\])?`).exec(dict[1]);
if (!entry) {
	console.error(`Unknown route ${route}`);
	process.exit(2);
}
const nodes = new Set([0, 1, Number(entry[1])]); // 0 root layout and 1 root error page: kit always loads both
for (const n of (entry[2] ?? '').split(',')) if (n.trim() !== '') nodes.add(Number(n.replace('~', '')));

const starts = Object.keys(manifest).filter((k) => manifest[k].isEntry && /generated\/client-optimized\/app\.js$|kit\/src\/runtime\/client\/entry\.js$/.test(k));
const nodeKeys = [...nodes].map((n) => `.svelte-kit/generated/client-optimized/nodes/${n}.js`);
for (const k of nodeKeys) if (!manifest[k]) throw new Error(`missing ${k} in the manifest`);

const files = new Set();
const seen = new Set();
function walk(key) {
	if (seen.has(key)) return;
	seen.add(key);
	const chunk = manifest[key];
	if (!chunk) return;
	files.add(chunk.file);
	for (const imp of chunk.imports ?? []) walk(imp);
}
[...starts, ...nodeKeys].forEach(walk);

let raw = 0;
let gz = 0;
const rowsOut = [];
for (const file of files) {
	const buf = readFileSync(join(build, file));
	const z = gzipSync(buf, { level: 9 }).length;
	raw += buf.length;
	gz += z;
	rowsOut.push([file, buf.length, z]);
}
rowsOut.sort((a, b) => b[2] - a[2]);
for (const [file, r, z] of rowsOut) console.log(`${(z / 1024).toFixed(1).padStart(7)} KB gz ${(r / 1024).toFixed(1).padStart(8)} KB  ${file}`);
console.log(`route ${route}: ${files.size} JS files, ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip (limit ${limitKb} KB)`);
process.exit(gz / 1024 > limitKb ? 1 : 0);
