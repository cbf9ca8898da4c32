// The OpenAPI document the real server serves lints clean with @redocly/cli's recommended rules (issue 15),
// with the few rule settings of tests/openapi/redocly.yaml (each explained there). @redocly/cli is a
// devDependency of web/ (installed by scripts/build-web.sh), so this runs offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, useServer } from '../api/harness.mjs';

const ctx = useServer();
const REDOCLY = path.join(REPO_ROOT, 'web', 'node_modules', '.bin', 'redocly');
const CONFIG = path.join(REPO_ROOT, 'tests', 'openapi', 'redocly.yaml');

function run(cmd, args) {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 16 << 20, timeout: 120_000, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}\n${stderr}` }));
  });
}

test('redocly lint (recommended) passes on /api/v1/openapi.json with no errors and no warnings', { timeout: 180_000 }, async () => {
  assert.ok(existsSync(REDOCLY), `${REDOCLY} is missing: run scripts/build-web.sh (npm ci in web/)`);
  const res = await ctx.server.client().get('/api/v1/openapi.json');
  assert.equal(res.status, 200);
  const file = path.join(ctx.server.dir, 'openapi.json');
  await writeFile(file, res.text);
  const r = await run(REDOCLY, ['lint', '--config', CONFIG, '--format', 'stylish', '--max-problems', '200', file]);
  assert.equal(r.code, 0, `redocly lint failed:\n${r.out}`);
  assert.match(r.out, /Woohoo! Your API description is valid/, `redocly lint did not pass cleanly:\n${r.out}`);
  assert.doesNotMatch(r.out, /You have \d+ warning|Your config has \d+ warning/, `redocly lint warned:\n${r.out}`);
});

test('operationIds are camelCase and unique; every operation has a 4xx problem response', async () => {
  const doc = (await ctx.server.client().get('/api/v1/openapi.json')).body;
  const ids = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      assert.match(op.operationId ?? '', /^[a-z][a-zA-Z0-9]*$/, `${method} ${p}: operationId ${op.operationId}`);
      // named by hand (stable for generated clients), not derived from the path ("getApiV1...")
      assert.doesNotMatch(op.operationId, /ApiV1/, `${method} ${p}: an explicit operationId`);
      ids.push(op.operationId);
      const problems = Object.entries(op.responses).filter(([code]) => /^4\d\d$/.test(code));
      assert.ok(problems.length > 0, `${method} ${p} has a 4xx response`);
      for (const [code, r] of problems) {
        const resolved = r.$ref ? r.$ref.slice(2).split('/').reduce((n, k) => n[k], doc) : r;
        assert.ok(resolved.content['application/problem+json'].schema.$ref.endsWith('/Problem'), `${method} ${p} ${code} is a Problem`);
      }
      if (['post', 'put', 'patch'].includes(method) && op.requestBody) {
        const body = op.requestBody.content['application/json'] ?? op.requestBody.content['multipart/form-data'];
        assert.ok(body?.schema, `${method} ${p} request schema (JSON, or multipart/form-data for uploads)`);
      }
    }
  }
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  for (const id of ['listRepairs', 'moveRepairStatus', 'createRepair', 'login']) assert.ok(ids.includes(id), `operationId ${id}`);
});
