// Security headers on every response, and error bodies that leak nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, sendLarge } from './harness.mjs';

const ctx = useServer();
const REFERRER_POLICIES = ['no-referrer', 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin',
  'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];

function assertSecurityHeaders(res, label) {
  const get = (n) => (typeof res.headers.get === 'function' ? res.headers.get(n) : res.headers[n]);
  assert.equal(String(get('x-content-type-options')).toLowerCase(), 'nosniff', `X-Content-Type-Options on ${label}`);
  const rp = get('referrer-policy');
  assert.ok(rp, `Referrer-Policy on ${label}`);
  const policies = String(rp).split(',').map((x) => x.trim().toLowerCase());
  assert.ok(policies.every((p) => REFERRER_POLICIES.includes(p)), `Referrer-Policy "${rp}" is a safe value on ${label}`);
}

describe('security headers', () => {
  test('on success, error, public, operational and portal responses', async () => {
    const s = ctx.server;
    const anon = s.client();
    const b = await s.bearer('acme', 'admin');
    const cases = [
      ['GET /healthz', await anon.get('/healthz')],
      ['GET /readyz', await anon.get('/readyz')],
      ['GET /metrics', await anon.get('/metrics')],
      ['GET /api/v1/openapi.json', await anon.get('/api/v1/openapi.json')],
      ['GET branding (public)', await anon.get('/api/v1/tenants/acme/branding')],
      ['GET /api/v1/me 200', await b.get('/api/v1/me')],
      ['GET /api/v1/me 401', await anon.get('/api/v1/me')],
      ['GET unknown API path 404', await anon.get('/api/v1/nothing-here')],
      ['POST login 401', await anon.login('acme', 'nobody@acme.test', 'whatever-password')],
      ['POST login 200', await s.client().login('acme', s.user('acme', 'admin').email, s.user('acme', 'admin').password)],
      ['POST 415', await b.post('/api/v1/customers', undefined, { body: 'x', headers: { 'content-type': 'text/plain' } })],
      ['POST 400', await b.post('/api/v1/customers', undefined, { body: '{', headers: { 'content-type': 'application/json' } })],
      ['GET 403', await (await s.bearer('acme', 'technician')).get('/api/v1/users')],
      ['DELETE 204', await b.delete(`/api/v1/auth/tokens/${(await b.post('/api/v1/auth/tokens', { name: 'gone' })).body.id}`)],
      ['GET portal / ', await anon.get('/')],
      ['GET portal deep link', await anon.get('/repairs/123')],
    ];
    for (const [label, res] of cases) assertSecurityHeaders(res, `${label} (${res.status})`);
  });

  test('on a 413', async () => {
    const s = ctx.server;
    const token = (await s.bearer('acme', 'admin')).token;
    const res = await sendLarge(s.baseUrl, '/api/v1/auth/tokens', { size: 2 * 1024 * 1024, headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 413, `2 MiB body: ${res.status} ${res.text.slice(0, 300)}`);
    assertSecurityHeaders(res, 'POST 413');
  });

  test('JSON responses are labelled as JSON (nosniff relies on it)', async () => {
    const s = ctx.server;
    const me = await (await s.bearer('acme', 'admin')).get('/api/v1/me');
    assert.match(me.contentType, /^application\/json/);
    const err = await s.client().get('/api/v1/me');
    assert.match(err.contentType, /^application\/problem\+json/);
  });
});

describe('error bodies leak nothing', () => {
  test('no stack traces, SQL, file paths or internal exception text', async () => {
    const s = ctx.server;
    const b = await s.bearer('acme', 'admin');
    const leaks = /sqlite|SELECT\s|INSERT\s|UPDATE\s+\w+\s+SET|constraint|\.cpp|\.hpp|\.h:\d|std::|boost|what\(\)|terminate|\/tmp\/|\/work\/|\/home\//i;
    const responses = [
      await b.post('/api/v1/customers', undefined, { body: '{"name": "x", "email": ', headers: { 'content-type': 'application/json' } }),
      await b.post('/api/v1/customers', { name: 'Leak Test', email: s.customer('acme', 'c1').email }), // duplicate -> 409
      await b.post('/api/v1/users', { email: s.user('acme', 'manager').email, name: 'dup', role: 'manager', password: 'long-enough-pw' }),
      await b.get('/api/v1/customers/99999999999999999999999'),
      await b.get("/api/v1/customers/1'%20OR%20'1'='1"),
      await b.get('/api/v1/users?page=abc&page_size=-5'),
      await b.post(`/api/v1/customers/${s.customer('acme', 'c1').id}/access`, { user_id: 2147483648, access: 'viewer', is_primary_contact: false }),
    ];
    for (const r of responses) {
      assert.ok(r.status >= 400 || r.status === 200, r.summary);
      if (r.status >= 500) assert.fail(`server error: ${r.summary}`);
      assert.doesNotMatch(r.text, leaks, r.summary);
      if (r.status >= 400) assert.match(r.contentType, /^application\/problem\+json/, r.summary);
    }
  });
});
