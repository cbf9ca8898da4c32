// Announcements (API.md "Support content"): staff CRUD, addressing, the active window, live events.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage, RFC3339_UTC } from './harness.mjs';
import { poll, lastId, eventually } from './events_helpers.mjs';

const ctx = useServer();
const API = '/api/v1';
let seq = 0;
const uniq = (tag) => `${tag} ${++seq}`;
const iso = (offsetSeconds) => new Date(Math.floor(Date.now() / 1000 + offsetSeconds) * 1000).toISOString().replace('.000Z', 'Z');

async function announce(tenant, fields = {}, who = 'admin') {
  const c = await ctx.server.bearer(tenant, who);
  const res = await c.post(`${API}/announcements`, { title: uniq('Notice'), body: 'Body', severity: 'info', ...fields });
  assertStatus(res, 201);
  return res.body;
}

async function activeIds(tenant, who) {
  const c = await ctx.server.bearer(tenant, who);
  return assertPage(await c.get(`${API}/announcements?active=true&page_size=200`)).map((a) => a.id);
}

describe('announcements', () => {
  test('create: shape, defaults, permissions', async () => {
    const a = await announce('acme', { severity: 'outage', body: 'Line 1\nLine 2' });
    for (const k of ['id', 'title', 'body', 'severity', 'starts_at', 'ends_at', 'customer_ids', 'created_at']) {
      assert.ok(k in a, k);
    }
    assert.match(a.starts_at, RFC3339_UTC);
    assert.equal(a.ends_at, null);
    assert.deepEqual(a.customer_ids, []);
    assert.equal(a.body, 'Line 1\nLine 2');
    await announce('acme', {}, 'manager');
    for (const who of ['technician', 'c1_approver']) {
      const c = await ctx.server.bearer('acme', who);
      assertProblem(await c.post(`${API}/announcements`, { title: 'x', severity: 'info' }), 403);
    }
    assertProblem(await ctx.server.client().get(`${API}/announcements`), 401);
  });

  test('validation: ends_at before starts_at, severity, lengths, foreign customers', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    const base = { title: 'T', severity: 'info' };
    assertProblem(await c.post(`${API}/announcements`, { ...base, starts_at: iso(3600), ends_at: iso(60) }), 400, ['ends_at']);
    assertProblem(await c.post(`${API}/announcements`, { ...base, severity: 'critical' }), 400, ['severity']);
    assertProblem(await c.post(`${API}/announcements`, { ...base, title: '' }), 400, ['title']);
    assertProblem(await c.post(`${API}/announcements`, { ...base, title: 't'.repeat(201) }), 400, ['title']);
    assertProblem(await c.post(`${API}/announcements`, { ...base, body: 'b'.repeat(2001) }), 400, ['body']);
    assertProblem(await c.post(`${API}/announcements`, { ...base, starts_at: 'tomorrow' }), 400, ['starts_at']);
    assertProblem(await c.post(`${API}/announcements`, { ...base, customer_ids: [ctx.server.customer('globex', 'c1').id] }),
      400, ['customer_ids']);
    assertProblem(await c.post(`${API}/announcements`, { ...base, customer_ids: ['1'] }), 400, ['customer_ids']);
    assertProblem(await c.post(`${API}/announcements`, { ...base, extra: 1 }), 400, ['extra']);
    const a = await announce('acme');
    assertProblem(await c.patch(`${API}/announcements/${a.id}`, { ends_at: '2000-01-01T00:00:00Z' }), 400, ['ends_at']);
    const again = await c.get(`${API}/announcements/${a.id}`);
    assert.equal(again.body.ends_at, null, 'a rejected PATCH changes nothing');
  });

  test('addressing: all customers, one customer; nothing outside the window', async () => {
    const all = await announce('acme', { title: uniq('For everyone') });
    const c1Only = await announce('acme', { title: uniq('For c1 only'), customer_ids: [ctx.server.customer('acme', 'c1').id] });
    const future = await announce('acme', { starts_at: iso(3600) });
    const past = await announce('acme', { starts_at: iso(-7200), ends_at: iso(-3600) });

    const c1 = await activeIds('acme', 'c1_viewer');
    assert.ok(c1.includes(all.id) && c1.includes(c1Only.id), 'c1 sees both');
    const c2 = await activeIds('acme', 'c2_viewer');
    assert.ok(c2.includes(all.id), 'c2 sees the one for all');
    assert.ok(!c2.includes(c1Only.id), 'c2 does not see the one for c1');
    for (const ids of [c1, c2]) {
      assert.ok(!ids.includes(future.id) && !ids.includes(past.id), 'nothing outside its window');
    }
    assert.deepEqual(await activeIds('acme', 'lonely'), [], 'a customer user without customers sees none');

    // Without ?active a customer user still gets only active ones; staff get everything.
    const cv = await ctx.server.bearer('acme', 'c1_viewer');
    const plain = assertPage(await cv.get(`${API}/announcements?page_size=200`)).map((a) => a.id);
    assert.ok(!plain.includes(future.id) && !plain.includes(past.id));
    const staff = assertPage(await (await ctx.server.bearer('acme', 'technician')).get(`${API}/announcements?page_size=200`))
      .map((a) => a.id);
    for (const a of [all, c1Only, future, past]) assert.ok(staff.includes(a.id), `staff see ${a.id}`);
    const staffActive = await activeIds('acme', 'manager');
    assert.ok(!staffActive.includes(future.id) && !staffActive.includes(past.id) && staffActive.includes(all.id));

    // By id: out of scope or window is 404 for customers.
    const c2c = await ctx.server.bearer('acme', 'c2_approver');
    assertProblem(await c2c.get(`${API}/announcements/${c1Only.id}`), 404);
    assertProblem(await c2c.get(`${API}/announcements/${future.id}`), 404);
    assertStatus(await c2c.get(`${API}/announcements/${all.id}`), 200);
    assertProblem(await c2c.patch(`${API}/announcements/${c1Only.id}`, { title: 'x' }), 404);
    assertProblem(await c2c.patch(`${API}/announcements/${all.id}`, { title: 'x' }), 403);
  });

  test('a customer user of several customers sees only its own ids in customer_ids', async () => {
    const a = await announce('acme', { customer_ids: [ctx.server.customer('acme', 'c1').id, ctx.server.customer('acme', 'c2').id] });
    const c = await ctx.server.bearer('acme', 'c1_approver');
    const got = await c.get(`${API}/announcements/${a.id}`);
    assertStatus(got, 200);
    assert.deepEqual(got.body.customer_ids, [ctx.server.customer('acme', 'c1').id]);
  });

  test("another tenant's announcements are 404 and never listed", async () => {
    const g = await announce('globex', { title: uniq('Globex outage'), severity: 'outage' });
    for (const who of ['admin', 'c1_approver']) {
      const c = await ctx.server.bearer('acme', who);
      assertProblem(await c.get(`${API}/announcements/${g.id}`), 404);
      const res = await c.get(`${API}/announcements?page_size=200`);
      assert.ok(!assertPage(res).some((a) => a.id === g.id));
    }
    const a = await ctx.server.bearer('acme', 'admin');
    assertProblem(await a.patch(`${API}/announcements/${g.id}`, { title: 'mine' }), 404);
    assertProblem(await a.delete(`${API}/announcements/${g.id}`), 404);
  });

  test('PATCH and DELETE (admin, manager)', async () => {
    const m = await ctx.server.bearer('acme', 'manager');
    const a = await announce('acme');
    const res = await m.patch(`${API}/announcements/${a.id}`, { severity: 'warning', ends_at: iso(600), customer_ids: [ctx.server.customer('acme', 'c2').id] });
    assertStatus(res, 200);
    assert.equal(res.body.severity, 'warning');
    assert.deepEqual(res.body.customer_ids, [ctx.server.customer('acme', 'c2').id]);
    assert.ok(!(await activeIds('acme', 'c1_viewer')).includes(a.id));
    assert.ok((await activeIds('acme', 'c2_viewer')).includes(a.id));
    const back = await m.patch(`${API}/announcements/${a.id}`, { ends_at: null, customer_ids: [] });
    assert.equal(back.body.ends_at, null);
    assertProblem(await (await ctx.server.bearer('acme', 'technician')).delete(`${API}/announcements/${a.id}`), 403);
    assertStatus(await m.delete(`${API}/announcements/${a.id}`), 204);
    assertProblem(await m.get(`${API}/announcements/${a.id}`), 404);
  });

  test('events: announcement.created reaches the addressed customers and staff, not the others', async () => {
    const c1 = await ctx.server.bearer('acme', 'c1_viewer');
    const c2 = await ctx.server.bearer('acme', 'c2_viewer');
    const staff = await ctx.server.bearer('acme', 'technician');
    const g = await ctx.server.bearer('globex', 'c1_viewer');
    const from = { c1: await lastId(c1), c2: await lastId(c2), staff: await lastId(staff), g: await lastId(g) };
    const one = await announce('acme', { customer_ids: [ctx.server.customer('acme', 'c1').id], severity: 'outage' });
    const all = await announce('acme');
    const seen = async (client, after) => (await poll(client, after, 0)).events
      .filter((e) => e.type.startsWith('announcement.')).map((e) => `${e.type}:${e.data.announcement_id}`);
    const c1Seen = await seen(c1, from.c1);
    assert.ok(c1Seen.includes(`announcement.created:${one.id}`) && c1Seen.includes(`announcement.created:${all.id}`), c1Seen.join());
    const c2Seen = await seen(c2, from.c2);
    assert.ok(!c2Seen.includes(`announcement.created:${one.id}`), c2Seen.join());
    assert.ok(c2Seen.includes(`announcement.created:${all.id}`), c2Seen.join());
    const staffSeen = await seen(staff, from.staff);
    assert.ok(staffSeen.includes(`announcement.created:${one.id}`) && staffSeen.includes(`announcement.created:${all.id}`));
    assert.deepEqual(await seen(g, from.g), [], 'nothing crosses tenants');

    const m = await ctx.server.bearer('acme', 'manager');
    assertStatus(await m.patch(`${API}/announcements/${one.id}`, { title: 'Updated' }), 200);
    assert.ok((await seen(c1, from.c1)).includes(`announcement.updated:${one.id}`));
    assert.ok(!(await seen(c2, from.c2)).includes(`announcement.updated:${one.id}`));
  });

  test('a long-poll waiting customer is woken by a new announcement', async () => {
    const c2 = await ctx.server.bearer('acme', 'c2_requester');
    const after = await lastId(c2);
    const waiting = poll(c2, after, 20);
    await new Promise((r) => setTimeout(r, 200));
    const a = await announce('acme', { severity: 'outage' });
    const { events } = await waiting;
    assert.ok(events.some((e) => e.type === 'announcement.created' && e.data.announcement_id === a.id), JSON.stringify(events));
  });

  test('when a scheduled announcement starts, its customers get announcement.updated', async () => {
    const c1 = await ctx.server.bearer('acme', 'c1_requester');
    const after = await lastId(c1);
    const a = await announce('acme', { starts_at: iso(2), customer_ids: [ctx.server.customer('acme', 'c1').id] });
    assert.ok(!(await activeIds('acme', 'c1_requester')).includes(a.id), 'not active yet');
    const started = await eventually(async () => {
      const { events } = await poll(c1, after, 5);
      return events.some((e) => e.type === 'announcement.updated' && e.data.announcement_id === a.id && e.data.started === true);
    }, 15000, 200);
    assert.ok(started, 'announcement.updated with started: true arrived');
    assert.ok((await activeIds('acme', 'c1_requester')).includes(a.id), 'active now');
  });
});
