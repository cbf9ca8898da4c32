// Figures for the dashboards (API.md "Figures for the dashboards"): /stats/status, /stats/repairs,
// /stats/units, checked against exactly what this file creates on its own fresh server.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage } from './harness.mjs';
import { API, STATUSES, MONEY, uniq, move, repairIn, requested, completeAsManager, money } from './lifecycle_helpers.mjs';

const ctx = useServer();
const fx = {};

async function setup() {
  const s = ctx.server;
  const manager = await s.bearer('acme', 'manager');
  const tech = await s.bearer('acme', 'technician');
  const c1 = s.customer('acme', 'c1').id;
  const c2 = s.customer('acme', 'c2').id;
  const c2req = await s.bearer('acme', 'c2_requester');
  const c2appr = await s.bearer('acme', 'c2_approver');
  fx.unitA = uniq('A');
  fx.unitB = uniq('B');

  // c1, unit A: two completions (50.00; 40.00 + 2 x 3.25) and one open request
  const a1 = await requested(s, { unit: { unit_number: fx.unitA } });
  fx.unitAId = a1.unit_id;
  await completeAsManager(s, a1.id);
  const a2 = await repairIn(s, 'IN_PROGRESS', { unit: { unit_id: fx.unitAId } });
  assertStatus(await tech.post(`${API}/repairs/${a2.id}/materials`, { material_type: 'resin', quantity: 2, unit_cost: '3.25' }), 201);
  assert.equal((await move(tech, a2.id, 'COMPLETED')).cost, '46.50');
  await requested(s, { unit: { unit_id: fx.unitAId } });
  // c1, unit B: one completion with an override of 80.00
  const b1 = await repairIn(s, 'APPROVED', { unit: { unit_number: fx.unitB } });
  fx.unitBId = b1.unit_id;
  assertStatus(await manager.patch(`${API}/repairs/${b1.id}`, { price_override: '80.00' }), 200);
  assert.equal((await completeAsManager(s, b1.id)).cost, '80.00');
  // c1: one of each other status
  await repairIn(s, 'DENIED');
  await repairIn(s, 'CANCELLED');
  await repairIn(s, 'PENDING');
  await repairIn(s, 'APPROVED');
  await repairIn(s, 'IN_PROGRESS');
  // c2: one completion, one request, and one pending repair dated back to May 2024
  const c2done = await requested(s, { requester: c2req, customerId: c2 });
  fx.c2UnitId = c2done.unit_id;
  await completeAsManager(s, c2done.id);
  await requested(s, { requester: c2req, customerId: c2 });
  const old = await repairIn(s, 'PENDING', { customerId: c2, approver: c2appr });
  const dated = await manager.patch(`${API}/repairs/${old.id}`, { repair_date: '2024-05-10' });
  assertStatus(dated, 200);
  assert.equal(dated.body.repair_date, '2024-05-10');
  fx.period = c2done.repair_date.slice(0, 7); // the month completions are dated in (the server's today)
  // globex: never counted for acme
  await repairIn(s, 'COMPLETED', { tenant: 'globex' });
  await repairIn(s, 'PENDING', { tenant: 'globex' });

  fx.c1 = c1;
  fx.c2 = c2;
  fx.expect = {
    c1: { REQUESTED: 1, PENDING: 1, APPROVED: 1, DENIED: 1, IN_PROGRESS: 1, COMPLETED: 3, CANCELLED: 1 },
    c2: { REQUESTED: 1, PENDING: 1, APPROVED: 0, DENIED: 0, IN_PROGRESS: 0, COMPLETED: 1, CANCELLED: 0 },
  };
}

let ready;
const fixtures = () => (ready ??= setup());

function sumCounts(...objs) {
  const out = Object.fromEntries(STATUSES.map((k) => [k, 0]));
  for (const o of objs) for (const k of STATUSES) out[k] += o[k];
  return out;
}

describe('/stats/status', () => {
  before(fixtures, { timeout: 90_000 });

  test('staff get the tenant\'s counts per status, every status present', async () => {
    const s = ctx.server;
    for (const key of ['admin', 'manager', 'technician']) {
      const res = await (await s.bearer('acme', key)).get(`${API}/stats/status`);
      assertStatus(res, 200);
      for (const k of STATUSES) assert.ok(Number.isInteger(res.body[k]), `${k} in ${res.summary}`);
      assert.deepEqual(Object.fromEntries(STATUSES.map((k) => [k, res.body[k]])), sumCounts(fx.expect.c1, fx.expect.c2), `${key}: ${res.summary}`);
    }
    const g = await (await s.bearer('globex', 'admin')).get(`${API}/stats/status`);
    assert.equal(g.body.COMPLETED, 1, g.summary);
    assert.equal(g.body.PENDING, 1, g.summary);
    assert.equal(STATUSES.reduce((n, k) => n + g.body[k], 0), 2, g.summary);
  });

  test('customer users get the counts of their own customers only', async () => {
    const s = ctx.server;
    const cases = [['c1_viewer', [fx.expect.c1]], ['c2_approver', [fx.expect.c2]], ['multi', [fx.expect.c1, fx.expect.c2]], ['lonely', []]];
    for (const [key, parts] of cases) {
      const res = await (await s.bearer('acme', key)).get(`${API}/stats/status`);
      assertStatus(res, 200);
      assert.deepEqual(Object.fromEntries(STATUSES.map((k) => [k, res.body[k]])), sumCounts(...parts), `${key}: ${res.summary}`);
    }
  });

  test('a status move shows up in the counts at once', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const before = (await m.get(`${API}/stats/status`)).body;
    const r = await requested(s);
    await move(m, r.id, 'CANCELLED', 'stats test');
    const after = (await m.get(`${API}/stats/status`)).body;
    assert.equal(after.CANCELLED, before.CANCELLED + 1);
    assert.equal(after.REQUESTED, before.REQUESTED);
    fx.expect.c1.CANCELLED += 1;
  });

  test('unauthenticated is 401', async () => {
    assertProblem(await ctx.server.client().get(`${API}/stats/status`), 401);
    assertProblem(await ctx.server.client().get(`${API}/stats/repairs`), 401);
    assertProblem(await ctx.server.client().get(`${API}/stats/units`), 401);
  });
});

describe('/stats/repairs', () => {
  before(fixtures, { timeout: 90_000 });

  const byPeriod = (arr) => Object.fromEntries(arr.map((p) => [p.period, p]));

  test('monthly count, completed and cost by repair_date, per customer and for the tenant', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const c1Count = Object.values(fx.expect.c1).reduce((a, b) => a + b, 0);
    const cases = [
      [`customer=${fx.c1}`, { [fx.period]: { count: c1Count, completed: 3, cost: '176.50' } }],
      [`customer=${fx.c2}`, { [fx.period]: { count: 2, completed: 1, cost: '50.00' }, '2024-05': { count: 1, completed: 0, cost: '0.00' } }],
      ['', { [fx.period]: { count: c1Count + 2, completed: 4, cost: money('176.50', '50.00') }, '2024-05': { count: 1, completed: 0, cost: '0.00' } }],
    ];
    for (const [q, want] of cases) {
      const res = await m.get(`${API}/stats/repairs?group_by=month&${q}`);
      assertStatus(res, 200);
      assert.ok(Array.isArray(res.body), `a plain array: ${res.summary}`);
      for (const p of res.body) {
        assert.match(p.period, /^\d{4}-\d{2}$/, res.summary);
        assert.match(p.cost, MONEY, res.summary);
      }
      const got = byPeriod(res.body.filter((p) => p.count > 0 || p.completed > 0));
      assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), `periods for ?${q}: ${res.summary}`);
      for (const [period, w] of Object.entries(want)) {
        assert.deepEqual({ count: got[period].count, completed: got[period].completed, cost: got[period].cost }, w, `${period} ?${q}: ${res.summary}`);
      }
    }
  });

  test('periods are in chronological order; from/to limit them', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const all = (await m.get(`${API}/stats/repairs?group_by=month`)).body.map((p) => p.period);
    assert.deepEqual(all, [...all].sort(), 'oldest period first');
    const res = await m.get(`${API}/stats/repairs?group_by=month&from=2024-05-01&to=2024-05-31`);
    assertStatus(res, 200);
    const nonEmpty = res.body.filter((p) => p.count > 0);
    assert.deepEqual(nonEmpty.map((p) => p.period), ['2024-05'], res.summary);
    const none = await m.get(`${API}/stats/repairs?from=2020-01-01&to=2020-12-31`);
    assertStatus(none, 200);
    assert.equal(none.body.filter((p) => p.count > 0).length, 0, none.summary);
    assertProblem(await m.get(`${API}/stats/repairs?from=yesterday`), 400);
  });

  test('customer users see their own figures; another customer is empty', async () => {
    const s = ctx.server;
    const c2 = await s.bearer('acme', 'c2_viewer');
    const own = byPeriod((await c2.get(`${API}/stats/repairs?group_by=month`)).body);
    assert.equal(own[fx.period]?.completed, 1);
    assert.equal(own[fx.period]?.cost, '50.00');
    assert.equal(own['2024-05']?.count, 1);
    const other = await c2.get(`${API}/stats/repairs?customer=${fx.c1}`);
    assertStatus(other, 200);
    assert.equal(other.body.filter((p) => p.count > 0).length, 0, `?customer= never widens the scope: ${other.summary}`);
    const g = await (await s.bearer('globex', 'admin')).get(`${API}/stats/repairs?customer=${fx.c1}`);
    assert.equal(g.body.filter((p) => p.count > 0).length, 0, g.summary);
  });
});

describe('/stats/units', () => {
  before(fixtures, { timeout: 90_000 });

  test('repair_count and total_cost per unit of a customer', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const res = await m.get(`${API}/stats/units?customer=${fx.c1}`);
    assertStatus(res, 200);
    assert.ok(Array.isArray(res.body), `a plain array: ${res.summary}`);
    const byId = Object.fromEntries(res.body.map((u) => [u.unit_id, u]));
    assert.deepEqual(byId[fx.unitAId], { unit_id: fx.unitAId, unit_number: fx.unitA, repair_count: 2, total_cost: '96.50' });
    assert.deepEqual(byId[fx.unitBId], { unit_id: fx.unitBId, unit_number: fx.unitB, repair_count: 1, total_cost: '80.00' });
    for (const u of res.body) {
      assert.match(u.total_cost, MONEY);
      if (u.unit_id !== fx.unitAId && u.unit_id !== fx.unitBId) {
        assert.equal(u.total_cost, '0.00', `unit ${u.unit_number} has no completed repair`);
      }
    }
    // exactly the customer's units
    const units = assertPage(await m.get(`${API}/units?customer=${fx.c1}&page_size=200`));
    assert.deepEqual(res.body.map((u) => u.unit_id).sort((a, b) => a - b), units.map((u) => u.id).sort((a, b) => a - b));
    assert.ok(!res.body.some((u) => u.unit_id === fx.c2UnitId));
  });

  test('the total of the tenant equals the sum of completed costs', async () => {
    const s = ctx.server;
    const res = await (await s.bearer('acme', 'admin')).get(`${API}/stats/units`);
    assertStatus(res, 200);
    assert.equal(money(...res.body.map((u) => u.total_cost)), '226.50', res.summary);
    assert.ok(res.body.some((u) => u.unit_id === fx.c2UnitId && u.total_cost === '50.00' && u.repair_count === 1));
  });

  test('customer users: own units only; another customer\'s is an empty list', async () => {
    const s = ctx.server;
    const v = await s.bearer('acme', 'c1_viewer');
    const own = await v.get(`${API}/stats/units`);
    assertStatus(own, 200);
    assert.ok(own.body.some((u) => u.unit_id === fx.unitAId && u.total_cost === '96.50'));
    assert.ok(!own.body.some((u) => u.unit_id === fx.c2UnitId), own.summary);
    const other = await v.get(`${API}/stats/units?customer=${fx.c2}`);
    assertStatus(other, 200);
    assert.deepEqual(other.body, [], other.summary);
    const g = await (await s.bearer('globex', 'manager')).get(`${API}/stats/units?customer=${fx.c1}`);
    assert.deepEqual(g.body, [], g.summary);
  });
});
