// Live updates by long-poll (API.md "Live updates"): GET /api/v1/events?after=&wait=. Answers at once when
// the caller may see newer events, else waits up to `wait` seconds (<= 30), woken by commits; a caller
// only ever receives events about what it may read: customer users only their customers' repairs and
// never an internal note's event, and nothing crosses tenants.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus } from './harness.mjs';
import { API, uniq, createRepair, move, repairIn } from './lifecycle_helpers.mjs';
import { poll, lastId, settledLastId, drain, addNote, isInternalNote, sleep, assertEventShape } from './events_helpers.mjs';

const ctx = useServer();

const KNOWN_TYPES = new Set(['repair.created', 'repair.updated', 'repair.status_changed', 'repair.approval',
  'repair.note_added', 'repair.material_added', 'unit.replaced', 'import.completed']);

describe('long-poll basics', () => {
  test('without `after`: no events and last_id is the newest event id', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const r = await repairIn(s, 'PENDING');
    const all = await drain(admin, 0);
    assert.ok(all.length > 0, 'the new repair made an event');
    const newest = all[all.length - 1].id;
    const start = await settledLastId(admin);
    assert.ok(start >= newest, `last_id without after (${start}) >= newest visible id ${newest}`);
    assert.deepEqual((await poll(admin, start)).events, [], 'nothing visible after last_id');
    assert.ok(all.some((e) => e.type === 'repair.created' && e.repair_id === r.id), 'repair.created of the new repair');
    // a cookie session long-polls too (GET: no CSRF token needed)
    const cookie = await s.login('acme', 'manager');
    assert.ok(await lastId(cookie) >= newest);
    // a new event comes after the starting point
    await addNote(await s.bearer('acme', 'technician'), r.id, 'customer');
    const after = await poll(admin, start);
    assert.ok(after.events.some((e) => e.type === 'repair.note_added' && e.repair_id === r.id && e.id > start),
      `the new note is after last_id: ${after.res.summary}`);
  });

  test('unauthenticated long-poll is 401 at once (does not wait)', async () => {
    const s = ctx.server;
    const t0 = Date.now();
    const res = await s.client().get(`${API}/events?after=0&wait=5`);
    assertProblem(res, 401);
    assert.ok(Date.now() - t0 < 2000, `401 without waiting (${Date.now() - t0} ms)`);
    assertProblem(await s.client().get(`${API}/events`), 401);
  });

  test('`wait` above 30 (or not a whole number) is 400 with errors.wait; 30 is accepted', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    for (const w of ['31', '1000', 'abc', '-1', '2.5']) {
      const res = await admin.get(`${API}/events?after=0&wait=${w}`);
      assertProblem(res, 400, ['wait']);
    }
    // wait=30 with newer events answers at once
    const { ms, events } = await poll(admin, 0, 30);
    assert.ok(events.length > 0, 'events after 0');
    assert.ok(ms < 2000, `wait=30 with newer events answers at once (${ms} ms)`);
  });

  test('a malformed `after` is 400', async () => {
    const admin = await ctx.server.bearer('acme', 'admin');
    assertProblem(await admin.get(`${API}/events?after=abc&wait=1`), 400, ['after']);
  });

  test('returns at once when newer events exist, oldest first, last_id = last event id', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const tech = await s.bearer('acme', 'technician');
    const r = await repairIn(s, 'APPROVED');
    const after = await settledLastId(admin);
    await move(tech, r.id, 'IN_PROGRESS');
    await addNote(tech, r.id, 'customer');
    const { events, last_id, ms } = await poll(admin, after, 10);
    assert.ok(ms < 1500, `answered at once (${ms} ms), not after wait=10`);
    assert.deepEqual(events.map((e) => e.type), ['repair.status_changed', 'repair.note_added']);
    assert.ok(events.every((e) => e.id > after && e.repair_id === r.id));
    assert.equal(last_id, events[1].id);
    assert.equal(events[0].data.status, 'IN_PROGRESS');
    assert.equal(events[0].data.previous_status, 'APPROVED');
  });

  test('without newer events it waits `wait` seconds and answers with none', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const after = await settledLastId(admin);
    const { events, last_id, ms } = await poll(admin, after, 2);
    assert.deepEqual(events, []);
    assert.equal(last_id, after, 'last_id stays at `after`');
    assert.ok(ms >= 1900, `waited about 2 s (${ms} ms)`);
    assert.ok(ms < 4000, `did not wait much longer than 2 s (${ms} ms)`);
  });

  test('a status change reaches waiting long-polls within a second (staff and the customer)', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const viewer = await s.bearer('acme', 'c1_viewer');
    const tech = await s.bearer('acme', 'technician');
    const r = await repairIn(s, 'APPROVED');
    const after = await settledLastId(admin);
    const t0 = Date.now();
    const polls = [admin, viewer].map((c) => poll(c, after, 10).then((p) => ({ ...p, end: Date.now() })));
    await sleep(300);
    const tMove = Date.now();
    await move(tech, r.id, 'IN_PROGRESS');
    for (const [i, p] of (await Promise.all(polls)).entries()) {
      const who = i === 0 ? 'admin' : 'c1_viewer';
      assert.ok(p.end - tMove < 1000, `${who}: answered ${p.end - tMove} ms after the move started`);
      assert.ok(p.end - t0 < 5000, `${who}: well before the 10 s wait ended (${p.end - t0} ms)`);
      const ev = p.events.find((e) => e.type === 'repair.status_changed' && e.repair_id === r.id);
      assert.ok(ev, `${who}: the status change is in ${JSON.stringify(p.events)}`);
      assert.equal(ev.data.status, 'IN_PROGRESS');
      assert.ok(ev.id > after);
    }
  });

  test('a write right after long-polls start wakes every one of them (30 rounds of 20 polls)', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const tech = await s.bearer('acme', 'technician');
    const r = await repairIn(s, 'APPROVED');
    await settledLastId(admin);
    for (let round = 0; round < 30; round++) {
      const after = await lastId(admin); // internal notes cause no follow-up events
      const polls = Array.from({ length: 20 }, () => poll(admin, after, 3).then((p) => ({ ...p, end: Date.now() })));
      await sleep(round % 4);
      const note = await addNote(tech, r.id, 'internal');
      const committed = Date.now();
      const results = await Promise.all(polls);
      const late = results.filter((p) => p.end - committed > 1000);
      assert.deepEqual(late.map((p) => `${p.end - committed} ms`), [],
        `round ${round}: ${late.length} of 20 long-polls answered more than 1 s after note ${note.id} was committed ` +
        '(woken only by their `wait` running out)');
      for (const p of results) assert.ok(p.events.some((e) => e.data?.note_id === note.id), `round ${round}: the note is in every answer`);
    }
  });

  test("a customer's long-poll is not answered by events it may not see (waits the full time)", async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const manager = await s.bearer('acme', 'manager');
    const tech = await s.bearer('acme', 'technician');
    const c2viewer = await s.bearer('acme', 'c2_viewer');
    const r1 = await createRepair(manager, { customer_id: s.customer('acme', 'c1').id, unit_number: uniq('U') });
    const r2 = await createRepair(manager, { customer_id: s.customer('acme', 'c2').id, unit_number: uniq('U') });
    const after = await settledLastId(admin);
    const p = poll(c2viewer, after, 3);
    await sleep(300);
    await addNote(tech, r2.id, 'internal'); // c2's repair, but internal
    await addNote(tech, r1.id, 'customer'); // another customer's repair
    await move(manager, r1.id, 'CANCELLED', 'not needed');
    const { events, ms, last_id } = await p;
    assert.deepEqual(events, [], 'no invisible event reaches c2');
    assert.equal(last_id, after);
    assert.ok(ms >= 2900, `not answered early with nothing (${ms} ms)`);
  });

  test("another tenant's long-poll is not answered by this tenant's events", async () => {
    const s = ctx.server;
    const gadmin = await s.bearer('globex', 'admin');
    const tech = await s.bearer('acme', 'technician');
    const r = await repairIn(s, 'APPROVED');
    const after = await settledLastId(gadmin);
    const p = poll(gadmin, after, 2);
    await sleep(300);
    await move(tech, r.id, 'IN_PROGRESS');
    await addNote(tech, r.id, 'customer');
    const { events, ms } = await p;
    assert.deepEqual(events, []);
    assert.ok(ms >= 1900, `waited the full 2 s (${ms} ms)`);
  });
});

describe('visibility with interleaved writes on two customers', () => {
  test('customers get only their repairs and never internal notes; staff get all; no tenant crossing', async () => {
    const s = ctx.server;
    const acme = {};
    for (const k of ['admin', 'manager', 'technician', 'c1_approver', 'c2_approver', 'c1_viewer', 'c2_viewer', 'multi', 'lonely']) {
      acme[k] = await s.bearer('acme', k);
    }
    const gadmin = await s.bearer('globex', 'admin');
    const gc1viewer = await s.bearer('globex', 'c1_viewer');
    const c1 = s.customer('acme', 'c1').id;
    const c2 = s.customer('acme', 'c2').id;

    const start = await settledLastId(acme.admin);
    const gstart = await settledLastId(gadmin);

    // Long-poll loops running while the writes happen (each a stream as one caller sees it).
    let stop = false;
    const follow = async (client, after) => {
      const got = [];
      let cursor = after;
      for (let i = 0; i < 200; i++) {
        const wasStopped = stop;
        const { events, last_id } = await poll(client, cursor, wasStopped ? 0 : 2);
        got.push(...events);
        cursor = last_id;
        if (wasStopped && events.length === 0) break;
      }
      return got;
    };
    const watchers = {
      admin: follow(acme.admin, start),
      technician: follow(acme.technician, start),
      c1_viewer: follow(acme.c1_viewer, start),
      c2_viewer: follow(acme.c2_viewer, start),
      multi: follow(acme.multi, start),
      lonely: follow(acme.lonely, start),
      globex_admin: follow(gadmin, gstart),
      globex_c1_viewer: follow(gc1viewer, gstart),
    };
    await sleep(100);

    // Interleaved writes on c1's and c2's repairs, internal and customer notes.
    const unit1 = uniq('U');
    const r1 = await createRepair(acme.manager, { customer_id: c1, unit_number: unit1 });
    const r2 = await createRepair(acme.manager, { customer_id: c2, unit_number: uniq('U') });
    const in1 = await addNote(acme.technician, r1.id, 'internal');
    const cn2 = await addNote(acme.technician, r2.id, 'customer');
    const in2 = await addNote(acme.manager, r2.id, 'internal');
    const cn1 = await addNote(acme.technician, r1.id, 'customer');
    assertStatus(await acme.c1_approver.post(`${API}/repairs/${r1.id}/approval`, { approved: true, notes: 'go' }), 200);
    assertStatus(await acme.c2_approver.post(`${API}/repairs/${r2.id}/approval`, { approved: true, notes: 'go' }), 200);
    await move(acme.technician, r1.id, 'IN_PROGRESS');
    assertStatus(await acme.technician.post(`${API}/repairs/${r2.id}/materials`,
      { material_type: 'resin', quantity: 1, unit_cost: '4.50' }), 201);
    assertStatus(await acme.manager.patch(`${API}/repairs/${r1.id}`, { description: 'Crack, 3 cm' }), 200);
    const in2b = await addNote(acme.technician, r2.id, 'internal');
    const replaced = await acme.manager.post(`${API}/units/${r1.unit_id}/replace`);
    assertStatus(replaced, 200);
    const cn1b = await addNote(acme.c1_approver, r1.id, 'customer');
    const cn2b = await addNote(acme.technician, r2.id, 'customer');
    // the other tenant, meanwhile
    const g1 = await createRepair(await s.bearer('globex', 'manager'),
      { customer_id: s.customer('globex', 'c1').id, unit_number: uniq('U') });
    const gin = await addNote(await s.bearer('globex', 'technician'), g1.id, 'internal');

    await sleep(300);
    stop = true;
    const seen = Object.fromEntries(await Promise.all(Object.entries(watchers).map(async ([k, p]) => [k, await p])));

    // Staff: everything of acme, in order, nothing of globex.
    const staff = await drain(acme.admin, start);
    const mine = staff.filter((e) => KNOWN_TYPES.has(e.type));
    const expectSeq = [
      ['repair.created', r1.id], ['repair.created', r2.id],
      ['repair.note_added', r1.id, in1.id], ['repair.note_added', r2.id, cn2.id], ['repair.note_added', r2.id, in2.id],
      ['repair.note_added', r1.id, cn1.id], ['repair.approval', r1.id], ['repair.approval', r2.id],
      ['repair.status_changed', r1.id], ['repair.material_added', r2.id], ['repair.updated', r1.id],
      ['repair.note_added', r2.id, in2b.id], ['unit.replaced', null], ['repair.note_added', r1.id, cn1b.id],
      ['repair.note_added', r2.id, cn2b.id],
    ];
    assert.deepEqual(mine.map((e) => (e.type === 'repair.note_added' ? [e.type, e.repair_id, e.data.note_id] : [e.type, e.repair_id])),
      expectSeq, 'staff see every acme event of the writes, in commit order');
    assert.equal(mine.find((e) => isInternalNote(e))?.data.note_id, in1.id, 'internal notes are marked internal for staff');
    const unitEv = mine.find((e) => e.type === 'unit.replaced');
    assert.equal(unitEv.data.unit_id, r1.unit_id);
    assert.ok(!staff.some((e) => e.repair_id === g1.id), 'no globex event for acme staff');
    // A user's own notification events (notification.created, auth.changed) reach that user alone, and the
    // worker writes them a moment after the change: a late one from an earlier test may land in the window.
    const shared = (list) => list.filter((e) => !e.type.startsWith('notification.') && !e.type.startsWith('auth.')).map((e) => e.id);
    for (const k of ['admin', 'technician']) {
      assert.deepEqual(shared(seen[k]), shared(staff), `${k}: long-poll stream = the log`);
    }

    // Customers: exactly the staff view filtered to their customers, without internal notes.
    const customerOf = new Map([[r1.id, c1], [r2.id, c2]]);
    const visibleTo = (customers) => (e) => {
      if (isInternalNote(e)) return false;
      if (e.type === 'unit.replaced') return customers.includes(c1) && e.data.unit_id === r1.unit_id;
      return customers.includes(customerOf.get(e.repair_id));
    };
    const cases = { c1_viewer: [c1], c2_viewer: [c2], multi: [c1, c2], lonely: [] };
    const internalIds = new Set([in1.id, in2.id, in2b.id]);
    for (const [k, customers] of Object.entries(cases)) {
      const expected = mine.filter(visibleTo(customers)).map((e) => e.id);
      const drained = await drain(acme[k], start);
      for (const [how, list] of [['long-poll stream', seen[k]], ['drain', drained]]) {
        const relevant = list.filter((e) => KNOWN_TYPES.has(e.type));
        assert.deepEqual(relevant.map((e) => e.id), expected, `${k} (${how}): ${JSON.stringify(relevant.map((e) => [e.id, e.type, e.repair_id, e.data.visibility]))}`);
        for (const e of list) {
          assert.ok(!isInternalNote(e) && !internalIds.has(e.data?.note_id), `${k} (${how}) got an internal note event: ${JSON.stringify(e)}`);
          if (e.repair_id !== null) {
            assert.ok(customers.includes(customerOf.get(e.repair_id)), `${k} (${how}) got another customer's or tenant's event: ${JSON.stringify(e)}`);
          }
        }
      }
    }
    assert.ok(seen.c1_viewer.some((e) => e.type === 'unit.replaced'), 'c1 sees its unit replaced');
    assert.ok(!seen.c2_viewer.some((e) => e.type === 'unit.replaced'), 'c2 does not see c1 unit replaced');

    // The other tenant: its own events only.
    for (const k of ['globex_admin', 'globex_c1_viewer']) {
      const ids = new Set(staff.map((e) => e.id));
      assert.ok(!seen[k].some((e) => ids.has(e.id) || customerOf.has(e.repair_id)), `${k} got an acme event: ${JSON.stringify(seen[k])}`);
    }
    const gtypes = (list) => list.filter((e) => KNOWN_TYPES.has(e.type)).map((e) => [e.type, e.repair_id]);
    assert.deepEqual(gtypes(seen.globex_admin), [['repair.created', g1.id], ['repair.note_added', g1.id]]);
    assert.equal(seen.globex_admin[1]?.data.note_id, gin.id);
    assert.deepEqual(gtypes(seen.globex_c1_viewer), [['repair.created', g1.id]], 'globex c1 viewer: no internal note');
    for (const list of Object.values(seen)) for (const e of list) assertEventShape(e);
  });
});

describe('bounded waits', () => {
  test('one user may hold at most 32 long-polls at once (limits.max_waits_per_user); the 33rd is 429 with Retry-After', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const start = (await admin.get('/api/v1/events')).body.last_id;
    const waiting = Array.from({ length: 32 }, () => admin.get(`/api/v1/events?after=${start + 1000000}&wait=3`));
    await new Promise((r) => setTimeout(r, 500));
    const ninth = await admin.get(`/api/v1/events?after=${start + 1000000}&wait=3`);
    assert.equal(ninth.status, 429, ninth.summary);
    assert.ok(ninth.headers.get('retry-after'));
    const other = await s.bearer('acme', 'manager');
    const otherRes = await other.get(`/api/v1/events?after=${start + 1000000}&wait=1`);
    assert.equal(otherRes.status, 200, 'another user is not limited by the first');
    for (const r of await Promise.all(waiting)) assert.equal(r.status, 200);
    const after = await admin.get(`/api/v1/events?after=${start}&wait=0`);
    assert.equal(after.status, 200, 'the slots are free again');
  });
});
