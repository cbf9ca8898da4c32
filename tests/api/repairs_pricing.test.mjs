// Pricing (PRODUCT.md "Pricing"): tiers by the unit's repair history, estimates before completion, unit
// replacement, materials on top, price_override by managers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage } from './harness.mjs';
import {
  API, MONEY, uniq, createRepair, move, getRepair, getUnit, repairIn, requested, completeAsManager, money, newCustomer,
} from './lifecycle_helpers.mjs';

const ctx = useServer();

const TIERS = ['50.00', '40.00', '35.00', '30.00', '25.00', '25.00'];

async function newUnit(s, customerId = s.customer('acme', 'c1').id) {
  const res = await (await s.bearer('acme', 'manager')).post(`${API}/units`, { customer_id: customerId, unit_number: uniq('P'), description: 'pricing unit' });
  assertStatus(res, 201);
  return res.body;
}

describe('progressive pricing', () => {
  test('six completions of one unit cost 50, 40, 35, 30, 25, 25; estimates and next_price follow', { timeout: 60_000 }, async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const requester = await s.bearer('acme', 'c1_requester');
    const unit = await newUnit(s);
    assert.equal(unit.repair_count, 0);
    assert.equal(unit.next_price, '50.00');
    for (let i = 0; i < TIERS.length; i++) {
      const r = await requested(s, { unit: { unit_id: unit.id } });
      assert.equal(r.unit_id, unit.id);
      assert.equal(r.estimated_cost, TIERS[i], `estimate of repair #${i + 1} on create`);
      assert.equal(r.cost, '0.00', 'cost is 0.00 until COMPLETED');
      await move(manager, r.id, 'APPROVED');
      const ip = await move(manager, r.id, 'IN_PROGRESS');
      assert.equal(ip.estimated_cost, TIERS[i], `estimate of repair #${i + 1} while in progress`);
      assert.equal(ip.cost, '0.00');
      assert.equal((await getRepair(requester, r.id)).estimated_cost, TIERS[i], 'the customer sees the same estimate');
      const done = await move(manager, r.id, 'COMPLETED');
      assert.equal(done.cost, TIERS[i], `cost of completion #${i + 1}`);
      const u = await getUnit(manager, unit.id);
      assert.equal(u.repair_count, i + 1, `repair_count after completion #${i + 1}`);
      assert.equal(u.next_price, TIERS[Math.min(i + 1, TIERS.length - 1)], `next_price after completion #${i + 1}`);
      // the fixed cost does not move with later history
      assert.equal((await getRepair(manager, r.id)).cost, TIERS[i]);
    }
    // earlier repairs keep their fixed price
    const list = assertPage(await manager.get(`${API}/repairs?unit=${unit.id}&ordering=created_at&page_size=50`));
    assert.deepEqual(list.map((r) => r.cost).sort(), [...TIERS].sort());
  });

  test('five repairs of one unit completed at once: each completion counts once, and the five costs are the first five tiers', { timeout: 60_000 }, async () => {
    // Each completion adds one to the unit's count where it is (storage::IncrementUnitRepairCount), so none is
    // lost to another completion of the same unit, whatever the database runs at once.
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const unit = await newUnit(s);
    const started = [];
    for (let i = 0; i < 5; i++) {
      const r = await requested(s, { unit: { unit_id: unit.id } });
      await move(manager, r.id, 'APPROVED');
      started.push(await move(manager, r.id, 'IN_PROGRESS'));
    }
    const clients = [manager, await s.login('acme', 'manager'), await s.bearer('acme', 'admin'), await s.login('acme', 'admin'),
      await s.bearer('acme', 'manager')];
    const results = await Promise.all(started.map((r, i) => clients[i].post(`${API}/repairs/${r.id}/status`, { status: 'COMPLETED' })));
    for (const res of results) assertStatus(res, 200);
    assert.deepEqual(results.map((res) => res.body.cost).sort(), TIERS.slice(0, 5).sort(), 'one tier per completion');
    const u = await getUnit(manager, unit.id);
    assert.equal(u.repair_count, 5);
    assert.equal(u.next_price, TIERS[5]);
  });

  test('repairs that end DENIED or CANCELLED do not count and cost nothing', async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const unit = await newUnit(s);
    const d = await requested(s, { unit: { unit_id: unit.id } });
    await move(manager, d.id, 'DENIED', 'no');
    const c = await repairIn(s, 'IN_PROGRESS', { unit: { unit_id: unit.id } });
    const cancelled = await move(manager, c.id, 'CANCELLED', 'stop');
    assert.equal(cancelled.cost, '0.00');
    const u = await getUnit(manager, unit.id);
    assert.equal(u.repair_count, 0);
    assert.equal(u.next_price, '50.00');
    assert.equal((await getRepair(manager, d.id)).cost, '0.00');
  });

  test('an open repair estimates the tier its completion would get, and follows earlier completions', async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const unit = await newUnit(s);
    const a = await requested(s, { unit: { unit_id: unit.id } });
    const b = await requested(s, { unit: { unit_id: unit.id } });
    assert.equal(a.estimated_cost, '50.00');
    assert.equal(b.estimated_cost, '50.00');
    assert.equal((await completeAsManager(s, a.id)).cost, '50.00');
    assert.equal((await getRepair(manager, b.id)).estimated_cost, '40.00', 'the next completion would be the 2nd');
    assert.equal((await completeAsManager(s, b.id)).cost, '40.00');
  });

  test('replace resets the count to 0 and the next repair costs 50.00 again', async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const unit = await newUnit(s);
    for (let i = 0; i < 3; i++) await completeAsManager(s, (await requested(s, { unit: { unit_id: unit.id } })).id);
    let u = await getUnit(manager, unit.id);
    assert.equal(u.repair_count, 3);
    assert.equal(u.next_price, '30.00');
    const open = await requested(s, { unit: { unit_id: unit.id } });
    assert.equal(open.estimated_cost, '30.00');

    const res = await manager.post(`${API}/units/${unit.id}/replace`);
    assertStatus(res, 200);
    assert.equal(res.body.id, unit.id);
    assert.equal(res.body.repair_count, 0);
    assert.equal(res.body.next_price, '50.00');
    u = await getUnit(manager, unit.id);
    assert.equal(u.repair_count, 0);
    assert.equal(u.next_price, '50.00');
    assert.equal((await getRepair(manager, open.id)).estimated_cost, '50.00', 'the open repair now estimates the first tier');
    assert.equal((await completeAsManager(s, open.id)).cost, '50.00');
    u = await getUnit(manager, unit.id);
    assert.equal(u.repair_count, 1);
    assert.equal(u.next_price, '40.00');
    // admin may replace too
    const again = await (await s.bearer('acme', 'admin')).post(`${API}/units/${unit.id}/replace`);
    assertStatus(again, 200);
    assert.equal(again.body.repair_count, 0);
  });

  test('replace: technician and customers 403, other tenant 404, unknown 404', async () => {
    const s = ctx.server;
    const unit = await newUnit(s);
    await completeAsManager(s, (await requested(s, { unit: { unit_id: unit.id } })).id);
    for (const key of ['technician', 'c1_approver', 'c1_requester']) {
      assertProblem(await (await s.bearer('acme', key)).post(`${API}/units/${unit.id}/replace`), 403);
    }
    assertProblem(await (await s.bearer('acme', 'c2_approver')).post(`${API}/units/${unit.id}/replace`), 404);
    assertProblem(await (await s.bearer('globex', 'admin')).post(`${API}/units/${unit.id}/replace`), 404);
    assertProblem(await (await s.bearer('acme', 'admin')).post(`${API}/units/999999/replace`), 404);
    assert.equal((await getUnit(await s.bearer('acme', 'admin'), unit.id)).repair_count, 1, 'not reset');
  });

  test('pricing is per tenant and per unit: another unit of the same customer starts at 50.00', async () => {
    const s = ctx.server;
    const unit = await newUnit(s);
    await completeAsManager(s, (await requested(s, { unit: { unit_id: unit.id } })).id);
    const other = await newUnit(s);
    assert.equal(other.next_price, '50.00');
    assert.equal((await requested(s, { unit: { unit_id: other.id } })).estimated_cost, '50.00');
  });
});

describe('materials', () => {
  test('materials add quantity x unit cost; removing one takes it off; completion fixes tier + materials', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    const unit = await newUnit(s);
    const r = await repairIn(s, 'IN_PROGRESS', { unit: { unit_id: unit.id } });
    const res = await tech.post(`${API}/repairs/${r.id}/materials`, { material_type: 'resin', quantity: 2, unit_cost: '3.25' });
    assertStatus(res, 201);
    const m1 = res.body;
    assert.ok(Number.isInteger(m1.id));
    assert.equal(m1.material_type, 'resin');
    assert.equal(m1.quantity, 2);
    assert.equal(m1.unit_cost, '3.25');
    assert.equal(m1.total, '6.50');
    let cur = await getRepair(tech, r.id);
    assert.equal(cur.materials_total, '6.50');
    assert.equal(cur.estimated_cost, '56.50');
    assert.equal(cur.cost, '0.00');

    const m2 = await tech.post(`${API}/repairs/${r.id}/materials`, { material_type: 'patch film', quantity: 3, unit_cost: '0.99' });
    assertStatus(m2, 201);
    assert.equal(m2.body.total, '2.97');
    cur = await getRepair(tech, r.id);
    assert.equal(cur.materials_total, '9.47');
    assert.equal(cur.estimated_cost, '59.47');

    const list = assertPage(await (await s.bearer('acme', 'c1_viewer')).get(`${API}/repairs/${r.id}/materials`));
    assert.deepEqual(list.map((m) => m.id).sort((a, b) => a - b), [m1.id, m2.body.id].sort((a, b) => a - b));

    const del = await tech.delete(`${API}/repairs/${r.id}/materials/${m1.id}`);
    assertStatus(del, 204);
    assertProblem(await tech.delete(`${API}/repairs/${r.id}/materials/${m1.id}`), 404);
    cur = await getRepair(tech, r.id);
    assert.equal(cur.materials_total, '2.97');
    assert.equal(cur.estimated_cost, '52.97');

    const done = await move(tech, r.id, 'COMPLETED');
    assert.equal(done.cost, '52.97');
    assert.equal(done.materials_total, '2.97');
  });

  test('materials are refused on final repairs (409), add and remove', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    const r = await repairIn(s, 'IN_PROGRESS');
    const m = await tech.post(`${API}/repairs/${r.id}/materials`, { material_type: 'resin', quantity: 1, unit_cost: '4.00' });
    assertStatus(m, 201);
    const done = await move(tech, r.id, 'COMPLETED');
    assert.equal(done.cost, '54.00');
    assertProblem(await tech.post(`${API}/repairs/${r.id}/materials`, { material_type: 'resin', quantity: 1, unit_cost: '1.00' }), 409);
    assertProblem(await (await s.bearer('acme', 'admin')).delete(`${API}/repairs/${r.id}/materials/${m.body.id}`), 409);
    const after = await getRepair(tech, r.id);
    assert.equal(after.cost, '54.00');
    assert.equal(after.materials_total, '4.00');
    for (const fin of ['DENIED', 'CANCELLED']) {
      const f = await repairIn(s, fin);
      assertProblem(await tech.post(`${API}/repairs/${f.id}/materials`, { material_type: 'resin', quantity: 1, unit_cost: '1.00' }), 409);
    }
  });

  test('customers may not add or remove materials (403); other tenant 404', async () => {
    const s = ctx.server;
    const r = await repairIn(s, 'APPROVED');
    const body = { material_type: 'resin', quantity: 1, unit_cost: '1.00' };
    for (const key of ['c1_approver', 'c1_requester', 'c1_viewer']) {
      assertProblem(await (await s.bearer('acme', key)).post(`${API}/repairs/${r.id}/materials`, body), 403);
    }
    const m = await (await s.bearer('acme', 'manager')).post(`${API}/repairs/${r.id}/materials`, body);
    assertStatus(m, 201);
    assertProblem(await (await s.bearer('acme', 'c1_approver')).delete(`${API}/repairs/${r.id}/materials/${m.body.id}`), 403);
    assertProblem(await (await s.bearer('acme', 'c2_approver')).get(`${API}/repairs/${r.id}/materials`), 404);
    assertProblem(await (await s.bearer('globex', 'admin')).post(`${API}/repairs/${r.id}/materials`, body), 404);
    assertProblem(await (await s.bearer('globex', 'admin')).delete(`${API}/repairs/${r.id}/materials/${m.body.id}`), 404);
    assert.equal((await getRepair(await s.bearer('acme', 'admin'), r.id)).materials_total, '1.00');
  });

  test('material validation: quantity > 0, money with two decimals, required fields (400)', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    const r = await repairIn(s, 'APPROVED');
    const url = `${API}/repairs/${r.id}/materials`;
    assertProblem(await tech.post(url, { material_type: 'resin', quantity: 0, unit_cost: '1.00' }), 400, ['quantity']);
    assertProblem(await tech.post(url, { material_type: 'resin', quantity: -1, unit_cost: '1.00' }), 400, ['quantity']);
    assertProblem(await tech.post(url, { material_type: 'resin', quantity: 1, unit_cost: 'abc' }), 400, ['unit_cost']);
    assertProblem(await tech.post(url, { material_type: 'resin', quantity: 1, unit_cost: '-1.00' }), 400, ['unit_cost']);
    assertProblem(await tech.post(url, { material_type: 'resin', quantity: 1 }), 400);
    assertProblem(await tech.post(url, { quantity: 1, unit_cost: '1.00' }), 400);
    assertProblem(await tech.post(url, { material_type: 'resin', quantity: 1, unit_cost: '1.00', colour: 'red' }), 400);
    assertProblem(await tech.delete(`${API}/repairs/${r.id}/materials/999999`), 404);
    assert.equal((await getRepair(tech, r.id)).materials_total, '0.00');
  });

  test('a material of another repair cannot be deleted through this one (404)', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    const a = await repairIn(s, 'APPROVED');
    const b = await repairIn(s, 'APPROVED');
    const m = await tech.post(`${API}/repairs/${a.id}/materials`, { material_type: 'resin', quantity: 1, unit_cost: '2.00' });
    assertStatus(m, 201);
    assertProblem(await tech.delete(`${API}/repairs/${b.id}/materials/${m.body.id}`), 404);
    assert.equal((await getRepair(tech, a.id)).materials_total, '2.00');
  });
});

describe('price override', () => {
  test('a manager override replaces the tier price; materials still add; the unit count still goes up', async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const tech = await s.bearer('acme', 'technician');
    const unit = await newUnit(s);
    await completeAsManager(s, (await requested(s, { unit: { unit_id: unit.id } })).id); // tier 1 used
    const r = await repairIn(s, 'IN_PROGRESS', { unit: { unit_id: unit.id } });
    assert.equal(r.estimated_cost, '40.00');
    const p = await manager.patch(`${API}/repairs/${r.id}`, { price_override: '80.00' });
    assertStatus(p, 200);
    assert.equal(p.body.price_override, '80.00');
    assert.equal(p.body.estimated_cost, '80.00');
    assertStatus(await tech.post(`${API}/repairs/${r.id}/materials`, { material_type: 'resin', quantity: 2, unit_cost: '3.25' }), 201);
    assert.equal((await getRepair(tech, r.id)).estimated_cost, '86.50');
    const done = await move(tech, r.id, 'COMPLETED');
    assert.equal(done.cost, '86.50');
    assert.equal(done.price_override, '80.00');
    const u = await getUnit(manager, unit.id);
    assert.equal(u.repair_count, 2);
    assert.equal(u.next_price, '35.00', 'the override does not change the tiers');
  });

  test('the override can be lowered below the tier, and cleared with null', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const r = await repairIn(s, 'APPROVED');
    assert.equal((await admin.patch(`${API}/repairs/${r.id}`, { price_override: '0.00' })).body?.estimated_cost, '0.00');
    const cleared = await admin.patch(`${API}/repairs/${r.id}`, { price_override: null });
    assertStatus(cleared, 200);
    assert.equal(cleared.body.price_override, null);
    assert.equal(cleared.body.estimated_cost, '50.00');
  });

  test('a technician or a customer may not set price_override (403); invalid amounts 400', async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const r = await repairIn(s, 'IN_PROGRESS');
    assertProblem(await (await s.bearer('acme', 'technician')).patch(`${API}/repairs/${r.id}`, { price_override: '10.00' }), 403);
    const q = await requested(s);
    assertProblem(await (await s.bearer('acme', 'c1_requester')).patch(`${API}/repairs/${q.id}`, { price_override: '10.00' }), 403);
    for (const bad of ['ten', '-5.00', '10.005', '1e3', 10, true]) {
      assertProblem(await manager.patch(`${API}/repairs/${r.id}`, { price_override: bad }), 400);
    }
    const after = await getRepair(manager, r.id);
    assert.equal(after.price_override, null);
    assert.equal(after.estimated_cost, '50.00');
    assert.equal(after.version, r.version);
  });
});

describe('money format', () => {
  test('every money field of every repair in a list is a two-decimal string', async () => {
    const s = ctx.server;
    const list = assertPage(await (await s.bearer('acme', 'admin')).get(`${API}/repairs?page_size=200`));
    assert.ok(list.length > 10);
    for (const r of list) {
      for (const k of ['cost', 'estimated_cost', 'materials_total']) assert.match(r[k], MONEY, `${k} of ${r.id}`);
      if (r.price_override !== null) assert.match(r.price_override, MONEY);
    }
    assert.equal(money('50.00', '6.50'), '56.50'); // sanity of the helper used by other files
  });
});
