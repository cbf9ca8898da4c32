// `portico db copy --from URL --to URL` (CLI.md): a whole installation into an empty database, verified
// per table; a non-empty target is refused; the copy serves the same data (search included). With
// PORTICO_TEST_DATABASE=postgres it copies PostgreSQL -> SQLite -> a new PostgreSQL database; otherwise
// SQLite -> SQLite. `portico backup` writes a copy that db copy reads back, on either database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli, freshDatabaseUrl, Server, Client, ON_POSTGRES, assertStatus } from './harness.mjs';

let dir;
before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'portico-copy-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

async function summary(databaseUrl) {
  const server = new Server({ dir, databaseUrl, data: null });
  await server.start();
  try {
    const c = new Client(server.baseUrl);
    assertStatus(await c.login('demo', 'manager@demo.portico.test', 'portico-demo'), 200);
    const all = await c.get('/api/v1/repairs?page_size=5&ordering=id');
    assertStatus(all, 200);
    const found = await c.get('/api/v1/repairs?page_size=5&q=chip');
    assertStatus(found, 200);
    return { count: all.body.count, first: all.body.results.map((r) => [r.id, r.status, r.cost]), search: found.body.count };
  } finally {
    const r = await server.stop('SIGTERM');
    assert.equal(r.code, 0, server.stderr.text.slice(-2000));
  }
}

test('copy, verify, refuse a non-empty target, and serve the same data', { timeout: 300_000 }, async () => {
  const source = await freshDatabaseUrl(dir, 'source');
  const demo = await runCli(['demo'], { databaseUrl: source, cwd: dir, timeout: 120_000 });
  assert.equal(demo.code, 0, demo.stderr);

  const middle = `sqlite://${path.join(dir, 'middle.db')}`;
  const target = ON_POSTGRES ? await freshDatabaseUrl(dir, 'target') : `sqlite://${path.join(dir, 'target.db')}`;
  for (const [from, to] of [[source, middle], [middle, target]]) {
    const r = await runCli(['db', 'copy', '--from', from, '--to', to], { cwd: dir, timeout: 120_000 });
    assert.equal(r.code, 0, `db copy ${from} -> ${to}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^verified: \d+ tables, \d+ rows/m, r.stdout);
    assert.match(r.stdout, /^repairs\s+[1-9]\d* rows\s+checksum [0-9a-f]{16}\s+ok$/m, r.stdout);
    assert.doesNotMatch(r.stdout, /DIFFERS/);
  }

  const again = await runCli(['db', 'copy', '--from', source, '--to', target], { cwd: dir, timeout: 120_000 });
  assert.equal(again.code, 1, `a second copy into the same target: ${again.stdout} ${again.stderr}`);
  assert.match(again.stderr, /not empty/);

  const before = await summary(source);
  assert.ok(before.count > 0 && before.search > 0, JSON.stringify(before));
  assert.deepEqual(await summary(target), before, 'the copy serves the same repairs and finds the same by search');

  const backupFile = path.join(dir, 'backup.db');
  const backup = await runCli(['backup', backupFile], { databaseUrl: target, cwd: dir, timeout: 120_000 });
  assert.equal(backup.code, 0, backup.stderr);
  const restored = ON_POSTGRES ? await freshDatabaseUrl(dir, 'restored') : `sqlite://${path.join(dir, 'restored.db')}`;
  const back = await runCli(['db', 'copy', '--from', `sqlite://${backupFile}`, '--to', restored], { cwd: dir, timeout: 120_000 });
  assert.equal(back.code, 0, `${back.stdout}\n${back.stderr}`);
  assert.deepEqual(await summary(restored), before, 'the backup holds the same data');
});
