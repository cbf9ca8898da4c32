// Conversations (issue 11; API.md "Conversations" and "Users (additions)"): handles, channels, members,
// visibility by access, message CRUD, mentions of users and records, notifications, my mentions,
// anchored pagination, read positions, live events to exactly the readers; and each hole Kibray had.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus, assertPage, RFC3339_UTC } from './harness.mjs';
import { API, uniq, newUser, createRepair } from './lifecycle_helpers.mjs';
import { settledLastId, settledDrain } from './events_helpers.mjs';

const ctx = useServer();
const as = (who, tenant = 'acme') => ctx.server.bearer(tenant, who);
const cid = (key, tenant = 'acme') => ctx.server.customer(tenant, key).id;
const uid = (key, tenant = 'acme') => ctx.server.user(tenant, key).id;

async function customerChannel(key = 'c1', who = 'admin') {
  const res = await (await as(who)).get(`${API}/customers/${cid(key)}/channel`);
  assertStatus(res, 200);
  return res.body;
}

async function post(who, channel, body) {
  const res = await (await as(who)).post(`${API}/channels/${channel}/messages`, { body });
  assertStatus(res, 201);
  return res.body;
}

describe('handles', () => {
  test('every user has one, derived from the e-mail; shown in /me and user objects', async () => {
    const me = await (await as('c1_approver')).get(`${API}/me`);
    assertStatus(me, 200);
    assert.equal(me.body.handle, 'c1.approver');
    const tech = await (await as('admin')).get(`${API}/users/${uid('technician')}`);
    assert.equal(tech.body.handle, 'technician');
  });

  test('POST and PATCH /users accept a handle: lower-cased, validated, unique in the tenant (409)', async () => {
    const admin = await as('admin');
    const email = `${uniq('h').toLowerCase()}@acme.test`;
    const handle = `Ann.K${Date.now() % 100000}`;
    const created = await admin.post(`${API}/users`, { email, name: 'Ann K', role: 'technician', password: 'correct-horse-battery', handle });
    assertStatus(created, 201);
    assert.equal(created.body.handle, handle.toLowerCase());
    assertProblem(await admin.post(`${API}/users`, { email: `x${email}`, name: 'Dup', role: 'technician',
      password: 'correct-horse-battery', handle: handle.toLowerCase() }), 409);
    assertProblem(await admin.patch(`${API}/users/${uid('manager')}`, { handle: handle }), 409);
    assertProblem(await admin.patch(`${API}/users/${created.body.id}`, { handle: '_bad' }), 400, ['handle']);
    assertProblem(await admin.patch(`${API}/users/${created.body.id}`, { handle: 'x' }), 400, ['handle']);
    const renamed = await admin.patch(`${API}/users/${created.body.id}`, { handle: `ANN-${Date.now() % 100000}` });
    assertStatus(renamed, 200);
    assert.match(renamed.body.handle, /^ann-\d+$/);
    // Same local part, another user: a free variant is derived.
    const twin = await admin.post(`${API}/users`, { email: `technician@other.acme.test`, name: 'Twin', role: 'technician',
      password: 'correct-horse-battery' });
    assertStatus(twin, 201);
    assert.match(twin.body.handle, /^technician\d+$/);
  });
});

describe('channels', () => {
  test("a customer's default channel: created on first call, the same for staff and its users, 404 for others", async () => {
    const a = await customerChannel('c1', 'admin');
    assert.equal(a.kind, 'customer');
    assert.equal(a.customer_id, cid('c1'));
    assert.equal(a.is_default, true);
    assert.match(a.created_at, RFC3339_UTC);
    for (const who of ['technician', 'c1_approver', 'c1_viewer', 'multi']) {
      assert.equal((await customerChannel('c1', who)).id, a.id, who);
    }
    for (const who of ['c2_approver', 'lonely']) {
      assertProblem(await (await as(who)).get(`${API}/customers/${cid('c1')}/channel`), 404);
      assertProblem(await (await as(who)).get(`${API}/channels/${a.id}`), 404);
      assertProblem(await (await as(who)).get(`${API}/channels/${a.id}/messages`), 404);
    }
    assertProblem(await (await as('admin', 'globex')).get(`${API}/channels/${a.id}`), 404);
    const list = assertPage(await (await as('c2_approver')).get(`${API}/channels`));
    assert.ok(!list.some((c) => c.id === a.id), 'not listed for another customer');
    const filtered = assertPage(await (await as('c2_approver')).get(`${API}/channels?customer=${cid('c1')}`));
    assert.deepEqual(filtered, [], 'a filter never widens the scope');
    assertProblem(await (await as('admin')).delete(`${API}/channels/${a.id}`), 409);
  });

  test('create: staff only, validation, internal members, direct unique per pair', async () => {
    const admin = await as('admin');
    assertProblem(await (await as('c1_approver')).post(`${API}/channels`, { kind: 'internal', name: 'x' }), 403);
    assertProblem(await admin.post(`${API}/channels`, { kind: 'group', name: 'x' }), 400, ['kind']);
    assertProblem(await admin.post(`${API}/channels`, { kind: 'customer', name: 'x' }), 400, ['customer_id']);
    assertProblem(await admin.post(`${API}/channels`, { kind: 'internal', name: 'x', member_ids: [uid('c1_approver')] }), 400, ['member_ids']);
    assertProblem(await admin.post(`${API}/channels`, { kind: 'internal', name: 'x', member_ids: [uid('admin', 'globex')] }), 400, ['member_ids']);
    assertProblem(await admin.post(`${API}/channels`, { kind: 'customer', name: 'x', customer_id: cid('c1', 'globex') }), 400, ['customer_id']);
    assertProblem(await admin.post(`${API}/channels`, { kind: 'internal', name: 'x', extra: 1 }), 400, ['extra']);

    const open = await admin.post(`${API}/channels`, { kind: 'internal', name: uniq('Shop floor') });
    assertStatus(open, 201);
    assert.deepEqual(open.body.members, []);
    const tech = await as('technician');
    assertStatus(await tech.get(`${API}/channels/${open.body.id}`), 200);
    assertProblem(await (await as('c1_approver')).get(`${API}/channels/${open.body.id}`), 404);

    const mgr = await as('manager');
    const restricted = await mgr.post(`${API}/channels`, { kind: 'internal', name: uniq('Managers'), member_ids: [uid('technician')] });
    assertStatus(restricted, 201);
    assert.deepEqual(restricted.body.members.map((m) => m.id).sort(), [uid('manager'), uid('technician')].sort());
    assert.ok(restricted.body.members.every((m) => typeof m.handle === 'string'));
    assertProblem(await admin.get(`${API}/channels/${restricted.body.id}`), 404, []);  // admins only as members
    assertStatus(await tech.get(`${API}/channels/${restricted.body.id}`), 200);
    // Managers and admins rename and set members; technicians may not.
    assertProblem(await tech.patch(`${API}/channels/${restricted.body.id}`, { name: 'y' }), 403);
    const renamed = await mgr.patch(`${API}/channels/${restricted.body.id}`, { name: 'Renamed', member_ids: [uid('manager'), uid('admin')] });
    assertStatus(renamed, 200);
    assert.equal(renamed.body.name, 'Renamed');
    assertProblem(await tech.get(`${API}/channels/${restricted.body.id}`), 404);
    assertStatus(await admin.get(`${API}/channels/${restricted.body.id}`), 200);
    // Admins delete.
    assertProblem(await mgr.delete(`${API}/channels/${open.body.id}`), 403);
    assertStatus(await admin.delete(`${API}/channels/${open.body.id}`), 204);
    assertProblem(await tech.get(`${API}/channels/${open.body.id}`), 404);
  });

  test('a direct channel: exactly two staff users; nobody else reads it, admins included', async () => {
    const second = await newUser(ctx.server, 'acme', 'technician');
    const tech = await as('technician');
    assertProblem(await tech.post(`${API}/channels`, { kind: 'direct', member_ids: [uid('c1_approver')] }), 400, ['member_ids']);
    assertProblem(await tech.post(`${API}/channels`, { kind: 'direct', member_ids: [uid('manager'), uid('admin')] }), 400, ['member_ids']);
    const d = await tech.post(`${API}/channels`, { kind: 'direct', member_ids: [second.user.id] });
    assertStatus(d, 201);
    assert.equal(d.body.kind, 'direct');
    const again = await second.client.post(`${API}/channels`, { kind: 'direct', member_ids: [uid('technician')] });
    assertStatus(again, 200);
    assert.equal(again.body.id, d.body.id, 'the existing one, 200');
    const m = await post('technician', d.body.id, 'just between us');
    for (const who of ['admin', 'manager', 'c1_approver']) {
      const c = await as(who);
      assertProblem(await c.get(`${API}/channels/${d.body.id}`), 404);
      assertProblem(await c.get(`${API}/channels/${d.body.id}/messages`), 404);
      assertProblem(await c.post(`${API}/channels/${d.body.id}/messages`, { body: 'hi' }), 404);
      assertProblem(await c.patch(`${API}/messages/${m.id}`, { body: 'x' }), 404);
      assertProblem(await c.delete(`${API}/messages/${m.id}`), 404);
      assert.ok(!assertPage(await c.get(`${API}/channels?page_size=200`)).some((x) => x.id === d.body.id), who);
    }
    assertProblem(await (await as('admin')).patch(`${API}/channels/${d.body.id}`, { name: 'x' }), 404);
    const read = await second.client.get(`${API}/channels/${d.body.id}/messages`);
    assertStatus(read, 200);
    assert.equal(read.body.results[0].body, 'just between us');
  });
});

describe('messages', () => {
  test('post, shape, edit by its author only, delete by author or manager; deleted content gone', async () => {
    const ch = await customerChannel('c1');
    const m = await post('c1_requester', ch.id, 'Hello shop');
    for (const k of ['id', 'channel_id', 'author', 'body', 'mentions', 'attachments', 'created_at', 'edited_at', 'deleted',
      'deleted_by', 'deleted_at']) assert.ok(k in m, k);
    assert.equal(m.author.id, uid('c1_requester'));
    assert.equal(m.author.handle, 'c1.requester');
    assert.equal(m.edited_at, null);
    assert.equal(m.deleted, false);
    assert.deepEqual(m.allowed_actions, ['edit', 'delete']);
    assert.equal(ch.allowed_actions.includes('post'), true);
    assert.deepEqual((await customerChannel('c1', 'c1_viewer')).allowed_actions, [], 'a viewer reads only');
    const seenByTech = (await (await as('technician')).get(`${API}/channels/${ch.id}/messages`)).body.results.find((x) => x.id === m.id);
    assert.deepEqual(seenByTech.allowed_actions, [], 'a technician neither edits nor deletes another\'s message');
    const seenByManager = (await (await as('manager')).get(`${API}/channels/${ch.id}/messages`)).body.results.find((x) => x.id === m.id);
    assert.deepEqual(seenByManager.allowed_actions, ['delete']);

    assertProblem(await (await as('c1_viewer')).post(`${API}/channels/${ch.id}/messages`, { body: 'hi' }), 403);
    assertProblem(await (await as('c1_requester')).post(`${API}/channels/${ch.id}/messages`, { body: '  ' }), 400, ['body']);
    assertProblem(await (await as('c1_requester')).post(`${API}/channels/${ch.id}/messages`, { body: 'x'.repeat(4001) }), 400, ['body']);
    assertProblem(await (await as('c1_requester')).post(`${API}/channels/${ch.id}/messages`, {}), 400, ['body']);
    assertProblem(await (await as('c1_requester')).post(`${API}/channels/${ch.id}/messages`, { body: 'x', extra: 1 }), 400, ['extra']);
    assertStatus(await (await as('c1_requester')).post(`${API}/channels/${ch.id}/messages`, { body: 'ü'.repeat(4000) }), 201);

    for (const who of ['c1_approver', 'technician', 'admin']) {
      assertProblem(await (await as(who)).patch(`${API}/messages/${m.id}`, { body: 'hijacked' }), 403);
    }
    assertProblem(await (await as('technician')).delete(`${API}/messages/${m.id}`), 403);
    assertProblem(await (await as('c1_approver')).delete(`${API}/messages/${m.id}`), 403);
    const edited = await (await as('c1_requester')).patch(`${API}/messages/${m.id}`, { body: 'Hello shop, again' });
    assertStatus(edited, 200);
    assert.equal(edited.body.body, 'Hello shop, again');
    assert.match(edited.body.edited_at, RFC3339_UTC);

    const other = await post('c1_requester', ch.id, 'Delete me @technician');
    assertStatus(await (await as('manager')).delete(`${API}/messages/${other.id}`), 204);
    assertStatus(await (await as('c1_requester')).delete(`${API}/messages/${m.id}`), 204);
    assertProblem(await (await as('c1_requester')).patch(`${API}/messages/${m.id}`, { body: 'back' }), 409);
    for (const who of ['c1_viewer', 'technician', 'admin']) {
      const page = await (await as(who)).get(`${API}/channels/${ch.id}/messages?limit=200`);
      for (const id of [m.id, other.id]) {
        const gone = page.body.results.find((x) => x.id === id);
        assert.ok(gone, 'a deleted message keeps its place');
        assert.equal(gone.deleted, true);
        assert.equal(gone.body, null);
        assert.deepEqual(gone.mentions, []);
        assert.deepEqual(gone.attachments, []);
        assert.match(gone.deleted_at, RFC3339_UTC);
      }
      assert.ok(!JSON.stringify(page.body).includes('Hello shop'), `no trace of the text for ${who}`);
    }
  });

  test('mentions: users who read the channel, records of the channel customer only, e-mail addresses nobody', async () => {
    const ch = await customerChannel('c1');
    const admin = await as('admin');
    const own = await createRepair(admin, { customer_id: cid('c1'), unit_number: uniq('U1') });
    const foreign = await createRepair(admin, { customer_id: cid('c2'), unit_number: uniq('SECRET') });
    const body = `@technician can you check @repair#${own.id}? Not @repair#${foreign.id} nor @unit#${foreign.unit_id}; ` +
      `mail ann@example.com, ask @c2.approver and @Technician again, @unit#${own.unit_id}.`;
    const m = await post('c1_approver', ch.id, body);
    const users = m.mentions.filter((x) => x.type === 'user');
    assert.deepEqual(users.map((x) => x.user.handle), ['technician'], 'one mention per user; a non-reader is no mention');
    assert.equal(users[0].user.id, uid('technician'));
    const records = m.mentions.filter((x) => x.type !== 'user');
    assert.deepEqual(records.map((x) => [x.type, x.id]), [['repair', own.id], ['unit', own.unit_id]]);
    assert.ok(records[0].label.includes(`#${own.id}`));
    assert.ok(!JSON.stringify(m).includes(foreign.unit_number), 'no label of another customer\'s record');
    // The same link in an internal channel resolves (any record of the tenant).
    const internal = await admin.post(`${API}/channels`, { kind: 'internal', name: uniq('Ops') });
    const im = await post('admin', internal.body.id, `about @repair#${foreign.id}`);
    assert.deepEqual(im.mentions.map((x) => [x.type, x.id]), [['repair', foreign.id]]);
    // Requests and change orders: linked with a label inside the channel's customer, plain text outside it.
    const ownReq = await (await as('c1_requester')).post(`${API}/requests`, { customer_id: cid('c1'), type: 'info', title: uniq('Own question') });
    assertStatus(ownReq, 201);
    const otherReq = await (await as('c2_requester')).post(`${API}/requests`, { customer_id: cid('c2'), type: 'info', title: uniq('SECRET-REQ') });
    assertStatus(otherReq, 201);
    const co = await admin.post(`${API}/repairs/${own.id}/change-orders`, { description: 'Extra seal', amount: '15.00' });
    assertStatus(co, 201);
    const foreignCo = await admin.post(`${API}/repairs/${foreign.id}/change-orders`, { description: 'SECRET-CO', amount: '9.00' });
    assertStatus(foreignCo, 201);
    const rq = await post('c1_approver', ch.id,
      `@request#${ownReq.body.id} @request#${otherReq.body.id} @change_order#${co.body.id} @change_order#${foreignCo.body.id} @request#99999999`);
    assert.deepEqual(rq.mentions.map((x) => [x.type, x.id]), [['request', ownReq.body.id], ['change_order', co.body.id]]);
    assert.ok(rq.mentions[0].label.includes(ownReq.body.title));
    assert.ok(rq.mentions[1].label.includes(`#${co.body.id}`));
    assert.ok(!JSON.stringify(rq).includes('SECRET'), 'no label of another customer\'s request or change order');
    const irq = await post('admin', internal.body.id, `@request#${otherReq.body.id}`);
    assert.deepEqual(irq.mentions.map((x) => [x.type, x.id]), [['request', otherReq.body.id]], 'staff channels link any record of the tenant');
    // Other tenant's repair in an internal channel: nothing.
    const g = await createRepair(await as('admin', 'globex'), { customer_id: cid('c1', 'globex'), unit_number: uniq('G') });
    assert.deepEqual((await post('admin', internal.body.id, `@repair#${g.id}`)).mentions, []);
  });

  test('notifications: one per mentioned reader and message, none for oneself or non-readers, not again on edit', async () => {
    const ch = await customerChannel('c1');
    const tech = await as('technician');
    const c2 = await as('c2_approver');
    const before = await tech.get(`${API}/notifications?page_size=200`);
    const beforeC2 = await c2.get(`${API}/notifications?page_size=200`);
    const m = await post('c1_approver', ch.id, `@technician @c2.approver @c1.approver ${uniq('ping')}`);
    await (await as('c1_approver')).patch(`${API}/messages/${m.id}`, { body: `@technician edited ${uniq('x')}` });
    const after = await tech.get(`${API}/notifications?page_size=200`);
    assert.equal(after.body.count, before.body.count + 1, 'told once');
    assert.equal((await c2.get(`${API}/notifications?page_size=200`)).body.count, beforeC2.body.count, 'a non-reader is told nothing');
    const mine = assertPage(await tech.get(`${API}/messages?mentions=me&page_size=200`));
    assert.ok(mine.some((x) => x.id === m.id), 'my mentions');
    assert.ok(!assertPage(await c2.get(`${API}/messages?mentions=me`)).some((x) => x.id === m.id));
    assertProblem(await tech.get(`${API}/messages?mentions=you`), 400, ['mentions']);
    // Deleted: gone from my mentions.
    assertStatus(await (await as('c1_approver')).delete(`${API}/messages/${m.id}`), 204);
    assert.ok(!assertPage(await tech.get(`${API}/messages?mentions=me&page_size=200`)).some((x) => x.id === m.id));
  });

  test('pagination by anchors: newest first, no repeats, has_more both ways', async () => {
    const admin = await as('admin');
    const ch = (await admin.post(`${API}/channels`, { kind: 'internal', name: uniq('Paging') })).body;
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push((await post('admin', ch.id, `m${i}`)).id);
    const seen = [];
    let before = '';
    for (;;) {
      const res = await admin.get(`${API}/channels/${ch.id}/messages?limit=3${before}`);
      assertStatus(res, 200);
      const r = res.body.results.map((x) => x.id);
      assert.deepEqual(r, [...r].sort((a, b) => b - a), 'newest first');
      seen.push(...r);
      if (!res.body.has_more) break;
      before = `&before=${r[r.length - 1]}`;
    }
    assert.deepEqual(seen, [...ids].reverse(), 'every message once');
    const newer = await admin.get(`${API}/channels/${ch.id}/messages?after=${ids[1]}&limit=3`);
    assert.deepEqual(newer.body.results.map((x) => x.id), [ids[4], ids[3], ids[2]]);
    assert.equal(newer.body.has_more, true);
    const last = await admin.get(`${API}/channels/${ch.id}/messages?after=${ids[4]}&limit=3`);
    assert.deepEqual(last.body.results.map((x) => x.id), [ids[6], ids[5]]);
    assert.equal(last.body.has_more, false);
    assertProblem(await admin.get(`${API}/channels/${ch.id}/messages?limit=0`), 400, ['limit']);
    assertProblem(await admin.get(`${API}/channels/${ch.id}/messages?before=x`), 400, ['before']);
    assert.equal((await admin.get(`${API}/channels/${ch.id}/messages?limit=900`)).body.results.length, 7);
  });

  test('read positions and unread counts: others\' messages only, forward only', async () => {
    const admin = await as('admin');
    const ch = (await admin.post(`${API}/channels`, { kind: 'internal', name: uniq('Unread') })).body;
    const a = await post('admin', ch.id, 'one');
    const b = await post('admin', ch.id, 'two');
    await post('technician', ch.id, 'mine');
    const tech = await as('technician');
    const get = async (c) => (await c.get(`${API}/channels/${ch.id}`)).body.unread_count;
    assert.equal(await get(tech), 2);
    assert.equal(await get(admin), 1);
    assertStatus(await tech.post(`${API}/channels/${ch.id}/read`, { message_id: b.id }), 204);
    assert.equal(await get(tech), 0);
    assertStatus(await tech.post(`${API}/channels/${ch.id}/read`, { message_id: a.id }), 204);
    assert.equal(await get(tech), 0, 'never moves back');
    const other = (await admin.post(`${API}/channels`, { kind: 'internal', name: uniq('Other') })).body;
    const o = await post('admin', other.id, 'x');
    assertProblem(await tech.post(`${API}/channels/${ch.id}/read`, { message_id: o.id }), 400, ['message_id']);
    const listed = assertPage(await tech.get(`${API}/channels?kind=internal&page_size=200`)).find((x) => x.id === other.id);
    assert.equal(listed.unread_count, 1);
  });

  test('events: message.* reach exactly the channel readers', async () => {
    const ch = await customerChannel('c1');
    const watchers = ['technician', 'c1_viewer', 'c2_approver', 'admin'];
    const start = {};
    for (const w of watchers) start[w] = await settledLastId(await as(w));
    const second = await newUser(ctx.server, 'acme', 'technician');
    const d = (await (await as('technician')).post(`${API}/channels`, { kind: 'direct', member_ids: [second.user.id] })).body;
    const startSecond = await settledLastId(second.client);
    const m = await post('c1_requester', ch.id, 'live?');
    const dm = await post('technician', d.id, 'private');
    await (await as('c1_requester')).patch(`${API}/messages/${m.id}`, { body: 'live!' });
    await (await as('c1_requester')).delete(`${API}/messages/${m.id}`);
    const seen = {};
    for (const w of watchers) seen[w] = (await settledDrain(await as(w), start[w])).filter((e) => e.type.startsWith('message.'));
    const types = (list, id) => list.filter((e) => e.data.message_id === id).map((e) => e.type);
    for (const w of ['technician', 'c1_viewer', 'admin']) {
      assert.deepEqual(types(seen[w], m.id), ['message.created', 'message.updated', 'message.deleted'], w);
      assert.equal(seen[w].find((e) => e.data.message_id === m.id).data.channel_id, ch.id);
    }
    assert.deepEqual(types(seen.c2_approver, m.id), [], 'another customer hears nothing');
    assert.deepEqual(types(seen.technician, dm.id), ['message.created']);
    for (const w of ['admin', 'c1_viewer', 'c2_approver']) assert.deepEqual(types(seen[w], dm.id), [], w);
    const secondSeen = (await settledDrain(second.client, startSecond)).filter((e) => e.type.startsWith('message.'));
    assert.deepEqual(types(secondSeen, dm.id), ['message.created']);
    assert.deepEqual(types(secondSeen, m.id), ['message.created', 'message.updated', 'message.deleted'], 'staff read customer channels');
  });
});

describe('composer autocomplete', () => {
  test('mentionable: readers of the channel only, by handle or name prefix', async () => {
    const ch = await customerChannel('c1');
    const res = await (await as('c1_approver')).get(`${API}/channels/${ch.id}/mentionable?q=c`);
    assertStatus(res, 200);
    const handles = res.body.map((u) => u.handle);
    assert.ok(handles.includes('c1.requester'), handles.join());
    assert.ok(!handles.some((h) => h.startsWith('c2.')), 'another customer\'s users are not offered');
    const tech = await (await as('c1_approver')).get(`${API}/channels/${ch.id}/mentionable?q=tech`);
    assert.ok(tech.body.some((u) => u.handle === 'technician'));
    assertProblem(await (await as('c2_approver')).get(`${API}/channels/${ch.id}/mentionable?q=a`), 404);
  });
});
