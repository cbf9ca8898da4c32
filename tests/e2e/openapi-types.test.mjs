// The portals' wire types cannot drift from the server: web/src/lib/api/schema.d.ts (committed, what
// web/src/lib/api/types.ts derives every type from) must be exactly what openapi-typescript generates, with
// the fixed options of web/scripts/gen-types.mjs, from the /api/v1/openapi.json the real server serves.
// On a failure, regenerate: `cd web && npm run gen:types -- http://HOST:PORT/api/v1/openapi.json`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, useApp } from './harness.mjs';

const app = useApp({ browser: false });
const { generate, SCHEMA_FILE } = await import(pathToFileURL(path.join(REPO_ROOT, 'web', 'scripts', 'gen-types.mjs')).href);

test('schema.d.ts is what openapi-typescript generates from the served OpenAPI document', async () => {
  const res = await fetch(app.url('/api/v1/openapi.json'));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /json/);
  const doc = await res.json();
  assert.match(String(doc.openapi), /^3\./);
  assert.ok(doc.components?.schemas?.Repair && doc.components.schemas.Notification, 'the document has component schemas');

  const generated = await generate(doc);
  const committed = await readFile(SCHEMA_FILE, 'utf8');
  if (generated !== committed) {
    const a = committed.split('\n');
    const b = generated.split('\n');
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    assert.fail(`web/src/lib/api/schema.d.ts differs from the server's document from line ${i + 1}:\n`
      + `  committed: ${JSON.stringify(a[i])}\n  generated: ${JSON.stringify(b[i])}\n`
      + `Regenerate it: cd web && npm run gen:types -- ${app.url('/api/v1/openapi.json')}`);
  }
});

test('types.ts takes its types from the generated schema', async () => {
  const types = await readFile(path.join(REPO_ROOT, 'web', 'src', 'lib', 'api', 'types.ts'), 'utf8');
  assert.match(types, /from '\.\/schema'/);
  for (const name of ['Repair', 'Notification', 'Event', 'Me', 'Unit', 'Customer']) {
    assert.ok(types.includes(`Schemas['${name}']`), `types.ts derives from components['schemas']['${name}']`);
  }
  assert.doesNotMatch(types, /export interface Repair\b/, 'no hand-written Repair shape');
});
