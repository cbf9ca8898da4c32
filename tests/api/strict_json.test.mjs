// Strict JSON (issue 15): a request body that repeats a key within one object, at any depth, is 400
// problem+json naming the key, and changes nothing. Boost.JSON alone keeps the last duplicate, which a
// proxy or WAF keeping the first would read differently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus } from './harness.mjs';

const ctx = useServer();
const JSON_HEADERS = { 'content-type': 'application/json' };

test('login with a repeated password is 400 naming "password", not a login', async () => {
  const s = ctx.server;
  const u = s.user('acme', 'admin');
  const c = s.client();
  const raw = `{"tenant": "acme", "email": ${JSON.stringify(u.email)}, "password": "wrong-password-x", "password": ${JSON.stringify(u.password)}}`;
  const res = await c.post('/api/v1/auth/login', undefined, { body: raw, headers: JSON_HEADERS });
  assertProblem(res, 400, ['password']);
  assert.match(res.body.detail, /password/);
  assert.equal(c.jar.size, 0, 'no session cookie was set');
  // The same body without the duplicate logs in.
  const ok = await c.post('/api/v1/auth/login', undefined, {
    body: `{"tenant": "acme", "email": ${JSON.stringify(u.email)}, "password": ${JSON.stringify(u.password)}}`, headers: JSON_HEADERS,
  });
  assertStatus(ok, 200);
});

test('an escaped spelling of the same key is the same key', async () => {
  const s = ctx.server;
  const u = s.user('acme', 'admin');
  const raw = `{"tenant": "acme", "email": ${JSON.stringify(u.email)}, "password": "x-wrong-xxxx", "passw\\u006frd": ${JSON.stringify(u.password)}}`;
  assertProblem(await s.client().post('/api/v1/auth/login', undefined, { body: raw, headers: JSON_HEADERS }), 400, ['password']);
});

test('creating a repair with two unit_numbers is 400 and creates nothing', async () => {
  const s = ctx.server;
  const manager = await s.bearer('acme', 'manager');
  const cid = s.customer('acme', 'c1').id;
  const before = await manager.get(`/api/v1/repairs?customer_id=${cid}`);
  assertStatus(before, 200);
  const raw = `{"customer_id": ${cid}, "unit_number": "DUP-A", "description": "Cracked mirror", "unit_number": "DUP-B"}`;
  const res = await manager.post('/api/v1/repairs', undefined, { body: raw, headers: JSON_HEADERS });
  assertProblem(res, 400, ['unit_number']);
  const after = await manager.get(`/api/v1/repairs?customer_id=${cid}`);
  assert.equal(after.body.count, before.body.count, 'no repair was created');
});

test('a PATCH with a duplicate key is 400 and changes nothing; a nested duplicate is named by its path', async () => {
  const s = ctx.server;
  const admin = await s.bearer('acme', 'admin');
  const c2 = s.customer('acme', 'c2');
  const before = await admin.get(`/api/v1/customers/${c2.id}`);
  assertStatus(before, 200);
  const res = await admin.patch(`/api/v1/customers/${c2.id}`, undefined, {
    body: '{"phone": "555-0101", "phone": "555-0202"}', headers: JSON_HEADERS,
  });
  assertProblem(res, 400, ['phone']);
  const after = await admin.get(`/api/v1/customers/${c2.id}`);
  assert.equal(after.body.phone, before.body.phone, 'the customer is unchanged');

  // A nested duplicate (PUT branding): the error names its path.
  const nested = await admin.put('/api/v1/tenants/acme/branding', undefined, {
    body: '{"company": {"name": "Acme"}, "colors": {"primary": "#112233", "primary": "#445566"}}', headers: JSON_HEADERS,
  });
  assertProblem(nested, 400, ['colors.primary']);
});
