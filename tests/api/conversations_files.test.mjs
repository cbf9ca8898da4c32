// Message attachments (issue 11; API.md "Conversations"): multipart posts with body and up to 10 files,
// scoped like the channel, and gone (404 by id, content and thumbnail) once the message is deleted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus } from './harness.mjs';
import { API, uniq, newUser } from './lifecycle_helpers.mjs';
import { jpeg, multipart } from './attachments_helpers.mjs';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const ctx = useServer();
const as = (who, tenant = 'acme') => ctx.server.bearer(tenant, who);
const cid = (key, tenant = 'acme') => ctx.server.customer(tenant, key).id;

function postFiles(client, channel, { body, files = 1, extra = [] } = {}) {
  const parts = [];
  if (body !== undefined) parts.push({ name: 'body', value: body });
  for (let i = 0; i < files; i++) parts.push({ name: 'file', filename: `p${i}.jpg`, type: 'image/jpeg', data: jpeg(40 + i, 30) });
  parts.push(...extra);
  const m = multipart(parts);
  return client.request('POST', `${API}/channels/${channel}/messages`, { body: m.body, headers: { 'content-type': m.contentType } });
}

/** Files under the server's file:// blob store (data/blobs/ab/...). */
function blobFiles() {
  const root = path.join(ctx.server.dir, 'data', 'blobs');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).filter((n) => !n.startsWith('.'));
}

describe('message attachments', () => {
  test('deleting a channel deletes its messages\' attachments and the blobs nothing else uses', async () => {
    const admin = await as('admin');
    const ch = await admin.post(`${API}/channels`, { kind: 'internal', name: uniq('Evidence') });
    assertStatus(ch, 201);
    const before = new Set(blobFiles());
    const parts = [{ name: 'body', value: 'unique photos' },
      { name: 'file', filename: 'a.jpg', type: 'image/jpeg', data: jpeg(97, 61) },
      { name: 'file', filename: 'b.jpg', type: 'image/jpeg', data: jpeg(83, 59) }];
    const m = multipart(parts);
    const posted = await admin.request('POST', `${API}/channels/${ch.body.id}/messages`, { body: m.body, headers: { 'content-type': m.contentType } });
    assertStatus(posted, 201);
    const ids = posted.body.attachments.map((a) => a.id);
    const added = blobFiles().filter((f) => !before.has(f));
    assert.ok(added.length >= 2, `the files are stored (${added.length} new blobs)`);
    assertStatus(await admin.delete(`${API}/channels/${ch.body.id}`), 204);
    for (const id of ids) assertProblem(await admin.get(`${API}/attachments/${id}`), 404);
    const left = new Set(blobFiles());
    assert.deepEqual(added.filter((f) => left.has(f)), [], 'their blobs are deleted');
  });

  test('multipart: body and files, scoped by the channel, 404 once the message is deleted', async () => {
    const ch = (await (await as('admin')).get(`${API}/customers/${cid('c1')}/channel`)).body;
    const res = await postFiles(await as('c1_requester'), ch.id, { body: 'two photos', files: 2 });
    assertStatus(res, 201);
    assert.equal(res.body.body, 'two photos');
    assert.equal(res.body.attachments.length, 2);
    const a = res.body.attachments[0];
    assert.deepEqual(a.owner, { type: 'message', id: res.body.id });
    assert.equal(a.visibility, 'customer');
    const onlyFile = await postFiles(await as('c1_requester'), ch.id, { files: 1 });
    assertStatus(onlyFile, 201);
    assert.equal(onlyFile.body.body, '');

    for (const who of ['c1_viewer', 'technician', 'admin']) {
      const c = await as(who);
      assertStatus(await c.get(`${API}/attachments/${a.id}`), 200);
      assertStatus(await c.get(`${API}/attachments/${a.id}/content`), 200);
    }
    for (const who of ['c2_approver', 'lonely']) {
      const c = await as(who);
      assertProblem(await c.get(`${API}/attachments/${a.id}`), 404);
      assertProblem(await c.get(`${API}/attachments/${a.id}/content`), 404);
      assertProblem(await c.get(`${API}/attachments/${a.id}/thumbnail`), 404);
    }
    assertProblem(await (await as('admin', 'globex')).get(`${API}/attachments/${a.id}`), 404);

    assertStatus(await (await as('c1_requester')).delete(`${API}/messages/${res.body.id}`), 204);
    for (const who of ['c1_requester', 'technician', 'admin']) {
      const c = await as(who);
      assertProblem(await c.get(`${API}/attachments/${a.id}`), 404);
      assertProblem(await c.get(`${API}/attachments/${a.id}/content`), 404);
      assertProblem(await c.get(`${API}/attachments/${a.id}/thumbnail`), 404);
    }
  });

  test('limits and rules: 10 files at most, viewers 403, empty without files 400, unknown part 400, wrong type 415', async () => {
    const ch = (await (await as('admin')).get(`${API}/customers/${cid('c1')}/channel`)).body;
    assertProblem(await postFiles(await as('c1_viewer'), ch.id, { body: 'x' }), 403);
    assertProblem(await postFiles(await as('c1_requester'), ch.id, { body: '  ', files: 0 }), 400, ['body']);
    assertProblem(await postFiles(await as('c1_requester'), ch.id, { body: 'x', files: 11 }), 400);
    assertProblem(await postFiles(await as('c1_requester'), ch.id, { body: 'x', files: 0, extra: [{ name: 'color', value: 'red' }] }), 400, ['color']);
    const exe = multipart([{ name: 'body', value: 'x' }, { name: 'file', filename: 'a.exe', type: 'application/octet-stream', data: Buffer.from('MZ\x90\x00binary') }]);
    assertProblem(await (await as('c1_requester')).request('POST', `${API}/channels/${ch.id}/messages`,
      { body: exe.body, headers: { 'content-type': exe.contentType } }), 415);
    const ten = await postFiles(await as('technician'), ch.id, { body: uniq('ten'), files: 10 });
    assertStatus(ten, 201);
    assert.equal(ten.body.attachments.length, 10);
    assertProblem(await (await as('c1_requester')).request('POST', `${API}/channels/${ch.id}/messages`,
      { body: 'body=x', headers: { 'content-type': 'text/plain' } }), 415);
  });

  test('a direct channel\'s files: only its two members', async () => {
    const second = await newUser(ctx.server, 'acme', 'technician');
    const d = (await (await as('technician')).post(`${API}/channels`, { kind: 'direct', member_ids: [second.user.id] })).body;
    const res = await postFiles(await as('technician'), d.id, { body: 'private photo' });
    assertStatus(res, 201);
    const a = res.body.attachments[0];
    assert.equal(a.visibility, 'internal');
    assertStatus(await second.client.get(`${API}/attachments/${a.id}`), 200);
    for (const who of ['admin', 'manager', 'c1_approver']) {
      assertProblem(await (await as(who)).get(`${API}/attachments/${a.id}`), 404);
      assertProblem(await (await as(who)).get(`${API}/attachments/${a.id}/content`), 404);
    }
  });
});
