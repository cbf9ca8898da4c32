// Client requests (issue 10; API.md "Client requests"): each role's allowed and refused actions, every
// action from every status, converting both ways, scoping across customers and tenants, attachments,
// events and notifications.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage } from './harness.mjs';
import { API, createRepair, getRepair, getLog } from './lifecycle_helpers.mjs';
import { settledLastId, settledDrain, sleep } from './events_helpers.mjs';

/** Retries `fn` (which asserts) until it passes or 5 s have passed. */
async function until(fn, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try { return await fn(); } catch (e) { if (Date.now() > deadline) throw e; }
    await sleep(100);
  }
}

const ctx = useServer();
let seq = 0;
const title = (t = 'Need') => `${t} ${++seq}`;

async function as(who, tenant = 'acme') { return ctx.server.bearer(tenant, who); }
const cust = (ck = 'c1', tenant = 'acme') => ctx.server.customer(tenant, ck).id;

async function newRequest(who = 'c1_requester', body = {}, tenant = 'acme') {
  const c = await as(who, tenant);
  const res = await c.post(`${API}/requests`, { customer_id: cust(body.ck ?? 'c1', tenant), type: 'material', title: title(),
    description: 'Two wiper blades', ...Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'ck')) });
  assertStatus(res, 201);
  return res.body;
}

async function staffRepair(ck = 'c1', tenant = 'acme') {
  const m = await as('manager', tenant);
  return createRepair(m, { customer_id: cust(ck, tenant), unit_number: `U-${++seq}` });
}

describe('client requests', () => {
  test('create: shape, who may, validation', async () => {
    const r = await newRequest('c1_requester');
    for (const k of ['id', 'customer_id', 'type', 'title', 'description', 'repair_id', 'unit_id', 'status', 'created_by',
      'decided_by', 'decided_at', 'decision_notes', 'converted_to', 'attachment_count', 'created_at', 'updated_at']) {
      assert.ok(k in r, k);
    }
    assert.equal(r.status, 'pending');
    assert.equal(r.created_by.id, ctx.server.user('acme', 'c1_requester').id);
    assert.equal(r.decided_by, null);
    assert.equal(r.converted_to, null);
    assert.equal(r.attachment_count, 0);
    assert.deepEqual(r.allowed_actions.sort(), ['edit', 'withdraw']);
    await newRequest('c1_approver');
    for (const who of ['admin', 'manager', 'technician']) await newRequest(who);

    const viewer = await as('c1_viewer');
    assertProblem(await viewer.post(`${API}/requests`, { customer_id: cust(), type: 'info', title: 'x' }), 403);
    const c1 = await as('c1_requester');
    // Another customer's id or another tenant's: 400 on customer_id.
    assertProblem(await c1.post(`${API}/requests`, { customer_id: cust('c2'), type: 'info', title: 'x' }), 400, ['customer_id']);
    const m = await as('manager');
    assertProblem(await m.post(`${API}/requests`, { customer_id: cust('c1', 'globex'), type: 'info', title: 'x' }), 400, ['customer_id']);
    assertProblem(await c1.post(`${API}/requests`, { customer_id: cust(), type: 'wish', title: 'x' }), 400, ['type']);
    assertProblem(await c1.post(`${API}/requests`, { customer_id: cust(), type: 'info', title: '' }), 400, ['title']);
    assertProblem(await c1.post(`${API}/requests`, { customer_id: cust(), type: 'info', title: 't'.repeat(201) }), 400, ['title']);
    assertProblem(await c1.post(`${API}/requests`, { customer_id: cust(), type: 'info', title: 'x', description: 'd'.repeat(5001) }),
      400, ['description']);
    assertProblem(await c1.post(`${API}/requests`, { customer_id: cust(), type: 'change_order', title: 'x' }), 400, ['repair_id']);
    assertProblem(await c1.post(`${API}/requests`, { customer_id: cust(), type: 'info', title: 'x', extra: 1 }), 400, ['extra']);
    const otherRepair = await staffRepair('c2');
    assertProblem(await m.post(`${API}/requests`, { customer_id: cust(), type: 'info', title: 'x', repair_id: otherRepair.id }),
      400, ['repair_id']);
    assertProblem(await m.post(`${API}/requests`, { customer_id: cust(), type: 'info', title: 'x', unit_id: otherRepair.unit_id }),
      400, ['unit_id']);
    assertProblem(await ctx.server.client().get(`${API}/requests`), 401);
  });

  test('decisions: only managers and admins; a customer never decides its own request', async () => {
    const own = await newRequest('c1_approver');
    const approver = await as('c1_approver');
    assertProblem(await approver.post(`${API}/requests/${own.id}/approve`, { notes: 'mine' }), 403);
    assertProblem(await approver.post(`${API}/requests/${own.id}/reject`, { reason: 'mine' }), 403);
    assertProblem(await approver.post(`${API}/requests/${own.id}/convert`, { into: 'repair', unit_number: 'X' }), 403);
    const tech = await as('technician');
    assertProblem(await tech.post(`${API}/requests/${own.id}/approve`, {}), 403);
    assertProblem(await tech.post(`${API}/requests/${own.id}/convert`, { into: 'repair', unit_number: 'X' }), 403);
    // Edit and withdraw: the creator only.
    assertProblem(await tech.patch(`${API}/requests/${own.id}`, { title: 'Not mine' }), 403);
    const m = await as('manager');
    assertProblem(await m.post(`${API}/requests/${own.id}/withdraw`), 403);
    const edited = await approver.patch(`${API}/requests/${own.id}`, { title: 'Better title', description: 'More' });
    assertStatus(edited, 200);
    assert.equal(edited.body.title, 'Better title');
    // Reject needs a reason.
    assertProblem(await m.post(`${API}/requests/${own.id}/reject`, {}), 400, ['reason']);
    assertProblem(await m.post(`${API}/requests/${own.id}/reject`, { reason: '   ' }), 400, ['reason']);
    const rejected = await m.post(`${API}/requests/${own.id}/reject`, { reason: 'Out of stock' });
    assertStatus(rejected, 200);
    assert.equal(rejected.body.status, 'rejected');
    assert.equal(rejected.body.decided_by.id, ctx.server.user('acme', 'manager').id);
    assert.equal(rejected.body.decision_notes, 'Out of stock');
    assert.ok(rejected.body.decided_at);
    const admin = await as('admin');
    const other = await newRequest('c1_requester');
    const approved = await admin.post(`${API}/requests/${other.id}/approve`, { notes: 'On its way' });
    assertStatus(approved, 200);
    assert.equal(approved.body.status, 'approved');
    assert.equal(approved.body.decision_notes, 'On its way');
  });

  test('every action from every final status is a conflict', async () => {
    const m = await as('manager');
    const finals = {};
    let r = await newRequest('c1_requester');
    finals.approved = (await m.post(`${API}/requests/${r.id}/approve`, {})).body;
    r = await newRequest('c1_requester');
    finals.rejected = (await m.post(`${API}/requests/${r.id}/reject`, { reason: 'no' })).body;
    r = await newRequest('c1_requester', { unit_id: (await staffRepair()).unit_id });
    finals.converted = (await m.post(`${API}/requests/${r.id}/convert`, { into: 'repair' })).body;
    r = await newRequest('c1_requester');
    finals.withdrawn = (await (await as('c1_requester')).post(`${API}/requests/${r.id}/withdraw`)).body;
    const creator = await as('c1_requester');
    for (const [status, req] of Object.entries(finals)) {
      assert.equal(req.status, status);
      assert.deepEqual(req.allowed_actions, []);
      assertProblem(await m.post(`${API}/requests/${req.id}/approve`, {}), 409);
      assertProblem(await m.post(`${API}/requests/${req.id}/reject`, { reason: 'x' }), 409);
      assertProblem(await m.post(`${API}/requests/${req.id}/convert`, { into: 'repair', unit_number: 'Z1' }), 409);
      assertProblem(await creator.post(`${API}/requests/${req.id}/withdraw`), 409);
      assertProblem(await creator.patch(`${API}/requests/${req.id}`, { title: 'late' }), 409);
    }
  });

  test('convert into a repair: PENDING, the request\'s customer and unit, linked both ways', async () => {
    const m = await as('manager');
    const noUnit = await newRequest('c1_requester', { type: 'other', title: 'Door rattles' });
    assertProblem(await m.post(`${API}/requests/${noUnit.id}/convert`, { into: 'repair' }), 400, ['unit_number']);
    assertProblem(await m.post(`${API}/requests/${noUnit.id}/convert`, { into: 'boat' }), 400, ['into']);
    const res = await m.post(`${API}/requests/${noUnit.id}/convert`, { into: 'repair', unit_number: `NEW-${seq}` });
    assertStatus(res, 200);
    assert.equal(res.body.status, 'converted');
    assert.equal(res.body.converted_to.type, 'repair');
    const repair = await getRepair(m, res.body.converted_to.id);
    assert.equal(repair.status, 'PENDING');
    assert.equal(repair.customer_id, cust());
    assert.equal(repair.request_id, noUnit.id);
    assert.match(repair.description, /Door rattles/);
    const log = await getLog(m, repair.id);
    assert.equal(log[0].previous_status, null);
    assert.equal(log[0].new_status, 'PENDING');
    // The customer sees it (and may approve it).
    const approver = await as('c1_approver');
    assert.equal((await getRepair(approver, repair.id)).can_approve, true);
  });

  test('convert into a change order: on the request\'s repair; none without a repair; not on final repairs', async () => {
    const m = await as('manager');
    const repair = await staffRepair();
    const req = await newRequest('c1_requester', { type: 'change_order', repair_id: repair.id, title: 'Also the mirror' });
    assert.equal(req.unit_id, repair.unit_id, 'the repair\'s unit is the request\'s unit');
    assertProblem(await m.post(`${API}/requests/${req.id}/convert`, { into: 'change_order' }), 400, ['amount']);
    assertProblem(await m.post(`${API}/requests/${req.id}/convert`, { into: 'change_order', amount: '0.00' }), 400, ['amount']);
    const res = await m.post(`${API}/requests/${req.id}/convert`, { into: 'change_order', amount: '120.00' });
    assertStatus(res, 200);
    assert.equal(res.body.converted_to.type, 'change_order');
    const co = await m.get(`${API}/change-orders/${res.body.converted_to.id}`);
    assertStatus(co, 200);
    assert.equal(co.body.repair_id, repair.id);
    assert.equal(co.body.amount, '120.00');
    assert.equal(co.body.status, 'proposed');
    assert.equal(co.body.request_id, req.id);

    const noRepair = await newRequest('c1_requester', { type: 'material' });
    assertProblem(await m.post(`${API}/requests/${noRepair.id}/convert`, { into: 'change_order', amount: '5.00' }), 400,
      ['repair_id']);

    const doomed = await staffRepair();
    const late = await newRequest('c1_requester', { type: 'material', repair_id: doomed.id });
    assertStatus(await m.post(`${API}/repairs/${doomed.id}/status`, { status: 'CANCELLED', notes: 'no' }), 200);
    assertProblem(await m.post(`${API}/requests/${late.id}/convert`, { into: 'change_order', amount: '5.00' }), 409);
    assert.equal((await m.get(`${API}/requests/${late.id}`)).body.status, 'pending', 'nothing half-written');
  });

  test('scope: other customers and other tenants are 404; filters never widen', async () => {
    const mine = await newRequest('c1_requester');
    const theirs = await newRequest('c2_requester', { ck: 'c2' });
    const foreign = await newRequest('c1_requester', {}, 'globex');
    const c1 = await as('c1_requester');
    assertProblem(await c1.get(`${API}/requests/${theirs.id}`), 404);
    assertProblem(await c1.post(`${API}/requests/${theirs.id}/withdraw`), 404);
    assertProblem(await c1.get(`${API}/requests/${theirs.id}/attachments`), 404);
    const m = await as('manager');
    assertProblem(await m.get(`${API}/requests/${foreign.id}`), 404);
    assertProblem(await m.post(`${API}/requests/${foreign.id}/approve`, {}), 404);
    const list = assertPage(await c1.get(`${API}/requests?page_size=200`));
    assert.ok(list.some((r) => r.id === mine.id));
    assert.ok(list.every((r) => r.customer_id === cust()));
    assert.deepEqual(assertPage(await c1.get(`${API}/requests?customer=${cust('c2')}`)), []);
    const staffList = assertPage(await m.get(`${API}/requests?page_size=200`));
    assert.ok(staffList.some((r) => r.id === theirs.id) && !staffList.some((r) => r.id === foreign.id));
    // Pending first.
    const firstDone = staffList.findIndex((r) => r.status !== 'pending');
    if (firstDone >= 0) assert.ok(staffList.slice(firstDone).every((r) => r.status !== 'pending'));
    assert.ok(assertPage(await m.get(`${API}/requests?status=pending&type=material`)).every((r) => r.status === 'pending' && r.type === 'material'));
    assertProblem(await m.get(`${API}/requests?status=open`), 400, ['status']);
    assertProblem(await m.get(`${API}/requests?type=wish`), 400, ['type']);
    assertProblem(await (await as('lonely')).get(`${API}/requests/${mine.id}`), 404);
  });

  test('attachments on a request: the creator adds, the request counts them, other customers cannot', async () => {
    const req = await newRequest('c1_requester');
    const c1 = await as('c1_requester');
    const form = new FormData();
    form.append('file', new Blob(['item,qty\nwiper,2\n'], { type: 'text/csv' }), 'list.csv');
    form.append('caption', 'What we need');
    const up = await fetch(`${ctx.server.baseUrl}${API}/requests/${req.id}/attachments`, {
      method: 'POST', headers: { authorization: `Bearer ${c1.token}` }, body: form });
    assert.equal(up.status, 201, await up.clone().text());
    const a = await up.json();
    assert.deepEqual(a.owner, { type: 'request', id: req.id });
    assert.equal(a.visibility, 'customer');
    const list = assertPage(await c1.get(`${API}/requests/${req.id}/attachments`));
    assert.equal(list.length, 1);
    assert.equal((await c1.get(`${API}/requests/${req.id}`)).body.attachment_count, 1);
    const c2 = await as('c2_approver');
    assertProblem(await c2.get(`${API}/attachments/${a.id}`), 404);
    const viewerForm = new FormData();
    viewerForm.append('file', new Blob(['x\n'], { type: 'text/plain' }), 'x.txt');
    const viewer = await as('c1_viewer');
    const refused = await fetch(`${ctx.server.baseUrl}${API}/requests/${req.id}/attachments`, {
      method: 'POST', headers: { authorization: `Bearer ${viewer.token}` }, body: viewerForm });
    assert.equal(refused.status, 403);
  });

  test('events and notifications reach exactly the right people', async () => {
    const manager = await as('manager');
    const admin = await as('admin');
    const tech = await as('technician');
    const c1 = await as('c1_requester');
    const c2 = await as('c2_approver');
    const start = { manager: await settledLastId(manager), c1: await settledLastId(c1), c2: await settledLastId(c2) };
    const req = await newRequest('c1_requester', { title: 'Notify me' });
    await until(async () => {
      for (const who of [manager, admin]) {
        const n = assertPage(await who.get(`${API}/notifications?unread=true&page_size=200`));
        assert.ok(n.some((x) => x.type === 'new_client_request' && x.title.includes('Notify me')), 'managers and admins told');
      }
    });
    const techN = assertPage(await tech.get(`${API}/notifications?page_size=200`));
    assert.ok(!techN.some((x) => x.title.includes('Notify me')), 'technicians are not told');
    assertStatus(await manager.post(`${API}/requests/${req.id}/reject`, { reason: 'No' }), 200);
    await until(async () => {
      const n = assertPage(await c1.get(`${API}/notifications?page_size=200`));
      assert.ok(n.some((x) => x.type === 'request_decided' && x.title.includes('Notify me')), 'the creator is told');
    });
    const approverN = assertPage(await (await as('c1_approver')).get(`${API}/notifications?page_size=200`));
    assert.ok(!approverN.some((x) => x.type === 'request_decided' && x.title.includes('Notify me')), 'only the creator');
    const c1Events = await settledDrain(c1, start.c1);
    assert.ok(c1Events.some((e) => e.type === 'request.created' && e.data.request_id === req.id));
    assert.ok(c1Events.some((e) => e.type === 'request.updated' && e.data.request_id === req.id && e.data.status === 'rejected'));
    const c2Events = await settledDrain(c2, start.c2);
    assert.ok(!c2Events.some((e) => e.type.startsWith('request.')), 'another customer hears nothing');
    const mEvents = await settledDrain(manager, start.manager);
    assert.ok(mEvents.some((e) => e.type === 'request.created' && e.data.request_id === req.id));
  });
});
