// Attachments (API.md "Attachments"): upload, list, read, content with ETag and ranges, thumbnails,
// visibility and scopes across customers and tenants, limits and refused types, deleting, the logo.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { useServer, assertProblem, assertStatus, assertPage, Client } from './harness.mjs';
import { API, repairIn } from './lifecycle_helpers.mjs';
import { jpeg, png, mp4, jpegWithExif, multipart, upload } from './attachments_helpers.mjs';

const ctx = useServer({
  prepare: async (dir) => {
    const file = path.join(dir, 'portico.toml');
    await writeFile(file, '[storage]\nmax_image_bytes = 300000\nquota_bytes = 3000000\n');
    return ['--config', file];
  },
});

describe('attachments on repairs', () => {
  let repair; // acme, customer c1
  let photo; // internal photo by the technician
  let shown; // customer-visible photo

  before(async () => {
    const s = ctx.server;
    repair = await repairIn(s, 'IN_PROGRESS');
  });

  test('a technician uploads a photo: metadata stripped, orientation applied, taken_at kept', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    const res = await upload(tech, `${API}/repairs/${repair.id}/attachments`, {
      data: jpegWithExif(64, 32), filename: 'IMG_0001.jpg', fields: { caption: 'Crack, driver side', label: 'damage', visibility: 'internal' },
    });
    assertStatus(res, 201);
    photo = res.body;
    assert.equal(photo.kind, 'image');
    assert.equal(photo.content_type, 'image/jpeg');
    assert.deepEqual(photo.owner, { type: 'repair', id: repair.id });
    assert.equal(photo.filename, 'IMG_0001.jpg');
    assert.equal(photo.width, 32, 'EXIF orientation 6 turns 64x32 upright');
    assert.equal(photo.height, 64);
    assert.equal(photo.taken_at, '2024-05-01T08:20:30Z', 'DateTimeOriginal with OffsetTimeOriginal +02:00');
    assert.equal(photo.caption, 'Crack, driver side');
    assert.equal(photo.label, 'damage');
    assert.equal(photo.visibility, 'internal');
    assert.equal(photo.uploaded_by.id, s.user('acme', 'technician').id);
    assert.equal(photo.duration_seconds, null);
    assert.equal(photo.url, `${API}/attachments/${photo.id}/content`);
    assert.equal(photo.thumbnail_url, `${API}/attachments/${photo.id}/thumbnail`);
    const content = await fetch(s.baseUrl + photo.url, { headers: { authorization: `Bearer ${tech.token}` } });
    assert.equal(content.status, 200);
    const bytes = Buffer.from(await content.arrayBuffer());
    assert.equal(bytes.length, photo.size_bytes);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), photo.sha256);
    assert.equal(bytes.indexOf('Exif'), -1, 'no EXIF left');
    assert.equal(bytes.indexOf('2024:05:01'), -1);
    assert.equal(content.headers.get('content-type'), 'image/jpeg');
    assert.equal(content.headers.get('x-content-type-options'), 'nosniff');
    assert.match(content.headers.get('content-security-policy'), /sandbox/);
    assert.match(content.headers.get('content-disposition'), /^inline; filename="IMG_0001.jpg"/);
    assert.equal(content.headers.get('etag'), `"${photo.sha256}"`);
  });

  test('a customer-visible photo, a video and a document', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    let res = await upload(tech, `${API}/repairs/${repair.id}/attachments`, { data: png(40, 20), filename: 'after.png', type: 'application/octet-stream', fields: { visibility: 'customer', label: 'after' } });
    assertStatus(res, 201);
    shown = res.body;
    assert.equal(shown.content_type, 'image/png');
    assert.equal(shown.taken_at, null);
    res = await upload(tech, `${API}/repairs/${repair.id}/attachments`, { data: mp4(), filename: 'walkaround.mp4', type: 'video/mp4', fields: { visibility: 'customer' } });
    assertStatus(res, 201);
    assert.equal(res.body.kind, 'video');
    assert.equal(res.body.content_type, 'video/mp4');
    assert.equal(res.body.width, 160);
    assert.equal(res.body.height, 120);
    assert.ok(Math.abs(res.body.duration_seconds - 1) < 0.3, `duration ${res.body.duration_seconds}`);
    assert.ok(res.body.thumbnail_url, 'a poster frame');
    const thumb = await tech.get(res.body.thumbnail_url);
    assert.equal(thumb.status, 200);
    assert.equal(thumb.contentType, 'image/jpeg');
    res = await upload(tech, `${API}/repairs/${repair.id}/attachments`, { data: Buffer.from('unit,cost\nA1,10.00\n'), filename: 'costs.csv', type: 'text/csv', fields: { visibility: 'customer' } });
    assertStatus(res, 201);
    assert.equal(res.body.kind, 'document');
    assert.equal(res.body.thumbnail_url, null);
    assert.equal(res.body.label, 'document');
    const doc = await tech.get(res.body.url);
    assert.match(doc.headers.get('content-disposition'), /^attachment; filename="costs.csv"/);
    assertProblem(await tech.get(`${API}/attachments/${res.body.id}/thumbnail`), 404);
  });

  test('thumbnails are JPEG, at most 320 px, cached privately', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    const res = await upload(tech, `${API}/repairs/${repair.id}/attachments`, { data: jpeg(640, 480), filename: 'wide.jpg' });
    assertStatus(res, 201);
    const th = await fetch(s.baseUrl + res.body.thumbnail_url, { headers: { authorization: `Bearer ${tech.token}` } });
    assert.equal(th.status, 200);
    assert.equal(th.headers.get('content-type'), 'image/jpeg');
    assert.match(th.headers.get('cache-control'), /private, max-age=\d+/);
    const buf = Buffer.from(await th.arrayBuffer());
    assert.equal(buf[0], 0xff);
    assert.ok(buf.length < 40000);
  });

  test('ranges, conditional requests', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    const full = await fetch(s.baseUrl + shown.url, { headers: { authorization: `Bearer ${tech.token}` } });
    const all = Buffer.from(await full.arrayBuffer());
    assert.equal(full.headers.get('accept-ranges'), 'bytes');
    const part = await fetch(s.baseUrl + shown.url, { headers: { authorization: `Bearer ${tech.token}`, range: 'bytes=10-19' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 10-19/${all.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), all.subarray(10, 20));
    const tail = await fetch(s.baseUrl + shown.url, { headers: { authorization: `Bearer ${tech.token}`, range: 'bytes=-5' } });
    assert.equal(tail.status, 206);
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), all.subarray(all.length - 5));
    const bad = await fetch(s.baseUrl + shown.url, { headers: { authorization: `Bearer ${tech.token}`, range: `bytes=${all.length}-` } });
    assert.equal(bad.status, 416);
    assert.equal(bad.headers.get('content-range'), `bytes */${all.length}`);
    await bad.arrayBuffer();
    const cached = await fetch(s.baseUrl + shown.url, { headers: { authorization: `Bearer ${tech.token}`, 'if-none-match': `"${shown.sha256}"` } });
    assert.equal(cached.status, 304);
  });

  test('customer users see customer-visible attachments only; internal ones are 404 everywhere', async () => {
    const s = ctx.server;
    for (const key of ['c1_approver', 'c1_requester', 'c1_viewer', 'multi']) {
      const c = await s.bearer('acme', key);
      const list = assertPage(await c.get(`${API}/repairs/${repair.id}/attachments`));
      assert.ok(list.length >= 3, key);
      assert.ok(list.every((a) => a.visibility === 'customer'), `${key} sees only customer files`);
      assert.ok(!list.some((a) => a.id === photo.id));
      assertProblem(await c.get(`${API}/attachments/${photo.id}`), 404);
      assertProblem(await c.get(`${API}/attachments/${photo.id}/content`), 404);
      assertProblem(await c.get(`${API}/attachments/${photo.id}/thumbnail`), 404);
      const ok = await c.get(`${API}/attachments/${shown.id}/content`);
      assert.equal(ok.status, 200, key);
    }
    // events: customers never get the internal attachment's event
    const approver = await s.bearer('acme', 'c1_approver');
    const ev = await approver.get(`${API}/events?after=0`);
    assertStatus(ev, 200);
    const added = ev.body.events.filter((e) => e.type === 'attachment.added');
    assert.ok(added.length >= 3);
    assert.ok(!added.some((e) => e.data.attachment_id === photo.id), 'no event of the internal photo');
    const staffEv = await (await s.bearer('acme', 'manager')).get(`${API}/events?after=0`);
    assert.ok(staffEv.body.events.some((e) => e.type === 'attachment.added' && e.data.attachment_id === photo.id && e.repair_id === repair.id));
  });

  test('out of scope: other customers and other tenants get 404 for metadata, content and thumbnail', async () => {
    const s = ctx.server;
    for (const [tenant, key] of [['acme', 'c2_approver'], ['acme', 'lonely'], ['globex', 'admin'], ['globex', 'c1_approver']]) {
      const c = await s.bearer(tenant, key);
      for (const p of [`${API}/attachments/${shown.id}`, `${API}/attachments/${shown.id}/content`, `${API}/attachments/${shown.id}/thumbnail`, `${API}/repairs/${repair.id}/attachments`]) {
        assertProblem(await c.get(p), 404);
      }
      assertProblem(await c.delete(`${API}/attachments/${shown.id}`), 404);
      assertProblem(await upload(c, `${API}/repairs/${repair.id}/attachments`, { data: jpeg() }), 404);
    }
    assertProblem(await new Client(s.baseUrl).get(`${API}/attachments/${shown.id}/content`, { auth: false }), 401);
  });

  test('customers: requesters and approvers upload customer-visible files, viewers may not', async () => {
    const s = ctx.server;
    const requester = await s.bearer('acme', 'c1_requester');
    const res = await upload(requester, `${API}/repairs/${repair.id}/attachments`, { data: jpeg() });
    assertStatus(res, 201);
    assert.equal(res.body.visibility, 'customer');
    assertProblem(await upload(requester, `${API}/repairs/${repair.id}/attachments`, { data: jpeg(), fields: { visibility: 'internal' } }), 403);
    assertProblem(await upload(await s.bearer('acme', 'c1_viewer'), `${API}/repairs/${repair.id}/attachments`, { data: jpeg() }), 403);
    // the uploader may change its caption and delete it; another customer user may not; visibility is staff only
    const approver = await s.bearer('acme', 'c1_approver');
    assertProblem(await approver.patch(`${API}/attachments/${res.body.id}`, { caption: 'mine now' }), 403);
    assertProblem(await requester.patch(`${API}/attachments/${res.body.id}`, { visibility: 'internal' }), 403);
    const p = await requester.patch(`${API}/attachments/${res.body.id}`, { caption: 'Front view', label: 'before' });
    assertStatus(p, 200);
    assert.equal(p.body.caption, 'Front view');
    assertProblem(await approver.delete(`${API}/attachments/${res.body.id}`), 403);
    assertStatus(await requester.delete(`${API}/attachments/${res.body.id}`), 204);
    assertProblem(await requester.get(`${API}/attachments/${res.body.id}`), 404);
  });

  test('refused: types outside the list 415, bytes that do not decode 400, too large 413, not multipart 415', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    const url = `${API}/repairs/${repair.id}/attachments`;
    const html = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n');
    assertProblem(await upload(tech, url, { data: html, filename: 'photo.jpg', type: 'image/jpeg' }), 415);
    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n');
    assertProblem(await upload(tech, url, { data: svg, filename: 'x.png', type: 'image/png' }), 415);
    const zip = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00\x00\x00', 'latin1'), Buffer.alloc(60)]);
    assertProblem(await upload(tech, url, { data: zip, filename: 'x.pdf' }), 415);
    const j = jpeg(200, 200);
    assertProblem(await upload(tech, url, { data: j.subarray(0, j.length >> 1) }), 400);
    const big = jpeg(1000, 800, { noisy: true });
    assert.ok(big.length > 300000, `test image of ${big.length} bytes`);
    assertProblem(await upload(tech, url, { data: big }), 413); // over storage.max_image_bytes 300000
    assertProblem(await tech.post(url, { file: 'x' }), 415);
    const noFile = multipart([{ name: 'caption', value: 'x' }]);
    assertProblem(await tech.request('POST', url, { body: noFile.body, headers: { 'content-type': noFile.contentType } }), 400, ['file']);
    const cut = multipart([{ name: 'file', filename: 'a.jpg', data: jpeg() }]);
    assertProblem(await tech.request('POST', url, { body: cut.body.subarray(0, cut.body.length - 10), headers: { 'content-type': cut.contentType } }), 400);
    assertProblem(await upload(tech, url, { data: jpeg(), fields: { label: 'nice' } }), 400, ['label']);
    assertProblem(await upload(tech, url, { data: jpeg(), fields: { caption: 'c'.repeat(501) } }), 400, ['caption']);
    const after = assertPage(await tech.get(url));
    assert.ok(!after.some((a) => a.filename === 'x.pdf' || a.caption === 'x'), 'nothing stored');
  });

  test('quota: 413 quota-exceeded once the tenant stores too much', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    const url = `${API}/repairs/${repair.id}/attachments`;
    const doc = Buffer.alloc(250000, 'a');
    let last;
    for (let i = 0; i < 14; i++) {
      doc.write(`line ${i} `, 0);
      last = await upload(tech, url, { data: doc, filename: `big${i}.txt`, type: 'text/plain' });
      if (last.status !== 201) break;
    }
    assertProblem(last, 413);
    assert.match(last.body.type, /\/quota-exceeded$/);
    // the other tenant is not affected
    const other = await repairIn(s, 'IN_PROGRESS', { tenant: 'globex' });
    assertStatus(await upload(await s.bearer('globex', 'technician'), `${API}/repairs/${other.id}/attachments`, { data: jpeg() }), 201);
  });

  test('staff change visibility; deleting removes the file', async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const p = await manager.patch(`${API}/attachments/${photo.id}`, { visibility: 'customer' });
    assertStatus(p, 200);
    assert.equal(p.body.visibility, 'customer');
    assertStatus(await (await s.bearer('acme', 'c1_viewer')).get(`${API}/attachments/${photo.id}`), 200);
    assertStatus(await manager.delete(`${API}/attachments/${photo.id}`), 204);
    assertProblem(await manager.get(`${API}/attachments/${photo.id}/content`), 404);
    const ev = await manager.get(`${API}/events?after=0`);
    assert.ok(ev.body.events.some((e) => e.type === 'attachment.removed' && e.data.attachment_id === photo.id));
  });
});

describe('the tenant logo', () => {
  test('admin uploads a logo: scaled PNG, served publicly, logo_url set; null removes it', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const anon = new Client(s.baseUrl);
    let b = await anon.get(`${API}/tenants/acme/branding`);
    assert.equal(b.body.logo_url, null);
    assertProblem(await anon.get(`${API}/tenants/acme/logo`), 404);
    assertProblem(await upload(await s.bearer('acme', 'manager'), `${API}/tenants/acme/logo`, { data: png(), method: 'PUT' }), 403);
    assertProblem(await upload(admin, `${API}/tenants/globex/logo`, { data: png(), method: 'PUT' }), 404);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>\n');
    assertProblem(await upload(admin, `${API}/tenants/acme/logo`, { data: svg, filename: 'logo.svg', method: 'PUT' }), 415);
    const res = await upload(admin, `${API}/tenants/acme/logo`, { data: jpeg(1024, 256), filename: 'logo.jpg', method: 'PUT' });
    assertStatus(res, 200);
    assert.match(res.body.logo_url, /^\/api\/v1\/tenants\/acme\/logo\?v=[0-9a-f]{12}$/);
    const logo = await fetch(s.baseUrl + res.body.logo_url);
    assert.equal(logo.status, 200);
    assert.equal(logo.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await logo.arrayBuffer());
    assert.equal(bytes.readUInt32BE(16), 512, 'width scaled to 512');
    assert.equal(bytes.readUInt32BE(20), 128);
    b = await anon.get(`${API}/tenants/acme/branding`);
    assert.equal(b.body.logo_url, res.body.logo_url);
    const prefix = res.body.logo_url.split('v=')[1];
    const shard = path.join(s.dir, 'data', 'blobs', prefix.slice(0, 2));
    const stored = () => (existsSync(shard) ? readdirSync(shard).filter((f) => f.startsWith(prefix)) : []);
    assert.equal(stored().length, 1, 'the logo is stored under data/blobs');
    // a branding PUT with logo_url null removes it
    const put = await admin.put(`${API}/tenants/acme/branding`, { ...b.body, logo_url: null });
    assertStatus(put, 200);
    assert.equal(put.body.logo_url, null);
    assertProblem(await anon.get(`${API}/tenants/acme/logo`), 404);
    // ... and its stored file (file://data/blobs/ab/cdef...): nothing else used it
    assert.deepEqual(stored(), [], 'the removed logo\'s blob is deleted');
    // upload again, then DELETE
    assertStatus(await upload(admin, `${API}/tenants/acme/logo`, { data: png(), method: 'PUT' }), 200);
    const del = await admin.delete(`${API}/tenants/acme/logo`);
    assertStatus(del, 200);
    assert.equal(del.body.logo_url, null);
  });
});
