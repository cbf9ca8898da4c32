// GET /stats/repairs?months=N (issue 16): the N most recent months that have repairs, so a history that
// ended years ago still fills the dashboards' "last 12 months" instead of showing nothing.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus } from './harness.mjs';
import { API, repairIn } from './lifecycle_helpers.mjs';

const ctx = useServer();

async function setup() {
  const s = ctx.server;
  const manager = await s.bearer('acme', 'manager');
  const c1 = s.customer('acme', 'c1').id;
  const c2 = s.customer('acme', 'c2').id;
  const c2appr = await s.bearer('acme', 'c2_approver');
  const dated = async (date, opts = {}) => {
    const r = await repairIn(s, 'PENDING', opts);
    assertStatus(await manager.patch(`${API}/repairs/${r.id}`, { repair_date: date }), 200);
  };
  // c1: Jan 2019, twice in Mar 2019, May 2020 (nothing in between); c2: Jul 2021; globex: Dec 2022.
  await dated('2019-01-10', { customerId: c1 });
  await dated('2019-03-05', { customerId: c1 });
  await dated('2019-03-20', { customerId: c1 });
  await dated('2020-05-01', { customerId: c1 });
  await dated('2021-07-15', { customerId: c2, approver: c2appr });
  const globex = await repairIn(s, 'PENDING', { tenant: 'globex' });
  assertStatus(await (await s.bearer('globex', 'manager')).patch(`${API}/repairs/${globex.id}`, { repair_date: '2022-12-01' }), 200);
}
let ready;
const fixtures = () => (ready ??= setup());

describe('/stats/repairs?months=N', () => {
  before(fixtures, { timeout: 90_000 });

const periods = (res) => res.body.map((p) => `${p.period}:${p.count}`);

test('months=N answers the N most recent months that have repairs, skipping empty months', async () => {
  const staff = await ctx.server.bearer('acme', 'manager');
  const get = async (q) => {
    const res = await staff.get(`${API}/stats/repairs?${q}`);
    assertStatus(res, 200);
    return periods(res);
  };
  assert.deepEqual(await get('months=1'), ['2021-07:1']);
  assert.deepEqual(await get('months=2'), ['2020-05:1', '2021-07:1']);
  assert.deepEqual(await get('months=3'), ['2019-03:2', '2020-05:1', '2021-07:1']);
  assert.deepEqual(await get('months=12'), ['2019-01:1', '2019-03:2', '2020-05:1', '2021-07:1']);
  // within `to`, and never before `from`
  assert.deepEqual(await get('months=2&to=2019-12-31'), ['2019-01:1', '2019-03:2']);
  assert.deepEqual(await get('months=12&from=2019-02-01'), ['2019-03:2', '2020-05:1', '2021-07:1']);
  assert.deepEqual(await get('months=12&to=2018-12-31'), []);
  // one customer
  const c1 = ctx.server.customer('acme', 'c1').id;
  assert.deepEqual(await get(`months=1&customer=${c1}`), ['2020-05:1']);
});

test('months=N keeps the caller\'s scope: a customer user counts only its own repairs', async () => {
  const c1appr = await ctx.server.bearer('acme', 'c1_approver');
  const res = await c1appr.get(`${API}/stats/repairs?months=1`);
  assertStatus(res, 200);
  assert.deepEqual(periods(res), ['2020-05:1']);
  const other = await (await ctx.server.bearer('globex', 'manager')).get(`${API}/stats/repairs?months=1`);
  assertStatus(other, 200);
  assert.deepEqual(periods(other), ['2022-12:1']);
});

test('months outside 1..240 or not a number is 400 with the field', async () => {
  const staff = await ctx.server.bearer('acme', 'manager');
  for (const bad of ['0', '241', '-3', 'abc']) {
    assertProblem(await staff.get(`${API}/stats/repairs?months=${bad}`), 400, ['months']);
  }
});
});
