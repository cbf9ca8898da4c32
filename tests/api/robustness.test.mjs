// The HTTP edge under awkward clients: stalled connections, oversized headers, garbage, concurrency.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertStatus, rawConnect } from './harness.mjs';

const ctx = useServer();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * API.md: every error is problem+json; the issue: every response carries X-Content-Type-Options: nosniff
 * and Referrer-Policy — including those the HTTP parser produces before any route runs.
 */
function assertEdgeResponse(text, label) {
  const head = text.split('\r\n\r\n')[0];
  assert.match(head, /\r\nx-content-type-options: *nosniff/i, `${label}: nosniff header\n${head}`);
  assert.match(head, /\r\nreferrer-policy: *\S+/i, `${label}: Referrer-Policy header\n${head}`);
  assert.match(head, /\r\ncontent-type: *application\/problem\+json/i, `${label}: problem+json\n${head}`);
}

async function rawExchange(port, bytes, waitMs = 3000) {
  const conn = await rawConnect(port);
  await conn.write(bytes);
  await Promise.race([conn.closed, sleep(waitMs)]);
  const text = conn.received();
  conn.destroy();
  return text;
}

describe('HTTP edge', () => {
  test('50 stalled connections (half-sent headers) do not stop others being served', async () => {
    const s = ctx.server;
    const stalled = [];
    for (let i = 0; i < 50; i++) {
      const conn = await rawConnect(s.port);
      await conn.write(`GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `);
      stalled.push(conn);
    }
    try {
      const t0 = Date.now();
      const res = await s.client().get('/healthz');
      assertStatus(res, 200);
      const me = await (await s.bearer('acme', 'admin')).get('/api/v1/me');
      assertStatus(me, 200);
      assert.ok(Date.now() - t0 < 2000, `answered in ${Date.now() - t0} ms`);
    } finally {
      for (const c of stalled) c.destroy();
    }
  });

  test('an oversized header block is refused with a 4xx and the server lives on', async () => {
    const s = ctx.server;
    const text = await rawExchange(s.port,
      `GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: portico_session=${'a'.repeat(256 * 1024)}\r\nConnection: close\r\n\r\n`);
    assert.ok(text === '' || /^HTTP\/1\.1 4\d\d/.test(text), `answer to a 256 KiB header: ${text.slice(0, 200)}`);
    if (text) assertEdgeResponse(text, 'answer to a 256 KiB header');
    assertStatus(await s.client().get('/healthz'), 200);
  });

  test('a garbage request line is a 400 (or a closed connection), and the server lives on', async () => {
    const s = ctx.server;
    const text = await rawExchange(s.port, 'HELLO THERE\r\n\r\n');
    assert.ok(text === '' || /^HTTP\/1\.[01] 400/.test(text), `answer to garbage: ${text.slice(0, 200)}`);
    if (text) assertEdgeResponse(text, 'answer to a garbage request line');
    const text2 = await rawExchange(s.port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]));
    assert.ok(text2 === '' || /^HTTP\/1\.[01] 400/.test(text2), `answer to a TLS hello: ${text2.slice(0, 200)}`);
    assertStatus(await s.client().get('/healthz'), 200);
  });

  test('Content-Length together with Transfer-Encoding (smuggling shape) is refused', async () => {
    const s = ctx.server;
    const token = (await s.bearer('acme', 'admin')).token;
    const body = '0\r\n\r\n';
    const text = await rawExchange(s.port,
      `POST /api/v1/auth/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n`
      + `Content-Length: ${body.length + 40}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body}`
      + 'GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    assert.ok(!statuses.includes('200'), `no smuggled second request was answered: ${text.slice(0, 400)}`);
    assertStatus(await s.client().get('/healthz'), 200);
  });
});

describe('concurrency', () => {
  test('40 concurrent reads all succeed', async () => {
    const b = await ctx.server.bearer('acme', 'manager');
    const all = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? b.get('/api/v1/me') : b.get('/api/v1/customers'))));
    for (const r of all) assertStatus(r, 200);
  });

  test('25 concurrent creates all succeed (no "database is locked")', async () => {
    const c = await ctx.server.login('acme', 'admin');
    const all = await Promise.all(Array.from({ length: 25 }, (_, i) =>
      c.post('/api/v1/customers', { name: `Concurrent ${i}`, email: `concurrent${i}@race.test` })));
    for (const r of all) assertStatus(r, 201);
    assert.equal(new Set(all.map((r) => r.body.id)).size, 25, 'distinct ids');
  });

  test('10 concurrent creates with the same email: exactly one 201, the rest 409', async () => {
    const b = await ctx.server.bearer('acme', 'admin');
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      b.post('/api/v1/customers', { name: `Racer ${i}`, email: 'same@race.test' })));
    const statuses = all.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, ...Array(9).fill(409)], all.filter((r) => ![201, 409].includes(r.status)).map((r) => r.summary).join('\n'));
  });

  test('10 concurrent user creates with the same email: exactly one 201, the rest 409', async () => {
    const b = await ctx.server.bearer('globex', 'admin');
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      b.post('/api/v1/users', { email: 'twin@globex.test', name: `Twin ${i}`, role: 'technician', password: 'long-enough-pw' })));
    const statuses = all.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, ...Array(9).fill(409)], all.filter((r) => ![201, 409].includes(r.status)).map((r) => r.summary).join('\n'));
  });
});
