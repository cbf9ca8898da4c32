// Technicians and schedules (API.md "Technicians and schedules"): who may add shifts, conflicts on the
// same technician/date/start, end before start, date-range reads, the technicians list.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage } from './harness.mjs';
import { API, newUser, repairIn, move } from './lifecycle_helpers.mjs';

const ctx = useServer();
let day = 0;
/** A fresh date per call so tests do not collide. */
const nextDate = () => { day += 1; const d = new Date(Date.UTC(2030, 0, 1) + day * 86400000); return d.toISOString().slice(0, 10); };
const sched = (id) => `${API}/technicians/${id}/schedule`;

describe('adding shifts', () => {
  test('admin and manager add a shift for a technician (201, full entry)', async () => {
    const s = ctx.server;
    const tid = s.user('acme', 'technician').id;
    for (const key of ['admin', 'manager']) {
      const date = nextDate();
      const res = await (await s.bearer('acme', key)).post(sched(tid), { date, start_time: '08:00', end_time: '12:30', is_available: true, notes: `by ${key}` });
      assertStatus(res, 201);
      assert.ok(Number.isInteger(res.body.id));
      assert.equal(res.body.technician_id, tid);
      assert.equal(res.body.date, date);
      assert.equal(res.body.start_time, '08:00');
      assert.equal(res.body.end_time, '12:30');
      assert.equal(res.body.is_available, true);
      assert.equal(res.body.notes, `by ${key}`);
    }
  });

  test('same technician, date and start time again is 409; another start or another technician is fine', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const tid = s.user('acme', 'technician').id;
    const other = await newUser(s, 'acme', 'technician');
    const date = nextDate();
    assertStatus(await m.post(sched(tid), { date, start_time: '09:00', end_time: '11:00', is_available: true, notes: '' }), 201);
    assertProblem(await m.post(sched(tid), { date, start_time: '09:00', end_time: '17:00', is_available: false, notes: 'dup' }), 409);
    assertProblem(await (await s.bearer('acme', 'technician')).post(sched(tid), { date, start_time: '09:00', end_time: '10:00' }), 409);
    assertStatus(await m.post(sched(tid), { date, start_time: '13:00', end_time: '17:00', is_available: true, notes: '' }), 201);
    assertStatus(await m.post(sched(other.user.id), { date, start_time: '09:00', end_time: '11:00', is_available: true, notes: '' }), 201);
    const list = assertPage(await m.get(`${sched(tid)}?from=${date}&to=${date}`));
    assert.deepEqual(list.map((e) => e.start_time).sort(), ['09:00', '13:00']);
    assert.equal(list.find((e) => e.start_time === '09:00').end_time, '11:00', 'the refused duplicate changed nothing');
  });

  test('parallel duplicates: exactly one 201', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const tid = s.user('acme', 'technician').id;
    const date = nextDate();
    const results = await Promise.all(Array.from({ length: 6 }, () => m.post(sched(tid), { date, start_time: '07:00', end_time: '08:00' })));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((x) => x === 201).length, 1, statuses.join(','));
    assert.equal(statuses.filter((x) => x === 409).length, 5, statuses.join(','));
  });

  test('end before (or equal to) start is 400 with errors.end_time', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const tid = s.user('acme', 'technician').id;
    const date = nextDate();
    assertProblem(await m.post(sched(tid), { date, start_time: '14:00', end_time: '09:00', is_available: true, notes: '' }), 400, ['end_time']);
    assertProblem(await m.post(sched(tid), { date, start_time: '14:00', end_time: '14:00' }), 400, ['end_time']);
    assert.equal(assertPage(await m.get(`${sched(tid)}?from=${date}&to=${date}`)).length, 0);
  });

  test('malformed dates and times are 400; unknown field 400', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const tid = s.user('acme', 'technician').id;
    assertProblem(await m.post(sched(tid), { date: '2030-02-30', start_time: '08:00', end_time: '09:00' }), 400, ['date']);
    assertProblem(await m.post(sched(tid), { date: '30/01/2030', start_time: '08:00', end_time: '09:00' }), 400, ['date']);
    assertProblem(await m.post(sched(tid), { date: nextDate(), start_time: '25:00', end_time: '26:00' }), 400, ['start_time']);
    assertProblem(await m.post(sched(tid), { date: nextDate(), start_time: '8am', end_time: '09:00' }), 400, ['start_time']);
    assertProblem(await m.post(sched(tid), { date: nextDate(), start_time: '08:00', end_time: '09:00', shift: 'early' }), 400);
    assertProblem(await m.post(sched(tid), { start_time: '08:00', end_time: '09:00' }), 400, ['date']);
  });

  test('a technician adds its own shifts but not another\'s (403)', async () => {
    const s = ctx.server;
    const me = await s.bearer('acme', 'technician');
    const other = await newUser(s, 'acme', 'technician');
    const date = nextDate();
    const own = await me.post(sched(s.user('acme', 'technician').id), { date, start_time: '06:00', end_time: '10:00', is_available: false, notes: 'dentist' });
    assertStatus(own, 201);
    assert.equal(own.body.is_available, false);
    assertProblem(await me.post(sched(other.user.id), { date, start_time: '06:00', end_time: '10:00' }), 403);
    assertStatus(await other.client.post(sched(other.user.id), { date, start_time: '06:00', end_time: '10:00' }), 201);
    assertProblem(await other.client.post(sched(s.user('acme', 'technician').id), { date, start_time: '11:00', end_time: '12:00' }), 403);
    // the technician may read the shop's schedules (staff)
    assert.equal(assertPage(await me.get(`${sched(other.user.id)}?from=${date}&to=${date}`)).length, 1);
  });

  test('customers get 404 for a technician\'s shifts (they may not learn which ids are technicians), 403 for the list', async () => {
    const s = ctx.server;
    const tid = s.user('acme', 'technician').id;
    for (const key of ['c1_approver', 'c1_requester', 'c1_viewer', 'lonely']) {
      const c = await s.bearer('acme', key);
      assertProblem(await c.get(sched(tid)), 404);
      assertProblem(await c.post(sched(tid), { date: nextDate(), start_time: '08:00', end_time: '09:00' }), 404);
      assertProblem(await c.get(`${API}/technicians`), 403);
    }
  });

  test('another tenant\'s technician, or a user who is not a technician, is 404', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const body = { date: nextDate(), start_time: '08:00', end_time: '09:00' };
    assertProblem(await m.post(sched(s.user('globex', 'technician').id), body), 404);
    assertProblem(await m.get(sched(s.user('globex', 'technician').id)), 404);
    assertProblem(await m.post(sched(s.user('acme', 'c1_approver').id), body), 404);
    assertProblem(await m.post(sched(999999), body), 404);
  });
});

describe('reading shifts', () => {
  test('from/to bound the dates, inclusive', async () => {
    const s = ctx.server;
    const t = await newUser(s, 'acme', 'technician');
    const m = await s.bearer('acme', 'manager');
    const dates = ['2031-05-01', '2031-05-15', '2031-05-31', '2031-06-01'];
    for (const date of dates) assertStatus(await m.post(sched(t.user.id), { date, start_time: '08:00', end_time: '16:00' }), 201);
    const may = assertPage(await m.get(`${sched(t.user.id)}?from=2031-05-01&to=2031-05-31`));
    assert.deepEqual(may.map((e) => e.date).sort(), ['2031-05-01', '2031-05-15', '2031-05-31']);
    const all = assertPage(await m.get(sched(t.user.id)));
    assert.equal(all.length, 4);
    assert.ok(all.every((e) => e.technician_id === t.user.id));
    assertProblem(await m.get(`${sched(t.user.id)}?from=not-a-date`), 400);
  });
});

describe('technicians list', () => {
  test('staff list technicians with open repair counts that follow claims and completions', async () => {
    const s = ctx.server;
    const t = await newUser(s, 'acme', 'technician');
    const m = await s.bearer('acme', 'manager');
    const find = async () => {
      const list = assertPage(await m.get(`${API}/technicians?page_size=200`));
      assert.ok(list.every((x) => Number.isInteger(x.open_repairs)));
      assert.ok(!list.some((x) => x.id === s.user('acme', 'manager').id), 'managers are not technicians');
      assert.ok(!list.some((x) => x.id === s.user('globex', 'technician').id), 'no technician of the other tenant');
      return list.find((x) => x.id === t.user.id);
    };
    assert.equal((await find()).open_repairs, 0);
    const r1 = await repairIn(s, 'IN_PROGRESS', { tech: t.client });
    await repairIn(s, 'IN_PROGRESS', { tech: t.client });
    const me = await find();
    assert.equal(me.open_repairs, 2);
    assert.equal(me.name, t.user.name);
    const profile = (await t.client.get(`${API}/me`)).body;
    assert.ok(me.handle && me.handle === profile.handle, 'the list carries the @handle to mention them by');
    await move(t.client, r1.id, 'COMPLETED');
    assert.equal((await find()).open_repairs, 1);
    for (const key of ['admin', 'technician']) assertStatus(await (await s.bearer('acme', key)).get(`${API}/technicians`), 200);
  });
});
