// The actor cache (issue 16): a session's or token's actor is kept for a short time, and every change that
// affects it takes effect on the very next request. Each test first warms the cache (several requests
// with the same credentials), then changes something through the API and checks the next request at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertStatus, assertProblem, Client } from './harness.mjs';
import { useSmtpSink, smtpConfig, waitForMail, linkToken } from './onboarding_helpers.mjs';

const smtp = useSmtpSink();
const ctx = useServer({ prepare: (dir) => smtpConfig(smtp)(dir) });
const PASSWORD = 'cache-test-password-9';
let seq = 0;

async function warm(client, path = '/api/v1/me') {
  for (let i = 0; i < 5; i++) assertStatus(await client.get(path), 200);
}

/** A new user of acme with a cookie session and a personal token. */
async function newUser(s, role, tag) {
  const admin = await s.bearer('acme', 'admin');
  const email = `${tag}${++seq}.${process.pid}@cache.test`;
  const made = await admin.post('/api/v1/users', { email, name: `Cache ${tag}`, role, password: PASSWORD });
  assertStatus(made, 201);
  const session = new Client(s.baseUrl);
  assertStatus(await session.login('acme', email, PASSWORD), 200);
  const tok = await session.post('/api/v1/auth/tokens', { name: `${tag} token` });
  assertStatus(tok, 201);
  return { id: made.body.id, email, admin, session, bearer: new Client(s.baseUrl, { token: tok.body.token }), tokenId: tok.body.id };
}

test('a revoked access takes effect on the next request (list, /me, the repair)', async () => {
  const s = ctx.server;
  const u = await newUser(s, 'customer', 'revoked');
  const c1 = s.customer('acme', 'c1');
  assertStatus(await u.admin.post(`/api/v1/customers/${c1.id}/access`, { user_id: u.id, access: 'viewer' }), [200, 201]);
  const made = await u.admin.post('/api/v1/repairs', { customer_id: c1.id, unit_number: 'CACHE-1', description: 'cached actor' });
  assertStatus(made, 201);
  for (const client of [u.session, u.bearer]) {
    await warm(client, '/api/v1/repairs?page_size=5');
    const list = await client.get('/api/v1/repairs?page_size=5');
    assert.ok(list.body.count > 0, `sees c1's repairs: ${list.summary}`);
  }
  const one = made.body;
  assertStatus(await u.session.get(`/api/v1/repairs/${one.id}`), 200);

  assertStatus(await u.admin.delete(`/api/v1/customers/${c1.id}/access/${u.id}`), [200, 204]);
  for (const client of [u.session, u.bearer]) {
    const list = await client.get('/api/v1/repairs?page_size=5');
    assertStatus(list, 200);
    assert.equal(list.body.count, 0, `no repairs after the revocation: ${list.summary}`);
    assert.deepEqual((await client.get('/api/v1/me')).body.customers, []);
    assertProblem(await client.get(`/api/v1/repairs/${one.id}`), 404);
  }
});

test('a changed access level and a granted access show at once', async () => {
  const s = ctx.server;
  const u = await newUser(s, 'customer', 'level');
  const c1 = s.customer('acme', 'c1');
  assertStatus(await u.admin.post(`/api/v1/customers/${c1.id}/access`, { user_id: u.id, access: 'viewer' }), [200, 201]);
  await warm(u.session);
  assert.equal((await u.session.get('/api/v1/me')).body.customers[0].access, 'viewer');
  assertStatus(await u.admin.post(`/api/v1/customers/${c1.id}/access`, { user_id: u.id, access: 'approver' }), [200, 201]);
  assert.equal((await u.session.get('/api/v1/me')).body.customers[0].access, 'approver');
  const c2 = s.customer('acme', 'c2');
  await warm(u.session);
  assertStatus(await u.admin.post(`/api/v1/customers/${c2.id}/access`, { user_id: u.id, access: 'viewer' }), [200, 201]);
  const ids = (await u.session.get('/api/v1/me')).body.customers.map((c) => c.id).sort();
  assert.deepEqual(ids, [c1.id, c2.id].sort());
});

test('a deactivated user is refused on the next request, session and token', async () => {
  const s = ctx.server;
  const u = await newUser(s, 'technician', 'deactivated');
  await warm(u.session);
  await warm(u.bearer);
  assertStatus(await u.admin.patch(`/api/v1/users/${u.id}`, { is_active: false }), 200);
  assertProblem(await u.session.get('/api/v1/me'), 401);
  assertProblem(await u.bearer.get('/api/v1/me'), 401);
});

test('a changed role applies to the next request', async () => {
  const s = ctx.server;
  const u = await newUser(s, 'technician', 'promoted');
  await warm(u.session);
  assertProblem(await u.session.get('/api/v1/users'), 403);
  assertStatus(await u.admin.patch(`/api/v1/users/${u.id}`, { role: 'admin' }), 200);
  assert.equal((await u.session.get('/api/v1/me')).body.role, 'admin');
  assertStatus(await u.session.get('/api/v1/users'), 200);
  assertStatus(await u.admin.patch(`/api/v1/users/${u.id}`, { role: 'technician' }), 200);
  assertProblem(await u.session.get('/api/v1/users'), 403);
});

test('logout ends the session for every copy of the cookie at once', async () => {
  const s = ctx.server;
  const u = await newUser(s, 'technician', 'logout');
  const copy = new Client(s.baseUrl);
  copy.jar = new Map(u.session.jar);
  await warm(copy);
  await warm(u.session);
  assertStatus(await u.session.post('/api/v1/auth/logout'), [200, 204]);
  assertProblem(await copy.get('/api/v1/me'), 401);
});

test('a revoked token is refused on the next request; the session goes on', async () => {
  const s = ctx.server;
  const u = await newUser(s, 'technician', 'token');
  await warm(u.bearer);
  assertStatus(await u.session.delete(`/api/v1/auth/tokens/${u.tokenId}`), [200, 204]);
  assertProblem(await u.bearer.get('/api/v1/me'), 401);
  assertStatus(await u.session.get('/api/v1/me'), 200);
});

test('a password reset ends warm sessions and tokens at once', async () => {
  const s = ctx.server;
  const u = await newUser(s, 'technician', 'reset');
  await warm(u.session);
  await warm(u.bearer);
  assertStatus(await s.client().post('/api/v1/auth/password-reset', { tenant: 'acme', email: u.email }), 202);
  const [mail] = await waitForMail(smtp, u.email);
  assert.ok(mail, 'reset e-mail');
  const { token } = linkToken(mail, 'reset');
  await warm(u.session);
  assertStatus(await s.client().post('/api/v1/auth/password-reset/confirm', { token, password: 'another-cache-password-3' }), 204);
  assertProblem(await u.session.get('/api/v1/me'), 401);
  assertProblem(await u.bearer.get('/api/v1/me'), 401);
});

test('name and language changed with PATCH /me show on the next request', async () => {
  const s = ctx.server;
  const u = await newUser(s, 'manager', 'rename');
  await warm(u.session);
  assertStatus(await u.session.patch('/api/v1/me', { name: 'Renamed Person', language: 'es' }), 200);
  const me = (await u.session.get('/api/v1/me')).body;
  assert.equal(me.name, 'Renamed Person');
  assert.equal(me.language, 'es');
  assertStatus(await u.admin.patch(`/api/v1/users/${u.id}`, { name: 'Renamed Again' }), 200);
  assert.equal((await u.session.get('/api/v1/me')).body.name, 'Renamed Again');
});
