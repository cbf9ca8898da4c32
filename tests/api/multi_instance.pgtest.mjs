// Two instances on one PostgreSQL database behave as one server (PRODUCT.md "More than one machine"):
// a status change made through instance A reaches a WebSocket and a long-poll on instance B, and the
// notification it causes is created once, not once per instance. PostgreSQL only (scripts/test runs
// it with PORTICO_TEST_DATABASE=postgres). Also: an instance killed (SIGKILL) under write load loses nothing
// it acknowledged, and a WebSocket client resumes on the other instance with `after` without a gap.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, stopServer, Server, ON_POSTGRES, assertStatus } from './harness.mjs';
import { API, repairIn, move } from './lifecycle_helpers.mjs';
import { openStream, poll, settledLastId, sleep, drain } from './events_helpers.mjs';

let a;
let b;

before(async () => {
  assert.ok(ON_POSTGRES, 'this suite needs PORTICO_TEST_DATABASE=postgres');
  a = await startServer();
  b = new Server({ dir: a.dir, databaseUrl: a.databaseUrl, data: a.data });
  await b.start();
}, { timeout: 120_000 });

after(async () => {
  if (b) {
    const r = await b.stop('SIGTERM');
    assert.equal(r?.code, 0, `instance B exit code\n${b.stderr.text.slice(-2000)}`);
  }
  await stopServer(a);
}, { timeout: 30_000 });

test('a status change through A reaches a WebSocket and a long-poll on B', async () => {
  const repair = await repairIn(a, 'APPROVED');
  const approverB = await b.bearer('acme', 'c1_approver');
  const after0 = await settledLastId(approverB);
  const stream = await openStream(b, approverB, { after: after0 });
  try {
    const longPoll = poll(approverB, after0, 20);
    await sleep(200);  // the long-poll is waiting on B
    const technicianA = await a.bearer('acme', 'technician');
    await move(technicianA, repair.id, 'IN_PROGRESS');
    const isMove = (e) => e.type === 'repair.status_changed' && e.repair_id === repair.id && e.data?.status === 'IN_PROGRESS';
    const { events, ms } = await longPoll;
    assert.ok(events.some(isMove), `long-poll on B got the move made on A: ${JSON.stringify(events)}`);
    assert.ok(ms < 15_000, `the long-poll answered when the event came, not at its timeout (${ms} ms)`);
    await stream.waitFor((evs) => evs.some(isMove), 10_000, 'the status change on the WebSocket of B');
  } finally {
    await stream.close();
  }
});

test('a notification is created once, not once per instance', async () => {
  const repair = await repairIn(a, 'APPROVED');
  const technicianA = await a.bearer('acme', 'technician');
  await move(technicianA, repair.id, 'IN_PROGRESS');
  const approverB = await b.bearer('acme', 'c1_approver');
  await settledLastId(approverB);  // both workers had their chance
  await sleep(500);
  const res = await approverB.get(`${API}/notifications?page_size=100`);
  assertStatus(res, 200);
  const mine = res.body.results.filter((n) => n.repair_id === repair.id && n.type === 'status_changed' && /in progress/i.test(n.title));
  assert.equal(mine.length, 1, `one notification of the move: ${JSON.stringify(mine)}`);
});

test('a write through B is visible on A at once (one database, no instance cache)', async () => {
  const managerB = await b.bearer('acme', 'manager');
  const managerA = await a.bearer('acme', 'manager');
  const repair = await repairIn(b, 'PENDING');
  const res = await managerA.get(`${API}/repairs/${repair.id}`);
  assertStatus(res, 200);
  const upd = await managerB.post(`${API}/repairs/${repair.id}/status`, { status: 'CANCELLED', notes: 'via B' });
  assertStatus(upd, 200);
  const again = await managerA.get(`${API}/repairs/${repair.id}`);
  assert.equal(again.body.status, 'CANCELLED');
});

test('a user deactivated through A is refused on B, whose actor cache hears it (NOTIFY portico_identity)', async () => {
  const adminA = await a.bearer('acme', 'admin');
  const email = `identity.${process.pid}@multi.test`;
  const made = await adminA.post(`${API}/users`, { email, name: 'Identity B', role: 'technician', password: 'identity-password-7' });
  assertStatus(made, 201);
  const onB = b.client();
  assertStatus(await onB.login('acme', email, 'identity-password-7'), 200);
  for (let i = 0; i < 5; i++) assertStatus(await onB.get(`${API}/me`), 200);  // B has the actor cached
  assertStatus(await adminA.patch(`${API}/users/${made.body.id}`, { is_active: false }), 200);
  // B hears the change when A's NOTIFY arrives (milliseconds); without it, B would serve its cached actor
  // until the cache's time to live (2 s) ends. So B is polled for at most 1 s, half of that time to live.
  let status = 200;
  const start = Date.now();
  while (status === 200 && Date.now() - start < 1000) {
    status = (await onB.get(`${API}/me`)).status;
    if (status === 200) await sleep(5);
  }
  assert.equal(status, 401, `the deactivated user is refused on B (after ${Date.now() - start} ms)`);
});

test('SIGKILL of an instance under write load: nothing acknowledged is lost; a stream resumes on the other', async () => {
  const repair = await repairIn(a, 'APPROVED');
  const techA = await a.bearer('acme', 'technician');
  const managerA = await a.bearer('acme', 'manager');
  const start = await settledLastId(managerA);
  const streamA = await openStream(a, managerA, { after: start });
  const acked = [];
  let stop = false;
  const writer = async (k) => {
    for (let i = 0; !stop; i++) {
      try {
        const res = await techA.post(`${API}/repairs/${repair.id}/notes`, { body: `load ${k}.${i}`, visibility: 'internal' });
        if (res.status === 201) acked.push(res.body.id);
      } catch { /* the instance is gone: not acknowledged */ }
    }
  };
  const writers = [0, 1, 2, 3].map(writer);
  while (acked.length < 40) await sleep(20);
  a.proc.kill('SIGKILL');
  await a.exited;
  stop = true;
  await Promise.all(writers);
  await streamA.closed;

  // Every acknowledged note is in the database, read through B.
  const managerB = await b.bearer('acme', 'manager');
  const list = await managerB.get(`${API}/repairs/${repair.id}/notes?page_size=200`);
  assertStatus(list, 200);
  const stored = new Set(list.body.results.map((n) => n.id));
  for (const id of acked) assert.ok(stored.has(id), `acknowledged note ${id} survived the kill`);

  // The stream resumes on B from the last id it received: together, every note event once, in order.
  const seen = streamA.events.filter((e) => Number.isInteger(e.id));
  const resumeAfter = seen.length ? seen[seen.length - 1].id : start;
  const streamB = await openStream(b, managerB, { after: resumeAfter });
  const isLoad = (e) => e.type === 'repair.note_added' && e.repair_id === repair.id;
  const expected = (await drain(managerB, start)).filter(isLoad);
  try {
    const last = expected[expected.length - 1].id;
    if (last > resumeAfter) await streamB.waitFor((evs) => evs.some((e) => e.id >= last), 10_000, `event ${last} on B`);
  } finally {
    await streamB.close();
  }
  const union = [...seen, ...streamB.events].filter(isLoad).map((e) => e.id);
  assert.deepEqual(union, expected.map((e) => e.id), 'note events over both streams: each once, in order, none missing');
  for (const id of acked) assert.ok(expected.some((e) => e.data?.note_id === id), `event of acknowledged note ${id}`);

  await a.start();  // for the after hook (same database, new port)
});
