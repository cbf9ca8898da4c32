// Customers, customer access and preferences, with tenant and customer-user scoping.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage, listItems, RFC3339_UTC } from './harness.mjs';

const ctx = useServer();
let seq = 0;
const uniqueEmail = (tag) => `${tag}${++seq}@customers.example`;

function assertCustomerShape(c, summary) {
  for (const k of ['id', 'name', 'address', 'phone', 'email', 'is_active', 'created_at', 'updated_at']) {
    assert.ok(k in c, `customer has "${k}": ${summary}`);
  }
  assert.ok(Number.isInteger(c.id) && c.id > 0, summary);
  assert.equal(typeof c.is_active, 'boolean', summary);
  assert.match(c.created_at, RFC3339_UTC, summary);
  assert.match(c.updated_at, RFC3339_UTC, summary);
}

describe('list and read', () => {
  for (const key of ['admin', 'manager', 'technician']) {
    test(`${key} sees all of its tenant's customers and none of the other's`, async () => {
      const s = ctx.server;
      const res = await (await s.bearer('acme', key)).get('/api/v1/customers?page_size=200');
      const list = assertPage(res);
      const ids = new Set(list.map((c) => c.id));
      assert.ok(ids.has(s.customer('acme', 'c1').id), res.summary);
      assert.ok(ids.has(s.customer('acme', 'c2').id), res.summary);
      assert.ok(!ids.has(s.customer('globex', 'c1').id), `no globex customer: ${res.summary}`);
      assert.ok(!ids.has(s.customer('globex', 'c2').id), `no globex customer: ${res.summary}`);
      for (const c of list) assertCustomerShape(c, res.summary);
    });
  }

  test('a customer user lists only the customers it has access to', async () => {
    const s = ctx.server;
    const cases = [['c1_viewer', ['c1']], ['c2_requester', ['c2']], ['multi', ['c1', 'c2']], ['lonely', []]];
    for (const [key, want] of cases) {
      const res = await (await s.bearer('acme', key)).get('/api/v1/customers');
      const list = assertPage(res);
      assert.deepEqual(list.map((c) => c.id).sort((a, b) => a - b),
        want.map((k) => s.customer('acme', k).id).sort((a, b) => a - b), `${key}: ${res.summary}`);
      assert.equal(res.body.count, want.length, `${key} count: ${res.summary}`);
    }
  });

  test('a customer user reads its own customer; another customer is 404', async () => {
    const s = ctx.server;
    const c = await s.bearer('acme', 'c1_requester');
    const own = await c.get(`/api/v1/customers/${s.customer('acme', 'c1').id}`);
    assertStatus(own, 200);
    assertCustomerShape(own.body, own.summary);
    assert.equal(own.body.name, s.customer('acme', 'c1').name);
    assert.equal(own.body.email, s.customer('acme', 'c1').email);
    assertProblem(await c.get(`/api/v1/customers/${s.customer('acme', 'c2').id}`), 404);
    assertProblem(await c.get(`/api/v1/customers/${s.customer('globex', 'c1').id}`), 404);
  });

  test("another tenant's customer is 404 for staff, even the admin", async () => {
    const s = ctx.server;
    const a = await s.bearer('acme', 'admin');
    const g = s.customer('globex', 'c1');
    assertProblem(await a.get(`/api/v1/customers/${g.id}`), 404);
    assertProblem(await a.patch(`/api/v1/customers/${g.id}`, { phone: '555-0000' }), 404);
    assertProblem(await a.get(`/api/v1/customers/${g.id}/access`), 404);
    assertProblem(await a.get(`/api/v1/customers/${g.id}/preferences`), 404);
    assertProblem(await a.get('/api/v1/customers/999999'), 404);
  });

  test('unauthenticated is 401', async () => {
    const c = ctx.server.client();
    assertProblem(await c.get('/api/v1/customers'), 401);
    assertProblem(await c.get(`/api/v1/customers/${ctx.server.customer('acme', 'c1').id}`), 401);
  });
});

describe('create and update', () => {
  test('admin and manager create customers (201, full resource)', async () => {
    const s = ctx.server;
    for (const key of ['admin', 'manager']) {
      const email = uniqueEmail(key);
      const res = await (await s.bearer('acme', key)).post('/api/v1/customers',
        { name: `Made by ${key}`, email, phone: '+1 555 0100', address: '1 Main St' });
      assertStatus(res, 201);
      assertCustomerShape(res.body, res.summary);
      assert.equal(res.body.name, `Made by ${key}`);
      assert.equal(res.body.email, email);
      assert.equal(res.body.phone, '+1 555 0100');
      assert.equal(res.body.address, '1 Main St');
      assert.equal(res.body.is_active, true);
      const got = await (await s.bearer('acme', 'technician')).get(`/api/v1/customers/${res.body.id}`);
      assertStatus(got, 200);
      // The other tenant never sees it.
      assertProblem(await (await s.bearer('globex', 'admin')).get(`/api/v1/customers/${res.body.id}`), 404);
    }
  });

  test('technician and customer users may not create customers (403)', async () => {
    for (const key of ['technician', 'c1_approver']) {
      const res = await (await ctx.server.bearer('acme', key)).post('/api/v1/customers', { name: 'Nope', email: uniqueEmail('nope') });
      assertProblem(res, 403);
    }
  });

  test('name is required (400 on name); blank or whitespace-only is not a name', async () => {
    const a = await ctx.server.bearer('acme', 'admin');
    assertProblem(await a.post('/api/v1/customers', { email: uniqueEmail('noname') }), 400, ['name']);
    assertProblem(await a.post('/api/v1/customers', { name: '', email: uniqueEmail('blank') }), 400, ['name']);
    assertProblem(await a.post('/api/v1/customers', { name: '   ', email: uniqueEmail('spaces') }), 400, ['name']);
    const c2 = ctx.server.customer('acme', 'c2');
    assertProblem(await a.patch(`/api/v1/customers/${c2.id}`, { name: '' }), 400, ['name']);
    assertProblem(await a.patch(`/api/v1/customers/${c2.id}`, { name: ' \t ' }), 400, ['name']);
    assert.equal((await a.get(`/api/v1/customers/${c2.id}`)).body.name, c2.name);
  });

  test('a customer email already used in the tenant is 409; in the other tenant it is fine', async () => {
    const s = ctx.server;
    const taken = s.customer('acme', 'c1').email;
    assertProblem(await (await s.bearer('acme', 'admin')).post('/api/v1/customers', { name: 'Dup', email: taken }), 409);
    assertStatus(await (await s.bearer('globex', 'admin')).post('/api/v1/customers', { name: 'Same email, other shop', email: taken }), 201);
  });

  test('admin PATCHes a customer (200, updated resource, updated_at moves)', async () => {
    const s = ctx.server;
    const a = await s.bearer('acme', 'admin');
    const made = await a.post('/api/v1/customers', { name: 'Patch Me', email: uniqueEmail('patch') });
    assertStatus(made, 201);
    await new Promise((r) => setTimeout(r, 1100));
    const res = await a.patch(`/api/v1/customers/${made.body.id}`, { name: 'Patched', phone: '555-1234', is_active: false });
    assertStatus(res, 200);
    assert.equal(res.body.name, 'Patched');
    assert.equal(res.body.phone, '555-1234');
    assert.equal(res.body.is_active, false);
    assert.equal(res.body.email, made.body.email);
    assert.ok(Date.parse(res.body.updated_at) > Date.parse(made.body.updated_at), `updated_at moves: ${res.summary}`);
    assert.equal(res.body.created_at, made.body.created_at);
  });

  test('a customer approver may PATCH address and phone of its customer', async () => {
    const s = ctx.server;
    const c1 = s.customer('acme', 'c1');
    const res = await (await s.bearer('acme', 'c1_approver')).patch(`/api/v1/customers/${c1.id}`,
      { address: '42 Depot Road', phone: '555-4242' });
    assertStatus(res, 200);
    assert.equal(res.body.address, '42 Depot Road');
    assert.equal(res.body.phone, '555-4242');
    assert.equal(res.body.name, c1.name);
  });

  test('a customer approver may not change the name (403 or 400) and nothing changes', async () => {
    const s = ctx.server;
    const c1 = s.customer('acme', 'c1');
    const c = await s.bearer('acme', 'c1_approver');
    const res = await c.patch(`/api/v1/customers/${c1.id}`, { name: 'Renamed By Customer' });
    assertStatus(res, [400, 403]);
    assert.match(res.contentType, /^application\/problem\+json/);
    const res2 = await c.patch(`/api/v1/customers/${c1.id}`, { phone: '555-9999', email: 'hijack@evil.test' });
    assertStatus(res2, [400, 403]);
    const now = await (await s.bearer('acme', 'admin')).get(`/api/v1/customers/${c1.id}`);
    assert.equal(now.body.name, c1.name);
    assert.equal(now.body.email, c1.email);
    assert.notEqual(now.body.phone, '555-9999', 'a refused PATCH changes nothing');
  });

  test('requester and viewer may not PATCH (403); a customer they cannot see is 404', async () => {
    const s = ctx.server;
    const c1 = s.customer('acme', 'c1');
    const c2 = s.customer('acme', 'c2');
    for (const key of ['c1_requester', 'c1_viewer']) {
      assertProblem(await (await s.bearer('acme', key)).patch(`/api/v1/customers/${c1.id}`, { phone: '555-0001' }), 403);
    }
    // multi is approver of c1 but only viewer of c2.
    assertProblem(await (await s.bearer('acme', 'multi')).patch(`/api/v1/customers/${c2.id}`, { phone: '555-0002' }), 403);
    // c1_approver cannot see c2 at all.
    assertProblem(await (await s.bearer('acme', 'c1_approver')).patch(`/api/v1/customers/${c2.id}`, { phone: '555-0003' }), 404);
    const now = await (await s.bearer('acme', 'admin')).get(`/api/v1/customers/${c2.id}`);
    assert.ok(!['555-0002', '555-0003'].includes(now.body.phone));
  });
});

describe('access', () => {
  test('staff list a customer\'s users with access kind and primary-contact flag', async () => {
    const s = ctx.server;
    const c1 = s.customer('acme', 'c1');
    for (const key of ['admin', 'manager', 'technician']) {
      const res = await (await s.bearer('acme', key)).get(`/api/v1/customers/${c1.id}/access`);
      const items = listItems(res);
      const byUser = new Map(items.map((x) => [x.user_id, x]));
      for (const [uk, access] of [['c1_approver', 'approver'], ['c1_requester', 'requester'], ['c1_viewer', 'viewer'], ['multi', 'approver']]) {
        const u = s.user('acme', uk);
        const row = byUser.get(u.id);
        assert.ok(row, `${uk} listed: ${res.summary}`);
        assert.equal(row.access, access);
        assert.equal(row.email, u.email);
        assert.equal(row.name, u.name);
        assert.equal(typeof row.is_primary_contact, 'boolean');
      }
      assert.ok(!byUser.has(s.user('acme', 'c2_approver').id), `c2-only users not listed: ${res.summary}`);
    }
  });

  test('customer users may not list access (403 on their own customer, 404 on another)', async () => {
    const s = ctx.server;
    const c = await s.bearer('acme', 'c1_approver');
    assertProblem(await c.get(`/api/v1/customers/${s.customer('acme', 'c1').id}/access`), 403);
    assertProblem(await c.get(`/api/v1/customers/${s.customer('acme', 'c2').id}/access`), 404);
  });

  test('manager grants access, the user then sees the customer; revoking (204) takes it away', async () => {
    const s = ctx.server;
    const m = await s.login('acme', 'manager');
    const c2 = s.customer('acme', 'c2');
    const lonely = s.user('acme', 'lonely');
    const grant = await m.post(`/api/v1/customers/${c2.id}/access`, { user_id: lonely.id, access: 'requester', is_primary_contact: true });
    assertStatus(grant, [200, 201]);
    const u = await s.bearer('acme', 'lonely');
    const me = await u.get('/api/v1/me');
    assert.deepEqual(me.body.customers.map((c) => [c.id, c.access]), [[c2.id, 'requester']], me.summary);
    assertStatus(await u.get(`/api/v1/customers/${c2.id}`), 200);
    const listed = listItems(await m.get(`/api/v1/customers/${c2.id}/access`)).find((x) => x.user_id === lonely.id);
    assert.ok(listed, 'granted user listed');
    assert.equal(listed.access, 'requester');
    assert.equal(listed.is_primary_contact, true);

    const del = await m.delete(`/api/v1/customers/${c2.id}/access/${lonely.id}`);
    assertStatus(del, 204);
    assertProblem(await u.get(`/api/v1/customers/${c2.id}`), 404);
    assert.deepEqual((await u.get('/api/v1/me')).body.customers, []);
    assertProblem(await m.delete(`/api/v1/customers/${c2.id}/access/${lonely.id}`), 404);
  });

  test('granting again changes the access kind rather than duplicating it', async () => {
    const s = ctx.server;
    const a = await s.bearer('globex', 'admin');
    const c1 = s.customer('globex', 'c1');
    const user = s.user('globex', 'lonely');
    assertStatus(await a.post(`/api/v1/customers/${c1.id}/access`, { user_id: user.id, access: 'viewer', is_primary_contact: false }), [200, 201]);
    const again = await a.post(`/api/v1/customers/${c1.id}/access`, { user_id: user.id, access: 'approver', is_primary_contact: false });
    assertStatus(again, [200, 201, 409]);
    const rows = listItems(await a.get(`/api/v1/customers/${c1.id}/access`)).filter((x) => x.user_id === user.id);
    assert.equal(rows.length, 1, 'one access row per user and customer');
    if (again.status !== 409) assert.equal(rows[0].access, 'approver');
  });

  test('a customer has at most one primary contact', async () => {
    const s = ctx.server;
    const m = await s.bearer('globex', 'manager');
    const c2 = s.customer('globex', 'c2');
    for (const key of ['c2_approver', 'c2_requester']) {
      const u = s.user('globex', key);
      const access = key === 'c2_approver' ? 'approver' : 'requester';
      assertStatus(await m.post(`/api/v1/customers/${c2.id}/access`, { user_id: u.id, access, is_primary_contact: true }), [200, 201]);
    }
    const rows = listItems(await m.get(`/api/v1/customers/${c2.id}/access`));
    const primaries = rows.filter((x) => x.is_primary_contact);
    assert.equal(primaries.length, 1, `one primary contact: ${JSON.stringify(rows)}`);
    assert.equal(primaries[0].user_id, s.user('globex', 'c2_requester').id, 'the latest grant wins');
  });

  test('technician and customer users may not grant or revoke (403)', async () => {
    const s = ctx.server;
    const c1 = s.customer('acme', 'c1');
    const target = s.user('acme', 'c2_viewer');
    for (const key of ['technician', 'c1_approver']) {
      const c = await s.bearer('acme', key);
      assertProblem(await c.post(`/api/v1/customers/${c1.id}/access`, { user_id: target.id, access: 'viewer', is_primary_contact: false }), 403);
      assertProblem(await c.delete(`/api/v1/customers/${c1.id}/access/${s.user('acme', 'c1_viewer').id}`), 403);
    }
    assertStatus(await (await s.bearer('acme', 'c1_viewer')).get(`/api/v1/customers/${c1.id}`), 200);
  });

  test('an unknown access kind is 400 on access', async () => {
    const s = ctx.server;
    const res = await (await s.bearer('acme', 'admin')).post(`/api/v1/customers/${s.customer('acme', 'c1').id}/access`,
      { user_id: s.user('acme', 'lonely').id, access: 'owner', is_primary_contact: false });
    assertProblem(res, 400, ['access']);
  });

  test("a user_id of another tenant's user is 400 on user_id (an id the caller cannot see)", async () => {
    const s = ctx.server;
    const res = await (await s.bearer('acme', 'admin')).post(`/api/v1/customers/${s.customer('acme', 'c1').id}/access`,
      { user_id: s.user('globex', 'lonely').id, access: 'viewer', is_primary_contact: false });
    assertProblem(res, 400, ['user_id']);
    const res2 = await (await s.bearer('acme', 'admin')).post(`/api/v1/customers/${s.customer('acme', 'c1').id}/access`,
      { user_id: 999999, access: 'viewer', is_primary_contact: false });
    assertProblem(res2, 400, ['user_id']);
  });

  test("granting on another tenant's customer is 404", async () => {
    const s = ctx.server;
    const res = await (await s.bearer('acme', 'admin')).post(`/api/v1/customers/${s.customer('globex', 'c1').id}/access`,
      { user_id: s.user('acme', 'lonely').id, access: 'viewer', is_primary_contact: false });
    assertProblem(res, 404);
    assertProblem(await (await s.bearer('acme', 'admin')).delete(
      `/api/v1/customers/${s.customer('globex', 'c1').id}/access/${s.user('globex', 'c1_viewer').id}`), 404);
  });
});

describe('preferences', () => {
  const body = (v) => ({ receive_email_notifications: v.email, receive_sms_notifications: v.sms, default_view: v.view });

  test('anyone with access and staff read them (shape and defaults)', async () => {
    const s = ctx.server;
    const c2 = s.customer('acme', 'c2');
    for (const key of ['c2_viewer', 'c2_requester', 'c2_approver', 'multi', 'technician', 'manager', 'admin']) {
      const res = await (await s.bearer('acme', key)).get(`/api/v1/customers/${c2.id}/preferences`);
      assertStatus(res, 200);
      assert.equal(typeof res.body.receive_email_notifications, 'boolean', res.summary);
      assert.equal(typeof res.body.receive_sms_notifications, 'boolean', res.summary);
      assert.ok(['REPAIRS', 'UNITS', 'DASHBOARD'].includes(res.body.default_view), res.summary);
    }
  });

  test('an approver PUTs them (200, updated) and everyone reads the new values', async () => {
    const s = ctx.server;
    const c1 = s.customer('acme', 'c1');
    const want = body({ email: false, sms: true, view: 'UNITS' });
    const res = await (await s.login('acme', 'c1_approver')).put(`/api/v1/customers/${c1.id}/preferences`, want);
    assertStatus(res, 200);
    assert.equal(res.body.receive_email_notifications, false);
    assert.equal(res.body.receive_sms_notifications, true);
    assert.equal(res.body.default_view, 'UNITS');
    const seen = await (await s.bearer('acme', 'c1_viewer')).get(`/api/v1/customers/${c1.id}/preferences`);
    assert.equal(seen.body.default_view, 'UNITS');
    assert.equal(seen.body.receive_sms_notifications, true);
  });

  test('admin and manager PUT them; technician, requester and viewer may not (403)', async () => {
    const s = ctx.server;
    const c2 = s.customer('acme', 'c2');
    assertStatus(await (await s.bearer('acme', 'admin')).put(`/api/v1/customers/${c2.id}/preferences`, body({ email: true, sms: true, view: 'DASHBOARD' })), 200);
    assertStatus(await (await s.bearer('acme', 'manager')).put(`/api/v1/customers/${c2.id}/preferences`, body({ email: true, sms: false, view: 'REPAIRS' })), 200);
    for (const key of ['technician', 'c2_requester', 'c2_viewer', 'multi']) {
      assertProblem(await (await s.bearer('acme', key)).put(`/api/v1/customers/${c2.id}/preferences`, body({ email: false, sms: false, view: 'UNITS' })), 403);
    }
    const now = await (await s.bearer('acme', 'admin')).get(`/api/v1/customers/${c2.id}/preferences`);
    assert.equal(now.body.default_view, 'REPAIRS');
  });

  test("a customer user cannot read or write another customer's preferences (404)", async () => {
    const s = ctx.server;
    const c = await s.bearer('acme', 'c1_approver');
    const c2 = s.customer('acme', 'c2');
    assertProblem(await c.get(`/api/v1/customers/${c2.id}/preferences`), 404);
    assertProblem(await c.put(`/api/v1/customers/${c2.id}/preferences`, body({ email: true, sms: true, view: 'UNITS' })), 404);
    assertProblem(await c.get(`/api/v1/customers/${s.customer('globex', 'c1').id}/preferences`), 404);
  });

  test('an unknown default_view and a non-boolean flag are 400 on those fields', async () => {
    const s = ctx.server;
    const a = await s.bearer('acme', 'admin');
    const url = `/api/v1/customers/${s.customer('acme', 'c1').id}/preferences`;
    assertProblem(await a.put(url, { receive_email_notifications: true, receive_sms_notifications: false, default_view: 'CALENDAR' }), 400, ['default_view']);
    assertProblem(await a.put(url, { receive_email_notifications: 'yes', receive_sms_notifications: false, default_view: 'UNITS' }), 400, ['receive_email_notifications']);
  });
});
