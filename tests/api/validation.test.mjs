// Strict request handling: JSON parsing, unknown fields, types, content types, body size, and the
// order of checks of API.md "Precise rules":
// 404 unknown path -> 401 -> 403 CSRF -> 415 -> 413 -> 400 parse/unknown/type -> 404 scope -> 403 role
// -> 400 field validation -> 409.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, sendLarge } from './harness.mjs';

const ctx = useServer();
const MiB = 1024 * 1024;

describe('JSON bodies', () => {
  test('malformed JSON is 400 problem+json', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    for (const raw of ['{"name":', '{name: "x"}', "{'name': 'x'}", '{"name": "x",}', '', 'nul']) {
      const res = await c.post('/api/v1/auth/tokens', undefined, { body: raw, headers: { 'content-type': 'application/json' } });
      assertProblem(res, 400);
    }
  });

  test('a body that is not a JSON object is 400', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    for (const raw of ['[]', 'null', '"name"', '42', '{"name":"a"} {"name":"b"}']) {
      const res = await c.post('/api/v1/auth/tokens', undefined, { body: raw, headers: { 'content-type': 'application/json' } });
      assertProblem(res, 400);
    }
  });

  test('an unknown field is 400 with that field in errors', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    assertProblem(await c.post('/api/v1/auth/tokens', { name: 'ok', scope: 'everything' }), 400, ['scope']);
    assertProblem(await c.post('/api/v1/customers', { name: 'Typo Co', emial: 'typo@x.test' }), 400, ['emial']);
    assertProblem(await ctx.server.client().post('/api/v1/auth/login', { tenant: 'acme', email: 'a@acme.test', password: 'xxxxxxxxxx', remember: true }), 400, ['remember']);
  });

  test('a wrong type is 400 with that field in errors', async () => {
    const s = ctx.server;
    const c = await s.bearer('acme', 'admin');
    assertProblem(await c.post('/api/v1/auth/tokens', { name: 5 }), 400, ['name']);
    assertProblem(await c.post('/api/v1/auth/tokens', { name: null }), 400, ['name']);
    assertProblem(await c.post('/api/v1/customers', { name: ['A', 'B'], email: 'arr@x.test' }), 400, ['name']);
    assertProblem(await c.post('/api/v1/users', { email: 'typed@acme.test', name: 'T', role: 'manager', password: 1234567890 }), 400, ['password']);
    const c1 = s.customer('acme', 'c1').id;
    const u = s.user('acme', 'lonely').id;
    assertProblem(await c.post(`/api/v1/customers/${c1}/access`, { user_id: String(u), access: 'viewer', is_primary_contact: false }), 400, ['user_id']);
    assertProblem(await c.post(`/api/v1/customers/${c1}/access`, { user_id: u, access: 'viewer', is_primary_contact: 'no' }), 400, ['is_primary_contact']);
    assertProblem(await ctx.server.client().post('/api/v1/auth/login', { tenant: 1, email: 'a@acme.test', password: 'xxxxxxxxxx' }), 400, ['tenant']);
  });

  test('non-integer and out-of-range numbers for an integer are 400', async () => {
    const s = ctx.server;
    const c = await s.bearer('acme', 'admin');
    const url = `/api/v1/customers/${s.customer('acme', 'c1').id}/access`;
    const u = s.user('acme', 'lonely').id;
    for (const n of [`${u}.5`, '1e400', '99999999999999999999999', '-1', '0']) {
      const res = await c.post(url, undefined, {
        body: `{"user_id": ${n}, "access": "viewer", "is_primary_contact": false}`,
        headers: { 'content-type': 'application/json' },
      });
      assertProblem(res, 400, ['user_id']);
    }
  });

  test('invalid UTF-8 is 400', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    const body = Buffer.concat([Buffer.from('{"name": "bad '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    assertProblem(await c.post('/api/v1/auth/tokens', undefined, { body, headers: { 'content-type': 'application/json' } }), 400);
  });

  test('very deep nesting is a 400, not a crash', async () => {
    const s = ctx.server;
    const c = await s.bearer('acme', 'admin');
    const depth = 100_000;
    const raw = '{"name":' + '['.repeat(depth) + ']'.repeat(depth) + '}';
    assertProblem(await c.post('/api/v1/auth/tokens', undefined, { body: raw, headers: { 'content-type': 'application/json' } }), 400);
    assertStatus(await s.client().get('/healthz'), 200);
  });

  test('"application/json; charset=utf-8" is JSON; UTF-8 text survives the round trip', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    const name = 'Zürich Glas & Sons — 東京 🚚';
    const res = await c.post('/api/v1/customers', undefined, {
      body: JSON.stringify({ name, email: 'utf8@zurich.test' }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    assertStatus(res, 201);
    assert.equal(res.body.name, name);
    assert.equal((await c.get(`/api/v1/customers/${res.body.id}`)).body.name, name);
  });
});

describe('content types', () => {
  test('a body with a non-JSON content type is 415', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    const payload = JSON.stringify({ name: 'x' });
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/xml']) {
      assertProblem(await c.post('/api/v1/auth/tokens', undefined, { body: payload, headers: { 'content-type': ct } }), 415);
    }
  });

  test('a body without a content type is 415', async () => {
    const c = await ctx.server.bearer('acme', 'admin');
    // fetch labels a string body text/plain; a Uint8Array gets no content type at all.
    const res = await c.post('/api/v1/auth/tokens', undefined, { body: new TextEncoder().encode('{"name":"x"}') });
    assertProblem(res, 415);
  });

  test('a form-encoded login (a cross-site form post) is 415', async () => {
    const u = ctx.server.user('acme', 'admin');
    const res = await ctx.server.client().post('/api/v1/auth/login', undefined, {
      body: `tenant=acme&email=${encodeURIComponent(u.email)}&password=${encodeURIComponent(u.password)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assertProblem(res, 415);
    assert.equal(res.headers.getSetCookie().length, 0);
  });
});

describe('body size', () => {
  test('a 20 MB body is 413, and the server still answers /healthz', async () => {
    const s = ctx.server;
    const token = (await s.bearer('acme', 'admin')).token;
    const res = await sendLarge(s.baseUrl, '/api/v1/auth/tokens', { size: 20 * 1000 * 1000, headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 413, `20 MB body: ${res.status} ${res.text.slice(0, 300)}`);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const h = await s.client().get('/healthz');
    assertStatus(h, 200);
    assertStatus(await (await s.bearer('acme', 'admin')).get('/api/v1/me'), 200);
  });

  test('a 20 MB chunked body (no Content-Length) is 413 too', async () => {
    const s = ctx.server;
    const token = (await s.bearer('acme', 'admin')).token;
    const res = await sendLarge(s.baseUrl, '/api/v1/auth/tokens', { size: 20 * 1000 * 1000, chunked: true, headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 413, `chunked 20 MB body: ${res.status} ${res.text.slice(0, 300)}`);
    assertStatus(await s.client().get('/healthz'), 200);
  });

  test('just over 1 MiB is 413; just under 1 MiB is not', async () => {
    const s = ctx.server;
    const token = (await s.bearer('acme', 'admin')).token;
    const over = await sendLarge(s.baseUrl, '/api/v1/auth/tokens', { size: MiB + 1, headers: { authorization: `Bearer ${token}` } });
    assert.equal(over.status, 413, `1 MiB + 1: ${over.status} ${over.text.slice(0, 300)}`);
    const under = await sendLarge(s.baseUrl, '/api/v1/auth/tokens', { size: MiB - 1024, headers: { authorization: `Bearer ${token}` } });
    assert.notEqual(under.status, 413, `1 MiB - 1 KiB is within the limit: ${under.status} ${under.text.slice(0, 300)}`);
    assert.ok([201, 400].includes(under.status), `1 MiB - 1 KiB: ${under.status} ${under.text.slice(0, 300)}`);
  });
});

describe('order of checks', () => {
  test('unknown path (404) comes before authentication (401)', async () => {
    const c = ctx.server.client();
    assertProblem(await c.get('/api/v1/no-such-endpoint'), 404);
    assertProblem(await c.post('/api/v1/no-such-endpoint', undefined, { body: 'x', headers: { 'content-type': 'text/plain' } }), 404);
    assertProblem(await c.get('/api/v2/me'), 404);
  });

  test('a known path with a method it does not have is 405 (with Allow) or 404, as problem+json', async () => {
    const b = await ctx.server.bearer('acme', 'admin');
    for (const [method, path, allowed] of [['PUT', '/api/v1/me', 'GET'], ['DELETE', '/api/v1/users', 'GET'], ['POST', '/healthz', 'GET']]) {
      const res = await b.request(method, path, { json: {} });
      assertStatus(res, [404, 405]);
      assert.match(res.contentType, /^application\/problem\+json/, res.summary);
      assert.equal(res.body.status, res.status, res.summary);
      if (res.status === 405) {
        assert.ok(String(res.headers.get('allow')).split(',').map((x) => x.trim()).includes(allowed), `Allow lists ${allowed}: ${res.headers.get('allow')}`);
        assert.notEqual(res.body.title, 'Invalid input', `a 405's title names the 405, not a 400: ${res.summary}`);
        assert.doesNotMatch(res.body.type, /invalid-input/, `a 405's type is not the 400 type: ${res.summary}`);
      }
    }
  });

  test('401 comes before 415 and 413', async () => {
    const s = ctx.server;
    assertProblem(await s.client().post('/api/v1/customers', undefined, { body: 'name=x', headers: { 'content-type': 'text/plain' } }), 401);
    const big = await sendLarge(s.baseUrl, '/api/v1/customers', { size: 2 * MiB });
    assert.equal(big.status, 401, `unauthenticated 2 MiB body: ${big.status} ${big.text.slice(0, 300)}`);
  });

  test('missing CSRF (403) comes before 415 and 400', async () => {
    const c = await ctx.server.login('acme', 'admin');
    assertProblem(await c.post('/api/v1/customers', undefined, { body: 'x', headers: { 'content-type': 'text/plain' }, csrf: false }), 403);
    assertProblem(await c.post('/api/v1/customers', undefined, { body: '{bad', headers: { 'content-type': 'application/json' }, csrf: false }), 403);
  });

  test('415 comes before 413, and 413 before 400', async () => {
    const s = ctx.server;
    const token = (await s.bearer('acme', 'admin')).token;
    const r415 = await sendLarge(s.baseUrl, '/api/v1/customers', { size: 2 * MiB, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' } });
    assert.equal(r415.status, 415, `text/plain 2 MiB: ${r415.status} ${r415.text.slice(0, 300)}`);
    const r413 = await sendLarge(s.baseUrl, '/api/v1/customers', { size: 2 * MiB, prefix: '{bad', suffix: '', headers: { authorization: `Bearer ${token}` } });
    assert.equal(r413.status, 413, `malformed 2 MiB JSON: ${r413.status} ${r413.text.slice(0, 300)}`);
  });

  test('a parse/unknown-field 400 comes before the role check (403)', async () => {
    const t = await ctx.server.bearer('acme', 'technician');
    assertProblem(await t.post('/api/v1/users', { email: 'x@acme.test', name: 'X', role: 'admin', password: 'long-enough-pw', bogus: 1 }), 400, ['bogus']);
    assertProblem(await t.post('/api/v1/users', undefined, { body: '{"email":', headers: { 'content-type': 'application/json' } }), 400);
  });

  test('the role check (403) comes before field validation (400)', async () => {
    const t = await ctx.server.bearer('acme', 'technician');
    assertProblem(await t.post('/api/v1/users', { email: 'x@acme.test', name: 'X', role: 'wizard', password: 'short' }), 403);
    assertProblem(await t.post('/api/v1/customers', { name: '' , email: 'not-an-email' }), 403);
  });

  test('scope (404) comes before the role check (403) and field validation (400)', async () => {
    const s = ctx.server;
    // acme admin, globex user: outside scope.
    assertProblem(await (await s.bearer('acme', 'admin')).patch(`/api/v1/users/${s.user('globex', 'admin').id}`, { role: 'wizard' }), 404);
    // c1 viewer, c2 customer: outside scope, even though a viewer would also be refused.
    assertProblem(await (await s.bearer('acme', 'c1_viewer')).patch(`/api/v1/customers/${s.customer('acme', 'c2').id}`, { phone: '1' }), 404);
    // manager on a globex customer with an invalid access kind.
    assertProblem(await (await s.bearer('acme', 'manager')).post(`/api/v1/customers/${s.customer('globex', 'c2').id}/access`,
      { user_id: s.user('acme', 'lonely').id, access: 'owner', is_primary_contact: false }), 404);
  });

  test('field validation (400) comes before a conflict (409)', async () => {
    const a = await ctx.server.bearer('acme', 'admin');
    // Duplicate email (would be 409) but also a too-short password (400).
    assertProblem(await a.post('/api/v1/users', { email: 'admin@acme.test', name: 'Dup', role: 'admin', password: 'short' }), 400, ['password']);
  });
});
