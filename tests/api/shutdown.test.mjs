// Graceful shutdown (CLI.md serve): on SIGINT/SIGTERM the server drains in-flight requests and exits 0.
// One seeded database; the server is restarted on it for each test.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { rm } from 'node:fs/promises';
import { startServer, stopServer, assertStatus, rawConnect } from './harness.mjs';

let s;
let token;
before(async () => {
  s = await startServer();
  token = (await s.bearer('acme', 'admin')).token;
}, { timeout: 120_000 });
after(async () => {
  if (s && !s.exit) await stopServer(s);
  else if (s && process.env.PORTICO_KEEP_TMP !== '1') await rm(s.dir, { recursive: true, force: true });
}, { timeout: 30_000 });

async function running() {
  if (s.exit) await s.start();
  assertStatus(await s.client().get('/healthz'), 200);
}

function refused(port) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.on('connect', () => { sock.destroy(); resolve(false); });
    sock.on('error', () => resolve(true));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('graceful shutdown', () => {
  test('SIGTERM: exits 0 within 5 s and stops listening', async () => {
    await running();
    assertStatus(await (await s.bearer('acme', 'admin')).get('/api/v1/me'), 200);
    const r = await s.stop('SIGTERM');
    assert.ok(!r.timedOut, 'exited before the 10 s limit');
    assert.equal(r.signal, null, `exited by itself, not by signal: ${JSON.stringify(r)}\n${s.stderr.text.slice(-2000)}`);
    assert.equal(r.code, 0, `exit code: ${JSON.stringify(r)}\n${s.stderr.text.slice(-2000)}`);
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
    assert.ok(await refused(s.port), 'port no longer accepts connections');
  });

  test('SIGINT: exits 0', async () => {
    await running();
    const r = await s.stop('SIGINT');
    assert.equal(r.code, 0, `exit after SIGINT: ${JSON.stringify(r)}\n${s.stderr.text.slice(-2000)}`);
  });

  test('an idle keep-alive connection does not hold up the exit', async () => {
    await running();
    const conn = await rawConnect(s.port);
    await conn.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nConnection: keep-alive\r\n\r\n`);
    for (let i = 0; i < 50 && !/HTTP\/1\.1 200/.test(conn.received()); i++) await sleep(20);
    assert.match(conn.received(), /^HTTP\/1\.1 200/);
    const r = await s.stop('SIGTERM');
    conn.destroy();
    assert.equal(r.code, 0, JSON.stringify(r));
    assert.ok(r.ms < 5000, `an idle keep-alive connection delayed the exit by ${r.ms} ms`);
  });

  test('a request in flight when SIGTERM arrives still gets its answer', async () => {
    await running();
    const body = JSON.stringify({ name: 'in flight during shutdown' });
    const half = Math.floor(body.length / 2);
    const conn = await rawConnect(s.port);
    await conn.write(
      `POST /api/v1/auth/tokens HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nAuthorization: Bearer ${token}\r\n`
      + `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`
      + body.slice(0, half));
    await sleep(300);
    s.proc.kill('SIGTERM');
    await sleep(300);
    assert.equal(s.exit, null, 'still running while a request is in flight');
    await conn.write(body.slice(half));
    await Promise.race([conn.closed, sleep(5000)]);
    const got = conn.received();
    conn.destroy();
    assert.match(got, /^HTTP\/1\.1 201 /, `answer to the in-flight request: ${JSON.stringify(got.slice(0, 300))}`);
    const r = await Promise.race([s.exited, sleep(10_000).then(() => null)]);
    assert.ok(r, 'exited after the drain');
    assert.equal(r.code, 0, JSON.stringify(r));
  });
});
