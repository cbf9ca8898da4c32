// Seeds for the json_body and http fuzz targets from the API tests' own requests (issue 15):
//   PORTICO_FUZZ_RECORD=/tmp/rec node --test tests/api/...      (the harness appends each JSON request)
//   curl -s http://HOST/api/v1/openapi.json > /tmp/openapi.json  (a running `portico serve`)
//   node fuzz/make_seeds.mjs /tmp/rec /tmp/openapi.json
// Each recorded request is matched to its route in the OpenAPI document (method + path template); for every
// route that takes a JSON body it writes up to PER_ROUTE distinct bodies (the shortest first, each under
// MAX_BYTES) to fuzz/corpus/json_body/OPERATIONID-N ("METHOD /template" line, then the body), and the first
// one as a whole authenticated request to fuzz/corpus/http/api-OPERATIONID (ids 1: the fixture's customer
// and repair). Files it wrote before (named after an operation) are replaced; hand-written seeds stay.
import { readdirSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PER_ROUTE = 3;
const MAX_BYTES = 4096;
const here = path.dirname(fileURLToPath(import.meta.url));
const [recDir, openapiFile] = process.argv.slice(2);
if (!recDir || !openapiFile) {
  console.error('usage: node fuzz/make_seeds.mjs RECORD_DIR OPENAPI_JSON');
  process.exit(2);
}
const doc = JSON.parse(readFileSync(openapiFile, 'utf8'));
const routes = [];
for (const [template, ops] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(ops)) {
    const json = op.requestBody?.content?.['application/json'];
    if (!json || !op.operationId) continue;
    routes.push({ method: method.toUpperCase(), template, segments: template.split('/'), id: op.operationId });
  }
}
const operationIds = new Set(routes.map((r) => r.id));

function routeOf(method, urlPath) {
  const segs = urlPath.split('?')[0].split('/');
  return routes.find((r) => r.method === method && r.segments.length === segs.length &&
    r.segments.every((s, i) => (s.startsWith('{') && s.endsWith('}')) || s === segs[i]));
}

const bodies = new Map();  // operationId -> {route, set of bodies}
for (const file of readdirSync(recDir).filter((f) => f.endsWith('.jsonl'))) {
  for (const line of readFileSync(path.join(recDir, file), 'utf8').split('\n')) {
    if (!line) continue;
    const { method, path: urlPath, body } = JSON.parse(line);
    const route = routeOf(method, urlPath);
    if (!route || body.length > MAX_BYTES) continue;
    if (!bodies.has(route.id)) bodies.set(route.id, { route, set: new Set() });
    bodies.get(route.id).set.add(body);
  }
}

// Replace what an earlier run wrote (files named after an operation).
const jsonDir = path.join(here, 'corpus', 'json_body');
const httpDir = path.join(here, 'corpus', 'http');
mkdirSync(jsonDir, { recursive: true });
for (const f of readdirSync(jsonDir)) {
  if (operationIds.has(f.replace(/-\d+$/, ''))) rmSync(path.join(jsonDir, f));
}
for (const f of readdirSync(httpDir)) {
  if (f.startsWith('api-') && operationIds.has(f.slice(4))) rmSync(path.join(httpDir, f));
}

let n = 0;
for (const [id, { route, set }] of [...bodies].sort()) {
  // Varied, small: the shortest, the longest and one in between.
  const sorted = [...set].sort((a, b) => a.length - b.length);
  const picks = [...new Set([sorted[0], sorted[sorted.length - 1], sorted[Math.floor(sorted.length / 2)]])].slice(0, PER_ROUTE);
  picks.forEach((body, i) => {
    writeFileSync(path.join(jsonDir, `${id}-${i + 1}`), `${route.method} ${route.template}\n${body}`);
    n += 1;
  });
  const target = route.template.replace(/\{slug\}/g, 'fuzz').replace(/\{[^}]+\}/g, '1');
  const body = picks[0];
  writeFileSync(path.join(httpDir, `api-${id}`),
    `${route.method} ${target} HTTP/1.1\r\nHost: fuzz\r\nCookie: portico_session=@S@\r\nX-CSRF-Token: @C@\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
const missing = routes.filter((r) => !bodies.has(r.id)).map((r) => `${r.method} ${r.template}`);
console.log(`${n} json_body seeds for ${bodies.size} of ${routes.length} body routes; ${bodies.size} http seeds`);
if (missing.length) console.log(`no recorded body for: ${missing.join(', ')}`);
