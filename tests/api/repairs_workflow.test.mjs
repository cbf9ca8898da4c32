// The repair workflow (PRODUCT.md "The repair workflow", API.md "Repairs"): both lifecycles end to end,
// refused moves (409) and refused callers (403), denial reasons, approval records, cancellation, final
// states, optimistic concurrency and parallel claims.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, RFC3339_UTC } from './harness.mjs';
import {
  API, STATUSES, FINAL, MONEY, uniq, createRepair, move, getRepair, getLog, repairIn, requested, newUser,
} from './lifecycle_helpers.mjs';

const ctx = useServer();

function assertRepairShape(r, summary = '') {
  for (const k of ['id', 'customer_id', 'unit_id', 'unit_number', 'technician_id', 'status', 'description',
    'damage_type', 'priority', 'repair_date', 'drilled_before_repair', 'windshield_temperature', 'resin_viscosity',
    'cost', 'estimated_cost', 'price_override', 'materials_total', 'approval', 'version', 'created_at', 'updated_at']) {
    assert.ok(k in r, `repair has "${k}": ${summary}`);
  }
  assert.ok(STATUSES.includes(r.status), summary);
  assert.match(r.cost, MONEY, summary);
  assert.match(r.estimated_cost, MONEY, summary);
  assert.match(r.materials_total, MONEY, summary);
  assert.match(r.repair_date, /^\d{4}-\d{2}-\d{2}$/, summary);
  assert.match(r.created_at, RFC3339_UTC, summary);
  assert.match(r.updated_at, RFC3339_UTC, summary);
  assert.ok(Number.isInteger(r.version), summary);
}

function assertLogEntry(e, prev, next, user, summary = '') {
  assert.equal(e.previous_status, prev, `previous_status: ${summary}`);
  assert.equal(e.new_status, next, `new_status: ${summary}`);
  assert.equal(e.changed_by?.id, user.id, `changed_by.id: ${summary}`);
  assert.equal(e.changed_by?.name, user.name, `changed_by.name: ${summary}`);
  assert.match(e.timestamp, RFC3339_UTC, summary);
  assert.ok(Number.isInteger(e.id), summary);
}

describe('customer-initiated lifecycle', () => {
  test('REQUESTED -> manager accepts APPROVED -> technician claims IN_PROGRESS -> COMPLETED', async () => {
    const s = ctx.server;
    const requester = await s.bearer('acme', 'c1_requester');
    const manager = await s.bearer('acme', 'manager');
    const tech = await s.bearer('acme', 'technician');
    const c1 = s.customer('acme', 'c1');
    const unitNumber = uniq('BUS');

    const res = await requester.post(`${API}/repairs`, {
      customer_id: c1.id, unit_number: unitNumber, description: 'Star break, driver side', damage_type: 'star', priority: 2,
    });
    assertStatus(res, 201);
    let r = res.body;
    assertRepairShape(r, res.summary);
    assert.equal(r.status, 'REQUESTED');
    assert.equal(r.customer_id, c1.id);
    assert.equal(r.unit_number, unitNumber);
    assert.equal(r.technician_id, null);
    assert.equal(r.approval, null);
    assert.equal(r.cost, '0.00');
    assert.equal(r.description, 'Star break, driver side');
    assert.equal(r.damage_type, 'star');
    assert.equal(r.priority, 2);

    const accepted = await manager.post(`${API}/repairs/${r.id}/status`, { status: 'APPROVED', notes: 'accepted' });
    assertStatus(accepted, 200);
    r = accepted.body;
    assert.equal(r.status, 'APPROVED');
    assert.ok(r.approval, `an approval record is written on accept: ${accepted.summary}`);
    assert.equal(r.approval.approved, true);
    assert.equal(r.approval.decided_by?.id, s.user('acme', 'manager').id, 'decided by the staff user');
    assert.match(r.approval.decided_at, RFC3339_UTC);

    const claimed = await tech.post(`${API}/repairs/${r.id}/status`, { status: 'IN_PROGRESS' });
    assertStatus(claimed, 200);
    r = claimed.body;
    assert.equal(r.status, 'IN_PROGRESS');
    assert.equal(r.technician_id, s.user('acme', 'technician').id, 'the claim assigns the technician');

    const done = await tech.post(`${API}/repairs/${r.id}/status`, { status: 'COMPLETED', notes: 'resin cured' });
    assertStatus(done, 200);
    r = done.body;
    assert.equal(r.status, 'COMPLETED');
    assert.equal(r.cost, '50.00', 'first repair of a new unit costs the first tier');

    // The requester sees the final state too.
    const seen = await getRepair(requester, r.id);
    assert.equal(seen.status, 'COMPLETED');
    assert.equal(seen.cost, '50.00');

    const log = await getLog(requester, r.id);
    assert.equal(log.length, 4, JSON.stringify(log));
    assertLogEntry(log[0], null, 'REQUESTED', s.user('acme', 'c1_requester'), 'creation entry');
    assertLogEntry(log[1], 'REQUESTED', 'APPROVED', s.user('acme', 'manager'));
    assert.equal(log[1].notes, 'accepted');
    assertLogEntry(log[2], 'APPROVED', 'IN_PROGRESS', s.user('acme', 'technician'));
    assertLogEntry(log[3], 'IN_PROGRESS', 'COMPLETED', s.user('acme', 'technician'));
    assert.equal(log[3].notes, 'resin cured');
    const ids = log.map((e) => e.id);
    assert.deepEqual([...ids].sort((a, b) => a - b), ids, 'oldest first');
  });

  test('a customer approver may also request; a viewer may not (403)', async () => {
    const s = ctx.server;
    const c1 = s.customer('acme', 'c1').id;
    const r = await createRepair(await s.bearer('acme', 'c1_approver'), { customer_id: c1, unit_number: uniq('U') });
    assert.equal(r.status, 'REQUESTED');
    const res = await (await s.bearer('acme', 'c1_viewer')).post(`${API}/repairs`, { customer_id: c1, unit_number: uniq('U'), description: 'x' });
    assertProblem(res, 403);
    // multi is approver of c1 but only viewer of c2
    const multi = await s.bearer('acme', 'multi');
    assertProblem(await multi.post(`${API}/repairs`, { customer_id: s.customer('acme', 'c2').id, unit_number: uniq('U'), description: 'x' }), 403);
    assert.equal((await createRepair(multi, { customer_id: c1, unit_number: uniq('U') })).status, 'REQUESTED');
  });

  test('REQUESTED -> DENIED by a manager requires notes (400), then is recorded with them', async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const r = await requested(s);
    // The repair says which of its moves need a reason, so the portals need no copy of the rule.
    const seen = await getRepair(manager, r.id);
    assert.ok(seen.allowed_moves.includes('DENIED') && seen.allowed_moves.includes('APPROVED'), JSON.stringify(seen.allowed_moves));
    assert.deepEqual(seen.moves_needing_reason, ['DENIED']);
    assert.deepEqual((await getRepair(await s.bearer('acme', 'technician'), r.id)).moves_needing_reason, [],
      'a technician, who may not deny, is told of no reason to give');
    assertProblem(await manager.post(`${API}/repairs/${r.id}/status`, { status: 'DENIED' }), 400, ['notes']);
    assertProblem(await manager.post(`${API}/repairs/${r.id}/status`, { status: 'DENIED', notes: '' }), 400, ['notes']);
    assertProblem(await manager.post(`${API}/repairs/${r.id}/status`, { status: 'DENIED', notes: '   ' }), 400, ['notes']);
    assert.equal((await getRepair(manager, r.id)).status, 'REQUESTED', 'a refused denial changes nothing');
    assert.equal((await getLog(manager, r.id)).length, 1, 'a refused denial writes no log entry');
    const denied = await move(await s.bearer('acme', 'admin'), r.id, 'DENIED', 'Crack longer than 15 cm: replace the glass');
    assert.equal(denied.status, 'DENIED');
    assert.deepEqual(denied.moves_needing_reason, [], 'a final repair has no moves, so none needing a reason');
    const log = await getLog(manager, r.id);
    assert.equal(log.length, 2);
    assertLogEntry(log[1], 'REQUESTED', 'DENIED', s.user('acme', 'admin'));
    assert.equal(log[1].notes, 'Crack longer than 15 cm: replace the glass');
  });
});

describe('staff-initiated lifecycle', () => {
  for (const key of ['admin', 'manager', 'technician']) {
    test(`${key} creates a PENDING repair`, async () => {
      const s = ctx.server;
      const r = await createRepair(await s.bearer('acme', key), { customer_id: s.customer('acme', 'c1').id, unit_number: uniq('U') });
      assert.equal(r.status, 'PENDING');
      assert.equal(r.approval, null);
      const log = await getLog(await s.bearer('acme', 'c1_viewer'), r.id);
      assert.equal(log.length, 1);
      assertLogEntry(log[0], null, 'PENDING', s.user('acme', key));
    });
  }

  test('PENDING -> customer approver approves with notes: approval record and log', async () => {
    const s = ctx.server;
    const approver = await s.bearer('acme', 'c1_approver');
    const r = await repairIn(s, 'PENDING');
    const before = await getRepair(approver, r.id);
    assert.equal(before.can_approve, true, 'the approver may approve');
    const res = await approver.post(`${API}/repairs/${r.id}/approval`, { approved: true, notes: 'Go ahead, PO 4471' });
    assertStatus(res, 200);
    assert.equal(res.body.status, 'APPROVED');
    assert.deepEqual(
      { approved: res.body.approval.approved, decided_by: res.body.approval.decided_by, notes: res.body.approval.notes },
      { approved: true, decided_by: { id: s.user('acme', 'c1_approver').id, name: s.user('acme', 'c1_approver').name }, notes: 'Go ahead, PO 4471' },
      res.summary);
    assert.match(res.body.approval.decided_at, RFC3339_UTC);
    // The staff see the same record.
    const staffView = await getRepair(await s.bearer('acme', 'manager'), r.id);
    assert.equal(staffView.approval.notes, 'Go ahead, PO 4471');
    const log = await getLog(approver, r.id);
    assert.equal(log.length, 2);
    assertLogEntry(log[1], 'PENDING', 'APPROVED', s.user('acme', 'c1_approver'));
    assert.equal(log[1].notes, 'Go ahead, PO 4471');
    // and the work proceeds
    const tech = await s.bearer('acme', 'technician');
    await move(tech, r.id, 'IN_PROGRESS');
    assert.equal((await move(tech, r.id, 'COMPLETED')).status, 'COMPLETED');
  });

  test('PENDING -> customer approver denies with notes: approval approved=false, final', async () => {
    const s = ctx.server;
    const approver = await s.bearer('acme', 'multi'); // approver of c1
    const r = await repairIn(s, 'PENDING');
    const res = await approver.post(`${API}/repairs/${r.id}/approval`, { approved: false, notes: 'Not in this budget' });
    assertStatus(res, 200);
    assert.equal(res.body.status, 'DENIED');
    assert.equal(res.body.approval.approved, false);
    assert.equal(res.body.approval.decided_by.id, s.user('acme', 'multi').id);
    assert.equal(res.body.approval.notes, 'Not in this budget');
    const log = await getLog(await s.bearer('acme', 'manager'), r.id);
    assertLogEntry(log.at(-1), 'PENDING', 'DENIED', s.user('acme', 'multi'));
    assert.equal(log.at(-1).notes, 'Not in this budget');
    assertProblem(await approver.post(`${API}/repairs/${r.id}/approval`, { approved: true }), 409);
  });

  test('approval refused: requester and viewer 403, staff 403, other customer 404, not PENDING 409', async () => {
    const s = ctx.server;
    const r = await repairIn(s, 'PENDING');
    for (const key of ['c1_requester', 'c1_viewer', 'admin', 'manager', 'technician']) {
      assertProblem(await (await s.bearer('acme', key)).post(`${API}/repairs/${r.id}/approval`, { approved: true }), 403);
    }
    assertProblem(await (await s.bearer('acme', 'c2_approver')).post(`${API}/repairs/${r.id}/approval`, { approved: true }), 404);
    assertProblem(await (await s.bearer('globex', 'c1_approver')).post(`${API}/repairs/${r.id}/approval`, { approved: true }), 404);
    assert.equal((await getRepair(await s.bearer('acme', 'manager'), r.id)).status, 'PENDING');
    // a REQUESTED repair is the shop's decision, not the customer's: not PENDING -> 409
    const q = await requested(s);
    assertProblem(await (await s.bearer('acme', 'c1_approver')).post(`${API}/repairs/${q.id}/approval`, { approved: true }), 409);
    // malformed body
    assertProblem(await (await s.bearer('acme', 'c1_approver')).post(`${API}/repairs/${r.id}/approval`, { approved: 'yes' }), 400);
    assertProblem(await (await s.bearer('acme', 'c1_approver')).post(`${API}/repairs/${r.id}/approval`, { approved: true, extra: 1 }), 400);
  });

  test('staff get 403 for PENDING -> APPROVED/DENIED through /status, whatever their role', async () => {
    const s = ctx.server;
    const r = await repairIn(s, 'PENDING');
    for (const key of ['admin', 'manager', 'technician']) {
      const c = await s.bearer('acme', key);
      assertProblem(await c.post(`${API}/repairs/${r.id}/status`, { status: 'APPROVED' }), 403);
      assertProblem(await c.post(`${API}/repairs/${r.id}/status`, { status: 'DENIED', notes: 'no' }), 403);
    }
    const after = await getRepair(await s.bearer('acme', 'admin'), r.id);
    assert.equal(after.status, 'PENDING');
    assert.equal(after.version, r.version, 'nothing changed');
    assert.equal((await getLog(await s.bearer('acme', 'admin'), r.id)).length, 1);
  });
});

describe('refused moves (409)', () => {
  // [from, to] pairs not in the workflow table, asked by the admin (who may do every allowed staff move).
  const notInTable = [
    ['REQUESTED', 'PENDING'], ['REQUESTED', 'IN_PROGRESS'], ['REQUESTED', 'COMPLETED'],
    ['PENDING', 'REQUESTED'], ['PENDING', 'IN_PROGRESS'], ['PENDING', 'COMPLETED'],
    ['APPROVED', 'REQUESTED'], ['APPROVED', 'PENDING'], ['APPROVED', 'DENIED'], ['APPROVED', 'COMPLETED'],
    ['IN_PROGRESS', 'REQUESTED'], ['IN_PROGRESS', 'PENDING'], ['IN_PROGRESS', 'DENIED'],
  ];
  const setup = async (s, from) => (from === 'REQUESTED' ? requested(s) : repairIn(s, from));

  for (const [from, to] of notInTable) {
    test(`${from} -> ${to} is 409 and changes nothing`, async () => {
      const s = ctx.server;
      const admin = await s.bearer('acme', 'admin');
      const r = await setup(s, from);
      const logBefore = (await getLog(admin, r.id)).length;
      assertProblem(await admin.post(`${API}/repairs/${r.id}/status`, { status: to, notes: 'trying' }), 409);
      const after = await getRepair(admin, r.id);
      assert.equal(after.status, from);
      assert.equal(after.version, r.version);
      assert.equal((await getLog(admin, r.id)).length, logBefore);
      assert.ok(!after.allowed_moves.includes(to), `allowed_moves does not offer ${to}: ${JSON.stringify(after.allowed_moves)}`);
    });
  }

  test('same status is 409 (REQUESTED, PENDING, APPROVED, IN_PROGRESS)', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    for (const from of ['REQUESTED', 'PENDING', 'APPROVED', 'IN_PROGRESS']) {
      const r = await setup(s, from);
      assertProblem(await admin.post(`${API}/repairs/${r.id}/status`, { status: from, notes: 'again' }), 409);
      assert.equal((await getRepair(admin, r.id)).version, r.version, from);
    }
  });

  for (const fin of FINAL) {
    test(`nothing leaves ${fin} (409 for every status, even for the admin)`, async () => {
      const s = ctx.server;
      const admin = await s.bearer('acme', 'admin');
      const manager = await s.bearer('acme', 'manager');
      const r = await repairIn(s, fin);
      assert.equal(r.status, fin);
      assert.deepEqual((await getRepair(admin, r.id)).allowed_moves, [], 'a final repair offers no moves');
      for (const to of STATUSES) {
        for (const c of [admin, manager]) {
          assertProblem(await c.post(`${API}/repairs/${r.id}/status`, { status: to, notes: 'reopen' }), 409);
        }
      }
      assert.equal((await getRepair(admin, r.id)).status, fin);
    });
  }

  test('a customer cancelling a final repair is 409', async () => {
    const s = ctx.server;
    const r = await repairIn(s, 'CANCELLED');
    assertProblem(await (await s.bearer('acme', 'c1_requester')).post(`${API}/repairs/${r.id}/status`, { status: 'CANCELLED' }), 409);
  });

  test('an unknown status value is 400; a missing status is 400; an unknown field is 400', async () => {
    const s = ctx.server;
    const admin = await s.bearer('acme', 'admin');
    const r = await requested(s);
    assertProblem(await admin.post(`${API}/repairs/${r.id}/status`, { status: 'DONE' }), 400, ['status']);
    assertProblem(await admin.post(`${API}/repairs/${r.id}/status`, { status: 'approved' }), 400);
    assertProblem(await admin.post(`${API}/repairs/${r.id}/status`, { status: 7 }), 400);
    assertProblem(await admin.post(`${API}/repairs/${r.id}/status`, {}), 400);
    assertProblem(await admin.post(`${API}/repairs/${r.id}/status`, { status: 'APPROVED', reason: 'x' }), 400);
    assert.equal((await getRepair(admin, r.id)).status, 'REQUESTED');
  });
});

describe('refused callers (403)', () => {
  test('a technician may not accept or deny a request', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    const r = await requested(s);
    assertProblem(await tech.post(`${API}/repairs/${r.id}/status`, { status: 'APPROVED' }), 403);
    assertProblem(await tech.post(`${API}/repairs/${r.id}/status`, { status: 'DENIED', notes: 'no' }), 403);
    const seen = await getRepair(tech, r.id);
    assert.equal(seen.status, 'REQUESTED');
    assert.ok(!seen.allowed_moves.includes('APPROVED'), `technician's allowed_moves: ${JSON.stringify(seen.allowed_moves)}`);
  });

  test('a technician may not cancel (manager, admin only)', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    for (const from of ['REQUESTED', 'PENDING', 'APPROVED']) {
      const r = from === 'REQUESTED' ? await requested(s) : await repairIn(s, from);
      assertProblem(await tech.post(`${API}/repairs/${r.id}/status`, { status: 'CANCELLED' }), 403);
    }
  });

  test('customers may move nothing but CANCELLED, and only from REQUESTED/PENDING', async () => {
    const s = ctx.server;
    const approver = await s.bearer('acme', 'c1_approver');
    const requester = await s.bearer('acme', 'c1_requester');
    const q = await requested(s);
    for (const c of [approver, requester]) {
      assertProblem(await c.post(`${API}/repairs/${q.id}/status`, { status: 'APPROVED' }), 403);
      assertProblem(await c.post(`${API}/repairs/${q.id}/status`, { status: 'DENIED', notes: 'no' }), 403);
    }
    const p = await repairIn(s, 'PENDING');
    assertProblem(await approver.post(`${API}/repairs/${p.id}/status`, { status: 'APPROVED' }), 403);
    const a = await repairIn(s, 'APPROVED');
    for (const c of [approver, requester]) {
      assertProblem(await c.post(`${API}/repairs/${a.id}/status`, { status: 'IN_PROGRESS' }), 403);
      assertProblem(await c.post(`${API}/repairs/${a.id}/status`, { status: 'CANCELLED' }), 403);
    }
    const ip = await repairIn(s, 'IN_PROGRESS');
    for (const to of ['COMPLETED', 'APPROVED', 'CANCELLED']) {
      assertProblem(await approver.post(`${API}/repairs/${ip.id}/status`, { status: to }), 403);
    }
    const admin = await s.bearer('acme', 'admin');
    assert.equal((await getRepair(admin, q.id)).status, 'REQUESTED');
    assert.equal((await getRepair(admin, p.id)).status, 'PENDING');
    assert.equal((await getRepair(admin, a.id)).status, 'APPROVED');
    assert.equal((await getRepair(admin, ip.id)).status, 'IN_PROGRESS');
  });

  test('a customer viewer may not cancel (403)', async () => {
    const s = ctx.server;
    const viewer = await s.bearer('acme', 'c1_viewer');
    const q = await requested(s);
    const p = await repairIn(s, 'PENDING');
    assertProblem(await viewer.post(`${API}/repairs/${q.id}/status`, { status: 'CANCELLED' }), 403);
    assertProblem(await viewer.post(`${API}/repairs/${p.id}/status`, { status: 'CANCELLED' }), 403);
    // multi is only a viewer of c2
    const c2q = await requested(s, { requester: await s.bearer('acme', 'c2_requester'), customerId: s.customer('acme', 'c2').id });
    assertProblem(await (await s.bearer('acme', 'multi')).post(`${API}/repairs/${c2q.id}/status`, { status: 'CANCELLED' }), 403);
    assert.equal((await getRepair(viewer, q.id)).status, 'REQUESTED');
  });

  test("a technician may not claim, complete or release another technician's repair", async () => {
    const s = ctx.server;
    const other = await newUser(s, 'acme', 'technician');
    const mine = await s.bearer('acme', 'technician');
    const r = await repairIn(s, 'IN_PROGRESS', { tech: other.client });
    assert.equal(r.technician_id, other.user.id);
    assertProblem(await mine.post(`${API}/repairs/${r.id}/status`, { status: 'COMPLETED' }), 403);
    assertProblem(await mine.post(`${API}/repairs/${r.id}/status`, { status: 'APPROVED' }), 403);
    // released by its technician, still assigned to it (or not): the other technician assigned by a manager
    const manager = await s.bearer('acme', 'manager');
    const a = await repairIn(s, 'APPROVED');
    const assigned = await manager.patch(`${API}/repairs/${a.id}`, { technician_id: other.user.id });
    assertStatus(assigned, 200);
    assert.equal(assigned.body.technician_id, other.user.id);
    assertProblem(await mine.post(`${API}/repairs/${a.id}/status`, { status: 'IN_PROGRESS' }), 403);
    const still = await getRepair(manager, a.id);
    assert.equal(still.status, 'APPROVED');
    assert.equal(still.technician_id, other.user.id);
    // the assigned technician claims it
    assert.equal((await move(other.client, a.id, 'IN_PROGRESS')).technician_id, other.user.id);
  });

  test('release: the assigned technician moves IN_PROGRESS back to APPROVED; a manager may complete it', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    const r = await repairIn(s, 'IN_PROGRESS');
    await move(tech, r.id, 'APPROVED', 'waiting for resin');
    await move(tech, r.id, 'IN_PROGRESS');
    const done = await move(await s.bearer('acme', 'manager'), r.id, 'COMPLETED');
    assert.equal(done.cost, '50.00');
    const log = await getLog(tech, r.id);
    assert.deepEqual(log.map((e) => e.new_status), ['PENDING', 'APPROVED', 'IN_PROGRESS', 'APPROVED', 'IN_PROGRESS', 'COMPLETED']);
    assert.equal(log[3].notes, 'waiting for resin');
  });
});

describe('cancellation', () => {
  test('the customer requester cancels a REQUESTED repair, the approver a PENDING one', async () => {
    const s = ctx.server;
    const requester = await s.bearer('acme', 'c1_requester');
    const q = await requested(s);
    const c = await move(requester, q.id, 'CANCELLED', 'found a cheaper shop');
    assert.equal(c.status, 'CANCELLED');
    const log = await getLog(requester, q.id);
    assertLogEntry(log.at(-1), 'REQUESTED', 'CANCELLED', s.user('acme', 'c1_requester'));
    assert.equal(log.at(-1).notes, 'found a cheaper shop');

    const p = await repairIn(s, 'PENDING');
    const approver = await s.bearer('acme', 'c1_approver');
    assert.ok((await getRepair(approver, p.id)).allowed_moves.includes('CANCELLED'));
    assert.equal((await move(approver, p.id, 'CANCELLED')).status, 'CANCELLED');
    // requester may cancel PENDING too
    const p2 = await repairIn(s, 'PENDING');
    assert.equal((await move(requester, p2.id, 'CANCELLED')).status, 'CANCELLED');
  });

  test('a manager cancels any non-final repair; an admin too', async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const admin = await s.bearer('acme', 'admin');
    for (const from of ['REQUESTED', 'PENDING', 'APPROVED', 'IN_PROGRESS']) {
      const r = from === 'REQUESTED' ? await requested(s) : await repairIn(s, from);
      const c = await move(from === 'IN_PROGRESS' ? admin : manager, r.id, 'CANCELLED', `cancel from ${from}`);
      assert.equal(c.status, 'CANCELLED');
      const log = await getLog(manager, r.id);
      assert.equal(log.at(-1).previous_status, from);
      assert.equal(log.at(-1).new_status, 'CANCELLED');
    }
  });
});

describe('editing', () => {
  for (const fin of FINAL) {
    test(`a ${fin} repair cannot be edited (PATCH 409)`, async () => {
      const s = ctx.server;
      const r = await repairIn(s, fin);
      const admin = await s.bearer('acme', 'admin');
      assertProblem(await admin.patch(`${API}/repairs/${r.id}`, { description: 'rewritten' }), 409);
      assertProblem(await admin.patch(`${API}/repairs/${r.id}`, { priority: 1, version: r.version }), 409);
      const after = await getRepair(admin, r.id);
      assert.notEqual(after.description, 'rewritten');
      assert.equal(after.version, r.version);
    });
  }

  test('PATCH with a stale version is 409; with the current one 200 and the version goes up', async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const tech = await s.bearer('acme', 'technician');
    const r = await repairIn(s, 'PENDING');
    const ok = await manager.patch(`${API}/repairs/${r.id}`, { description: 'first edit', version: r.version });
    assertStatus(ok, 200);
    assert.equal(ok.body.description, 'first edit');
    assert.equal(ok.body.version, r.version + 1);
    // a second writer still holding the old version loses
    const stale = await tech.patch(`${API}/repairs/${r.id}`, { description: 'lost update', version: r.version });
    assertProblem(stale, 409);
    assert.equal((await getRepair(manager, r.id)).description, 'first edit');
    const ok2 = await tech.patch(`${API}/repairs/${r.id}`, { priority: 1, damage_type: 'bullseye', version: ok.body.version });
    assertStatus(ok2, 200);
    assert.equal(ok2.body.version, r.version + 2);
    assert.equal(ok2.body.priority, 1);
    assert.equal(ok2.body.damage_type, 'bullseye');
    assert.equal(ok2.body.description, 'first edit', 'fields not sent are kept');
    // a future version is stale as well
    assertProblem(await tech.patch(`${API}/repairs/${r.id}`, { priority: 2, version: r.version + 10 }), 409);
    // without version: last write wins, version still increments
    const ok3 = await tech.patch(`${API}/repairs/${r.id}`, { priority: 4 });
    assertStatus(ok3, 200);
    assert.equal(ok3.body.version, r.version + 3);
  });

  test('a status move bumps the version, so a PATCH with the pre-move version is 409', async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const r = await requested(s);
    const moved = await move(manager, r.id, 'APPROVED');
    assert.ok(moved.version > r.version, `version after a move: ${moved.version} > ${r.version}`);
    assertProblem(await manager.patch(`${API}/repairs/${r.id}`, { description: 'x', version: r.version }), 409);
  });

  test('technical details are staff fields; customers edit description etc. only while they may cancel', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    const requester = await s.bearer('acme', 'c1_requester');
    const viewer = await s.bearer('acme', 'c1_viewer');
    const q = await requested(s);
    const t = await tech.patch(`${API}/repairs/${q.id}`, { drilled_before_repair: true, windshield_temperature: 21.5, resin_viscosity: 'low' });
    assertStatus(t, 200);
    assert.equal(t.body.drilled_before_repair, true);
    assert.equal(t.body.windshield_temperature, 21.5);
    assert.equal(t.body.resin_viscosity, 'low');
    const c = await requester.patch(`${API}/repairs/${q.id}`, { description: 'Chip and a small crack' });
    assertStatus(c, 200);
    assert.equal(c.body.description, 'Chip and a small crack');
    assertProblem(await requester.patch(`${API}/repairs/${q.id}`, { resin_viscosity: 'high' }), 403);
    assertProblem(await requester.patch(`${API}/repairs/${q.id}`, { technician_id: s.user('acme', 'technician').id }), 403);
    assertProblem(await requester.patch(`${API}/repairs/${q.id}`, { price_override: '1.00' }), 403);
    assertProblem(await viewer.patch(`${API}/repairs/${q.id}`, { description: 'viewer edit' }), 403);
    await move(await s.bearer('acme', 'manager'), q.id, 'APPROVED');
    assertProblem(await requester.patch(`${API}/repairs/${q.id}`, { description: 'too late' }), 403);
    assert.equal((await getRepair(tech, q.id)).description, 'Chip and a small crack');
  });

  test('priority out of range or not an integer is 400; unknown field 400', async () => {
    const s = ctx.server;
    const manager = await s.bearer('acme', 'manager');
    const r = await repairIn(s, 'PENDING');
    for (const priority of [0, 5, 2.5, '2']) {
      assertProblem(await manager.patch(`${API}/repairs/${r.id}`, { priority }), 400);
    }
    assertProblem(await manager.patch(`${API}/repairs/${r.id}`, { status: 'COMPLETED' }), 400);
    assertProblem(await manager.patch(`${API}/repairs/${r.id}`, { cost: '1.00' }), 400);
    assert.equal((await getRepair(manager, r.id)).version, r.version);
  });
});

describe('parallel claims', () => {
  test('8 technicians claim one APPROVED repair at once: exactly one 200, seven 409, one log entry', { timeout: 60_000 }, async () => {
    const s = ctx.server;
    const techs = [];
    for (let i = 0; i < 8; i++) techs.push(await newUser(s, 'acme', 'technician'));
    const r = await repairIn(s, 'APPROVED');
    const results = await Promise.all(techs.map((t) => t.client.post(`${API}/repairs/${r.id}/status`, { status: 'IN_PROGRESS' })));
    const ok = results.filter((x) => x.status === 200);
    const conflicts = results.filter((x) => x.status === 409);
    assert.equal(ok.length, 1, `exactly one claim wins: ${results.map((x) => x.status).join(',')}`);
    assert.equal(conflicts.length, 7, `the others get 409: ${results.map((x) => x.summary).join('\n')}`);
    for (const c of conflicts) assertProblem(c, 409);
    const winnerIdx = results.findIndex((x) => x.status === 200);
    const winner = techs[winnerIdx].user;
    const after = await getRepair(await s.bearer('acme', 'manager'), r.id);
    assert.equal(after.status, 'IN_PROGRESS');
    assert.equal(after.technician_id, winner.id, 'assigned to the winner');
    const log = await getLog(await s.bearer('acme', 'manager'), r.id);
    const claims = log.filter((e) => e.new_status === 'IN_PROGRESS');
    assert.equal(claims.length, 1, `one IN_PROGRESS log entry: ${JSON.stringify(log)}`);
    assert.equal(claims[0].changed_by.id, winner.id);
  });

  test('parallel PATCHes with the same version: exactly one wins', async () => {
    const s = ctx.server;
    const r = await repairIn(s, 'PENDING');
    const clients = [await s.bearer('acme', 'admin'), await s.bearer('acme', 'manager'), await s.bearer('acme', 'technician'),
      await s.login('acme', 'manager'), await s.login('acme', 'admin'), await s.login('acme', 'technician')];
    const results = await Promise.all(clients.map((c, i) => c.patch(`${API}/repairs/${r.id}`, { description: `writer ${i}`, version: r.version })));
    const statuses = results.map((x) => x.status);
    assert.equal(statuses.filter((x) => x === 200).length, 1, statuses.join(','));
    assert.equal(statuses.filter((x) => x === 409).length, clients.length - 1, statuses.join(','));
    const after = await getRepair(clients[0], r.id);
    assert.equal(after.version, r.version + 1);
    assert.equal(after.description, `writer ${statuses.indexOf(200)}`);
  });
});
