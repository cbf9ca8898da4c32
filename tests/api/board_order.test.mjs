// Board order (issue 12; API.md "Board order"): POST /repairs/{id}/position between, at the top and at the
// bottom of a column, another column 400, who may, ?ordering=board_rank, a status move places the card at
// the top of its new column, and concurrent reorders keep one total order.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage } from './harness.mjs';
import { API, newCustomer, newCustomerUser, repairIn, move } from './lifecycle_helpers.mjs';

const ctx = useServer();

/** A fresh customer with `n` APPROVED repairs: its own board column slice (filtered by customer). */
async function column(n) {
  const s = ctx.server;
  const customer = await newCustomer(s);
  const approver = (await newCustomerUser(s, 'acme', customer.id, 'approver')).client;
  const repairs = [];
  for (let i = 0; i < n; i++) repairs.push(await repairIn(s, 'APPROVED', { customerId: customer.id, approver }));
  return { customer, ids: repairs.map((r) => r.id) };
}
async function order(customerId, status = 'APPROVED') {
  const m = await ctx.server.bearer('acme', 'manager');
  const list = assertPage(await m.get(`${API}/repairs?customer=${customerId}&status=${status}&ordering=board_rank&page_size=200`));
  return list.map((r) => r.id);
}
const place = async (client, id, after_id, before_id) => client.post(`${API}/repairs/${id}/position`, { after_id, before_id });

describe('positions', () => {
  test('between two cards, at the top and at the bottom; the order is shared', async () => {
    const s = ctx.server;
    const { customer, ids: [a, b, c, d] } = await column(4);
    const m = await s.bearer('acme', 'manager');
    // Place them explicitly: a, b, c, d from top to bottom.
    assertStatus(await place(m, a, null, null), 200);
    assertStatus(await place(m, b, a, null), 200);
    assertStatus(await place(m, c, b, null), 200);
    assertStatus(await place(m, d, c, null), 200);
    assert.deepEqual(await order(customer.id), [a, b, c, d]);
    const between = await place(await s.bearer('acme', 'technician'), d, a, b);
    assertStatus(between, 200);
    assert.equal(typeof between.body.board_rank, 'string');
    assert.equal(between.body.id, d);
    assert.deepEqual(await order(customer.id), [a, d, b, c]);
    assertStatus(await place(m, c, null, a), 200);
    assert.deepEqual(await order(customer.id), [c, a, d, b]);
    assertStatus(await place(m, a, b, null), 200);
    assert.deepEqual(await order(customer.id), [c, d, b, a]);
    const seen = await (await s.bearer('acme', 'admin')).get(`${API}/repairs/${a}`);
    assert.equal(seen.body.board_rank, (await m.get(`${API}/repairs/${a}`)).body.board_rank);
  });

  test('a neighbour from another column is 400; customers 403; another tenant 404; stale neighbours 409', async () => {
    const s = ctx.server;
    const { customer, ids: [a, b] } = await column(2);
    const m = await s.bearer('acme', 'manager');
    const other = await repairIn(s, 'PENDING', { customerId: customer.id });
    assertProblem(await place(m, a, other.id, null), 400, ['after_id']);
    assertProblem(await place(m, a, null, other.id), 400, ['before_id']);
    assertProblem(await place(m, a, a, null), 400, ['after_id']);
    assertProblem(await place(m, a, 99999999, null), 400, ['after_id']);
    assertProblem(await place(await s.bearer('acme', 'c1_approver'), a, null, b), 404);
    assertProblem(await place(await s.bearer('globex', 'manager'), a, null, null), 404);
    assertStatus(await place(m, a, null, null), 200);
    assertStatus(await place(m, b, a, null), 200);
    assertProblem(await place(m, a, b, a), 400, ['before_id']);
    const third = await repairIn(s, 'APPROVED', { customerId: customer.id, approver: (await newCustomerUser(s, 'acme', customer.id, 'approver')).client });
    assertStatus(await place(m, third.id, b, null), 200);
    assertProblem(await place(m, b, third.id, a), 409);
    assertProblem(await m.post(`${API}/repairs/${a}/position`, { after: b }), 400);
  });

  test('a customer user with access sees the order but may not change it (403)', async () => {
    const s = ctx.server;
    const { customer, ids: [a, b] } = await column(2);
    const viewer = (await newCustomerUser(s, 'acme', customer.id, 'approver')).client;
    assertProblem(await place(viewer, a, b, null), 403);
    const got = await viewer.get(`${API}/repairs/${a}`);
    assert.ok('board_rank' in got.body);
  });

  test('a status move places the card at the top of its new column', async () => {
    const s = ctx.server;
    const { customer, ids: [a, b, c] } = await column(3);
    const m = await s.bearer('acme', 'manager');
    assertStatus(await place(m, a, null, null), 200);
    assertStatus(await place(m, b, a, null), 200);
    assertStatus(await place(m, c, b, null), 200);
    await move(m, c, 'IN_PROGRESS');
    await move(m, b, 'IN_PROGRESS');
    const progress = await order(customer.id, 'IN_PROGRESS');
    assert.deepEqual(progress, [b, c], 'unplaced cards lead the column (urgent, then oldest)');
    assert.equal((await m.get(`${API}/repairs/${b}`)).body.board_rank, null);
    assertStatus(await place(m, b, c, null), 200);
    assert.deepEqual(await order(customer.id, 'IN_PROGRESS'), [c, b]);
  });

  test('concurrent reorders keep a total order (distinct, sorted ranks, every card once)', async () => {
    const s = ctx.server;
    const { customer, ids } = await column(6);
    const m = await s.bearer('acme', 'manager');
    const t = await s.bearer('acme', 'technician');
    for (let i = 0; i < ids.length; i++) assertStatus(await place(m, ids[i], i ? ids[i - 1] : null, null), 200);
    const moves = [];
    for (let i = 0; i < 24; i++) {
      const id = ids[i % ids.length];
      const target = ids[(i * 5 + 1) % ids.length];
      if (target === id) continue;
      moves.push(place(i % 2 ? m : t, id, i % 3 ? target : null, i % 3 ? null : target));
    }
    const results = await Promise.all(moves);
    for (const r of results) assert.ok([200, 409].includes(r.status), r.summary);
    const list = assertPage(await m.get(`${API}/repairs?customer=${customer.id}&status=APPROVED&ordering=board_rank`));
    assert.deepEqual(list.map((r) => r.id).sort(), [...ids].sort());
    const ranks = list.map((r) => r.board_rank);
    assert.ok(ranks.every((x) => typeof x === 'string'));
    assert.equal(new Set(ranks).size, ranks.length, 'no two cards share a rank');
    assert.deepEqual([...ranks].sort(), ranks, 'the list is in rank order');
  });

  test('many inserts at the same place keep working (ranks stay short by rebalancing)', async () => {
    const s = ctx.server;
    const { customer, ids: [a, b, c] } = await column(3);
    const m = await s.bearer('acme', 'manager');
    assertStatus(await place(m, a, null, null), 200);
    assertStatus(await place(m, b, a, null), 200);
    for (let i = 0; i < 40; i++) {
      const res = await place(m, i % 2 ? c : b, a, i % 2 ? b : c);
      assertStatus(res, 200);
      assert.ok(res.body.board_rank.length <= 24, res.body.board_rank);
    }
    assert.equal((await order(customer.id)).length, 3);
  });
});
