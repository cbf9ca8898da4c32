// GET /api/v1/repairs: filters (status=A,B, q, customer, unit, technician), ordering and pagination
// (API.md "Repairs", "Conventions"). Uses a customer of its own so the counts are exact.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertPage, pathOf } from './harness.mjs';
import { API, uniq, createRepair, move, newCustomer, newCustomerUser, newUser } from './lifecycle_helpers.mjs';

const ctx = useServer();

const TAG = uniq('LST').replace(/-/g, '');
const fx = {};

const ids = (list) => list.map((r) => r.id).sort((a, b) => a - b);
const want = (...names) => names.map((n) => fx[n].id).sort((a, b) => a - b);

async function setup() {
  const s = ctx.server;
  fx.customer = await newCustomer(s, 'acme', `List Co ${TAG}`);
  fx.approver = await newCustomerUser(s, 'acme', fx.customer.id, 'approver');
  fx.tech2 = await newUser(s, 'acme', 'technician');
  const manager = await s.bearer('acme', 'manager');
  const tech = await s.bearer('acme', 'technician');
  const cid = fx.customer.id;
  const A = fx.approver.client;

  fx.r1 = await createRepair(A, { customer_id: cid, unit_number: `${TAG}-100`, description: 'Chip near the wiper', damage_type: 'chip', priority: 1 });
  fx.r2 = await createRepair(A, { customer_id: cid, unit_number: `${TAG}-200`, description: 'Long crack across', damage_type: 'crack', priority: 2 });
  await move(manager, fx.r2.id, 'APPROVED');
  fx.r3 = await createRepair(manager, { customer_id: cid, unit_number: `${TAG}-100`, description: 'Bullseye low left', damage_type: 'bullseye', priority: 3 });
  fx.r4 = await createRepair(manager, { customer_id: cid, unit_number: `${TAG}-200`, description: 'Star break', damage_type: 'star', priority: 4 });
  await A.post(`${API}/repairs/${fx.r4.id}/approval`, { approved: true });
  await move(tech, fx.r4.id, 'IN_PROGRESS');
  fx.r5 = await createRepair(A, { customer_id: cid, unit_number: `${TAG}-100`, description: 'Pit on passenger side', damage_type: 'chip', priority: 2 });
  await move(manager, fx.r5.id, 'APPROVED');
  await move(fx.tech2.client, fx.r5.id, 'IN_PROGRESS');
  await move(fx.tech2.client, fx.r5.id, 'COMPLETED');
  fx.r6 = await createRepair(A, { customer_id: cid, unit_number: `${TAG}-300`, description: 'Edge damage', damage_type: 'combination-crack', priority: 3 });
  await move(manager, fx.r6.id, 'DENIED', 'replace the glass');
  fx.unit100 = fx.r1.unit_id;
  fx.unit200 = fx.r2.unit_id;
  assert.equal(fx.r3.unit_id, fx.unit100, 'an existing unit number reuses the unit');
  assert.equal(fx.r5.unit_id, fx.unit100);
  assert.notEqual(fx.unit100, fx.unit200);
}

let ready;
const fixtures = () => (ready ??= setup());

async function list(query, key = 'manager') {
  await fixtures();
  const c = key === 'approver' ? fx.approver.client : await ctx.server.bearer('acme', key);
  const res = await c.get(`${API}/repairs?customer=${fx.customer.id}&page_size=200&${query}`);
  const items = assertPage(res);
  return { items, res };
}

describe('filters', () => {
  before(fixtures, { timeout: 60_000 });
  test('customer: all six, for staff and the customer\'s approver', async () => {
    for (const key of ['manager', 'technician', 'approver']) {
      const { items, res } = await list('', key);
      assert.deepEqual(ids(items), want('r1', 'r2', 'r3', 'r4', 'r5', 'r6'), `${key}: ${res.summary}`);
      assert.equal(res.body.count, 6);
    }
    // the approver without ?customer= sees exactly the same
    const all = assertPage(await fx.approver.client.get(`${API}/repairs?page_size=200`));
    assert.deepEqual(ids(all), want('r1', 'r2', 'r3', 'r4', 'r5', 'r6'));
  });

  test('status: one value and a comma-separated list', async () => {
    const cases = [
      ['REQUESTED', ['r1']], ['PENDING', ['r3']], ['APPROVED', ['r2']], ['IN_PROGRESS', ['r4']],
      ['COMPLETED', ['r5']], ['DENIED', ['r6']], ['CANCELLED', []],
      ['APPROVED,IN_PROGRESS', ['r2', 'r4']], ['REQUESTED,PENDING,DENIED', ['r1', 'r3', 'r6']],
    ];
    for (const [status, names] of cases) {
      const { items, res } = await list(`status=${status}`);
      assert.deepEqual(ids(items), want(...names), `status=${status}: ${res.summary}`);
      assert.equal(res.body.count, names.length);
      assert.ok(items.every((r) => status.split(',').includes(r.status)));
    }
  });

  test('status: an unknown value is 400', async () => {
    const c = await ctx.server.bearer('acme', 'manager');
    assertProblem(await c.get(`${API}/repairs?status=FINISHED`), 400);
    assertProblem(await c.get(`${API}/repairs?status=APPROVED,NOPE`), 400);
  });

  test('q searches description, unit number and damage type', async () => {
    const cases = [
      ['wiper', ['r1']], // description
      ['Bullseye', ['r3', 'r3']], // description and damage type of the same repair
      [`${TAG}-200`, ['r2', 'r4']], // unit number
      [`${TAG}-300`, ['r6']],
      ['crack', ['r2', 'r6']], // description of r2, damage type of r6
      ['star', ['r4']],
      ['no-such-text-anywhere', []],
    ];
    for (const [q, names] of cases) {
      const { items, res } = await list(`q=${encodeURIComponent(q)}`);
      assert.deepEqual(ids(items), [...new Set(want(...names))], `q=${q}: ${res.summary}`);
    }
  });

  test('unit, technician, and combinations', async () => {
    let r = await list(`unit=${fx.unit100}`);
    assert.deepEqual(ids(r.items), want('r1', 'r3', 'r5'), r.res.summary);
    r = await list(`unit=${fx.unit200}`);
    assert.deepEqual(ids(r.items), want('r2', 'r4'), r.res.summary);
    r = await list(`technician=${ctx.server.user('acme', 'technician').id}`);
    assert.deepEqual(ids(r.items), want('r4'), r.res.summary);
    r = await list(`technician=${fx.tech2.user.id}`);
    assert.deepEqual(ids(r.items), want('r5'), r.res.summary);
    assert.equal(r.items[0].technician_name, fx.tech2.user.name);
    assert.equal(r.items[0].customer_name, fx.customer.name);
    r = await list(`unit=${fx.unit100}&status=COMPLETED,REQUESTED`);
    assert.deepEqual(ids(r.items), want('r1', 'r5'), r.res.summary);
    r = await list(`unit=${fx.unit100}&q=chip`);
    assert.deepEqual(ids(r.items), want('r1', 'r5'), r.res.summary);
    // technician filter without customer: all of that technician's repairs are in its results, and only those
    const c = await ctx.server.bearer('acme', 'admin');
    const all = assertPage(await c.get(`${API}/repairs?technician=${fx.tech2.user.id}&page_size=200`));
    assert.deepEqual(ids(all), want('r5'));
  });

  test('a unit of another tenant as filter gives an empty list', async () => {
    const g = await ctx.server.bearer('globex', 'admin');
    const res = await g.get(`${API}/repairs?unit=${fx.unit100}`);
    assert.equal(assertPage(res).length, 0, res.summary);
  });
});

describe('ordering', () => {
  before(fixtures, { timeout: 60_000 });
  const isSorted = (arr, cmp) => arr.every((x, i) => i === 0 || cmp(arr[i - 1], x) <= 0);

  test('priority and -priority', async () => {
    let { items, res } = await list('ordering=priority');
    assert.equal(items.length, 6);
    assert.ok(isSorted(items, (a, b) => a.priority - b.priority), res.summary);
    assert.equal(items[0].id, fx.r1.id);
    ({ items, res } = await list('ordering=-priority'));
    assert.ok(isSorted(items, (a, b) => b.priority - a.priority), res.summary);
    assert.equal(items[0].id, fx.r4.id);
  });

  test('created_at, -created_at (the default)', async () => {
    const asc = (await list('ordering=created_at')).items;
    assert.ok(isSorted(asc, (a, b) => a.created_at.localeCompare(b.created_at)));
    const desc = (await list('ordering=-created_at')).items;
    assert.ok(isSorted(desc, (a, b) => b.created_at.localeCompare(a.created_at)));
    const dflt = (await list('')).items;
    assert.ok(isSorted(dflt, (a, b) => b.created_at.localeCompare(a.created_at)), 'default is -created_at');
    // r1 was created first and r6 last; with second-resolution timestamps ties are possible, so only
    // check that the extremes are not inverted
    assert.ok(asc.findIndex((r) => r.id === fx.r1.id) < asc.findIndex((r) => r.id === fx.r6.id) || asc[0].created_at === asc.at(-1).created_at);
  });

  test('an unknown ordering field is 400; a SQL-looking one too', async () => {
    const c = await ctx.server.bearer('acme', 'manager');
    assertProblem(await c.get(`${API}/repairs?ordering=bogus`), 400);
    assertProblem(await c.get(`${API}/repairs?ordering=${encodeURIComponent('id;DROP TABLE repairs')}`), 400);
    assertProblem(await c.get(`${API}/repairs?ordering=--priority`), 400);
    // the table is still there
    assert.equal((await list('')).items.length, 6);
  });
});

describe('pagination', () => {
  before(fixtures, { timeout: 60_000 });
  test('page_size=2 over six repairs: three pages, next/previous links, every repair once', async () => {
    const c = await ctx.server.bearer('acme', 'manager');
    let res = await c.get(`${API}/repairs?customer=${fx.customer.id}&page_size=2&ordering=priority`);
    let items = assertPage(res);
    assert.equal(res.body.count, 6);
    assert.equal(items.length, 2);
    assert.equal(res.body.previous, null);
    assert.equal(typeof res.body.next, 'string');
    const seen = [...items];
    const nextUrl = new URL(res.body.next, 'http://x');
    assert.equal(nextUrl.searchParams.get('customer'), String(fx.customer.id), 'next keeps the filters');
    res = await c.get(pathOf(res.body.next));
    items = assertPage(res);
    assert.equal(items.length, 2);
    assert.equal(typeof res.body.previous, 'string');
    seen.push(...items);
    res = await c.get(pathOf(res.body.next));
    items = assertPage(res);
    assert.equal(items.length, 2);
    assert.equal(res.body.next, null, 'the last page has no next');
    seen.push(...items);
    assert.deepEqual(ids(seen), want('r1', 'r2', 'r3', 'r4', 'r5', 'r6'));
    const page2 = assertPage(await c.get(`${API}/repairs?customer=${fx.customer.id}&page_size=2&page=2&ordering=priority`));
    assert.deepEqual(page2.map((r) => r.id), seen.slice(2, 4).map((r) => r.id));
  });

  test('filters count before paging', async () => {
    const c = await ctx.server.bearer('acme', 'manager');
    const res = await c.get(`${API}/repairs?customer=${fx.customer.id}&status=REQUESTED,PENDING,APPROVED&page_size=1`);
    assert.equal(assertPage(res).length, 1);
    assert.equal(res.body.count, 3);
  });
});
