// Appointments (issue 12; API.md "Appointments"): shop settings, service types, availability in the shop's
// zone across a DST change, every appointment move for every role, the race for the last slot, reminders
// exactly once (across a restart), the technician's iCalendar feed (parsed with python3-icalendar).
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { useServer, assertProblem, assertStatus, assertPage, REPO_ROOT } from './harness.mjs';
import { API, newUser, newCustomerUser, uniq } from './lifecycle_helpers.mjs';

const ctx = useServer();
const HOURS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['08:00', '17:00']]]));
const SETTINGS = { time_zone: 'America/New_York', bays: 1, opening_hours: HOURS, slot_minutes: 30 };
let day = 0;
/** A fresh far-future local date per call (2031-05-..), so tests do not share capacity. */
const nextDate = () => { day += 1; return new Date(Date.UTC(2031, 4, 1) + day * 86400000).toISOString().slice(0, 10); };
let serviceType; // 60 minutes

async function shift(techId, date, start = '08:00', end = '17:00', isAvailable = true) {
  const m = await ctx.server.bearer('acme', 'manager');
  assertStatus(await m.post(`${API}/technicians/${techId}/schedule`, { date, start_time: start, end_time: end, is_available: isAvailable, notes: '' }), 201);
}
async function slots(client, date, days = 1, type = serviceType.id) {
  const res = await client.get(`${API}/availability?service_type=${type}&date=${date}&days=${days}`);
  assertStatus(res, 200);
  return res.body;
}
const techId = () => ctx.server.user('acme', 'technician').id;
const c1 = () => ctx.server.customer('acme', 'c1').id;
async function book(client, startsAt, extra = {}) {
  return client.post(`${API}/appointments`, { customer_id: c1(), unit_number: uniq('U'), service_type_id: serviceType.id, starts_at: startsAt, ...extra });
}

/** The shop's settings and a 60-minute service type, once (run from each describe's before hook). */
let ready = null;
function setup() {
  ready ??= (async () => {
    const admin = await ctx.server.bearer('acme', 'admin');
    assertStatus(await admin.put(`${API}/settings/shop`, SETTINGS), 200);
    const res = await (await ctx.server.bearer('acme', 'manager')).post(`${API}/service-types`, { name: 'Windshield repair', duration_minutes: 60 });
    assertStatus(res, 201);
    serviceType = res.body;
  })();
  return ready;
}

describe('shop settings and service types', () => {
  before(setup);
  test('GET returns all seven days; PUT is admin only; invalid values are 400 by field', async () => {
    const s = ctx.server;
    const got = await (await s.bearer('acme', 'c1_viewer')).get(`${API}/settings/shop`);
    assertStatus(got, 200);
    assert.deepEqual(Object.keys(got.body.opening_hours).sort(), ['fri', 'mon', 'sat', 'sun', 'thu', 'tue', 'wed']);
    assert.equal(got.body.time_zone, 'America/New_York');
    const other = await (await s.bearer('globex', 'admin')).get(`${API}/settings/shop`);
    assert.equal(other.body.time_zone, 'UTC', 'another tenant keeps its own (default) settings');
    assert.deepEqual(other.body.opening_hours.sun, []);
    for (const key of ['manager', 'technician', 'c1_approver']) {
      assertProblem(await (await s.bearer('acme', key)).put(`${API}/settings/shop`, SETTINGS), 403);
    }
    const admin = await s.bearer('acme', 'admin');
    assertProblem(await admin.put(`${API}/settings/shop`, { ...SETTINGS, time_zone: 'Mars/Olympus' }), 400, ['time_zone']);
    assertProblem(await admin.put(`${API}/settings/shop`, { ...SETTINGS, bays: 0 }), 400, ['bays']);
    assertProblem(await admin.put(`${API}/settings/shop`, { ...SETTINGS, slot_minutes: 7 }), 400, ['slot_minutes']);
    const { sun, ...sixDays } = HOURS;
    assertProblem(await admin.put(`${API}/settings/shop`, { ...SETTINGS, opening_hours: sixDays }), 400, ['opening_hours.sun']);
    assertProblem(await admin.put(`${API}/settings/shop`, { ...SETTINGS, opening_hours: { ...HOURS, mon: [['17:00', '08:00']] } }), 400, ['opening_hours']);
    assertProblem(await admin.put(`${API}/settings/shop`, { ...SETTINGS, colour: 'red' }), 400);
  });

  test('service types: admin and manager create and change; others 403; customers list active ones', async () => {
    const s = ctx.server;
    const created = await (await s.bearer('acme', 'admin')).post(`${API}/service-types`, { name: 'Old service', duration_minutes: 30 });
    assertStatus(created, 201);
    assert.equal(created.body.active, true);
    assertProblem(await (await s.bearer('acme', 'technician')).post(`${API}/service-types`, { name: 'x', duration_minutes: 30 }), 403);
    assertProblem(await (await s.bearer('acme', 'c1_approver')).post(`${API}/service-types`, { name: 'x', duration_minutes: 30 }), 403);
    assertProblem(await (await s.bearer('acme', 'manager')).post(`${API}/service-types`, { name: 'x', duration_minutes: 2 }), 400, ['duration_minutes']);
    const off = await (await s.bearer('acme', 'manager')).patch(`${API}/service-types/${created.body.id}`, { active: false });
    assertStatus(off, 200);
    assert.equal(off.body.active, false);
    const customerList = assertPage(await (await s.bearer('acme', 'c1_approver')).get(`${API}/service-types`));
    assert.ok(!customerList.some((t) => t.id === created.body.id));
    assert.ok(customerList.some((t) => t.id === serviceType.id));
    const staffList = assertPage(await (await s.bearer('acme', 'technician')).get(`${API}/service-types`));
    assert.ok(staffList.some((t) => t.id === created.body.id));
    assertProblem(await (await s.bearer('globex', 'admin')).patch(`${API}/service-types/${created.body.id}`, { name: 'mine' }), 404);
  });
});

describe('availability', () => {
  before(setup);
  test('slots on the grid within opening hours and the technician shift, in UTC and local time', async () => {
    const date = nextDate();
    await shift(techId(), date, '08:00', '12:00');
    const list = await slots(await ctx.server.bearer('acme', 'c1_requester'), date);
    assert.deepEqual(list.map((x) => x.local_start.slice(11)), ['08:00', '08:30', '09:00', '09:30', '10:00', '10:30', '11:00']);
    assert.equal(list[0].starts_at, `${date}T12:00:00Z`, 'EDT is UTC-4 in May');
    assert.equal(list[0].ends_at, `${date}T13:00:00Z`);
  });

  test('09:00 is 09:00 local on both sides of the spring change (2031-03-09)', async () => {
    for (const date of ['2031-03-08', '2031-03-09', '2031-03-10']) await shift(techId(), date);
    const list = await slots(await ctx.server.bearer('acme', 'c1_requester'), '2031-03-08', 3);
    const nine = list.filter((x) => x.local_start.endsWith('T09:00'));
    assert.deepEqual(nine.map((x) => x.starts_at), ['2031-03-08T14:00:00Z', '2031-03-09T13:00:00Z', '2031-03-10T13:00:00Z']);
    assert.equal(list.length, 3 * 17);
  });

  test('bad parameters are 400', async () => {
    const c = await ctx.server.bearer('acme', 'c1_requester');
    assertProblem(await c.get(`${API}/availability?service_type=${serviceType.id}&date=2031-02-30`), 400, ['date']);
    assertProblem(await c.get(`${API}/availability?service_type=${serviceType.id}&days=15`), 400, ['days']);
    assertProblem(await c.get(`${API}/availability?service_type=999999`), 400, ['service_type']);
    assertProblem(await c.get(`${API}/availability`), 400, ['service_type']);
  });
});

describe('booking', () => {
  before(setup);
  test('customer requesters and approvers book (requested), staff book (confirmed); the slot is then taken', async () => {
    const s = ctx.server;
    const date = nextDate();
    await shift(techId(), date);
    const req = await book(await s.bearer('acme', 'c1_requester'), `${date}T13:00:00Z`, { notes: 'drop-off' });
    assertStatus(req, 201);
    assert.equal(req.body.status, 'requested');
    assert.equal(req.body.local_start, `${date}T09:00`);
    assert.equal(req.body.ends_at, `${date}T14:00:00Z`);
    assert.equal(req.body.technician_id, techId(), 'the server assigns a free technician');
    assert.equal(req.body.notes, 'drop-off');
    assertProblem(await book(await s.bearer('acme', 'c1_approver'), `${date}T13:30:00Z`), 409);
    const staff = await book(await s.bearer('acme', 'manager'), `${date}T15:00:00Z`);
    assertStatus(staff, 201);
    assert.equal(staff.body.status, 'confirmed');
    const after = await slots(await s.bearer('acme', 'c1_requester'), date);
    assert.ok(!after.some((x) => x.starts_at === `${date}T13:00:00Z` || x.starts_at === `${date}T15:00:00Z`));
  });

  test('viewers 403, a technician named by a customer 403, another customer 400, off-grid or closed 409', async () => {
    const s = ctx.server;
    const date = nextDate();
    await shift(techId(), date);
    assertProblem(await book(await s.bearer('acme', 'c1_viewer'), `${date}T13:00:00Z`), 403);
    assertProblem(await book(await s.bearer('acme', 'c1_requester'), `${date}T13:00:00Z`, { technician_id: techId() }), 403);
    assertProblem(await book(await s.bearer('acme', 'c2_requester'), `${date}T13:00:00Z`), 400, ['customer_id']);
    assertProblem(await book(await s.bearer('globex', 'admin'), `${date}T13:00:00Z`), 400, ['customer_id']);
    assertProblem(await book(await s.bearer('acme', 'c1_requester'), `${date}T13:10:00Z`), 409);
    assertProblem(await book(await s.bearer('acme', 'c1_requester'), `${date}T23:00:00Z`), 409);
    assertProblem(await book(await s.bearer('acme', 'c1_requester'), 'tomorrow at nine'), 400, ['starts_at']);
    assertProblem(await book(await s.bearer('acme', 'c1_requester'), `${date}T13:00:00Z`, { service_type_id: 999999 }), 400, ['service_type_id']);
    assertProblem(await book(await s.bearer('acme', 'c1_requester'), `${date}T13:00:00Z`, { color: 'red' }), 400);
  });

  test('the race for the last bay: one 201, the others 409', async () => {
    const s = ctx.server;
    const date = nextDate();
    await shift(techId(), date, '10:00', '11:00');
    const a = await s.bearer('acme', 'c1_requester');
    const b = await s.bearer('acme', 'c1_approver');
    const m = await s.bearer('acme', 'manager');
    const startsAt = `${date}T14:00:00Z`;
    const results = await Promise.all([a, b, m, a, b, m].map((c) => book(c, startsAt)));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((x) => x === 201).length, 1, statuses.join(','));
    assert.equal(statuses.filter((x) => x === 409).length, 5, statuses.join(','));
    const list = assertPage(await m.get(`${API}/appointments?from=${date}&to=${date}`));
    assert.equal(list.length, 1);
  });

  test('a staff booking may name a free technician; a busy one is 409', async () => {
    const s = ctx.server;
    const date = nextDate();
    const other = await newUser(s, 'acme', 'technician');
    await shift(techId(), date);
    await shift(other.user.id, date);
    const admin = await s.bearer('acme', 'admin');
    await admin.put(`${API}/settings/shop`, { ...SETTINGS, bays: 2 });
    try {
      const first = await book(admin, `${date}T13:00:00Z`, { technician_id: other.user.id });
      assertStatus(first, 201);
      assert.equal(first.body.technician_id, other.user.id);
      assertProblem(await book(admin, `${date}T13:00:00Z`, { technician_id: other.user.id }), 409);
      const second = await book(admin, `${date}T13:00:00Z`);
      assertStatus(second, 201);
      assert.equal(second.body.technician_id, techId());
      assertProblem(await book(admin, `${date}T13:00:00Z`), 409, []);
    } finally {
      await admin.put(`${API}/settings/shop`, SETTINGS);
    }
  });
});

describe('moves', () => {
  before(setup);
  async function requestedAppointment() {
    const date = nextDate();
    await shift(techId(), date);
    const res = await book(await ctx.server.bearer('acme', 'c1_requester'), `${date}T13:00:00Z`);
    assertStatus(res, 201);
    return { appt: res.body, date };
  }
  const mv = (client, id, action, body) => client.post(`${API}/appointments/${id}/${action}`, body);

  test('confirm: staff only; twice is 409; customers 403; another customer 404', async () => {
    const s = ctx.server;
    const { appt } = await requestedAppointment();
    assertProblem(await mv(await s.bearer('acme', 'c1_approver'), appt.id, 'confirm'), 403);
    assertProblem(await mv(await s.bearer('acme', 'c2_approver'), appt.id, 'confirm'), 404);
    assertProblem(await mv(await s.bearer('globex', 'manager'), appt.id, 'confirm'), 404);
    for (const key of ['technician']) {
      const res = await mv(await s.bearer('acme', key), appt.id, 'confirm');
      assertStatus(res, 200);
      assert.equal(res.body.status, 'confirmed');
    }
    assertProblem(await mv(await s.bearer('acme', 'manager'), appt.id, 'confirm'), 409);
  });

  test('reschedule: the customer while requested, 403 once confirmed; staff any time; not free 409', async () => {
    const s = ctx.server;
    const { appt, date } = await requestedAppointment();
    const cust = await s.bearer('acme', 'c1_requester');
    const moved = await mv(cust, appt.id, 'reschedule', { starts_at: `${date}T14:00:00Z` });
    assertStatus(moved, 200);
    assert.equal(moved.body.local_start, `${date}T10:00`);
    assert.equal(moved.body.status, 'requested');
    const blocker = await book(await s.bearer('acme', 'manager'), `${date}T16:00:00Z`);
    assertStatus(blocker, 201);
    assertProblem(await mv(cust, appt.id, 'reschedule', { starts_at: `${date}T16:00:00Z` }), 409);
    assertProblem(await mv(cust, appt.id, 'reschedule', {}), 400, ['starts_at']);
    assertStatus(await mv(await s.bearer('acme', 'manager'), appt.id, 'confirm'), 200);
    assertProblem(await mv(cust, appt.id, 'reschedule', { starts_at: `${date}T18:00:00Z` }), 403);
    const staff = await mv(await s.bearer('acme', 'technician'), appt.id, 'reschedule', { starts_at: `${date}T18:00:00Z` });
    assertStatus(staff, 200);
    assert.equal(staff.body.local_start, `${date}T14:00`);
    assert.equal(staff.body.status, 'confirmed');
    assertProblem(await mv(await s.bearer('acme', 'c1_viewer'), appt.id, 'reschedule', { starts_at: `${date}T19:00:00Z` }), 403);
  });

  test('cancel: the customer before the start, staff always; a cancelled one frees the slot and cannot move', async () => {
    const s = ctx.server;
    const { appt, date } = await requestedAppointment();
    assertProblem(await mv(await s.bearer('acme', 'c1_viewer'), appt.id, 'cancel', { reason: 'x' }), 403);
    const res = await mv(await s.bearer('acme', 'c1_approver'), appt.id, 'cancel', { reason: 'Not needed' });
    assertStatus(res, 200);
    assert.equal(res.body.status, 'cancelled');
    assert.equal(res.body.cancel_reason, 'Not needed');
    for (const action of ['confirm', 'cancel', 'complete', 'no-show']) {
      assertProblem(await mv(await s.bearer('acme', 'manager'), appt.id, action, {}), 409);
    }
    assertProblem(await mv(await s.bearer('acme', 'manager'), appt.id, 'reschedule', { starts_at: `${date}T14:00:00Z` }), 409);
    assertStatus(await book(await s.bearer('acme', 'c1_requester'), `${date}T13:00:00Z`), 201);
  });

  test('complete and no-show: staff, from confirmed only; customers 403', async () => {
    const s = ctx.server;
    for (const action of ['complete', 'no-show']) {
      const { appt } = await requestedAppointment();
      const m = await s.bearer('acme', 'manager');
      assertProblem(await mv(m, appt.id, action), 409);
      assertStatus(await mv(m, appt.id, 'confirm'), 200);
      assertProblem(await mv(await s.bearer('acme', 'c1_approver'), appt.id, action), 403);
      const res = await mv(await s.bearer('acme', 'technician'), appt.id, action);
      assertStatus(res, 200);
      assert.equal(res.body.status, action === 'complete' ? 'completed' : 'no_show');
      assertProblem(await mv(m, appt.id, action), 409);
    }
  });

  test('PATCH: staff link a repair of the same customer and change notes; customers 403', async () => {
    const s = ctx.server;
    const { appt } = await requestedAppointment();
    const m = await s.bearer('acme', 'manager');
    const repair = await m.post(`${API}/repairs`, { customer_id: c1(), unit_id: appt.unit_id, description: 'Chip', damage_type: 'chip', priority: 2 });
    assertStatus(repair, 201);
    const res = await m.patch(`${API}/appointments/${appt.id}`, { repair_id: repair.body.id, notes: 'linked' });
    assertStatus(res, 200);
    assert.equal(res.body.repair_id, repair.body.id);
    assert.equal(res.body.notes, 'linked');
    const foreign = await m.post(`${API}/repairs`, { customer_id: ctx.server.customer('acme', 'c2').id, unit_number: uniq('U'), description: 'x', damage_type: 'chip', priority: 2 });
    assertProblem(await m.patch(`${API}/appointments/${appt.id}`, { repair_id: foreign.body.id }), 400, ['repair_id']);
    assertProblem(await (await s.bearer('acme', 'c1_approver')).patch(`${API}/appointments/${appt.id}`, { notes: 'mine' }), 403);
    const unlinked = await m.patch(`${API}/appointments/${appt.id}`, { repair_id: null });
    assert.equal(unlinked.body.repair_id, null);
  });

  test('lists are scoped: a customer sees only its customers’ appointments; filters never widen', async () => {
    const s = ctx.server;
    const { appt } = await requestedAppointment();
    const mine = assertPage(await (await s.bearer('acme', 'c1_viewer')).get(`${API}/appointments`));
    assert.ok(mine.some((a) => a.id === appt.id));
    const theirs = assertPage(await (await s.bearer('acme', 'c2_approver')).get(`${API}/appointments?customer=${c1()}`));
    assert.equal(theirs.length, 0);
    assertProblem(await (await s.bearer('acme', 'c2_approver')).get(`${API}/appointments/${appt.id}`), 404);
    const filtered = assertPage(await (await s.bearer('acme', 'manager')).get(`${API}/appointments?status=requested&technician=${techId()}`));
    assert.ok(filtered.every((a) => a.status === 'requested' && a.technician_id === techId()));
    assertProblem(await (await s.bearer('acme', 'manager')).get(`${API}/appointments?status=lost`), 400, ['status']);
  });
});

function icalCheck(text) {
  return new Promise((resolve, reject) => {
    const child = execFile('/usr/bin/python3', [path.join(REPO_ROOT, 'tests', 'api', 'ical_check.py')], (err, stdout, stderr) => {
      let parsed;
      try { parsed = JSON.parse(stdout); } catch { return reject(new Error(`ical_check: ${stderr || err?.message}`)); }
      resolve(parsed);
    });
    child.stdin.end(text);
  });
}

describe('calendar feed', () => {
  before(setup);
  test('the feed parses (RFC 5545) and holds exactly the confirmed appointments of that technician; revoked -> 404', async () => {
    const s = ctx.server;
    const tech = await newUser(s, 'acme', 'technician');
    const date = nextDate();
    await shift(tech.user.id, date);
    await shift(techId(), date);
    const admin = await s.bearer('acme', 'admin');
    await admin.put(`${API}/settings/shop`, { ...SETTINGS, bays: 3 });
    let ids;
    try {
      const a = await book(admin, `${date}T13:00:00Z`, { technician_id: tech.user.id });
      const b = await book(admin, `${date}T15:00:00Z`, { technician_id: tech.user.id });
      const c = await book(await s.bearer('acme', 'c1_requester'), `${date}T17:00:00Z`); // requested: not in the feed
      const d = await book(admin, `${date}T13:00:00Z`, { technician_id: techId() }); // another technician
      for (const r of [a, b, c, d]) assertStatus(r, 201);
      await admin.post(`${API}/appointments/${b.body.id}/cancel`, { reason: 'x' });
      ids = { a: a.body.id };
    } finally {
      await admin.put(`${API}/settings/shop`, SETTINGS);
    }
    const token = await tech.client.post(`${API}/me/calendar-token`);
    assertStatus(token, 201);
    const url = new URL(token.body.url, s.baseUrl);
    assert.equal(url.pathname, `${API}/technicians/${tech.user.id}/calendar.ics`);
    const feed = await fetch(new URL(url.pathname + url.search, s.baseUrl));
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type'), /^text\/calendar/);
    const parsed = await icalCheck(await feed.text());
    assert.equal(parsed.ok, true, JSON.stringify(parsed.problems));
    assert.deepEqual(parsed.events.map((e) => e.uid), [`appointment-${ids.a}@portico`]);
    assert.equal(parsed.events[0].start, `${date}T13:00:00Z`);
    assert.equal(parsed.events[0].end, `${date}T14:00:00Z`);
    assert.equal(parsed.events[0].status, 'CONFIRMED');
    assert.equal((await fetch(new URL(`${API}/technicians/${techId()}/calendar.ics${url.search}`, s.baseUrl))).status, 404,
      'a technician token does not read another technician');
    assert.equal((await fetch(new URL(`${API}/technicians/${tech.user.id}/calendar.ics?token=wrong`, s.baseUrl))).status, 404);
    assertStatus(await tech.client.delete(`${API}/me/calendar-token`), 204);
    assert.equal((await fetch(new URL(url.pathname + url.search, s.baseUrl))).status, 404);
    assertProblem(await tech.client.delete(`${API}/me/calendar-token`), 404);
  });
});

describe('reminders', () => {
  before(setup);
  test('a confirmed appointment within 24 hours reminds each customer user once, also after a restart', async () => {
    const s = ctx.server;
    const customer = (await (await s.bearer('acme', 'admin')).post(`${API}/customers`, { name: uniq('Remind'), email: `${uniq('r')}@remind.test` })).body;
    const user = await newCustomerUser(s, 'acme', customer.id, 'approver');
    const now = Date.now();
    const today = new Date(now - 12 * 3600e3).toISOString().slice(0, 10);
    const dates = [0, 1, 2].map((i) => new Date(Date.parse(today) + i * 86400e3).toISOString().slice(0, 10));
    for (const d of dates) await shift(techId(), d, '00:00', '23:30').catch(() => {});
    const free = await slots(user.client, dates[0], 3);
    const slot = free.find((x) => Date.parse(x.starts_at) > now + 3600e3 && Date.parse(x.starts_at) < now + 23 * 3600e3);
    assert.ok(slot, 'a free slot within the next day');
    const m = await s.bearer('acme', 'manager');
    const res = await m.post(`${API}/appointments`, { customer_id: customer.id, unit_number: 'R1', service_type_id: serviceType.id, starts_at: slot.starts_at });
    assertStatus(res, 201);
    const reminders = async () => assertPage(await user.client.get(`${API}/notifications`)).filter((n) => n.type === 'appointment_reminder');
    let found = [];
    for (let i = 0; i < 40 && found.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      found = await reminders();
    }
    assert.equal(found.length, 1);
    const confirmations = assertPage(await user.client.get(`${API}/notifications`)).filter((n) => n.type === 'appointment_confirmed');
    assert.equal(confirmations.length, 1);
    await s.stop();
    await s.start();
    await new Promise((r) => setTimeout(r, 3000));
    const client = s.client();
    assertStatus(await client.login('acme', user.user.email, 'correct-horse-battery'), 200);
    const after = assertPage(await client.get(`${API}/notifications`)).filter((n) => n.type === 'appointment_reminder');
    assert.equal(after.length, 1, 'exactly once, across a restart');
  });
});
