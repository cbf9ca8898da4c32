// The same attachment contract with `[storage] blobs = "database"` (chunks in the blob_chunks table, what
// several instances on one database share): upload, read back whole and in ranges, thumbnail, delete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { useServer, assertProblem, assertStatus } from './harness.mjs';
import { API, repairIn } from './lifecycle_helpers.mjs';
import { jpeg, upload } from './attachments_helpers.mjs';

let serverDir;
const ctx = useServer({
  prepare: async (dir) => {
    serverDir = dir;
    const file = path.join(dir, 'portico.toml');
    await writeFile(file, '[storage]\nblobs = "database"\n');
    return ['--config', file];
  },
});

test('blobs in the database: upload, ranges across chunks, thumbnail, delete', async () => {
  const s = ctx.server;
  const repair = await repairIn(s, 'IN_PROGRESS');
  const tech = await s.bearer('acme', 'technician');
  const doc = Buffer.alloc(500_000);
  for (let i = 0; i < doc.length; i++) doc[i] = 32 + ((i * 7) % 90);
  doc.write('plain text document\n', 0);
  let res = await upload(tech, `${API}/repairs/${repair.id}/attachments`, { data: doc, filename: 'log.txt', type: 'text/plain', fields: { visibility: 'customer' } });
  assertStatus(res, 201);
  const a = res.body;
  assert.equal(a.kind, 'document');
  assert.equal(a.sha256, createHash('sha256').update(doc).digest('hex'));
  const whole = await fetch(s.baseUrl + a.url, { headers: { authorization: `Bearer ${tech.token}` } });
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), doc);
  const part = await fetch(s.baseUrl + a.url, { headers: { authorization: `Bearer ${tech.token}`, range: 'bytes=196600-196620' } });
  assert.equal(part.status, 206);
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), doc.subarray(196600, 196621));
  res = await upload(tech, `${API}/repairs/${repair.id}/attachments`, { data: jpeg(400, 300) });
  assertStatus(res, 201);
  const th = await tech.get(res.body.thumbnail_url);
  assert.equal(th.status, 200);
  assert.equal(th.contentType, 'image/jpeg');
  assert.ok(!existsSync(path.join(serverDir, 'data', 'blobs', a.sha256.slice(0, 2))), 'nothing written under data/blobs');
  assertStatus(await tech.delete(`${API}/attachments/${a.id}`), 204);
  assertProblem(await tech.get(a.url), 404);
});
