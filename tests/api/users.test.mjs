// Users: GET|POST /api/v1/users, GET|PATCH /api/v1/users/{id} (admin only).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage, Client, RFC3339_UTC, emailOf, STAFF, CUSTOMER_ACCESS } from './harness.mjs';

const ctx = useServer();
let seq = 0;
const newEmail = (tag = 'new') => `${tag}${++seq}.${process.pid}@acme.test`;

describe('listing', () => {
  test("admin lists exactly its tenant's users, without password material", async () => {
    const s = ctx.server;
    const c = await s.bearer('acme', 'admin');
    const res = await c.get('/api/v1/users?page_size=200');
    const users = assertPage(res);
    const emails = new Set(users.map((u) => u.email));
    for (const key of [...Object.keys(STAFF), ...Object.keys(CUSTOMER_ACCESS)]) {
      assert.ok(emails.has(emailOf('acme', key)), `lists ${emailOf('acme', key)}`);
    }
    assert.ok(![...emails].some((e) => e.endsWith('@globex.test')), `no globex users: ${res.summary}`);
    assert.equal(res.body.count, users.length);
    assert.doesNotMatch(res.text, /password|hash|argon|\$2[aby]\$/i);
    const admin = users.find((u) => u.email === emailOf('acme', 'admin'));
    assert.equal(admin.id, s.user('acme', 'admin').id);
    assert.equal(admin.role, 'admin');
    assert.equal(admin.name, s.user('acme', 'admin').name);
  });

  test('pagination: page_size=3 walks the list with next/previous', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    const first = await c.get('/api/v1/users?page_size=3');
    const p1 = assertPage(first);
    assert.equal(p1.length, 3);
    assert.ok(first.body.count > 3);
    assert.equal(first.body.previous, null);
    assert.equal(typeof first.body.next, 'string');
    const u = new URL(first.body.next, ctx.server.baseUrl);
    const second = await c.get(u.pathname + u.search);
    const p2 = assertPage(second);
    assert.equal(second.body.count, first.body.count);
    assert.equal(typeof second.body.previous, 'string');
    const ids1 = new Set(p1.map((x) => x.id));
    assert.ok(p2.every((x) => !ids1.has(x.id)), 'page 2 does not repeat page 1');
  });

  for (const key of ['manager', 'technician', 'c1_approver']) {
    test(`${key} may not list users (403)`, async () => {
      assertProblem(await (await ctx.server.bearer('acme', key)).get('/api/v1/users'), 403);
    });
  }

  test('unauthenticated is 401', async () => {
    assertProblem(await ctx.server.client().get('/api/v1/users'), 401);
    assertProblem(await ctx.server.client().get(`/api/v1/users/${ctx.server.user('acme', 'admin').id}`), 401);
  });
});

describe('create', () => {
  test('admin creates a user (201) who can then log in', async () => {
    const s = ctx.server;
    const c = await s.login('acme', 'admin');
    const email = newEmail();
    const res = await c.post('/api/v1/users', { email, name: 'New Tech', role: 'technician', password: 'ten-chars!' });
    assertStatus(res, 201);
    assert.ok(Number.isInteger(res.body.id) && res.body.id > 0);
    assert.equal(res.body.email, email);
    assert.equal(res.body.name, 'New Tech');
    assert.equal(res.body.role, 'technician');
    assert.doesNotMatch(res.text, /ten-chars!|password|hash/i);
    const got = await c.get(`/api/v1/users/${res.body.id}`);
    assertStatus(got, 200);
    assert.equal(got.body.email, email);
    const other = new Client(s.baseUrl);
    const login = await other.login('acme', email, 'ten-chars!');
    assertStatus(login, 200);
    assert.equal(login.body.user.id, res.body.id);
    assert.equal(login.body.user.role, 'technician');
  });

  test('password shorter than 10 characters is a 400 on password', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    assertProblem(await c.post('/api/v1/users', { email: newEmail(), name: 'Short', role: 'manager', password: 'nine-char' }), 400, ['password']);
  });

  test('an unknown role is a 400 on role', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    assertProblem(await c.post('/api/v1/users', { email: newEmail(), name: 'Boss', role: 'superuser', password: 'long-enough-pw' }), 400, ['role']);
  });

  test('each role value is accepted', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    for (const role of ['admin', 'manager', 'technician', 'customer']) {
      const res = await c.post('/api/v1/users', { email: newEmail(role), name: `A ${role}`, role, password: 'long-enough-pw' });
      assertStatus(res, 201);
      assert.equal(res.body.role, role);
    }
  });

  test('missing fields are a 400 naming each', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    assertProblem(await c.post('/api/v1/users', { name: 'Nobody' }), 400, ['email', 'role', 'password']);
  });

  test('an email already used in the tenant is a 409', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    const res = await c.post('/api/v1/users', { email: emailOf('acme', 'technician'), name: 'Dup', role: 'technician', password: 'long-enough-pw' });
    assertProblem(res, 409);
  });

  test("the same email in another tenant is fine (unique per tenant)", async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    const res = await c.post('/api/v1/users', { email: emailOf('globex', 'manager'), name: 'Twin', role: 'manager', password: 'long-enough-pw' });
    assertStatus(res, 201);
    // And the globex account is untouched: its own password still works there.
    const g = ctx.server.user('globex', 'manager');
    assertStatus(await ctx.server.client().login('globex', g.email, g.password), 200);
  });

  test('manager and technician may not create users (403)', async () => {
    for (const key of ['manager', 'technician']) {
      const c = await ctx.server.bearer('acme', key);
      assertProblem(await c.post('/api/v1/users', { email: newEmail(), name: 'X', role: 'admin', password: 'long-enough-pw' }), 403);
    }
  });
});

describe('read and update one', () => {
  test('admin reads a user by id', async () => {
    const s = ctx.server;
    const u = s.user('acme', 'c1_viewer');
    const res = await (await s.bearer('acme', 'admin')).get(`/api/v1/users/${u.id}`);
    assertStatus(res, 200);
    assert.equal(res.body.id, u.id);
    assert.equal(res.body.email, u.email);
    assert.equal(res.body.role, 'customer');
  });

  test("another tenant's user and an absent id are 404", async () => {
    const s = ctx.server;
    const c = await s.bearer('acme', 'admin');
    assertProblem(await c.get(`/api/v1/users/${s.user('globex', 'admin').id}`), 404);
    assertProblem(await c.get('/api/v1/users/999999'), 404);
    assertProblem(await c.patch(`/api/v1/users/${s.user('globex', 'technician').id}`, { name: 'Hijacked' }), 404);
    const g = await (await s.bearer('globex', 'admin')).get(`/api/v1/users/${s.user('globex', 'technician').id}`);
    assert.notEqual(g.body.name, 'Hijacked');
  });

  test('PATCH name and role (200, updated resource); the change shows in /me', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const email = newEmail('promote');
    const made = await admin.post('/api/v1/users', { email, name: 'Soon Manager', role: 'technician', password: 'long-enough-pw' });
    assertStatus(made, 201);
    const res = await admin.patch(`/api/v1/users/${made.body.id}`, { name: 'Now Manager', role: 'manager' });
    assertStatus(res, 200);
    assert.equal(res.body.id, made.body.id);
    assert.equal(res.body.name, 'Now Manager');
    assert.equal(res.body.role, 'manager');
    assert.equal(res.body.email, email);
    const c = new Client(s.baseUrl);
    assertStatus(await c.login('acme', email, 'long-enough-pw'), 200);
    const me = await c.get('/api/v1/me');
    assert.equal(me.body.role, 'manager');
    assert.equal(me.body.name, 'Now Manager');
  });

  test('PATCH password: min length 10; the new one works and the old one does not', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const email = newEmail('pw');
    const made = await admin.post('/api/v1/users', { email, name: 'Pw User', role: 'technician', password: 'first-password' });
    assertStatus(made, 201);
    assertProblem(await admin.patch(`/api/v1/users/${made.body.id}`, { password: 'short' }), 400, ['password']);
    assertStatus(await admin.patch(`/api/v1/users/${made.body.id}`, { password: 'second-password' }), 200);
    assertStatus(await new Client(s.baseUrl).login('acme', email, 'second-password'), 200);
    assertProblem(await new Client(s.baseUrl).login('acme', email, 'first-password'), 401);
  });

  test('PATCH with an invalid role is 400; to a taken email is 409', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const u = s.user('acme', 'c2_viewer');
    assertProblem(await admin.patch(`/api/v1/users/${u.id}`, { role: 'owner' }), 400, ['role']);
    assertProblem(await admin.patch(`/api/v1/users/${u.id}`, { email: emailOf('acme', 'manager') }), 409);
    const still = await admin.get(`/api/v1/users/${u.id}`);
    assert.equal(still.body.email, u.email);
    assert.equal(still.body.role, 'customer');
  });

  test('manager may not read or PATCH users (403)', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const t = s.user('acme', 'technician');
    assertProblem(await m.get(`/api/v1/users/${t.id}`), 403);
    assertProblem(await m.patch(`/api/v1/users/${t.id}`, { role: 'admin' }), 403);
    const me = await (await s.bearer('acme', 'technician')).get('/api/v1/me');
    assert.equal(me.body.role, 'technician');
  });

  test('a customer user may not promote itself (403)', async () => {
    const s = ctx.server;
    const u = s.user('acme', 'c1_approver');
    const c = await s.bearer('acme', 'c1_approver');
    assertProblem(await c.patch(`/api/v1/users/${u.id}`, { role: 'admin' }), 403);
    assert.equal((await c.get('/api/v1/me')).body.role, 'customer');
  });

  test('deactivating a user (is_active, where supported) ends its login, sessions and tokens', async (t) => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const email = newEmail('leaver');
    const made = await admin.post('/api/v1/users', { email, name: 'Leaver', role: 'technician', password: 'long-enough-pw' });
    assertStatus(made, 201);
    if (!('is_active' in made.body)) { t.skip('users have no is_active field'); return; }
    const session = new Client(s.baseUrl);
    assertStatus(await session.login('acme', email, 'long-enough-pw'), 200);
    const tok = await session.post('/api/v1/auth/tokens', { name: 'leaver token' });
    assertStatus(tok, 201);
    assertStatus(await admin.patch(`/api/v1/users/${made.body.id}`, { is_active: false }), 200);
    assertProblem(await session.get('/api/v1/me'), 401);
    assertProblem(await new Client(s.baseUrl, { token: tok.body.token }).get('/api/v1/me'), 401);
    assertProblem(await new Client(s.baseUrl).login('acme', email, 'long-enough-pw'), 401);
  });

  test('an admin cannot lock itself out (deactivate or demote itself)', async () => {
    const s = ctx.server;
    const me = s.user('acme', 'admin');
    const admin = await s.bearer('acme', 'admin');
    const demote = await admin.patch(`/api/v1/users/${me.id}`, { role: 'technician' });
    assertStatus(demote, [400, 403, 409]);
    assert.equal((await admin.get('/api/v1/me')).body.role, 'admin');
  });

  test('created_at, when present, is RFC 3339 UTC', async () => {
    const res = await (await ctx.server.bearer('acme', 'admin')).get(`/api/v1/users/${ctx.server.user('acme', 'admin').id}`);
    assertStatus(res, 200);
    for (const k of ['created_at', 'updated_at', 'last_login_at']) {
      if (res.body[k] != null) assert.match(res.body[k], RFC3339_UTC, `${k}: ${res.summary}`);
    }
  });
});
