// Support content (API.md "Support content"): the FAQ (public, staff CRUD, reorder) and technician
// profiles, which must never reach a customer user.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage, RFC3339_UTC } from './harness.mjs';

const ctx = useServer();
const API = '/api/v1';
let seq = 0;
const uniq = (tag) => `${tag} ${++seq}`;

async function createFaq(tenant, fields = {}, who = 'admin') {
  const c = await ctx.server.bearer(tenant, who);
  const res = await c.post(`${API}/faq`, { question: uniq('Q?'), answer: 'An answer.', ...fields });
  assertStatus(res, 201);
  return res.body;
}

function assertFaqShape(f, summary) {
  for (const k of ['id', 'question', 'answer', 'position', 'published', 'created_at', 'updated_at']) {
    assert.ok(k in f, `faq has "${k}": ${summary}`);
  }
  assert.equal(typeof f.published, 'boolean', summary);
  assert.ok(Number.isInteger(f.position), summary);
  assert.match(f.created_at, RFC3339_UTC, summary);
}

describe('FAQ', () => {
  test('admin and manager create entries; technicians and customer users get 403', async () => {
    for (const who of ['admin', 'manager']) {
      const f = await createFaq('acme', { published: true }, who);
      assertFaqShape(f, JSON.stringify(f));
      assert.equal(f.published, true);
    }
    for (const who of ['technician', 'c1_approver', 'c1_viewer']) {
      const c = await ctx.server.bearer('acme', who);
      assertProblem(await c.post(`${API}/faq`, { question: 'Q', answer: 'A' }), 403);
    }
    assertProblem(await ctx.server.client().post(`${API}/faq`, { question: 'Q', answer: 'A' }), 401);
  });

  test('entries are unpublished by default and placed after the last one', async () => {
    const a = await createFaq('acme');
    const b = await createFaq('acme');
    assert.equal(a.published, false);
    assert.ok(b.position > a.position, `${a.position} < ${b.position}`);
  });

  test('the public list shows published entries only, by position, without login', async () => {
    const pub = await createFaq('acme', { published: true, position: 0, question: uniq('First public') });
    const hidden = await createFaq('acme', { published: false, question: uniq('Hidden draft') });
    const res = await ctx.server.client().get(`${API}/tenants/acme/faq?page_size=200`);
    const list = assertPage(res);
    assert.ok(list.every((f) => f.published === true), res.summary);
    assert.ok(list.some((f) => f.id === pub.id), res.summary);
    assert.ok(!list.some((f) => f.id === hidden.id), `unpublished absent: ${res.summary}`);
    assert.ok(!res.text.includes('Hidden draft'), 'no unpublished text anywhere in the answer');
    const positions = list.map((f) => f.position);
    assert.deepEqual(positions, [...positions].sort((x, y) => x - y), 'ascending position');
    assert.equal(list[0].id, pub.id, 'position 0 comes first');
    assertProblem(await ctx.server.client().get(`${API}/tenants/no-such-shop/faq`), 404);
  });

  test('staff see unpublished entries; customer users only published ones, unpublished by id is 404', async () => {
    const hidden = await createFaq('acme', { published: false });
    const shown = await createFaq('acme', { published: true });
    for (const who of ['admin', 'manager', 'technician']) {
      const c = await ctx.server.bearer('acme', who);
      const list = assertPage(await c.get(`${API}/faq?page_size=200`));
      assert.ok(list.some((f) => f.id === hidden.id), `${who} sees the draft`);
      assertStatus(await c.get(`${API}/faq/${hidden.id}`), 200);
    }
    for (const who of ['c1_approver', 'c2_viewer', 'lonely']) {
      const c = await ctx.server.bearer('acme', who);
      const list = assertPage(await c.get(`${API}/faq?page_size=200`));
      assert.ok(!list.some((f) => f.id === hidden.id), `${who} does not see the draft`);
      assert.ok(list.every((f) => f.published), who);
      assert.ok(list.some((f) => f.id === shown.id), `${who} sees the published entry`);
      assertProblem(await c.get(`${API}/faq/${hidden.id}`), 404);
      assertProblem(await c.patch(`${API}/faq/${hidden.id}`, { answer: 'x' }), 404);
      assertProblem(await c.delete(`${API}/faq/${hidden.id}`), 404);
      assertStatus(await c.get(`${API}/faq/${shown.id}`), 200);
      assertProblem(await c.patch(`${API}/faq/${shown.id}`, { answer: 'x' }), 403);
    }
    assertProblem(await ctx.server.client().get(`${API}/faq`), 401);
  });

  test("another tenant's entries are 404 and never listed", async () => {
    const g = await createFaq('globex', { published: true, question: uniq('Globex only') });
    const a = await ctx.server.bearer('acme', 'admin');
    assertProblem(await a.get(`${API}/faq/${g.id}`), 404);
    assertProblem(await a.patch(`${API}/faq/${g.id}`, { answer: 'mine now' }), 404);
    assertProblem(await a.delete(`${API}/faq/${g.id}`), 404);
    const list = assertPage(await a.get(`${API}/faq?page_size=200`));
    assert.ok(!list.some((f) => f.id === g.id));
    const pub = assertPage(await ctx.server.client().get(`${API}/tenants/acme/faq?page_size=200`));
    assert.ok(!pub.some((f) => f.id === g.id));
    const c = await ctx.server.bearer('acme', 'c1_approver');
    assertProblem(await c.get(`${API}/faq/${g.id}`), 404);
  });

  test('validation: lengths, types, unknown fields; nothing changes', async () => {
    const a = await ctx.server.bearer('acme', 'admin');
    assertProblem(await a.post(`${API}/faq`, { question: '', answer: 'A' }), 400, ['question']);
    assertProblem(await a.post(`${API}/faq`, { question: '   ', answer: 'A' }), 400, ['question']);
    assertProblem(await a.post(`${API}/faq`, { question: 'Q'.repeat(301), answer: 'A' }), 400, ['question']);
    assertProblem(await a.post(`${API}/faq`, { question: 'Q', answer: 'A'.repeat(5001) }), 400, ['answer']);
    assertProblem(await a.post(`${API}/faq`, { question: 'Q', answer: '' }), 400, ['answer']);
    assertProblem(await a.post(`${API}/faq`, { question: 'Q', answer: 'A', published: 'yes' }), 400, ['published']);
    assertProblem(await a.post(`${API}/faq`, { question: 'Q', answer: 'A', colour: 'red' }), 400, ['colour']);
    assertProblem(await a.post(`${API}/faq`, { question: 'Q', answer: 'A', position: -1 }), 400, ['position']);
    assertProblem(await a.post(`${API}/faq`, { question: 'Q', answer: 'A', position: 1.5 }), 400, ['position']);
    // 300 characters of a multi-byte letter are fine (characters, not bytes).
    assertStatus(await a.post(`${API}/faq`, { question: 'é'.repeat(300), answer: 'ü'.repeat(5000) }), 201);
    const f = await createFaq('acme');
    assertProblem(await a.patch(`${API}/faq/${f.id}`, { question: '' }), 400, ['question']);
    const again = await a.get(`${API}/faq/${f.id}`);
    assert.equal(again.body.question, f.question, 'a rejected PATCH changes nothing');
  });

  test('PATCH publishes and edits; DELETE removes (204, then 404)', async () => {
    const a = await ctx.server.bearer('acme', 'manager');
    const f = await createFaq('acme');
    const res = await a.patch(`${API}/faq/${f.id}`, { published: true, answer: 'Line one\nLine two' });
    assertStatus(res, 200);
    assert.equal(res.body.published, true);
    assert.equal(res.body.answer, 'Line one\nLine two', 'line breaks kept');
    const cust = await ctx.server.bearer('acme', 'c1_viewer');
    assertStatus(await cust.get(`${API}/faq/${f.id}`), 200);
    assertStatus(await a.delete(`${API}/faq/${f.id}`), 204);
    assertProblem(await a.get(`${API}/faq/${f.id}`), 404);
    assertProblem(await cust.get(`${API}/faq/${f.id}`), 404);
  });

  test('HTML is stored and returned as plain text, never altered into markup', async () => {
    const evil = '<script>alert(1)</script> <a href="javascript:alert(2)">x</a>';
    const f = await createFaq('acme', { question: `Why ${evil}?`, answer: evil, published: true });
    const res = await ctx.server.client().get(`${API}/tenants/acme/faq?page_size=200`);
    assert.match(res.contentType, /^application\/json/);
    const got = assertPage(res).find((x) => x.id === f.id);
    assert.equal(got.answer, evil);
  });

  test('reorder: every id once, in the new order; anything else 400; staff writers only', async () => {
    const a = await ctx.server.bearer('globex', 'admin');
    const made = [await createFaq('globex'), await createFaq('globex'), await createFaq('globex')];
    const all = assertPage(await a.get(`${API}/faq?page_size=200`)).map((f) => f.id);
    const reversed = [...all].reverse();
    const res = await a.post(`${API}/faq/order`, { ids: reversed });
    assertStatus(res, 200);
    assert.deepEqual(res.body.map((f) => f.id), reversed);
    const after = assertPage(await a.get(`${API}/faq?page_size=200`)).map((f) => f.id);
    assert.deepEqual(after, reversed);
    assertProblem(await a.post(`${API}/faq/order`, { ids: reversed.slice(1) }), 400, ['ids']);
    assertProblem(await a.post(`${API}/faq/order`, { ids: [...reversed, reversed[0]] }), 400, ['ids']);
    const foreign = (await createFaq('acme')).id;
    assertProblem(await a.post(`${API}/faq/order`, { ids: [...reversed.slice(1), foreign] }), 400, ['ids']);
    assertProblem(await a.post(`${API}/faq/order`, { ids: 'all' }), 400, ['ids']);
    const t = await ctx.server.bearer('globex', 'technician');
    assertProblem(await t.post(`${API}/faq/order`, { ids: reversed }), 403);
    assert.ok(made.length === 3);
  });
});

describe('technician profiles', () => {
  const profile = { phone: '+1 555 0100 77', certification_level: 'Level 3 Master', hire_date: '2019-04-01' };

  test('the admin sets them with PATCH /users/{id}; staff see them in /technicians', async () => {
    const a = await ctx.server.bearer('acme', 'admin');
    const tech = ctx.server.user('acme', 'technician');
    const res = await a.patch(`${API}/users/${tech.id}`, profile);
    assertStatus(res, 200);
    for (const [k, v] of Object.entries(profile)) assert.equal(res.body[k], v, k);
    for (const who of ['admin', 'manager', 'technician']) {
      const c = await ctx.server.bearer('acme', who);
      const list = assertPage(await c.get(`${API}/technicians?page_size=200`));
      const t = list.find((x) => x.id === tech.id);
      assert.ok(t, who);
      for (const [k, v] of Object.entries(profile)) assert.equal(t[k], v, `${who} sees ${k}`);
    }
    const got = await a.get(`${API}/users/${tech.id}`);
    assert.equal(got.body.certification_level, profile.certification_level);
  });

  test('validation and permissions', async () => {
    const a = await ctx.server.bearer('acme', 'admin');
    const tech = ctx.server.user('acme', 'technician');
    assertProblem(await a.patch(`${API}/users/${tech.id}`, { hire_date: '2019-02-30' }), 400, ['hire_date']);
    assertProblem(await a.patch(`${API}/users/${tech.id}`, { certification_level: 'x'.repeat(51) }), 400,
      ['certification_level']);
    assertProblem(await a.patch(`${API}/users/${tech.id}`, { phone: 5 }), 400, ['phone']);
    const manager = ctx.server.user('acme', 'manager');
    assertProblem(await a.patch(`${API}/users/${manager.id}`, { phone: '1' }), 400, ['phone']);
    const m = await ctx.server.bearer('acme', 'manager');
    assertProblem(await m.patch(`${API}/users/${tech.id}`, { phone: '1' }), 403);
    const g = await ctx.server.bearer('globex', 'admin');
    assertProblem(await g.patch(`${API}/users/${tech.id}`, { phone: '1' }), 404);
    const res = await a.patch(`${API}/users/${tech.id}`, { phone: null });
    assertStatus(res, 200);
    assert.equal(res.body.phone, null);
    assertStatus(await a.patch(`${API}/users/${tech.id}`, { phone: profile.phone }), 200);
  });

  test('no answer to a customer user carries a profile field', async () => {
    const a = await ctx.server.bearer('acme', 'admin');
    const tech = ctx.server.user('acme', 'technician');
    assertStatus(await a.patch(`${API}/users/${tech.id}`, profile), 200);
    // A repair of c1 assigned to the technician, with a note by the technician, so names travel.
    const approver = await ctx.server.bearer('acme', 'c1_approver');
    const made = await approver.post(`${API}/repairs`, {
      customer_id: ctx.server.customer('acme', 'c1').id, unit_number: 'PROF-1', description: 'Chip', damage_type: 'chip', priority: 2,
    });
    assertStatus(made, 201);
    const m = await ctx.server.bearer('acme', 'manager');
    assertStatus(await m.post(`${API}/repairs/${made.body.id}/status`, { status: 'APPROVED' }), 200);
    assertStatus(await m.patch(`${API}/repairs/${made.body.id}`, { technician_id: tech.id }), 200);
    const t = await ctx.server.bearer('acme', 'technician');
    assertStatus(await t.post(`${API}/repairs/${made.body.id}/notes`, { body: 'On it', visibility: 'customer' }), 201);
    const paths = ['/me', '/repairs', `/repairs/${made.body.id}`, `/repairs/${made.body.id}/log`,
      `/repairs/${made.body.id}/notes`, '/customers', `/customers/${ctx.server.customer('acme', 'c1').id}`,
      '/units', '/faq', '/announcements', '/notifications', '/events?after=0', '/technicians', '/users',
      `/users/${tech.id}`, `/technicians/${tech.id}/schedule`];
    for (const who of ['c1_approver', 'c1_viewer', 'multi']) {
      const c = await ctx.server.bearer('acme', who);
      for (const p of paths) {
        const res = await c.get(`${API}${p}`);
        for (const needle of ['certification_level', 'hire_date', profile.phone, profile.certification_level, profile.hire_date]) {
          assert.ok(!res.text.includes(needle), `${who} GET ${p} leaks ${needle}: ${res.summary}`);
        }
      }
    }
  });
});
