// Appointments on two instances sharing one PostgreSQL database (issue 12): each instance runs its own
// reminder job, yet every due reminder reaches each customer user exactly once; and customers racing for
// the last slot through different instances get one 201, the others 409 (the tenant's booking lock and
// the re-check inside the write transaction hold across processes). PostgreSQL only (scripts/test runs the
// *.pgtest.mjs files with PORTICO_TEST_DATABASE=postgres).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, stopServer, Server, ON_POSTGRES, assertStatus, assertPage } from './harness.mjs';
import { API, newCustomer, newCustomerUser, uniq } from './lifecycle_helpers.mjs';

const HOURS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '23:30']]]));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let a;
let b;
let serviceType;

before(async () => {
  assert.ok(ON_POSTGRES, 'this suite needs PORTICO_TEST_DATABASE=postgres');
  a = await startServer();
  b = new Server({ dir: a.dir, databaseUrl: a.databaseUrl, data: a.data });
  await b.start();
  const admin = await a.bearer('acme', 'admin');
  assertStatus(await admin.put(`${API}/settings/shop`, { time_zone: 'UTC', bays: 1, opening_hours: HOURS, slot_minutes: 30 }), 200);
  const type = await (await b.bearer('acme', 'manager')).post(`${API}/service-types`, { name: 'Chip repair', duration_minutes: 60 });
  assertStatus(type, 201);
  serviceType = type.body;
}, { timeout: 120_000 });

after(async () => {
  if (b) {
    const r = await b.stop('SIGTERM');
    assert.equal(r?.code, 0, `instance B exit code\n${b.stderr.text.slice(-2000)}`);
  }
  await stopServer(a);
}, { timeout: 30_000 });

async function shift(date) {
  const m = await a.bearer('acme', 'manager');
  const res = await m.post(`${API}/technicians/${a.user('acme', 'technician').id}/schedule`, { date, start_time: '00:00', end_time: '23:30', is_available: true, notes: '' });
  assertStatus(res, 201);
}

test('a due reminder is sent exactly once although both instances run the reminder job', async () => {
  const now = Date.now();
  const today = new Date(now).toISOString().slice(0, 10);
  for (const i of [0, 1]) await shift(new Date(Date.parse(today) + i * 86400e3).toISOString().slice(0, 10));
  const client = await a.bearer('acme', 'c1_requester');
  const res = await client.get(`${API}/availability?service_type=${serviceType.id}&date=${today}&days=2`);
  assertStatus(res, 200);
  // Every other free slot (one technician, one bay: an hour each), within the next 23 hours.
  const free = res.body.filter((s) => Date.parse(s.starts_at) > now + 600e3 && Date.parse(s.starts_at) < now + 23 * 3600e3);
  const slots = free.filter((_, i) => i % 2 === 0).slice(0, 4);
  assert.equal(slots.length, 4, 'four free slots within the next day');
  const users = [];
  for (const [i, slot] of slots.entries()) {
    const server = i % 2 ? b : a;
    const customer = await newCustomer(server, 'acme', uniq('Remind'));
    users.push(await newCustomerUser(server, 'acme', customer.id, 'approver'));
    const booked = await (await server.bearer('acme', 'manager')).post(`${API}/appointments`, { customer_id: customer.id, unit_number: uniq('R'), service_type_id: serviceType.id, starts_at: slot.starts_at });
    assertStatus(booked, 201);
  }
  const reminders = async (u) => assertPage(await u.client.get(`${API}/notifications?page_size=100`)).filter((n) => n.type === 'appointment_reminder');
  for (const u of users) {
    let found = [];
    for (let i = 0; i < 60 && found.length === 0; i++) {
      await sleep(250);
      found = await reminders(u);
    }
    assert.equal(found.length, 1, 'a reminder arrives');
  }
  await sleep(5000); // both jobs have run at least twice more
  for (const u of users) assert.equal((await reminders(u)).length, 1, 'exactly once across two instances');
});

test('two customers booking the last slot through different instances: one 201, one 409', async () => {
  const date = '2031-09-16';
  await shift(date);
  const one = await a.bearer('acme', 'c1_requester');
  const two = await b.bearer('acme', 'c2_requester');
  const book = (client, customer, startsAt) => client.post(`${API}/appointments`, {
    customer_id: a.customer('acme', customer).id, unit_number: uniq('U'), service_type_id: serviceType.id, starts_at: startsAt,
  });
  for (const hour of ['08', '10', '12', '14', '16']) {
    const startsAt = `${date}T${hour}:00:00Z`;
    const answers = await Promise.all([book(one, 'c1', startsAt), book(two, 'c2', startsAt)]);
    const codes = answers.map((r) => r.status).sort();
    assert.deepEqual(codes, [201, 409], `${startsAt}: ${answers.map((r) => r.summary ?? r.status).join(' / ')}`);
  }
  const listed = await (await a.bearer('acme', 'manager')).get(`${API}/appointments?from=${date}&to=${date}`);
  assertStatus(listed, 200);
  const held = assertPage(listed).filter((x) => x.status === 'requested');
  assert.equal(held.length, 5, 'one appointment per slot, none double-booked');
});
