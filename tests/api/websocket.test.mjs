// Live updates by WebSocket (API.md "Live updates"): GET /api/v1/events/ws?after= upgrades and pushes the
// events the caller may see, one JSON object per text frame, starting after `after` so a reconnecting
// client loses nothing. Cookie sessions need an Origin equal to the server's own; a bearer token needs
// none; no credentials is 401. A client more than 5000 events behind is closed with 4008.
//
// Needs the global WebSocket client: Node 20 with --experimental-websocket (the test command sets it).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertStatus } from './harness.mjs';
import { API, uniq, createRepair, move, repairIn, newCustomerUser } from './lifecycle_helpers.mjs';
import {
  requireWebSocket, openStream, wsHeaders, rawUpgrade, wsGauge, eventually, drain, lastId, addNote, settledDrain, settledLastId,
  addManyNotes, isInternalNote, assertAscendingUnique, assertEventShape, sleep, summarize,
} from './events_helpers.mjs';

const ctx = useServer();
const WS_PATH = `${API}/events/ws`;
/**
 * How long tests whose subject is not latency wait for a pushed event. Generous on purpose: the latency
 * itself is asserted by 'events from concurrent writes reach an open stream within a second'; a missed
 * wake-up (see that test) would otherwise make unrelated tests fail at random.
 */
const DELIVERY_MS = 30_000;

/** Waits until the stream holds every id of `ids`. */
const holdsAll = (ids) => (events) => { const got = new Set(events.map((e) => e.id)); return ids.every((id) => got.has(id)); };

test('the WebSocket client is available (Node 20: --experimental-websocket)', () => {
  requireWebSocket();
});

describe('handshake and credentials', () => {
  test('an upgrade without credentials (or with a bad token) is 401', async () => {
    const s = ctx.server;
    const none = await rawUpgrade(s, `${WS_PATH}?after=0`);
    assert.equal(none.status, 401, `no credentials: ${none.status} ${none.body}`);
    const bad = await rawUpgrade(s, `${WS_PATH}?after=0`, { Authorization: 'Bearer not-a-real-token' });
    assert.equal(bad.status, 401, `bad token: ${bad.status} ${bad.body}`);
    const badCookie = await rawUpgrade(s, `${WS_PATH}?after=0`, { Cookie: 'portico_session=forged', Origin: s.baseUrl });
    assert.equal(badCookie.status, 401, `forged cookie: ${badCookie.status} ${badCookie.body}`);
    // the WebSocket client cannot open either
    requireWebSocket();
    await assert.rejects(openStream(s, null, { after: 0, headers: {} }), /failed to open/);
  });

  test('a cookie session with a foreign (or missing) Origin is 403; with its own Origin it opens', async () => {
    const s = ctx.server;
    const c = await s.login('acme', 'c1_viewer');
    for (const origin of ['http://evil.example', `http://127.0.0.1:${s.port + 1}`, 'null', `http://evil.example/127.0.0.1:${s.port}`, null]) {
      const h = { Cookie: c.cookieHeader() };
      if (origin !== null) h.Origin = origin;
      const res = await rawUpgrade(s, `${WS_PATH}?after=0`, h);
      assert.equal(res.status, 403, `Origin ${origin}: ${res.status} ${res.body}`);
      res.sock.destroy();
    }
    const foreign = openStream(s, c, { after: 0, headers: wsHeaders(s, c, { origin: 'http://evil.example' }) });
    await assert.rejects(foreign, /failed to open/);
    const own = await rawUpgrade(s, `${WS_PATH}?after=0`, { Cookie: c.cookieHeader(), Origin: s.baseUrl });
    assert.equal(own.status, 101, `own Origin: ${own.status} ${own.body}`);
    own.sock.destroy();
    const stream = await openStream(s, c, { after: 0 });
    await stream.close();
  });

  test('a bearer token opens without any Origin and receives new events', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const tech = await s.bearer('acme', 'technician');
    const raw = await rawUpgrade(s, `${WS_PATH}?after=0`, { Authorization: `Bearer ${admin.token}` });
    assert.equal(raw.status, 101, `bearer, no Origin: ${raw.status} ${raw.body}`);
    raw.sock.destroy();
    const r = await repairIn(s, 'APPROVED');
    const stream = await openStream(s, admin, { after: await settledLastId(admin) });
    try {
      await move(tech, r.id, 'IN_PROGRESS');
      await stream.waitFor((ev) => ev.some((e) => e.type === 'repair.status_changed' && e.repair_id === r.id), DELIVERY_MS, 'the status change');
      for (const e of stream.events) assertEventShape(e, 'ws frame');
      assert.ok(stream.raw.every((d) => typeof d === 'string'), 'text frames');
      const ev = stream.events.find((e) => e.type === 'repair.status_changed');
      assert.equal(ev.data.status, 'IN_PROGRESS');
    } finally {
      await stream.close();
    }
  });

  test('without `after` the stream starts at the newest event (no replay of older ones)', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const tech = await s.bearer('acme', 'technician');
    const r = await repairIn(s, 'APPROVED');
    const before = await settledLastId(admin); // follow-up events of the setup settle first
    const stream = await openStream(s, admin); // no ?after
    try {
      await sleep(200);
      assert.deepEqual(stream.events, [], `nothing replayed: ${summarize(stream.events)}`);
      await addNote(tech, r.id, 'internal');
      await stream.waitFor((ev) => ev.some((e) => e.type === 'repair.note_added' && e.repair_id === r.id), DELIVERY_MS, 'the note');
      assert.ok(stream.events.every((e) => e.id > before), `only events after ${before}: ${summarize(stream.events)}`);
    } finally {
      await stream.close();
    }
  });
});

describe('what each caller receives', () => {
  test("customers' streams: only their customers' repairs, never internal notes; staff get all; no tenant crossing", async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const tech = await s.bearer('acme', 'technician');
    const c1 = s.customer('acme', 'c1').id;
    const c2 = s.customer('acme', 'c2').id;
    const who = {
      admin: await s.bearer('acme', 'admin'),
      c1_viewer: await s.login('acme', 'c1_viewer'), // cookie + own Origin
      c2_viewer: await s.bearer('acme', 'c2_viewer'),
      multi: await s.login('acme', 'multi'),
      lonely: await s.bearer('acme', 'lonely'),
      globex_admin: await s.bearer('globex', 'admin'),
      globex_c1_viewer: await s.bearer('globex', 'c1_viewer'),
    };
    const scope = { c1_viewer: [c1], c2_viewer: [c2], multi: [c1, c2], lonely: [] };
    const start = await settledLastId(who.admin);
    const gstart = await settledLastId(who.globex_admin);
    const streams = {};
    for (const [k, c] of Object.entries(who)) streams[k] = await openStream(s, c, { after: k.startsWith('globex') ? gstart : start });
    try {
      const r1 = await createRepair(manager, { customer_id: c1, unit_number: uniq('U') });
      const r2 = await createRepair(manager, { customer_id: c2, unit_number: uniq('U') });
      const notes = [];
      for (let i = 0; i < 3; i++) {
        notes.push(await addNote(tech, r1.id, 'internal'));
        notes.push(await addNote(tech, r2.id, 'customer'));
        notes.push(await addNote(tech, r2.id, 'internal'));
        notes.push(await addNote(tech, r1.id, 'customer'));
      }
      await move(manager, r2.id, 'CANCELLED', 'duplicate');
      const internalIds = new Set(notes.filter((n) => n.visibility === 'internal').map((n) => n.id));
      const repairCustomer = new Map([[r1.id, c1], [r2.id, c2]]);

      const staffView = await settledDrain(who.admin, start);
      await streams.admin.waitFor(holdsAll(staffView.map((e) => e.id)), DELIVERY_MS, 'all staff events');
      const noteEvents = staffView.filter((e) => e.type === 'repair.note_added');
      assert.deepEqual(noteEvents.map((e) => e.data.note_id), notes.map((n) => n.id), 'staff get every note event, in order');
      assert.ok(staffView.some((e) => e.type === 'repair.status_changed' && e.repair_id === r2.id));

      await sleep(300); // stragglers (wrong events), if any, would arrive now
      for (const [k, customers] of Object.entries(scope)) {
        const expected = await drain(who[k], start);
        await streams[k].waitFor(holdsAll(expected.map((e) => e.id)), DELIVERY_MS, `${k}'s events`);
        const got = streams[k].events;
        assert.deepEqual(got.map((e) => e.id), expected.map((e) => e.id), `${k}: stream = its view of the log`);
        for (const e of got) {
          assertEventShape(e, k);
          assert.ok(!isInternalNote(e) && !internalIds.has(e.data?.note_id), `${k} got an internal note event: ${JSON.stringify(e)}`);
          assert.ok(e.repair_id !== null && customers.includes(repairCustomer.get(e.repair_id)),
            `${k} got an event outside its customers: ${JSON.stringify(e)}`);
        }
        const gotNotes = got.filter((e) => e.type === 'repair.note_added').map((e) => e.data.note_id);
        const wantNotes = noteEvents.filter((e) => e.data.visibility === 'customer' && customers.includes(repairCustomer.get(e.repair_id)))
          .map((e) => e.data.note_id);
        assert.deepEqual(gotNotes, wantNotes, `${k}: exactly the customer notes of its repairs`);
        const created = got.filter((e) => e.type === 'repair.created').map((e) => e.repair_id);
        assert.deepEqual(created, [r1.id, r2.id].filter((id) => customers.includes(repairCustomer.get(id))), `${k}: repair.created`);
      }
      assert.ok(streams.multi.events.length > streams.c1_viewer.events.length, 'multi (c1 + c2) gets more than c1 alone');
      assert.deepEqual(streams.lonely.events, [], 'a customer user without access gets nothing');
      const acmeIds = new Set(staffView.map((e) => e.id));
      for (const k of ['globex_admin', 'globex_c1_viewer']) {
        assert.ok(!streams[k].events.some((e) => acmeIds.has(e.id) || repairCustomer.has(e.repair_id)),
          `${k} got an acme event: ${summarize(streams[k].events)}`);
      }
    } finally {
      await Promise.all(Object.values(streams).map((st) => st.close()));
    }
  });

  test('reconnecting with the last id received misses nothing and duplicates nothing', async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const tech = await s.bearer('acme', 'technician');
    const c1 = s.customer('acme', 'c1').id;
    const c2 = s.customer('acme', 'c2').id;
    const r1 = await createRepair(manager, { customer_id: c1, unit_number: uniq('U') });
    const r2 = await createRepair(manager, { customer_id: c2, unit_number: uniq('U') });
    const writes = async (n) => {
      for (let i = 0; i < n; i++) {
        await addNote(tech, r1.id, 'customer');
        await addNote(tech, r2.id, 'internal');
        await addNote(tech, r2.id, 'customer');
      }
    };
    // staff by bearer token, a customer user of c1 and c2 by cookie
    for (const [key, client] of [['admin', await s.bearer('acme', 'admin')], ['multi', await s.login('acme', 'multi')]]) {
      const X = await settledLastId(client);
      const first = await openStream(s, client, { after: X });
      await writes(3);
      await first.waitFor((ev) => ev.length >= 4, DELIVERY_MS, `${key}: some events`);
      await first.close();
      const got1 = [...first.events];
      assert.ok(got1.length >= 4);
      const resume = got1[got1.length - 1].id;
      await writes(4); // while disconnected
      const second = await openStream(s, client, { after: resume });
      try {
        await writes(2); // after reconnecting
        const all = (await settledDrain(client, 0)).filter((e) => e.id > X);
        await second.waitFor(holdsAll(all.filter((e) => e.id > resume).map((e) => e.id)), DELIVERY_MS, `${key}: the rest`);
        await sleep(200);
        const union = [...got1, ...second.events].map((e) => e.id);
        assertAscendingUnique(union, `${key}: first connection then the second`);
        assert.equal(new Set(union).size, union.length, `${key}: no duplicates`);
        assert.deepEqual(union, all.map((e) => e.id), `${key}: union of both connections = GET /events?after=0 beyond X`);
        assert.ok(second.events.every((e) => e.id > resume), `${key}: the replay starts after ${resume}`);
        assert.ok(all.filter((e) => e.type === 'repair.note_added').length >= (key === 'admin' ? 27 : 18), `${key}: the notes are there`);
        if (key === 'multi') assert.ok(!union.some((id) => isInternalNote(all.find((e) => e.id === id))), 'no internal note for the customer');
      } finally {
        await second.close();
      }
    }
  });

  test('a customer user who loses access to a customer stops receiving its events on an open stream', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const tech = await s.bearer('acme', 'technician');
    const c1 = s.customer('acme', 'c1').id;
    const c2 = s.customer('acme', 'c2').id;
    const { user, client } = await newCustomerUser(s, 'acme', c1, 'viewer');
    assertStatus(await admin.post(`${API}/customers/${c2}/access`, { user_id: user.id, access: 'viewer', is_primary_contact: false }), [200, 201]);
    const r1 = await repairIn(s, 'APPROVED');
    const r2 = await repairIn(s, 'PENDING', { customerId: c2, approver: await s.bearer('acme', 'c2_approver') });
    const stream = await openStream(s, client, { after: await settledLastId(client) });
    try {
      const n1 = await addNote(tech, r1.id, 'customer');
      await stream.waitFor((ev) => ev.some((e) => e.data?.note_id === n1.id), DELIVERY_MS, 'the first note');
      assertStatus(await admin.delete(`${API}/customers/${c1}/access/${user.id}`), 204);
      assertStatus(await client.get(`${API}/repairs/${r1.id}`), 404);
      const n2 = await addNote(tech, r1.id, 'customer');
      await move(tech, r1.id, 'IN_PROGRESS');
      // a later event the user may still see: once it is there, anything before it has been sent
      const sentinel = await addNote(tech, r2.id, 'customer');
      await stream.waitFor((ev) => ev.some((e) => e.data?.note_id === sentinel.id) || stream.isClosed(), DELIVERY_MS, 'the c2 note').catch(() => {});
      // Compare event ids with the event of the first note (delivered while the user still had access).
      const firstEvent = stream.events.find((e) => e.data?.note_id === n1.id);
      const leaked = stream.events.filter((e) => e.repair_id === r1.id && e.id > firstEvent.id);
      assert.deepEqual(leaked.map((e) => [e.id, e.type, e.data]), [],
        `events about a repair the user may no longer read (GET is 404) reached its open stream (${stream.isClosed() ? `closed ${stream.closeInfo.code}` : 'still open'}); n2=${n2.id}`);
    } finally {
      await stream.close();
    }
  });

  test('events from concurrent writes reach an open stream within a second (40 rounds of 3 notes)', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const tech = await s.bearer('acme', 'technician');
    const r = await repairIn(s, 'APPROVED');
    const stream = await openStream(s, admin, { after: await settledLastId(admin) });
    try {
      for (let round = 0; round < 40; round++) {
        const notes = await Promise.all([0, 1, 2].map(() => addNote(tech, r.id, 'internal')));
        const t0 = Date.now();
        const want = (ev) => notes.every((n) => ev.some((e) => e.data?.note_id === n.id));
        const inTime = await stream.waitFor(want, 1000, 'the round').then(() => true, () => false);
        if (!inTime) {
          const late = await stream.waitFor(want, DELIVERY_MS, 'the round, late').then(() => Date.now() - t0, () => null);
          assert.fail(`round ${round}: notes ${notes.map((n) => n.id)} committed, but the open stream ` +
            (late === null ? `did not get them within ${DELIVERY_MS} ms` : `got them only after ${late} ms`) +
            ` (got so far: ${summarize(stream.events)})`);
        }
      }
    } finally {
      await stream.close();
    }
  });
});

describe('connections that vanish', () => {
  test('clients that disappear abruptly leave the server healthy and the connection gauge at 0', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const tech = await s.bearer('acme', 'technician');
    const viewer = await s.login('acme', 'c1_viewer');
    assert.equal(await eventually(async () => (await wsGauge(s)) === 0, 3000), true, 'no WebSocket open at the start');
    const r = await repairIn(s, 'APPROVED');
    const raws = [];
    for (let i = 0; i < 4; i++) {
      const res = await rawUpgrade(s, `${WS_PATH}?after=0`, i % 2 ? { Authorization: `Bearer ${admin.token}` } : wsHeaders(s, viewer));
      assert.equal(res.status, 101, `raw upgrade ${i}: ${res.status} ${res.body}`);
      raws.push(res);
    }
    const streams = [await openStream(s, admin, { after: 0 }), await openStream(s, viewer, { after: 0 })];
    assert.equal(await eventually(async () => (await wsGauge(s)) === 6, 3000), true, `gauge shows 6 open (got ${await wsGauge(s)})`);
    await eventually(() => raws[1].frames.length > 0, 3000);
    assert.ok(raws[1].frames.length > 0, 'the raw bearer connection got the replay');
    // vanish without a close handshake: destroy, TCP reset, half-close
    raws[0].sock.destroy();
    raws[1].sock.resetAndDestroy?.() ?? raws[1].sock.destroy();
    raws[2].sock.end();
    raws[3].sock.destroy();
    // events while the dead connections are still registered: the server writes into them
    await addNote(tech, r.id, 'customer');
    await move(tech, r.id, 'IN_PROGRESS');
    await Promise.all(streams.map((st) => st.close()));
    assert.equal(await eventually(async () => (await wsGauge(s)) === 0, 5000), true, `gauge back to 0 (got ${await wsGauge(s)})`);
    assertStatus(await s.client().get('/healthz'), 200);
    assertStatus(await s.client().get('/readyz'), 200);
    // and it still serves WebSockets (replay of a note made just before connecting)
    const before = await lastId(admin);
    const n = await addNote(tech, r.id, 'internal');
    const fresh = await openStream(s, admin, { after: before });
    try {
      await fresh.waitFor((ev) => ev.some((e) => e.data?.note_id === n.id), 3000, 'the note on a fresh stream');
    } finally {
      await fresh.close();
    }
    assert.equal(await eventually(async () => (await wsGauge(s)) === 0, 3000), true, 'gauge 0 after a clean close');
  });
});

// Last in this file: these fill acme's event log with thousands of events.
describe('slow consumers', () => {
  test('a client more than 5000 events behind is closed with 4008 and resumes from its last id without loss', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const tech = await s.bearer('acme', 'technician');
    const viewer = await s.bearer('acme', 'c1_viewer');
    const r = await repairIn(s, 'APPROVED');
    const X = await settledLastId(admin);
    const customerStream = await openStream(s, viewer, { after: X });
    try {
      const ms = await addManyNotes(tech, r.id, 5300, { visibility: 'internal' });
      const tail = await addNote(tech, r.id, 'customer');
      const all = await settledDrain(admin, X);
      assert.ok(all.length >= 5301, `5301 events after X (${all.length}; made in ${ms} ms)`);

      const behind = await openStream(s, admin, { after: X });
      const info = await Promise.race([behind.closed, sleep(10_000).then(() => null)]);
      assert.ok(info, `a stream ${all.length} events behind was not closed within 10 s (got ${behind.events.length} events)`);
      assert.equal(info.code, 4008, `close code (reason ${JSON.stringify(info.reason)})`);
      const got1 = behind.events;
      assert.ok(got1.length > 0 && got1.length < all.length, `some events before the close (${got1.length})`);
      assert.deepEqual(got1.map((e) => e.id), all.slice(0, got1.length).map((e) => e.id), 'what came before the close is the start of the log, in order');
      const resume = got1[got1.length - 1].id;
      assert.match(info.reason, new RegExp(`after=${resume}\\b`), 'the close reason names the id to resume after');

      const again = await openStream(s, admin, { after: resume });
      try {
        await again.waitFor(holdsAll([all[all.length - 1].id]), 15_000, 'the rest of the backlog');
        const union = [...got1, ...again.events].map((e) => e.id);
        assertAscendingUnique(union, 'before and after the 4008');
        assert.deepEqual(union.slice(0, all.length), all.map((e) => e.id), 'nothing lost, nothing duplicated');
        assert.ok(!again.isClosed(), `the resumed stream (${all.length - got1.length} behind) stays open`);
      } finally {
        await again.close();
      }
      // the customer, for whom the 5300 internal notes are invisible, is neither flooded nor cut off
      await customerStream.waitFor((ev) => ev.some((e) => e.data?.note_id === tail.id), DELIVERY_MS, 'the customer note after the burst');
      assert.ok(!customerStream.isClosed(), `customer stream closed: ${JSON.stringify(customerStream.closeInfo)}`);
      assert.ok(!customerStream.events.some(isInternalNote), 'no internal note reached the customer');
      assert.ok(customerStream.events.length < 50, `customer got ${customerStream.events.length} events`);
    } finally {
      await customerStream.close();
    }
  });

  test("another tenant's burst does not make a client that is only a few events behind a slow consumer", async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const tech = await s.bearer('acme', 'technician');
    const gtech = await s.bearer('globex', 'technician');
    const r = await repairIn(s, 'APPROVED');
    const g = await repairIn(s, 'APPROVED', { tenant: 'globex' });
    const X = await settledLastId(admin);
    await addManyNotes(tech, r.id, 200, { visibility: 'internal' }); // one full batch of acme events
    await addManyNotes(gtech, g.id, 5100, { visibility: 'internal' }); // then globex is busy
    await addNote(tech, r.id, 'customer'); // and one more acme event
    const all = await settledDrain(admin, X);
    assert.ok(all.length >= 201 && all.length < 300, `acme has ${all.length} events after X`);
    const stream = await openStream(s, admin, { after: X });
    try {
      await sleep(1500);
      assert.ok(!stream.isClosed() || stream.closeInfo.code !== 4008,
        `closed with 4008 (${stream.closeInfo?.reason}) after ${stream.events.length} events, though only ${all.length - stream.events.length} of its tenant's events were left`);
      await stream.waitFor(holdsAll(all.map((e) => e.id)), 3000, 'all of acme\'s events');
    } finally {
      await stream.close();
    }
  });
});
