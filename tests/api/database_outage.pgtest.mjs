// PostgreSQL unreachable (issue 8, "Failure behaviour"): /readyz answers 503 and requests get a 503
// problem+json (no crash, no hang); when the database is back, the same server answers again by itself.
// Runs on a PostgreSQL cluster of its own (scripts/pg-cluster.sh), which it stops and starts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, stopServer, REPO_ROOT, ON_POSTGRES, assertStatus } from './harness.mjs';

const script = path.join(REPO_ROOT, 'scripts', 'pg-cluster.sh');
let dir;
let server;
const cluster = (cmd) => execFileSync(script, [cmd, path.join(dir, 'pg')], { encoding: 'utf8', timeout: 90_000 }).trim();

before(async () => {
  assert.ok(ON_POSTGRES, 'this suite needs PORTICO_TEST_DATABASE=postgres');
  dir = mkdtempSync(path.join(os.tmpdir(), 'portico-outage-'));
  chmodSync(dir, 0o755);  // the cluster may run as the postgres OS user
  process.env.PORTICO_TEST_PG_URL = cluster('start');
  server = await startServer();
}, { timeout: 120_000 });

after(async () => {
  await stopServer(server);
  try { cluster('stop'); } catch { /* already stopped */ }
  rmSync(dir, { recursive: true, force: true });
}, { timeout: 90_000 });

test('database down: /readyz 503, requests 503 problem+json; back: the server recovers by itself', async () => {
  const manager = await server.login('acme', 'manager');
  assertStatus(await manager.get('/api/v1/repairs'), 200);
  assertStatus(await server.client().get('/readyz'), 200);

  cluster('stop');
  const ready = await server.client().get('/readyz');
  assert.equal(ready.status, 503, `readyz while the database is down: ${ready.summary}`);
  const list = await manager.get('/api/v1/repairs');
  assert.equal(list.status, 503, `a request while the database is down: ${list.summary}`);
  assert.match(list.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(list.body?.status, 503);
  assertStatus(await server.client().get('/healthz'), 200);  // the process itself is fine

  cluster('start');
  let readyAgain = null;
  for (let i = 0; i < 100 && readyAgain?.status !== 200; i++) {
    readyAgain = await server.client().get('/readyz');
    if (readyAgain.status !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(readyAgain.status, 200, `readyz once the database is back: ${readyAgain.summary}`);
  const again = await manager.get('/api/v1/repairs');
  assertStatus(again, 200);  // the same session: nothing was lost
});
