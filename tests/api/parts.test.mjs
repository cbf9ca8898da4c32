// Parts inventory (issue 12; API.md "Parts inventory"): parts and movements for every role, stock that the
// movements add up to, materials from a part take stock and give it back, two concurrent uses of the last
// unit (one 409), the low_stock filter and the low-stock notification to managers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage } from './harness.mjs';
import { API, repairIn, uniq } from './lifecycle_helpers.mjs';

const ctx = useServer();

async function newPart(extra = {}) {
  const m = await ctx.server.bearer('acme', 'manager');
  const res = await m.post(`${API}/parts`, { sku: uniq('SKU'), name: 'Resin 10ml', unit_cost: '4.50', reorder_level: 2, location: 'Shelf A', ...extra });
  assertStatus(res, 201);
  return res.body;
}
async function receive(partId, quantity) {
  const m = await ctx.server.bearer('acme', 'manager');
  assertStatus(await m.post(`${API}/parts/${partId}/movements`, { kind: 'received', quantity, reason: 'delivery' }), 201);
}
async function stock(partId) {
  return (await (await ctx.server.bearer('acme', 'technician')).get(`${API}/parts/${partId}`)).body.quantity_on_hand;
}
async function movementsSum(partId) {
  const list = (await (await ctx.server.bearer('acme', 'technician')).get(`${API}/parts/${partId}/movements`)).body;
  return { list, sum: Math.round(list.reduce((a, m) => a + m.quantity, 0) * 1000) / 1000 };
}

describe('parts', () => {
  test('managers and admins create; technicians read; customers 403; duplicate SKU 409; another tenant 404', async () => {
    const s = ctx.server;
    const part = await newPart();
    assert.equal(part.quantity_on_hand, 0);
    assert.equal(part.unit_cost, '4.50');
    assert.equal(part.reorder_level, 2);
    assertProblem(await (await s.bearer('acme', 'admin')).post(`${API}/parts`, { sku: part.sku, name: 'Again', unit_cost: '1.00' }), 409);
    assertProblem(await (await s.bearer('acme', 'technician')).post(`${API}/parts`, { sku: uniq('S'), name: 'x', unit_cost: '1.00' }), 403);
    for (const key of ['c1_approver', 'c1_viewer']) {
      assertProblem(await (await s.bearer('acme', key)).get(`${API}/parts`), 403);
      assertProblem(await (await s.bearer('acme', key)).get(`${API}/parts/${part.id}`), 403);
    }
    assertProblem(await (await s.bearer('globex', 'manager')).get(`${API}/parts/${part.id}`), 404);
    assertProblem(await (await s.bearer('acme', 'manager')).post(`${API}/parts`, { sku: uniq('S'), name: 'x', unit_cost: '-1.00' }), 400, ['unit_cost']);
    assertProblem(await (await s.bearer('acme', 'manager')).post(`${API}/parts`, { sku: uniq('S'), name: 'x', unit_cost: '1.00', reorder_level: 0.0001 }), 400, ['reorder_level']);
    assertProblem(await (await s.bearer('acme', 'manager')).post(`${API}/parts`, { sku: uniq('S'), name: 'x', unit_cost: '1.00', quantity_on_hand: 5 }), 400);
    const patched = await (await s.bearer('acme', 'admin')).patch(`${API}/parts/${part.id}`, { location: 'Shelf B', unit_cost: '5.00' });
    assertStatus(patched, 200);
    assert.equal(patched.body.location, 'Shelf B');
    assertProblem(await (await s.bearer('acme', 'technician')).patch(`${API}/parts/${part.id}`, { location: 'x' }), 403);
    const found = assertPage(await (await s.bearer('acme', 'technician')).get(`${API}/parts?q=${encodeURIComponent(part.sku.toLowerCase())}`));
    assert.deepEqual(found.map((p) => p.id), [part.id]);
  });

  test('movements: received and adjusted (with a reason); never below zero; they add up to the stock', async () => {
    const s = ctx.server;
    const part = await newPart();
    const m = await s.bearer('acme', 'manager');
    await receive(part.id, 10.5);
    assertStatus(await m.post(`${API}/parts/${part.id}/movements`, { kind: 'adjusted', quantity: -0.25, reason: 'spilled' }), 201);
    assertProblem(await m.post(`${API}/parts/${part.id}/movements`, { kind: 'adjusted', quantity: -1 }), 400, ['reason']);
    assertProblem(await m.post(`${API}/parts/${part.id}/movements`, { kind: 'received', quantity: -1 }), 400, ['quantity']);
    assertProblem(await m.post(`${API}/parts/${part.id}/movements`, { kind: 'used', quantity: 1 }), 400, ['kind']);
    assertProblem(await m.post(`${API}/parts/${part.id}/movements`, { kind: 'received', quantity: 1.0001 }), 400, ['quantity']);
    assertProblem(await m.post(`${API}/parts/${part.id}/movements`, { kind: 'adjusted', quantity: -11, reason: 'count' }), 409);
    assertProblem(await (await s.bearer('acme', 'technician')).post(`${API}/parts/${part.id}/movements`, { kind: 'received', quantity: 1 }), 403);
    assert.equal(await stock(part.id), 10.25);
    const { list, sum } = await movementsSum(part.id);
    assert.equal(sum, 10.25);
    assert.deepEqual(list.map((x) => x.kind), ['received', 'adjusted']);
    assert.equal(list[1].reason, 'spilled');
    assert.equal(list[1].by.name.length > 0, true);
  });

  test('a material from a part takes stock; deleting it returns the stock; the movements still add up', async () => {
    const s = ctx.server;
    const part = await newPart({ unit_cost: '3.00' });
    await receive(part.id, 5);
    const repair = await repairIn(s, 'IN_PROGRESS');
    const tech = await s.bearer('acme', 'technician');
    const added = await tech.post(`${API}/repairs/${repair.id}/materials`, { part_id: part.id, quantity: 2 });
    assertStatus(added, 201);
    assert.equal(added.body.part_id, part.id);
    assert.equal(added.body.unit_cost, '3.00');
    assert.equal(added.body.total, '6.00');
    assert.match(added.body.material_type, /Resin/);
    assert.equal(await stock(part.id), 3);
    assert.equal((await tech.get(`${API}/repairs/${repair.id}`)).body.materials_total, '6.00');
    assertProblem(await tech.post(`${API}/repairs/${repair.id}/materials`, { part_id: part.id, quantity: 4 }), 409);
    assert.equal(await stock(part.id), 3, 'a refused use changes nothing');
    assertProblem(await tech.post(`${API}/repairs/${repair.id}/materials`, { part_id: 999999, quantity: 1 }), 400, ['part_id']);
    assertProblem(await tech.post(`${API}/repairs/${repair.id}/materials`, { part_id: part.id, quantity: 1, unit_cost: '1.00' }), 400, ['unit_cost']);
    assertStatus(await tech.delete(`${API}/repairs/${repair.id}/materials/${added.body.id}`), 204);
    assert.equal(await stock(part.id), 5);
    const { list, sum } = await movementsSum(part.id);
    assert.equal(sum, 5);
    assert.deepEqual(list.map((x) => x.kind), ['received', 'used', 'returned']);
    assert.equal(list[1].repair_id, repair.id);
    assert.equal(list[1].quantity, -2);
  });

  test('two concurrent uses of the last unit: one 201, one 409; stock 0, never negative', async () => {
    const s = ctx.server;
    const part = await newPart();
    await receive(part.id, 1);
    const r1 = await repairIn(s, 'IN_PROGRESS');
    const r2 = await repairIn(s, 'IN_PROGRESS');
    const tech = await s.bearer('acme', 'technician');
    const m = await s.bearer('acme', 'manager');
    const results = await Promise.all([
      tech.post(`${API}/repairs/${r1.id}/materials`, { part_id: part.id, quantity: 1 }),
      m.post(`${API}/repairs/${r2.id}/materials`, { part_id: part.id, quantity: 1 }),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409], results.map((r) => r.summary).join('\n'));
    assert.equal(await stock(part.id), 0);
    assert.equal((await movementsSum(part.id)).sum, 0);
  });

  test('reaching the reorder level notifies managers once and lists the part under low_stock=true', async () => {
    const s = ctx.server;
    const part = await newPart({ reorder_level: 2 });
    await receive(part.id, 4);
    const m = await s.bearer('acme', 'manager');
    let low = assertPage(await m.get(`${API}/parts?low_stock=true&page_size=200`));
    assert.ok(!low.some((p) => p.id === part.id));
    const repair = await repairIn(s, 'IN_PROGRESS');
    const tech = await s.bearer('acme', 'technician');
    assertStatus(await tech.post(`${API}/repairs/${repair.id}/materials`, { part_id: part.id, quantity: 2 }), 201);
    assertStatus(await tech.post(`${API}/repairs/${repair.id}/materials`, { part_id: part.id, quantity: 1 }), 201);
    low = assertPage(await m.get(`${API}/parts?low_stock=true&page_size=200`));
    assert.ok(low.some((p) => p.id === part.id && p.low_stock === true));
    const notes = assertPage(await m.get(`${API}/notifications?page_size=200`)).filter((n) => n.type === 'part_low_stock' && n.title.includes(part.sku));
    assert.equal(notes.length, 1, 'once per crossing');
    const techNotes = assertPage(await tech.get(`${API}/notifications?page_size=200`)).filter((n) => n.type === 'part_low_stock');
    assert.equal(techNotes.length, 0);
    assertProblem(await m.get(`${API}/parts?low_stock=maybe`), 400, ['low_stock']);
  });
});
