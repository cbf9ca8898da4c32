// Appointments (issue 12): the shop's managers and admins are told when a customer requests a visit, moves
// a request or cancels a visit (through the event log and the notification worker); staff bookings and
// staff moves tell no staff, and nobody is told of their own change.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertStatus, assertPage } from './harness.mjs';
import { API, newUser, newCustomerUser, newCustomer, uniq } from './lifecycle_helpers.mjs';

const ctx = useServer();
const HOURS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['08:00', '17:00']]]));
const DATE = '2031-06-10'; // a Tuesday, far in the future; New York is UTC-4 then
let serviceType;
let manager, admin, technician, requester, customer;

/** The notifications of `who` whose type starts with appointment_, newest first, once `count` are there. */
async function appointmentNotes(who, count) {
  let found = [];
  for (let i = 0; i < 40; i++) {
    found = assertPage(await who.client.get(`${API}/notifications`)).filter((n) => n.type.startsWith('appointment_'));
    if (found.length >= count) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  return found;
}

describe('staff notifications for appointments', () => {
  before(async () => {
    const s = ctx.server;
    const a = await s.bearer('acme', 'admin');
    assertStatus(await a.put(`${API}/settings/shop`, { time_zone: 'America/New_York', bays: 2, opening_hours: HOURS, slot_minutes: 30 }), 200);
    const type = await a.post(`${API}/service-types`, { name: 'Inspection', duration_minutes: 60 });
    assertStatus(type, 201);
    serviceType = type.body;
    manager = await newUser(s, 'acme', 'manager');
    admin = await newUser(s, 'acme', 'admin');
    technician = await newUser(s, 'acme', 'technician');
    assertStatus(await a.post(`${API}/technicians/${technician.user.id}/schedule`, { date: DATE, start_time: '08:00', end_time: '17:00', is_available: true, notes: '' }), 201);
    customer = await newCustomer(s, 'acme');
    requester = await newCustomerUser(s, 'acme', customer.id, 'requester');
  });

  test('a customer request tells the managers and admins (in local time), not technicians nor the customer', async () => {
    const res = await requester.client.post(`${API}/appointments`, { customer_id: customer.id, unit_number: uniq('U'), service_type_id: serviceType.id, starts_at: `${DATE}T13:00:00Z` });
    assertStatus(res, 201);
    assert.equal(res.body.status, 'requested');
    for (const who of [manager, admin]) {
      const [n] = await appointmentNotes(who, 1);
      assert.ok(n, 'a notification arrives');
      assert.equal(n.type, 'appointment_requested');
      assert.match(n.title, /2031-06-10 at 09:00/, 'the time is the shop\'s local time');
    }
    assert.equal((await appointmentNotes(technician, 0)).length, 0, 'technicians are not told of requests');
    assert.equal((await appointmentNotes(requester, 0)).length, 0, 'the customer is not told of its own request');

    // The customer moves the request, then cancels it: both tell the managers.
    const moved = await requester.client.post(`${API}/appointments/${res.body.id}/reschedule`, { starts_at: `${DATE}T15:00:00Z` });
    assertStatus(moved, 200);
    let notes = await appointmentNotes(manager, 2);
    assert.equal(notes.length, 2);
    const change = notes.find((n) => n.type === 'appointment_changed');
    assert.ok(change, 'a reschedule by the customer tells the managers');
    assert.match(change.title, /11:00/);
    assertStatus(await requester.client.post(`${API}/appointments/${res.body.id}/cancel`, { reason: 'car sold' }), 200);
    notes = await appointmentNotes(manager, 3);
    assert.equal(notes.length, 3);
    assert.ok(notes.some((n) => n.type === 'appointment_changed' && /cancelled/.test(n.title)));
  });

  test('staff bookings and staff moves tell no staff', async () => {
    const before = (await appointmentNotes(admin, 0)).length;
    const booked = await manager.client.post(`${API}/appointments`, { customer_id: customer.id, unit_number: uniq('U'), service_type_id: serviceType.id, starts_at: `${DATE}T17:00:00Z` });
    assertStatus(booked, 201);
    assert.equal(booked.body.status, 'confirmed');
    assertStatus(await manager.client.post(`${API}/appointments/${booked.body.id}/reschedule`, { starts_at: `${DATE}T18:00:00Z` }), 200);
    // A customer request afterwards shows that the worker has passed the staff events.
    const req = await requester.client.post(`${API}/appointments`, { customer_id: customer.id, unit_number: uniq('U'), service_type_id: serviceType.id, starts_at: `${DATE}T19:00:00Z` });
    assertStatus(req, 201);
    const notes = await appointmentNotes(admin, before + 1);
    assert.equal(notes.length, before + 1, 'only the customer request is news to the admin');
    assert.equal(notes[0].type, 'appointment_requested');
    // The customer is told that the staff booking is confirmed (the appointment service does that).
    const customerNotes = await appointmentNotes(requester, 1);
    assert.ok(customerNotes.some((n) => n.type === 'appointment_confirmed'));
  });
});
