// Change orders and approval limits (issue 10; API.md "Change orders", "Users (additions)"): who proposes,
// decides and withdraws; every transition from every state; final repairs; the repair's cost and log;
// approval limits on repairs and change orders (under, equal, over, none); scoping; notifications.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage } from './harness.mjs';
import { API, createRepair, getRepair, getLog, move, newCustomerUser } from './lifecycle_helpers.mjs';
import { sleep } from './events_helpers.mjs';

const ctx = useServer();
let seq = 0;
const as = (who, tenant = 'acme') => ctx.server.bearer(tenant, who);
const cust = (ck = 'c1', tenant = 'acme') => ctx.server.customer(tenant, ck).id;

async function until(fn, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try { return await fn(); } catch (e) { if (Date.now() > deadline) throw e; }
    await sleep(100);
  }
}

async function repairFor(ck = 'c1', tenant = 'acme') {
  return createRepair(await as('manager', tenant), { customer_id: cust(ck, tenant), unit_number: `CO-${++seq}` });
}

async function propose(repairId, amount = '120.00', who = 'manager', tenant = 'acme') {
  const res = await (await as(who, tenant)).post(`${API}/repairs/${repairId}/change-orders`,
    { description: `Extra work ${++seq}`, amount });
  assertStatus(res, 201);
  return res.body;
}

/** A new approver of c1 with `limit` (a money string or null); returns its client and the access object. */
async function approverWithLimit(limit) {
  const nu = await newCustomerUser(ctx.server, 'acme', cust(), 'approver');
  const admin = await as('admin');
  const res = await admin.post(`${API}/customers/${cust()}/access`, { user_id: nu.user.id, access: 'approver', approval_limit: limit });
  assertStatus(res, 201);
  // A fresh session reads the new limit (cookie sessions load the grants per request).
  return { client: nu.client, access: res.body };
}

describe('change orders', () => {
  test('propose: staff only, validation, shape', async () => {
    const r = await repairFor();
    const co = await propose(r.id, '120.00', 'technician');
    for (const k of ['id', 'repair_id', 'description', 'amount', 'status', 'created_by', 'decided_by', 'decided_at', 'notes', 'created_at']) {
      assert.ok(k in co, k);
    }
    assert.equal(co.status, 'proposed');
    assert.equal(co.amount, '120.00');
    assert.equal(co.can_withdraw, true);
    assert.equal(co.can_decide, false);
    for (const who of ['c1_approver', 'c1_requester', 'c1_viewer']) {
      assertProblem(await (await as(who)).post(`${API}/repairs/${r.id}/change-orders`, { description: 'x', amount: '1.00' }), 403);
    }
    const m = await as('manager');
    assertProblem(await m.post(`${API}/repairs/${r.id}/change-orders`, { description: '', amount: '1.00' }), 400, ['description']);
    assertProblem(await m.post(`${API}/repairs/${r.id}/change-orders`, { description: 'd'.repeat(2001), amount: '1.00' }), 400, ['description']);
    for (const amount of ['0.00', '-1.00', '1.234', 'abc']) {
      assertProblem(await m.post(`${API}/repairs/${r.id}/change-orders`, { description: 'x', amount }), 400, ['amount']);
    }
    assertProblem(await m.post(`${API}/repairs/${r.id}/change-orders`, { description: 'x', amount: 5 }), 400, ['amount']);
    const list = assertPage(await (await as('c1_viewer')).get(`${API}/repairs/${r.id}/change-orders`));
    assert.deepEqual(list.map((x) => x.id), [co.id]);
  });

  test('approving adds to cost and estimate; the log shows it; declining does not', async () => {
    const m = await as('manager');
    const r = await repairFor();
    const before = await getRepair(m, r.id);
    assert.equal(before.change_orders_total, '0.00');
    const a = await propose(r.id, '120.00');
    const b = await propose(r.id, '30.50');
    const approver = await as('c1_approver');
    const view = (await approver.get(`${API}/change-orders/${a.id}`)).body;
    assert.equal(view.can_decide, true);
    assert.equal(view.estimated_cost_if_approved, (Number(before.estimated_cost) + 120).toFixed(2));
    const ok = await approver.post(`${API}/change-orders/${a.id}/decision`, { approved: true, notes: 'Go ahead' });
    assertStatus(ok, 200);
    assert.equal(ok.body.status, 'approved');
    assert.equal(ok.body.decided_by.id, ctx.server.user('acme', 'c1_approver').id);
    assert.equal(ok.body.notes, 'Go ahead');
    const no = await approver.post(`${API}/change-orders/${b.id}/decision`, { approved: false });
    assertStatus(no, 200);
    assert.equal(no.body.status, 'declined');
    const after = await getRepair(m, r.id);
    assert.equal(after.change_orders_total, '120.00');
    assert.equal(after.estimated_cost, (Number(before.estimated_cost) + 120).toFixed(2));
    const log = await getLog(m, r.id);
    assert.ok(log.some((e) => e.notes.includes(`Change order #${a.id} proposed`)));
    assert.ok(log.some((e) => e.notes.includes(`Change order #${a.id} approved`)));
    assert.ok(log.some((e) => e.notes.includes(`Change order #${b.id} declined`)));
    // Completing fixes the cost with the change order in it.
    await approver.post(`${API}/repairs/${r.id}/approval`, { approved: true });
    await move(m, r.id, 'IN_PROGRESS');
    const done = await move(m, r.id, 'COMPLETED');
    assert.equal(done.cost, (Number(done.estimated_cost)).toFixed(2));
    assert.ok(Number(done.cost) >= 120);
    assert.equal((Number(done.cost) - 120).toFixed(2), (Number(done.estimated_cost) - 120).toFixed(2));
  });

  test('who decides and withdraws; every transition from every state; final repairs', async () => {
    const r = await repairFor();
    const co = await propose(r.id);
    for (const who of ['manager', 'admin', 'technician', 'c1_requester', 'c1_viewer', 'c2_approver']) {
      const res = await (await as(who)).post(`${API}/change-orders/${co.id}/decision`, { approved: true });
      assert.equal(res.status, who === 'c2_approver' ? 404 : 403, `${who}: ${res.summary}`);
    }
    for (const who of ['c1_approver', 'c1_requester']) {
      assertProblem(await (await as(who)).post(`${API}/change-orders/${co.id}/withdraw`), 403);
    }
    const approver = await as('c1_approver');
    const m = await as('manager');
    const states = {};
    states.approved = (await approver.post(`${API}/change-orders/${(await propose(r.id)).id}/decision`, { approved: true })).body;
    states.declined = (await approver.post(`${API}/change-orders/${(await propose(r.id)).id}/decision`, { approved: false })).body;
    states.withdrawn = (await m.post(`${API}/change-orders/${(await propose(r.id)).id}/withdraw`)).body;
    for (const [status, o] of Object.entries(states)) {
      assert.equal(o.status, status);
      assertProblem(await approver.post(`${API}/change-orders/${o.id}/decision`, { approved: true }), 409);
      assertProblem(await approver.post(`${API}/change-orders/${o.id}/decision`, { approved: false }), 409);
      assertProblem(await m.post(`${API}/change-orders/${o.id}/withdraw`), 409);
    }
    // Final repairs: no new change orders, and open ones can no longer be decided or withdrawn.
    const open = await propose(r.id);
    await move(m, r.id, 'CANCELLED', 'Customer left');
    assertProblem(await m.post(`${API}/repairs/${r.id}/change-orders`, { description: 'late', amount: '1.00' }), 409);
    assertProblem(await approver.post(`${API}/change-orders/${open.id}/decision`, { approved: true }), 409);
    assertProblem(await m.post(`${API}/change-orders/${open.id}/withdraw`), 409);
  });

  test('approval limits: change orders and repairs, under, equal, over and none', async () => {
    const limited = await approverWithLimit('500.00');
    assert.equal(limited.access.approval_limit, '500.00');
    for (const k of ['user_id', 'customer_id', 'access', 'is_primary_contact', 'approval_limit']) assert.ok(k in limited.access, k);
    const r = await repairFor();
    const under = await propose(r.id, '499.99');
    const equal = await propose(r.id, '500.00');
    const over = await propose(r.id, '500.01');
    const overView = (await limited.client.get(`${API}/change-orders/${over.id}`)).body;
    assert.equal(overView.within_approval_limit, false);
    assert.equal(overView.approval_limit, '500.00');
    const refused = await limited.client.post(`${API}/change-orders/${over.id}/decision`, { approved: true });
    assertProblem(refused, 403);
    assert.match(refused.body.detail, /500\.00/);
    assertStatus(await limited.client.post(`${API}/change-orders/${under.id}/decision`, { approved: true }), 200);
    assertStatus(await limited.client.post(`${API}/change-orders/${equal.id}/decision`, { approved: true }), 200);
    // Declining is allowed whatever the amount.
    assertStatus(await limited.client.post(`${API}/change-orders/${over.id}/decision`, { approved: false }), 200);
    const unlimited = await approverWithLimit(null);
    assert.equal(unlimited.access.approval_limit, null);
    const big = await propose(r.id, '99999.00');
    assertStatus(await unlimited.client.post(`${API}/change-orders/${big.id}/decision`, { approved: true }), 200);

    // Repairs: the estimate against the limit (estimate of a fresh unit's first repair: 50.00).
    const small = await approverWithLimit('50.00');
    const tight = await approverWithLimit('49.99');
    const r1 = await repairFor();
    assert.equal(r1.estimated_cost, '50.00');
    assert.equal((await getRepair(tight.client, r1.id)).within_approval_limit, false);
    const tooMuch = await tight.client.post(`${API}/repairs/${r1.id}/approval`, { approved: true });
    assertProblem(tooMuch, 403);
    assert.match(tooMuch.body.detail, /49\.99/);
    const okEqual = await small.client.post(`${API}/repairs/${r1.id}/approval`, { approved: true });
    assertStatus(okEqual, 200);
    const r2 = await repairFor();
    assertStatus(await tight.client.post(`${API}/repairs/${r2.id}/approval`, { approved: false, notes: 'No' }), 200);
    // The limit can be changed and cleared; a bad one is 400.
    const admin = await as('admin');
    assertProblem(await admin.post(`${API}/customers/${cust()}/access`, { user_id: tight.access.user_id, access: 'approver', approval_limit: '-1.00' }),
      400, ['approval_limit']);
    assertProblem(await admin.post(`${API}/customers/${cust()}/access`, { user_id: tight.access.user_id, access: 'approver', approval_limit: 'lots' }),
      400, ['approval_limit']);
    const listed = (await admin.get(`${API}/customers/${cust()}/access`)).body.find((a) => a.user_id === tight.access.user_id);
    assert.equal(listed.approval_limit, '49.99');
    const kept = await admin.post(`${API}/customers/${cust()}/access`, { user_id: tight.access.user_id, access: 'approver' });
    assert.equal(kept.body.approval_limit, '49.99', 'absent keeps the limit');
    const cleared = await admin.post(`${API}/customers/${cust()}/access`, { user_id: tight.access.user_id, access: 'approver', approval_limit: null });
    assert.equal(cleared.body.approval_limit, null);
    const r3 = await repairFor();
    assertStatus(await tight.client.post(`${API}/repairs/${r3.id}/approval`, { approved: true }), 200);
  });

  test('scope: other customers and tenants get 404', async () => {
    const r = await repairFor('c2');
    const co = await propose(r.id);
    const c1 = await as('c1_approver');
    assertProblem(await c1.get(`${API}/change-orders/${co.id}`), 404);
    assertProblem(await c1.get(`${API}/repairs/${r.id}/change-orders`), 404);
    const g = await as('manager', 'globex');
    assertProblem(await g.get(`${API}/change-orders/${co.id}`), 404);
    assertProblem(await g.post(`${API}/change-orders/${co.id}/withdraw`), 404);
    assertProblem(await g.post(`${API}/repairs/${r.id}/change-orders`, { description: 'x', amount: '1.00' }), 404);
  });

  test('a proposal notifies the customer\'s approvers only; events reach the customer', async () => {
    const r = await repairFor();
    const co = await propose(r.id, '77.00');
    await until(async () => {
      const n = assertPage(await (await as('c1_approver')).get(`${API}/notifications?page_size=200`));
      assert.ok(n.some((x) => x.type === 'change_order_proposed' && x.repair_id === r.id), 'approver told');
    });
    for (const who of ['c1_requester', 'c1_viewer', 'c2_approver', 'technician']) {
      const n = assertPage(await (await as(who)).get(`${API}/notifications?page_size=200`));
      assert.ok(!n.some((x) => x.type === 'change_order_proposed' && x.repair_id === r.id), `${who} not told`);
    }
    const ev = await (await as('c1_viewer')).get(`${API}/events?after=0`);
    assertStatus(ev, 200);
    let all = ev.body.events;
    let after = ev.body.last_id;
    for (let i = 0; i < 50 && ev.body.events.length; i++) {
      const more = await (await as('c1_viewer')).get(`${API}/events?after=${after}`);
      if (!more.body.events.length) break;
      all = all.concat(more.body.events);
      after = more.body.last_id;
    }
    assert.ok(all.some((e) => e.type === 'change_order.created' && e.data.change_order_id === co.id && e.repair_id === r.id));
  });
});
