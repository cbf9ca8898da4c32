// Authentication: login, logout, /me, CSRF, personal API tokens, identical 401s.
// (The 429 limits have their own servers, in ratelimit.test.mjs, so the failures here do not count.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage, listItems, parseSetCookie, Client, PASSWORD } from './harness.mjs';

const ctx = useServer();

function sessionCookie(res) {
  const list = res.headers.getSetCookie();
  assert.ok(list.length > 0, `login sets a cookie: ${res.summary}`);
  return list.map(parseSetCookie).find((c) => c.value !== '') ?? parseSetCookie(list[0]);
}

describe('login', () => {
  test('returns the user (me shape) and a csrf token', async () => {
    const s = ctx.server;
    const u = s.user('acme', 'manager');
    const c = s.client();
    const res = await c.login('acme', u.email, PASSWORD);
    assertStatus(res, 200);
    assert.match(res.contentType, /^application\/json/i);
    assert.equal(typeof res.body.csrf_token, 'string');
    assert.ok(res.body.csrf_token.length >= 16, 'csrf token long enough to be unguessable');
    const me = res.body.user;
    assert.equal(me.id, u.id);
    assert.equal(me.email, u.email);
    assert.equal(me.name, u.name);
    assert.equal(me.role, 'manager');
    assert.equal(me.tenant.slug, 'acme');
    assert.equal(me.tenant.name, 'Acme Glass Repair');
    assert.deepEqual(me.customers, []);
    assert.ok(!JSON.stringify(res.body).match(/password|hash/i), `no password material: ${res.summary}`);
  });

  test('sets an HttpOnly, SameSite=Lax session cookie, not Secure over plain HTTP', async () => {
    const s = ctx.server;
    const u = s.user('acme', 'technician');
    const res = await s.client().login('acme', u.email, PASSWORD);
    assertStatus(res, 200);
    const c = sessionCookie(res);
    assert.ok(c.value.length >= 16, 'session id long enough');
    assert.equal(c.attrs.httponly, true, `HttpOnly: ${res.headers.getSetCookie()}`);
    assert.match(String(c.attrs.samesite), /^lax$/i, `SameSite=Lax: ${res.headers.getSetCookie()}`);
    assert.equal(c.attrs.secure, undefined, `not Secure without TLS: ${res.headers.getSetCookie()}`);
    assert.ok(!res.body.csrf_token || !c.value.includes(res.body.csrf_token), 'the csrf token is not the session id');
  });

  test('each login gets a fresh session id', async () => {
    const s = ctx.server;
    const u = s.user('acme', 'technician');
    const a = sessionCookie(await s.client().login('acme', u.email, PASSWORD));
    const b = sessionCookie(await s.client().login('acme', u.email, PASSWORD));
    assert.notEqual(a.value, b.value);
  });

  test('a customer user sees its customers and access in the login answer', async () => {
    const s = ctx.server;
    const u = s.user('acme', 'multi');
    const res = await s.client().login('acme', u.email, PASSWORD);
    assertStatus(res, 200);
    assert.equal(res.body.user.role, 'customer');
    const got = res.body.user.customers.map((c) => ({ id: c.id, name: c.name, access: c.access }))
      .sort((a, b) => a.id - b.id);
    const c1 = s.customer('acme', 'c1');
    const c2 = s.customer('acme', 'c2');
    const want = [{ id: c1.id, name: c1.name, access: 'approver' }, { id: c2.id, name: c2.name, access: 'viewer' }]
      .sort((a, b) => a.id - b.id);
    assert.deepEqual(got, want);
  });

  test('logging into the other tenant with the same credentials fails', async () => {
    const s = ctx.server;
    const u = s.user('acme', 'admin');
    const res = await s.client().login('globex', u.email, PASSWORD);
    assertProblem(res, 401);
  });

  test('wrong tenant, unknown email and wrong password give the identical 401', async () => {
    const s = ctx.server;
    const u = s.user('acme', 'c2_viewer');
    const answers = [
      await s.client().login('no-such-tenant', u.email, PASSWORD),
      await s.client().login('acme', 'nobody@acme.test', PASSWORD),
      await s.client().login('acme', u.email, 'wrong-password-123'),
    ];
    for (const r of answers) {
      assertProblem(r, 401);
      assert.equal(r.headers.getSetCookie().filter((c) => parseSetCookie(c).value !== '').length, 0,
        `no session cookie on a failed login: ${r.summary}`);
    }
    const norm = (r) => { const b = { ...r.body }; delete b.instance; return b; };
    assert.deepEqual(norm(answers[1]), norm(answers[0]), 'unknown email vs unknown tenant');
    assert.deepEqual(norm(answers[2]), norm(answers[0]), 'wrong password vs unknown tenant');
    assert.equal(answers[1].contentType, answers[0].contentType);
    assert.equal(answers[2].contentType, answers[0].contentType);
  });

  test('missing fields are a 400, not a 401', async () => {
    const res = await ctx.server.client().post('/api/v1/auth/login', { tenant: 'acme', email: 'x@acme.test' });
    assertProblem(res, 400, ['password']);
  });
});

describe('me', () => {
  test('401 without credentials', async () => {
    assertProblem(await ctx.server.client().get('/api/v1/me'), 401);
  });

  test('returns the staff user with an empty customers list and a usable csrf token', async () => {
    const s = ctx.server;
    const c = await s.login('acme', 'admin');
    const res = await c.get('/api/v1/me');
    assertStatus(res, 200);
    const u = s.user('acme', 'admin');
    assert.equal(res.body.id, u.id);
    assert.equal(res.body.email, u.email);
    assert.equal(res.body.role, 'admin');
    assert.equal(res.body.tenant.slug, 'acme');
    assert.equal(res.body.tenant.name, 'Acme Glass Repair');
    assert.deepEqual(res.body.customers, []);
    assert.equal(typeof res.body.csrf_token, 'string', `csrf_token on cookie-authenticated /me: ${res.summary}`);
    // A "reloaded page": same cookie jar, token recovered from /me only.
    const reloaded = new Client(s.baseUrl);
    reloaded.jar = new Map(c.jar);
    reloaded.csrf = res.body.csrf_token;
    const made = await reloaded.post('/api/v1/auth/tokens', { name: 'from reloaded page' });
    assertStatus(made, 201);
  });

  test('a customer user without any access has an empty customers list', async () => {
    const c = await ctx.server.login('acme', 'lonely');
    const res = await c.get('/api/v1/me');
    assertStatus(res, 200);
    assert.equal(res.body.role, 'customer');
    assert.deepEqual(res.body.customers, []);
  });

  test('a customer user sees each customer with its access kind', async () => {
    const s = ctx.server;
    for (const [key, access] of [['c1_approver', 'approver'], ['c1_requester', 'requester'], ['c1_viewer', 'viewer']]) {
      const res = await (await s.login('globex', key)).get('/api/v1/me');
      assertStatus(res, 200);
      assert.equal(res.body.tenant.slug, 'globex');
      assert.equal(res.body.customers.length, 1, res.summary);
      assert.equal(res.body.customers[0].id, s.customer('globex', 'c1').id);
      assert.equal(res.body.customers[0].access, access);
    }
  });

  test('a garbage session cookie or bearer token is a 401', async () => {
    const s = ctx.server;
    const c = s.client();
    const login = await s.login('acme', 'admin');
    const cookieName = [...login.jar.keys()][0];
    assertProblem(await c.get('/api/v1/me', { headers: { cookie: `${cookieName}=not-a-session` } }), 401);
    assertProblem(await c.get('/api/v1/me', { headers: { authorization: 'Bearer not-a-token' } }), 401);
  });
});

describe('logout', () => {
  test('204, and the old session cookie no longer works server-side', async () => {
    const s = ctx.server;
    const c = await s.login('acme', 'technician');
    const oldCookie = c.cookieHeader();
    assertStatus(await c.get('/api/v1/me'), 200);
    const res = await c.post('/api/v1/auth/logout');
    assertStatus(res, 204);
    assert.equal(res.text, '');
    // Replay the old cookie even if the server asked the browser to forget it.
    assertProblem(await s.client().get('/api/v1/me', { headers: { cookie: oldCookie } }), 401);
  });

  test('logout without the CSRF token is refused and the session survives', async () => {
    const s = ctx.server;
    const c = await s.login('acme', 'technician');
    assertProblem(await c.post('/api/v1/auth/logout', undefined, { csrf: false }), 403);
    assertStatus(await c.get('/api/v1/me'), 200);
  });

  test('logout without credentials is a 401', async () => {
    assertProblem(await ctx.server.client().post('/api/v1/auth/logout'), 401);
  });
});

describe('CSRF', () => {
  test('a cookie-authenticated POST without X-CSRF-Token is 403 and does nothing', async () => {
    const s = ctx.server;
    const c = await s.login('acme', 'admin');
    const res = await c.post('/api/v1/customers', { name: 'CSRF Victim Co', email: 'csrf@victim.test' }, { csrf: false });
    assertProblem(res, 403);
    const list = assertPage(await c.get('/api/v1/customers?page_size=200'));
    assert.ok(!list.some((x) => x.name === 'CSRF Victim Co'), 'the customer was not created');
  });

  test('a wrong X-CSRF-Token is 403', async () => {
    const c = await ctx.server.login('acme', 'admin');
    assertProblem(await c.post('/api/v1/auth/tokens', { name: 'x' }, { csrf: 'definitely-wrong' }), 403);
    assertProblem(await c.post('/api/v1/auth/tokens', { name: 'x' }, { csrf: '' }), 403);
  });

  test("another session's CSRF token is 403", async () => {
    const s = ctx.server;
    const a = await s.login('acme', 'admin');
    const b = await s.login('acme', 'admin');
    assert.notEqual(a.csrf, b.csrf, 'two sessions have different csrf tokens');
    assertProblem(await a.post('/api/v1/auth/tokens', { name: 'x' }, { csrf: b.csrf }), 403);
  });

  test('PATCH, PUT and DELETE need it too', async () => {
    const s = ctx.server;
    const c = await s.login('acme', 'admin');
    const u = s.user('acme', 'technician');
    const c1 = s.customer('acme', 'c1');
    assertProblem(await c.patch(`/api/v1/users/${u.id}`, { name: 'Renamed' }, { csrf: false }), 403);
    assertProblem(await c.put(`/api/v1/customers/${c1.id}/preferences`,
      { receive_email_notifications: true, receive_sms_notifications: false, default_view: 'UNITS' }, { csrf: false }), 403);
    const tok = await c.post('/api/v1/auth/tokens', { name: 'to delete' });
    assertStatus(tok, 201);
    assertProblem(await c.delete(`/api/v1/auth/tokens/${tok.body.id}`, { csrf: false }), 403);
    assertStatus(await c.delete(`/api/v1/auth/tokens/${tok.body.id}`), 204);
    const me = await c.get(`/api/v1/users/${u.id}`);
    assert.notEqual(me.body.name, 'Renamed');
  });

  test('GET needs no CSRF token', async () => {
    const c = await ctx.server.login('acme', 'manager');
    assertStatus(await c.get('/api/v1/customers', { csrf: false }), 200);
  });
});

describe('personal API tokens', () => {
  test('create (201, shown once), authenticate with Bearer without CSRF, list without values, revoke', async () => {
    const s = ctx.server;
    const c = await s.login('acme', 'manager');
    const made = await c.post('/api/v1/auth/tokens', { name: 'ci pipeline' });
    assertStatus(made, 201);
    assert.ok(Number.isInteger(made.body.id) && made.body.id > 0, made.summary);
    assert.equal(made.body.name, 'ci pipeline');
    assert.equal(typeof made.body.token, 'string');
    assert.ok(made.body.token.length >= 20, 'token long enough');
    const token = made.body.token;

    const b = new Client(s.baseUrl, { token });
    const me = await b.get('/api/v1/me');
    assertStatus(me, 200);
    assert.equal(me.body.id, s.user('acme', 'manager').id);
    // No cookie, no CSRF header: a write still works.
    const created = await b.post('/api/v1/customers', { name: 'Bearer Made Co', email: 'bearer@made.test' });
    assertStatus(created, 201);

    const list = await c.get('/api/v1/auth/tokens');
    const items = listItems(list);
    const mine = items.find((t) => t.id === made.body.id);
    assert.ok(mine, `the token is listed: ${list.summary}`);
    assert.equal(mine.name, 'ci pipeline');
    assert.ok(!('token' in mine), 'list has no token values');
    assert.ok(!list.text.includes(token), 'token value never appears in the list');

    assertStatus(await c.delete(`/api/v1/auth/tokens/${made.body.id}`), 204);
    assertProblem(await b.get('/api/v1/me'), 401);
    const after = listItems(await c.get('/api/v1/auth/tokens'));
    assert.ok(!after.some((t) => t.id === made.body.id), 'revoked token is gone from the list');
    assertProblem(await c.delete(`/api/v1/auth/tokens/${made.body.id}`), 404);
  });

  test('a token can be revoked with itself (Bearer DELETE)', async () => {
    const s = ctx.server;
    const c = await s.login('acme', 'technician');
    const made = await c.post('/api/v1/auth/tokens', { name: 'self-revoke' });
    assertStatus(made, 201);
    const b = new Client(s.baseUrl, { token: made.body.token });
    assertStatus(await b.delete(`/api/v1/auth/tokens/${made.body.id}`), 204);
    assertProblem(await b.get('/api/v1/me'), 401);
  });

  test("a user cannot see or revoke another user's token", async () => {
    const s = ctx.server;
    const owner = await s.login('acme', 'admin');
    const made = await owner.post('/api/v1/auth/tokens', { name: 'admin only' });
    assertStatus(made, 201);
    const other = await s.login('acme', 'manager');
    const list = listItems(await other.get('/api/v1/auth/tokens'));
    assert.ok(!list.some((t) => t.id === made.body.id), "another user's token is not listed");
    assertProblem(await other.delete(`/api/v1/auth/tokens/${made.body.id}`), 404);
    const foreign = await s.login('globex', 'admin');
    assertProblem(await foreign.delete(`/api/v1/auth/tokens/${made.body.id}`), 404);
    assertStatus(await new Client(s.baseUrl, { token: made.body.token }).get('/api/v1/me'), 200);
  });

  test('a token survives the logout of the session that made it', async () => {
    const s = ctx.server;
    const c = await s.login('acme', 'c1_viewer');
    const made = await c.post('/api/v1/auth/tokens', { name: 'phone' });
    assertStatus(made, 201);
    assertStatus(await c.post('/api/v1/auth/logout'), 204);
    const me = await new Client(s.baseUrl, { token: made.body.token }).get('/api/v1/me');
    assertStatus(me, 200);
    assert.equal(me.body.role, 'customer');
  });

  test('the token list is a paginated collection (API.md: resource collections are paginated)', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    const items = assertPage(await c.get('/api/v1/auth/tokens'));
    assert.ok(items.length >= 1, 'the bearer token itself is listed');
  });

  test('token name is required', async () => {
    const c = await ctx.server.login('acme', 'admin');
    assertProblem(await c.post('/api/v1/auth/tokens', {}), 400, ['name']);
  });

  test('token endpoints need authentication', async () => {
    const c = ctx.server.client();
    assertProblem(await c.get('/api/v1/auth/tokens'), 401);
    assertProblem(await c.post('/api/v1/auth/tokens', { name: 'x' }), 401);
    assertProblem(await c.delete('/api/v1/auth/tokens/1'), 401);
  });
});
