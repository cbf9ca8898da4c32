// Webhooks that keep failing (issue 14; API.md, "Webhooks"; docs/webhooks.md): an endpoint is disabled
// after its retry window of failures (a day in production; webhooks.retry_window_seconds = 4 here, with a
// 1 s retry base, so the test runs in seconds) and its tenant's admins are notified; redirects are never
// followed: a receiver answering 30x towards another loopback address is a failed attempt and the target
// is never contacted. The receivers run on 127.0.0.1, so webhooks.allow_private is set: the redirect guard
// therefore does not lean on the address check (which would admit loopback here), only on not following.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { useServer, assertStatus, assertPage } from './harness.mjs';
import { API, repairIn } from './lifecycle_helpers.mjs';

const WINDOW = 4;
const ctx = useServer({
  prepare: async (dir) => {
    const file = path.join(dir, 'portico.toml');
    await writeFile(file, `[webhooks]\nallow_private = true\ntimeout_seconds = 2\nretry_base_seconds = 1\nretry_window_seconds = ${WINDOW}\n`);
    return ['--config', file];
  },
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A local receiver: `answer(entry, n)` returns a status or [status, headers]; records every request. */
async function receiver(answer = () => 200) {
  const received = [];
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const entry = { method: req.method, url: req.url, headers: req.headers, body, at: Date.now() };
      received.push(entry);
      const a = answer(entry, received.length);
      const [status, headers] = Array.isArray(a) ? a : [a, {}];
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end('answer');
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${srv.address().port}/hook`,
    port: srv.address().port,
    received,
    close: () => new Promise((r) => { srv.closeAllConnections?.(); srv.close(r); }),
  };
}

async function waitFor(fn, what, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(150);
  }
}

async function deliveries(admin, id) {
  const res = await admin.get(`${API}/webhooks/${id}/deliveries?page_size=200`);
  assertPage(res);
  return res.body.results;
}

async function notificationsOf(client) {
  const res = await client.get(`${API}/notifications?page_size=100`);
  assertPage(res);
  return res.body.results;
}

test('an endpoint failing for its whole retry window is disabled and the admins are notified', async () => {
  const { server } = ctx;
  const admin = await server.bearer('acme', 'admin');
  const manager = await server.bearer('acme', 'manager');
  const rx = await receiver(() => 500);
  try {
    const created = await admin.post(`${API}/webhooks`, { url: rx.url, events: ['repair.created'] });
    assertStatus(created, 201);
    const hook = created.body;
    const started = Date.now();
    await repairIn(server, 'PENDING');
    // Retried with backoff (1 s base here) until the window is spent, then disabled.
    const disabled = await waitFor(async () => {
      const res = await admin.get(`${API}/webhooks/${hook.id}`);
      assertStatus(res, 200);
      return res.body.active === false ? res.body : null;
    }, 'the endpoint to be disabled');
    const elapsed = (Date.now() - started) / 1000;
    assert.ok(disabled.disabled_at, 'disabled_at is set');
    assert.ok(disabled.failing_since, 'failing_since is kept');
    assert.ok(rx.received.length >= 2, `retried before giving up (${rx.received.length} attempts)`);
    assert.ok(elapsed >= WINDOW - 2 && elapsed < WINDOW + 20, `disabled after about the window (${elapsed} s)`);
    const list = await deliveries(admin, hook.id);
    assert.equal(list.length, 1);
    assert.equal(list[0].status, 'failed');
    assert.equal(list[0].last_status_code, 500);
    assert.equal(list[0].next_attempt_at, null);
    assert.equal(list[0].attempts, rx.received.length);
    // Every admin of the tenant is told, with the URL; the manager is not.
    const note = await waitFor(async () => (await notificationsOf(admin)).find((n) => n.type === 'webhook_disabled'),
      'the admin notification', 10_000);
    assert.ok(note.title.includes(rx.url), note.title);
    assert.ok(!(await notificationsOf(manager)).some((n) => n.type === 'webhook_disabled'));
    // Disabled: new events are not sent to it.
    const attempts = rx.received.length;
    await repairIn(server, 'PENDING');
    await sleep(2500);
    assert.equal(rx.received.length, attempts, 'nothing is sent to a disabled endpoint');
    // Turned on again: the events of meanwhile go out, the failure record is cleared.
    const on = await admin.patch(`${API}/webhooks/${hook.id}`, { active: true });
    assertStatus(on, 200);
    assert.equal(on.body.active, true);
    assert.equal(on.body.disabled_at, null);
    assert.equal(on.body.failing_since, null);
    await waitFor(() => rx.received.length > attempts, 'a delivery after turning it on', 15_000);
    await admin.delete(`${API}/webhooks/${hook.id}`);
  } finally {
    await rx.close();
  }
});

test('a receiver answering 30x to a loopback address is a failure; the redirect is never followed', async () => {
  const { server } = ctx;
  const admin = await server.bearer('acme', 'admin');
  const target = await receiver(() => 200);  // what a redirect would reach (an internal service)
  const codes = [302, 307, 301, 308, 303];
  const redirecting = await receiver((_, n) => [codes[(n - 1) % codes.length], {
    location: n % 2 ? `http://127.0.0.1:${target.port}/internal` : `http://[::1]:${target.port}/internal`,
  }]);
  try {
    const created = await admin.post(`${API}/webhooks`, { url: redirecting.url, events: ['repair.created'] });
    assertStatus(created, 201);
    const hook = created.body;
    await repairIn(server, 'PENDING');
    const failed = await waitFor(async () => {
      const d = (await deliveries(admin, hook.id))[0];
      return d && d.attempts >= 2 ? d : null;
    }, 'two answered attempts');
    assert.notEqual(failed.status, 'delivered');
    assert.ok(codes.includes(failed.last_status_code), `last status ${failed.last_status_code}`);
    assert.match(failed.last_error, /^HTTP 30\d$/);
    await sleep(1000);
    assert.equal(target.received.length, 0, 'the redirect target was never contacted');
    assert.ok(redirecting.received.every((r) => r.method === 'POST' && r.url === '/hook'));
    await admin.delete(`${API}/webhooks/${hook.id}`);
  } finally {
    await redirecting.close();
    await target.close();
  }
});
