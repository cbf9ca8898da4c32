// Webhooks (issue 14; API.md, "Webhooks") against a local receiver started by the test, on 127.0.0.1 with
// webhooks.allow_private set in this server's configuration (a short answer time and retry base so that
// retries come within seconds): delivery, signature, retry after a 500, timeout, redelivery, no duplicates
// across a restart; the admin-only API; a private URL refused without the setting (second server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { useServer, startServer, stopServer, assertProblem, assertStatus, assertPage } from './harness.mjs';
import { API, repairIn, move, uniq } from './lifecycle_helpers.mjs';

const ctx = useServer({
  prepare: async (dir) => {
    const file = path.join(dir, 'portico.toml');
    await writeFile(file, '[webhooks]\nallow_private = true\ntimeout_seconds = 2\nretry_base_seconds = 1\n');
    return ['--config', file];
  },
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A local receiver: `answer(req, body)` returns a status (or 'hang' to never answer); records requests. */
async function receiver(answer = () => 200) {
  const received = [];
  const hanging = [];
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const entry = { headers: req.headers, body, json: JSON.parse(body), at: Date.now() };
      received.push(entry);
      const status = answer(entry, received.length);
      if (status === 'hang') { hanging.push(res); return; }
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${srv.address().port}/hook`;
  return {
    url, received,
    close: () => new Promise((r) => { for (const h of hanging) h.destroy(); srv.closeAllConnections?.(); srv.close(r); }),
  };
}

async function waitFor(fn, what, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function createHook(admin, url, events = ['*']) {
  const res = await admin.post(`${API}/webhooks`, { url, events, description: 'test receiver' });
  assertStatus(res, 201);
  return res.body;
}

async function deliveries(admin, id) {
  const res = await admin.get(`${API}/webhooks/${id}/deliveries?page_size=200`);
  assertPage(res);
  return res.body.results;
}

test('admin only; the secret is shown once; validation', async () => {
  const { server } = ctx;
  const admin = await server.bearer('acme', 'admin');
  const rx = await receiver();
  try {
    const hook = await createHook(admin, rx.url, ['repair.status_changed']);
    assert.match(hook.secret, /^whsec_/);
    assert.deepEqual(hook.events, ['repair.status_changed']);
    assert.equal(hook.active, true);
    const got = await admin.get(`${API}/webhooks/${hook.id}`);
    assertStatus(got, 200);
    assert.equal(got.body.secret, undefined, 'secret not shown again');
    for (const who of ['manager', 'technician', 'c1_approver']) {
      const c = await server.bearer('acme', who);
      assertProblem(await c.get(`${API}/webhooks`), 403);
      assertProblem(await c.post(`${API}/webhooks`, { url: rx.url, events: ['*'] }), 403);
    }
    const globex = await server.bearer('globex', 'admin');
    assertProblem(await globex.get(`${API}/webhooks/${hook.id}`), 404);
    assertProblem(await admin.post(`${API}/webhooks`, { url: 'ftp://x.test/', events: ['*'] }), 400, ['url']);
    assertProblem(await admin.post(`${API}/webhooks`, { url: rx.url, events: ['repair.nope'] }), 400, ['events']);
    assertProblem(await admin.post(`${API}/webhooks`, { url: rx.url, events: [] }), 400, ['events']);
    assertProblem(await admin.post(`${API}/webhooks`, { url: rx.url, events: ['*'], extra: 1 }), 400);
    const patched = await admin.patch(`${API}/webhooks/${hook.id}`, { description: 'changed', active: false });
    assertStatus(patched, 200);
    assert.equal(patched.body.active, false);
    assertStatus(await admin.delete(`${API}/webhooks/${hook.id}`), 204);
    assertProblem(await admin.get(`${API}/webhooks/${hook.id}`), 404);
  } finally {
    await rx.close();
  }
});

test('an event is delivered once, signed as API.md says', async () => {
  const { server } = ctx;
  const admin = await server.bearer('acme', 'admin');
  const rx = await receiver();
  try {
    const hook = await createHook(admin, rx.url, ['repair.status_changed']);
    const manager = await server.bearer('acme', 'manager');
    const repair = await repairIn(server, 'PENDING');
    await move(manager, repair.id, 'CANCELLED', 'no longer needed');
    const got = await waitFor(() => rx.received.find((r) => r.json.repair_id === repair.id), 'the delivery');
    assert.equal(got.json.type, 'repair.status_changed');
    assert.equal(got.json.data.status, 'CANCELLED');
    assert.match(got.json.occurred_at, /Z$/);
    assert.equal(got.headers['portico-event-id'], String(got.json.id));
    const ts = got.headers['portico-timestamp'];
    const expected = 'v1=' + createHmac('sha256', hook.secret).update(`${ts}.${got.body}`).digest('hex');
    assert.equal(got.headers['portico-signature'], expected);
    assert.ok(Math.abs(Number(ts) - Date.now() / 1000) < 60);
    // Only the subscribed type: repair.created (by repairIn) was not sent.
    assert.ok(rx.received.every((r) => r.json.type === 'repair.status_changed'));
    const list = await waitFor(async () => {
      const d = await deliveries(admin, hook.id);
      return d.length && d.every((x) => x.status === 'delivered') ? d : null;
    }, 'delivered status');
    assert.equal(list[0].attempts, 1);
    assert.equal(list[0].last_status_code, 200);
    assert.equal(list[0].next_attempt_at, null);
    await sleep(1500);
    assert.equal(rx.received.filter((r) => r.json.repair_id === repair.id).length, 1, 'never twice after a 2xx');
  } finally {
    await rx.close();
  }
});

test('"*" sends every listed type, but never conversations or user-addressed events', async () => {
  const { server } = ctx;
  const admin = await server.bearer('acme', 'admin');
  const rx = await receiver();
  try {
    await createHook(admin, rx.url, ['*']);
    const manager = await server.bearer('acme', 'manager');
    const channel = await manager.get(`${API}/customers/${server.customer('acme', 'c1').id}/channel`);
    assertStatus(channel, 200);
    assertStatus(await manager.post(`${API}/channels/${channel.body.id}/messages`, { body: 'private to the channel' }), 201);
    const repair = await repairIn(server, 'PENDING');
    await waitFor(() => rx.received.find((r) => r.json.repair_id === repair.id), 'the repair events');
    await sleep(1000);
    const types = new Set(rx.received.map((r) => r.json.type));
    assert.ok(types.has('repair.created'), [...types].join(', '));
    for (const t of types) assert.ok(!/^(message|notification|auth)\./.test(t), `${t} must not leave Portico`);
    assert.ok(!rx.received.some((r) => r.body.includes('private to the channel')));
  } finally {
    await rx.close();
  }
});

test('a 500 is retried with backoff; a receiver that never answers times out; redelivery sends again', async () => {
  const { server } = ctx;
  const admin = await server.bearer('acme', 'admin');
  const flaky = await receiver((_, n) => (n === 1 ? 500 : 200));
  const silent = await receiver(() => 'hang');
  try {
    const h1 = await createHook(admin, flaky.url, ['repair.created']);
    const h2 = await createHook(admin, silent.url, ['repair.created']);
    const repair = await repairIn(server, 'PENDING');
    await waitFor(() => flaky.received.length >= 2, 'the retry', 30_000);
    assert.equal(flaky.received[0].json.id, flaky.received[1].json.id, 'the same event again');
    assert.ok(flaky.received[1].at - flaky.received[0].at >= 400, 'after a pause');
    const d1 = await waitFor(async () => (await deliveries(admin, h1.id)).find((d) => d.status === 'delivered'), 'delivered after retry');
    assert.equal(d1.attempts, 2);
    // The silent one: the attempt times out (2 s here), is recorded, and is pending again.
    const d2 = await waitFor(async () => (await deliveries(admin, h2.id)).find((d) => d.attempts >= 1), 'timed-out attempt', 30_000);
    assert.equal(d2.status, 'pending');
    assert.match(d2.last_error, /time/i);
    assert.ok(d2.next_attempt_at);
    // The slow endpoint did not hold up the other one: the flaky one got its answer meanwhile.
    assert.equal(flaky.received[0].json.repair_id, repair.id);
    // Redelivery of a delivered one sends it again.
    const before = flaky.received.length;
    assertStatus(await admin.post(`${API}/webhooks/${h1.id}/deliveries/${d1.id}/redeliver`), 202);
    await waitFor(() => flaky.received.length > before, 'the redelivery');
    assertProblem(await admin.post(`${API}/webhooks/${h1.id}/deliveries/999999/redeliver`), 404);
    await admin.delete(`${API}/webhooks/${h2.id}`);
  } finally {
    await flaky.close();
    await silent.close();
  }
});

test('test send goes to that endpoint only', async () => {
  const { server } = ctx;
  const admin = await server.bearer('acme', 'admin');
  const rx = await receiver();
  const other = await receiver();
  try {
    const hook = await createHook(admin, rx.url, ['*']);
    const otherHook = await createHook(admin, other.url, ['*']);
    const res = await admin.post(`${API}/webhooks/${hook.id}/test`);
    assertStatus(res, 202);
    const got = await waitFor(() => rx.received.find((r) => r.json.type === 'webhook.test'), 'the test event');
    assert.equal(got.json.data.webhook_id, hook.id);
    await sleep(1500);
    assert.ok(!other.received.some((r) => r.json.type === 'webhook.test'));
    await admin.delete(`${API}/webhooks/${hook.id}`);
    await admin.delete(`${API}/webhooks/${otherHook.id}`);
  } finally {
    await rx.close();
    await other.close();
  }
});

test('deliveries resume after a restart without duplicates', async () => {
  const { server } = ctx;
  const admin = await server.bearer('acme', 'admin');
  const rx = await receiver();
  try {
    const hook = await createHook(admin, rx.url, ['repair.created']);
    const first = await repairIn(server, 'PENDING');
    await waitFor(() => rx.received.some((r) => r.json.repair_id === first.id), 'first delivery');
    await server.stop();
    await server.start();
    server._tokens.clear();
    const second = await repairIn(server, 'PENDING');
    await waitFor(() => rx.received.some((r) => r.json.repair_id === second.id), 'delivery after restart');
    await sleep(2000);
    const ids = rx.received.map((r) => r.json.id);
    assert.equal(new Set(ids).size, ids.length, `no event twice: ${ids}`);
    const admin2 = await server.bearer('acme', 'admin');
    await admin2.delete(`${API}/webhooks/${hook.id}`);
  } finally {
    await rx.close();
  }
});

test('without webhooks.allow_private: loopback, private and http:// URLs are refused', { timeout: 120_000 }, async () => {
  const strict = await startServer();
  try {
    const admin = await strict.bearer('acme', 'admin');
    for (const url of ['https://127.0.0.1/hook', 'https://[::1]/hook', 'https://10.1.2.3/x', 'https://192.168.0.10/',
      'https://169.254.169.254/latest', 'https://[::ffff:127.0.0.1]/', 'https://localhost/hook', 'http://example.com/hook']) {
      assertProblem(await admin.post(`${API}/webhooks`, { url, events: ['*'] }), 400, ['url']);
    }
  } finally {
    await stopServer(strict);
  }
});

test('docs/webhooks.md lists the event types of the OpenAPI document', async () => {
  const { server } = ctx;
  const { readFile } = await import('node:fs/promises');
  const { REPO_ROOT } = await import('./harness.mjs');
  const doc = await server.client().get(`${API}/openapi.json`);
  assertStatus(doc, 200);
  const served = doc.body.components.schemas.NewWebhook.properties.events.items.enum.filter((t) => t !== '*').sort();
  const md = await readFile(path.join(REPO_ROOT, 'docs', 'webhooks.md'), 'utf8');
  const table = md.slice(md.indexOf('## Event types'));
  const documented = [...table.matchAll(/^\| (`[^|]+`) \|/gm)]
    .flatMap((m) => [...m[1].matchAll(/`([a-z_]+\.[a-z_]+)`/g)].map((x) => x[1])).sort();
  assert.deepEqual(documented, served);
});
