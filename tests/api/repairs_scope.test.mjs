// Who sees what on repairs (API.md "Repairs", "Precise rules"): notes and their visibility, 404 for
// everything outside the caller's scope, filters that never widen it, ids in bodies outside it (400).
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage, RFC3339_UTC } from './harness.mjs';
import { API, uniq, createRepair, getRepair, repairIn, requested, move } from './lifecycle_helpers.mjs';

const ctx = useServer();

describe('notes', () => {
  const SECRET = `INTERNAL-${uniq('secret')}-do-not-show`;
  let repair;
  let customerNote;
  let internalNote;

  before(async () => {
    const s = ctx.server;
    repair = await repairIn(s, 'IN_PROGRESS');
    const tech = await s.bearer('acme', 'technician');
    const res = await tech.post(`${API}/repairs/${repair.id}/notes`, { body: SECRET, visibility: 'internal' });
    assertStatus(res, 201);
    assert.equal(res.body.visibility, 'internal');
    assert.equal(res.body.body, SECRET);
    internalNote = res.body;
    const cn = await tech.post(`${API}/repairs/${repair.id}/notes`, { body: 'We will be there at 9.', visibility: 'customer' });
    assertStatus(cn, 201);
    customerNote = cn.body;
    // make the log carry something too
    await move(tech, repair.id, 'APPROVED', 'released, see internal note');
    await move(tech, repair.id, 'IN_PROGRESS');
  });

  test('staff see both notes, with author and time', async () => {
    const s = ctx.server;
    for (const key of ['admin', 'manager', 'technician']) {
      const list = assertPage(await (await s.bearer('acme', key)).get(`${API}/repairs/${repair.id}/notes`));
      const bodies = list.map((n) => n.body);
      assert.ok(bodies.includes(SECRET), `${key} sees the internal note`);
      assert.ok(bodies.includes('We will be there at 9.'), `${key} sees the customer note`);
      for (const n of list) {
        assert.ok(['internal', 'customer'].includes(n.visibility));
        assert.match(n.created_at, RFC3339_UTC);
      }
      const internal = list.find((n) => n.body === SECRET);
      assert.equal(internal.author?.id, s.user('acme', 'technician').id);
    }
  });

  test('customer users see only customer notes', async () => {
    const s = ctx.server;
    for (const key of ['c1_approver', 'c1_requester', 'c1_viewer', 'multi']) {
      const res = await (await s.bearer('acme', key)).get(`${API}/repairs/${repair.id}/notes`);
      const list = assertPage(res);
      assert.deepEqual(list.map((n) => n.id), [customerNote.id], `${key}: ${res.summary}`);
      assert.equal(res.body.count, 1, `${key}: count counts only visible notes`);
      assert.ok(!res.text.includes(SECRET), `${key}: ${res.summary}`);
    }
  });

  test('the internal note never appears in any customer response', async () => {
    const s = ctx.server;
    const c1 = s.customer('acme', 'c1').id;
    const paths = [
      `${API}/repairs/${repair.id}`, `${API}/repairs/${repair.id}/log`, `${API}/repairs/${repair.id}/notes`,
      `${API}/repairs/${repair.id}/materials`, `${API}/repairs?customer=${c1}`, `${API}/repairs?q=INTERNAL`,
      `${API}/repairs?page_size=200`, `${API}/units?customer=${c1}`, `${API}/stats/status`, `${API}/stats/units`,
      `${API}/stats/repairs`, `${API}/me`,
    ];
    for (const key of ['c1_approver', 'c1_requester', 'c1_viewer']) {
      const c = await s.bearer('acme', key);
      for (const p of paths) {
        const res = await c.get(p);
        assertStatus(res, 200);
        assert.ok(!res.text.includes(SECRET), `${key} ${p} leaks the internal note: ${res.summary}`);
        assert.ok(!res.text.includes('INTERNAL-'), `${key} ${p}`);
      }
      // search by the note's text finds nothing for a customer
      assert.equal((await c.get(`${API}/repairs?q=${encodeURIComponent(SECRET)}`)).body.count, 0);
    }
  });

  test('live events: staff get repair.note_added for the internal note, customers never do', async () => {
    const s = ctx.server;
    const noteEvents = (body) => body.events.filter((e) => e.type === 'repair.note_added' && e.repair_id === repair.id);
    const staff = await (await s.bearer('acme', 'manager')).get(`${API}/events?after=0&wait=0`);
    assertStatus(staff, 200);
    assert.ok(noteEvents(staff.body).some((e) => e.data?.note_id === internalNote.id), `staff see the internal note event: ${staff.summary}`);
    for (const key of ['c1_approver', 'c1_requester', 'c1_viewer']) {
      const res = await (await s.bearer('acme', key)).get(`${API}/events?after=0&wait=0`);
      assertStatus(res, 200);
      const mine = noteEvents(res.body);
      assert.ok(mine.some((e) => e.data?.note_id === customerNote.id), `${key} sees the customer note event: ${res.summary}`);
      assert.ok(!mine.some((e) => e.data?.note_id === internalNote.id), `${key} gets no event for the internal note: ${res.summary}`);
      assert.ok(!res.text.includes(SECRET), `${key}: ${res.summary}`);
    }
  });

  test('customers cannot write internal notes (403); requesters and approvers write customer notes', async () => {
    const s = ctx.server;
    for (const key of ['c1_approver', 'c1_requester']) {
      const c = await s.bearer('acme', key);
      assertProblem(await c.post(`${API}/repairs/${repair.id}/notes`, { body: 'sneaky', visibility: 'internal' }), 403);
      const ok = await c.post(`${API}/repairs/${repair.id}/notes`, { body: `from ${key}`, visibility: 'customer' });
      assertStatus(ok, 201);
      assert.equal(ok.body.visibility, 'customer');
      assert.equal(ok.body.author?.id, s.user('acme', key).id);
    }
    const staffList = assertPage(await (await s.bearer('acme', 'manager')).get(`${API}/repairs/${repair.id}/notes`));
    assert.ok(!staffList.some((n) => n.body === 'sneaky'), 'the refused internal note was not stored');
    assert.ok(staffList.some((n) => n.body === 'from c1_approver'), 'staff see the customer\'s note');
  });

  test('viewers cannot write notes (403)', async () => {
    const s = ctx.server;
    const viewer = await s.bearer('acme', 'c1_viewer');
    assertProblem(await viewer.post(`${API}/repairs/${repair.id}/notes`, { body: 'hi', visibility: 'customer' }), 403);
    assertProblem(await viewer.post(`${API}/repairs/${repair.id}/notes`, { body: 'hi', visibility: 'internal' }), 403);
    // multi is a viewer of c2
    const c2r = await requested(s, { requester: await s.bearer('acme', 'c2_requester'), customerId: s.customer('acme', 'c2').id });
    assertProblem(await (await s.bearer('acme', 'multi')).post(`${API}/repairs/${c2r.id}/notes`, { body: 'hi', visibility: 'customer' }), 403);
  });

  test('note validation: empty body 400, unknown visibility 400, unknown field 400', async () => {
    const s = ctx.server;
    const tech = await s.bearer('acme', 'technician');
    assertProblem(await tech.post(`${API}/repairs/${repair.id}/notes`, { body: '', visibility: 'customer' }), 400, ['body']);
    assertProblem(await tech.post(`${API}/repairs/${repair.id}/notes`, { body: 'x', visibility: 'public' }), 400, ['visibility']);
    assertProblem(await tech.post(`${API}/repairs/${repair.id}/notes`, { body: 'x', visibility: 'customer', pinned: true }), 400);
  });

  test('notes of out-of-scope repairs are 404', async () => {
    const s = ctx.server;
    assertProblem(await (await s.bearer('acme', 'c2_approver')).get(`${API}/repairs/${repair.id}/notes`), 404);
    assertProblem(await (await s.bearer('acme', 'c2_approver')).post(`${API}/repairs/${repair.id}/notes`, { body: 'x', visibility: 'customer' }), 404);
    assertProblem(await (await s.bearer('globex', 'admin')).get(`${API}/repairs/${repair.id}/notes`), 404);
    assertProblem(await (await s.bearer('globex', 'admin')).post(`${API}/repairs/${repair.id}/notes`, { body: 'x', visibility: 'internal' }), 404);
  });

  test('notes may be added to a final repair by staff (history), and still hidden from customers', async () => {
    const s = ctx.server;
    const done = await repairIn(s, 'COMPLETED');
    const res = await (await s.bearer('acme', 'manager')).post(`${API}/repairs/${done.id}/notes`, { body: `${SECRET}-2`, visibility: 'internal' });
    assertStatus(res, [201, 409]);
    const cust = await (await s.bearer('acme', 'c1_approver')).get(`${API}/repairs/${done.id}/notes`);
    assert.ok(!cust.text.includes(SECRET), cust.summary);
  });
});

describe('out-of-scope ids are 404', () => {
  let acmeRepair;
  let globexRepair;
  let acmeUnitId;

  before(async () => {
    const s = ctx.server;
    acmeRepair = await repairIn(s, 'PENDING');
    acmeUnitId = acmeRepair.unit_id;
    globexRepair = await repairIn(s, 'PENDING', { tenant: 'globex' });
  });

  test("staff of the other tenant get 404 for every repair path", async () => {
    const s = ctx.server;
    for (const key of ['admin', 'manager', 'technician']) {
      const g = await s.bearer('globex', key);
      const id = acmeRepair.id;
      assertProblem(await g.get(`${API}/repairs/${id}`), 404);
      assertProblem(await g.patch(`${API}/repairs/${id}`, { description: 'x' }), 404);
      assertProblem(await g.post(`${API}/repairs/${id}/status`, { status: 'CANCELLED' }), 404);
      assertProblem(await g.post(`${API}/repairs/${id}/approval`, { approved: true }), 404);
      assertProblem(await g.get(`${API}/repairs/${id}/log`), 404);
      assertProblem(await g.get(`${API}/repairs/${id}/materials`), 404);
      assertProblem(await g.post(`${API}/repairs/${id}/materials`, { material_type: 'r', quantity: 1, unit_cost: '1.00' }), 404);
      assertProblem(await g.get(`${API}/repairs/${id}/notes`), 404);
      assertProblem(await g.get(`${API}/units/${acmeUnitId}`), 404);
      assertProblem(await g.get(`${API}/customers/${s.customer('acme', 'c1').id}`), 404);
    }
    const after = await getRepair(await s.bearer('acme', 'admin'), acmeRepair.id);
    assert.equal(after.status, 'PENDING');
    assert.equal(after.version, acmeRepair.version);
  });

  test("404 rather than 403 even where the caller's role could never act", async () => {
    const s = ctx.server;
    // a globex technician asking for an acme accept: scope (404) is checked before permission (403)
    assertProblem(await (await s.bearer('globex', 'technician')).post(`${API}/repairs/${acmeRepair.id}/status`, { status: 'APPROVED' }), 404);
    // a customer of c2 asking to approve c1's pending repair
    assertProblem(await (await s.bearer('acme', 'c2_viewer')).post(`${API}/repairs/${acmeRepair.id}/approval`, { approved: true }), 404);
  });

  test("a customer user gets 404 for another customer's repair and unit, and for the other tenant's", async () => {
    const s = ctx.server;
    for (const key of ['c2_approver', 'c2_requester', 'c2_viewer', 'lonely']) {
      const c = await s.bearer('acme', key);
      assertProblem(await c.get(`${API}/repairs/${acmeRepair.id}`), 404);
      assertProblem(await c.get(`${API}/repairs/${acmeRepair.id}/log`), 404);
      assertProblem(await c.get(`${API}/repairs/${acmeRepair.id}/materials`), 404);
      assertProblem(await c.patch(`${API}/repairs/${acmeRepair.id}`, { description: 'x' }), 404);
      assertProblem(await c.post(`${API}/repairs/${acmeRepair.id}/status`, { status: 'CANCELLED' }), 404);
      assertProblem(await c.get(`${API}/units/${acmeUnitId}`), 404);
    }
    const c1 = await s.bearer('acme', 'c1_approver');
    assertProblem(await c1.get(`${API}/repairs/${globexRepair.id}`), 404);
    assertProblem(await c1.post(`${API}/repairs/${globexRepair.id}/approval`, { approved: true }), 404);
    assertProblem(await c1.get(`${API}/units/${globexRepair.unit_id}`), 404);
    assert.equal((await getRepair(await s.bearer('globex', 'admin'), globexRepair.id)).status, 'PENDING');
  });

  test('unknown ids are 404', async () => {
    const s = ctx.server;
    const a = await s.bearer('acme', 'admin');
    assertProblem(await a.get(`${API}/repairs/999999`), 404);
    assertProblem(await a.post(`${API}/repairs/999999/status`, { status: 'CANCELLED' }), 404);
    assertProblem(await a.get(`${API}/repairs/999999/log`), 404);
    assertProblem(await a.get(`${API}/units/999999`), 404);
  });
});

describe('filters never widen the scope', () => {
  test('?customer= naming an out-of-scope customer gives an empty list', async () => {
    const s = ctx.server;
    await requested(s, { requester: await s.bearer('acme', 'c2_requester'), customerId: s.customer('acme', 'c2').id });
    await repairIn(s, 'PENDING', { tenant: 'globex' });
    const c2 = s.customer('acme', 'c2').id;
    const g1 = s.customer('globex', 'c1').id;
    for (const [tenant, key, cid] of [['acme', 'c1_requester', c2], ['acme', 'c1_approver', c2], ['acme', 'admin', g1], ['acme', 'technician', g1], ['globex', 'manager', s.customer('acme', 'c1').id]]) {
      const res = await (await s.bearer(tenant, key)).get(`${API}/repairs?customer=${cid}`);
      const list = assertPage(res);
      assert.equal(list.length, 0, `${tenant}/${key} ?customer=${cid}: ${res.summary}`);
      assert.equal(res.body.count, 0);
      const units = await (await s.bearer(tenant, key)).get(`${API}/units?customer=${cid}`);
      assert.equal(assertPage(units).length, 0, `${tenant}/${key} units ?customer=${cid}: ${units.summary}`);
    }
  });

  test('a customer user lists only its customers\' repairs; multi sees both c1 and c2', async () => {
    const s = ctx.server;
    await requested(s, { requester: await s.bearer('acme', 'c2_requester'), customerId: s.customer('acme', 'c2').id });
    await requested(s);
    const c1 = s.customer('acme', 'c1').id;
    const c2 = s.customer('acme', 'c2').id;
    const one = assertPage(await (await s.bearer('acme', 'c1_viewer')).get(`${API}/repairs?page_size=200`));
    assert.ok(one.length > 0);
    assert.ok(one.every((r) => r.customer_id === c1), 'c1 viewer sees only c1 repairs');
    const multi = assertPage(await (await s.bearer('acme', 'multi')).get(`${API}/repairs?page_size=200`));
    const cids = new Set(multi.map((r) => r.customer_id));
    assert.deepEqual([...cids].sort((a, b) => a - b), [c1, c2].sort((a, b) => a - b));
    const lonely = await (await s.bearer('acme', 'lonely')).get(`${API}/repairs`);
    assert.equal(assertPage(lonely).length, 0, lonely.summary);
    const staff = assertPage(await (await s.bearer('acme', 'technician')).get(`${API}/repairs?page_size=200`));
    const globexCustomers = new Set(Object.values(s.data.customers.globex).map((g) => g.id));
    assert.ok(staff.every((r) => !globexCustomers.has(r.customer_id)), 'acme staff see no globex customer\'s repair');
    const globexIds = new Set(assertPage(await (await s.bearer('globex', 'admin')).get(`${API}/repairs?page_size=200`)).map((r) => r.id));
    assert.ok(staff.every((r) => !globexIds.has(r.id)), 'no repair in both tenants\' lists');
  });

  test('a customer_id outside the caller\'s scope in POST /repairs is 400 with errors.customer_id', async () => {
    const s = ctx.server;
    const body = (cid) => ({ customer_id: cid, unit_number: uniq('U'), description: 'x' });
    assertProblem(await (await s.bearer('acme', 'manager')).post(`${API}/repairs`, body(s.customer('globex', 'c1').id)), 400, ['customer_id']);
    assertProblem(await (await s.bearer('acme', 'technician')).post(`${API}/repairs`, body(999999)), 400, ['customer_id']);
    assertProblem(await (await s.bearer('acme', 'c1_requester')).post(`${API}/repairs`, body(s.customer('acme', 'c2').id)), 400, ['customer_id']);
    assertProblem(await (await s.bearer('acme', 'c1_requester')).post(`${API}/repairs`, body(s.customer('globex', 'c1').id)), 400, ['customer_id']);
    assertProblem(await (await s.bearer('acme', 'lonely')).post(`${API}/repairs`, body(s.customer('acme', 'c1').id)), 400, ['customer_id']);
    assertProblem(await (await s.bearer('acme', 'admin')).post(`${API}/units`, { customer_id: s.customer('globex', 'c2').id, unit_number: uniq('U') }), 400, ['customer_id']);
  });

  test('a unit_id of another customer or tenant in POST /repairs is 400 with errors.unit_id', async () => {
    const s = ctx.server;
    const c2r = await repairIn(s, 'PENDING', { customerId: s.customer('acme', 'c2').id, approver: await s.bearer('acme', 'c2_approver') });
    const g = await repairIn(s, 'PENDING', { tenant: 'globex' });
    const manager = await s.bearer('acme', 'manager');
    const c1 = s.customer('acme', 'c1').id;
    // c2's unit used for c1
    assertProblem(await manager.post(`${API}/repairs`, { customer_id: c1, unit_id: c2r.unit_id, description: 'x' }), 400, ['unit_id']);
    // globex unit
    assertProblem(await manager.post(`${API}/repairs`, { customer_id: c1, unit_id: g.unit_id, description: 'x' }), 400, ['unit_id']);
    assertProblem(await (await s.bearer('acme', 'c1_requester')).post(`${API}/repairs`, { customer_id: c1, unit_id: g.unit_id, description: 'x' }), 400, ['unit_id']);
  });

  test('a technician_id that is not a technician of this tenant is 400 with errors.technician_id', async () => {
    const s = ctx.server;
    const r = await repairIn(s, 'APPROVED');
    const manager = await s.bearer('acme', 'manager');
    assertProblem(await manager.patch(`${API}/repairs/${r.id}`, { technician_id: s.user('globex', 'technician').id }), 400, ['technician_id']);
    assertProblem(await manager.patch(`${API}/repairs/${r.id}`, { technician_id: s.user('acme', 'c1_approver').id }), 400, ['technician_id']);
    assertProblem(await manager.patch(`${API}/repairs/${r.id}`, { technician_id: 999999 }), 400, ['technician_id']);
    const ok = await manager.patch(`${API}/repairs/${r.id}`, { technician_id: s.user('acme', 'technician').id });
    assertStatus(ok, 200);
    assert.equal(ok.body.technician_id, s.user('acme', 'technician').id);
    assert.equal(ok.body.technician_name, s.user('acme', 'technician').name);
    assertProblem(await (await s.bearer('acme', 'technician')).patch(`${API}/repairs/${r.id}`, { technician_id: null }), 403);
  });
});

describe('create validation', () => {
  test('missing or invalid fields are 400 with the field named', async () => {
    const s = ctx.server;
    const m = await s.bearer('acme', 'manager');
    const c1 = s.customer('acme', 'c1').id;
    assertProblem(await m.post(`${API}/repairs`, { unit_number: 'X', description: 'x' }), 400, ['customer_id']);
    assertProblem(await m.post(`${API}/repairs`, { customer_id: c1, unit_number: uniq('U'), description: 'x', priority: 5 }), 400, ['priority']);
    assertProblem(await m.post(`${API}/repairs`, { customer_id: c1, unit_number: uniq('U'), description: 'x', priority: 2.5 }), 400);
    assertProblem(await m.post(`${API}/repairs`, { customer_id: c1, unit_number: uniq('U'), description: 'x', status: 'APPROVED' }), 400);
    assertProblem(await m.post(`${API}/repairs`, { customer_id: c1, unit_number: uniq('U'), description: 'x', cost: '1.00' }), 400);
    assertProblem(await m.post(`${API}/repairs`, { customer_id: String(c1), unit_number: uniq('U'), description: 'x' }), 400);
  });

  test('a customer user may not create a repair as another status or for a viewer-only customer', async () => {
    const s = ctx.server;
    const r = await createRepair(await s.bearer('acme', 'c1_requester'), { customer_id: s.customer('acme', 'c1').id, unit_number: uniq('U') });
    assert.equal(r.status, 'REQUESTED');
    assertProblem(await (await s.bearer('acme', 'c1_viewer')).post(`${API}/repairs`, { customer_id: s.customer('acme', 'c1').id, unit_number: uniq('U'), description: 'x' }), 403);
  });
});
