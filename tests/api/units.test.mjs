// Units (API.md "Users, customers, units"): creation by staff, duplicate numbers, scope, search, and units
// created by a repair request naming an unknown unit number.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage, RFC3339_UTC } from './harness.mjs';
import { API, uniq, createRepair, getUnit, requested } from './lifecycle_helpers.mjs';

const ctx = useServer();

function assertUnitShape(u, summary = '') {
  for (const k of ['id', 'customer_id', 'unit_number', 'description', 'repair_count', 'next_price']) {
    assert.ok(k in u, `unit has "${k}": ${summary}`);
  }
  assert.ok(Number.isInteger(u.id) && u.id > 0, summary);
  assert.ok(Number.isInteger(u.repair_count), summary);
  assert.match(u.next_price, /^\d+\.\d{2}$/, summary);
  if ('created_at' in u) assert.match(u.created_at, RFC3339_UTC, summary);
}

describe('create', () => {
  for (const key of ['admin', 'manager', 'technician']) {
    test(`${key} creates a unit (201) that reads back with count 0 and next price 50.00`, async () => {
      const s = ctx.server;
      const c = await s.bearer('acme', key);
      const number = uniq('TRK');
      const res = await c.post(`${API}/units`, { customer_id: s.customer('acme', 'c1').id, unit_number: number, description: 'Freightliner M2' });
      assertStatus(res, 201);
      assertUnitShape(res.body, res.summary);
      assert.equal(res.body.customer_id, s.customer('acme', 'c1').id);
      assert.equal(res.body.unit_number, number);
      assert.equal(res.body.description, 'Freightliner M2');
      assert.equal(res.body.repair_count, 0);
      assert.equal(res.body.next_price, '50.00');
      const back = await getUnit(c, res.body.id);
      assert.deepEqual({ ...back, updated_at: undefined }, { ...res.body, updated_at: undefined });
    });
  }

  test('customers may not create units (403)', async () => {
    const s = ctx.server;
    for (const key of ['c1_approver', 'c1_requester', 'c1_viewer']) {
      const res = await (await s.bearer('acme', key)).post(`${API}/units`, { customer_id: s.customer('acme', 'c1').id, unit_number: uniq('C') });
      assertProblem(res, 403);
    }
  });

  test('a duplicate unit number for the same customer is 409; for another customer it is fine', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const number = uniq('DUP');
    assertStatus(await m.post(`${API}/units`, { customer_id: s.customer('acme', 'c1').id, unit_number: number }), 201);
    assertProblem(await m.post(`${API}/units`, { customer_id: s.customer('acme', 'c1').id, unit_number: number, description: 'again' }), 409);
    const other = await m.post(`${API}/units`, { customer_id: s.customer('acme', 'c2').id, unit_number: number });
    assertStatus(other, 201);
    // and in the other tenant
    assertStatus(await (await s.bearer('globex', 'manager')).post(`${API}/units`, { customer_id: s.customer('globex', 'c1').id, unit_number: number }), 201);
    const units = assertPage(await m.get(`${API}/units?customer=${s.customer('acme', 'c1').id}&q=${encodeURIComponent(number)}`));
    assert.equal(units.filter((u) => u.unit_number === number).length, 1, 'only one unit with that number for c1');
  });

  test('validation: missing customer or number 400, unknown field 400, other tenant customer 400', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    assertProblem(await m.post(`${API}/units`, { unit_number: uniq('V') }), 400, ['customer_id']);
    assertProblem(await m.post(`${API}/units`, { customer_id: s.customer('acme', 'c1').id }), 400, ['unit_number']);
    assertProblem(await m.post(`${API}/units`, { customer_id: s.customer('acme', 'c1').id, unit_number: '' }), 400, ['unit_number']);
    assertProblem(await m.post(`${API}/units`, { customer_id: s.customer('acme', 'c1').id, unit_number: uniq('V'), repair_count: 3 }), 400);
    assertProblem(await m.post(`${API}/units`, { customer_id: s.customer('globex', 'c1').id, unit_number: uniq('V') }), 400, ['customer_id']);
  });
});

describe('units created by repairs', () => {
  test('an unknown unit number on repair create creates the unit; a known one reuses it', async () => {
    const s = ctx.server;
    const c1 = s.customer('acme', 'c1').id;
    const staff = await s.bearer('acme', 'manager');
    const number = uniq('NEW');
    let units = assertPage(await staff.get(`${API}/units?customer=${c1}&q=${encodeURIComponent(number)}`));
    assert.equal(units.length, 0);
    const r = await requested(s, { unit: { unit_number: number } });
    assert.ok(Number.isInteger(r.unit_id));
    assert.equal(r.unit_number, number);
    const u = await getUnit(staff, r.unit_id);
    assert.equal(u.unit_number, number);
    assert.equal(u.customer_id, c1);
    assert.equal(u.repair_count, 0);
    units = assertPage(await staff.get(`${API}/units?customer=${c1}&q=${encodeURIComponent(number)}`));
    assert.deepEqual(units.map((x) => x.id), [r.unit_id]);
    // the requesting customer sees the new unit
    assert.equal((await getUnit(await s.bearer('acme', 'c1_requester'), r.unit_id)).unit_number, number);
    // the same number again (staff-created repair) reuses it
    const again = await createRepair(staff, { customer_id: c1, unit_number: number });
    assert.equal(again.unit_id, r.unit_id);
    // the same number for another customer is another unit
    const other = await createRepair(staff, { customer_id: s.customer('acme', 'c2').id, unit_number: number });
    assert.notEqual(other.unit_id, r.unit_id);
    assert.equal((await getUnit(staff, other.unit_id)).customer_id, s.customer('acme', 'c2').id);
  });

  test('a repair by unit_id uses that unit', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const u = await m.post(`${API}/units`, { customer_id: s.customer('acme', 'c1').id, unit_number: uniq('BYID') });
    assertStatus(u, 201);
    const r = await createRepair(m, { customer_id: s.customer('acme', 'c1').id, unit_id: u.body.id });
    assert.equal(r.unit_id, u.body.id);
    assert.equal(r.unit_number, u.body.unit_number);
    assertProblem(await m.post(`${API}/repairs`, { customer_id: s.customer('acme', 'c1').id, unit_id: 999999, description: 'x' }), 400, ['unit_id']);
  });
});

describe('read and scope', () => {
  test('staff list all tenant units; customers only their customers\'; ?customer= out of scope is empty', async () => {
    const s = ctx.server;
    const c1 = s.customer('acme', 'c1').id;
    const c2 = s.customer('acme', 'c2').id;
    const m = await s.bearer('acme', 'manager');
    await m.post(`${API}/units`, { customer_id: c1, unit_number: uniq('S1') });
    await m.post(`${API}/units`, { customer_id: c2, unit_number: uniq('S2') });
    const staffList = assertPage(await m.get(`${API}/units?page_size=200`));
    const cids = new Set(staffList.map((u) => u.customer_id));
    assert.ok(cids.has(c1) && cids.has(c2));
    const globexIds = new Set(Object.values(s.data.customers.globex).map((c) => c.id));
    assert.ok(staffList.every((u) => !globexIds.has(u.customer_id)));
    for (const u of staffList) assertUnitShape(u);

    const v = await s.bearer('acme', 'c1_viewer');
    const mine = assertPage(await v.get(`${API}/units?page_size=200`));
    assert.ok(mine.length > 0);
    assert.ok(mine.every((u) => u.customer_id === c1));
    const res = await v.get(`${API}/units?customer=${c2}`);
    assert.equal(assertPage(res).length, 0, res.summary);
    assert.equal(res.body.count, 0);
    const c2unit = staffList.find((u) => u.customer_id === c2);
    assertProblem(await v.get(`${API}/units/${c2unit.id}`), 404);
    assertProblem(await (await s.bearer('globex', 'admin')).get(`${API}/units/${c2unit.id}`), 404);
    assert.equal(assertPage(await (await s.bearer('acme', 'lonely')).get(`${API}/units`)).length, 0);
  });

  test('q searches unit numbers (and description)', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const tag = uniq('QQ').replace(/-/g, '');
    const a = await m.post(`${API}/units`, { customer_id: s.customer('acme', 'c1').id, unit_number: `${tag}-A`, description: 'Dump truck' });
    const b = await m.post(`${API}/units`, { customer_id: s.customer('acme', 'c1').id, unit_number: `${tag}-B`, description: `Sweeper ${tag}x` });
    await m.post(`${API}/units`, { customer_id: s.customer('acme', 'c1').id, unit_number: uniq('ZZ'), description: 'unrelated' });
    const found = assertPage(await m.get(`${API}/units?q=${tag}`)).map((u) => u.id).sort((x, y) => x - y);
    assert.deepEqual(found, [a.body.id, b.body.id].sort((x, y) => x - y));
    const one = assertPage(await m.get(`${API}/units?q=${tag}-A`)).map((u) => u.id);
    assert.deepEqual(one, [a.body.id]);
  });
});
