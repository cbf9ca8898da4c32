// Helpers for the repair lifecycle, pricing, units, schedules and figures tests (builds on harness.mjs).
//
// Everything here goes through the public API as an admin, manager or seeded user of the server the
// calling test file started with useServer(); nothing touches the database directly.
import assert from 'node:assert/strict';
import { PASSWORD, assertStatus, Client } from './harness.mjs';

export const API = '/api/v1';
export const STATUSES = ['REQUESTED', 'PENDING', 'APPROVED', 'DENIED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'];
export const FINAL = ['DENIED', 'COMPLETED', 'CANCELLED'];
export const MONEY = /^-?\d+\.\d{2}$/;

let seq = 0;
/** A string unique within this test process (per file: each file runs in its own process). */
export function uniq(tag = 'x') {
  seq += 1;
  return `${tag}-${process.pid}-${seq}`;
}

/** Creates a customer organisation as the tenant's admin; returns the created customer. */
export async function newCustomer(server, tenant = 'acme', name = uniq('Customer')) {
  const admin = await server.bearer(tenant, 'admin');
  const res = await admin.post(`${API}/customers`, { name, email: `${uniq('cust').toLowerCase()}@lifecycle.test` });
  assertStatus(res, 201);
  return res.body;
}

/** Creates a user through the admin API and returns {user, client} with a fresh cookie session. */
export async function newUser(server, tenant, role, name = uniq(role)) {
  const admin = await server.bearer(tenant, 'admin');
  const email = `${uniq(role).toLowerCase()}@${tenant}.lifecycle.test`;
  const res = await admin.post(`${API}/users`, { email, name, role, password: PASSWORD });
  assertStatus(res, 201);
  const client = new Client(server.baseUrl);
  const login = await client.login(tenant, email, PASSWORD);
  assert.equal(login.status, 200, `login as new ${role}: ${login.summary}`);
  return { user: res.body, client };
}

/** A new customer user with `access` to `customerId`; returns {user, client}. */
export async function newCustomerUser(server, tenant, customerId, access) {
  const nu = await newUser(server, tenant, 'customer');
  const admin = await server.bearer(tenant, 'admin');
  const res = await admin.post(`${API}/customers/${customerId}/access`, { user_id: nu.user.id, access, is_primary_contact: false });
  assertStatus(res, [200, 201]);
  return nu;
}

/** POST /repairs; asserts 201 and returns the repair. */
export async function createRepair(client, body) {
  const res = await client.post(`${API}/repairs`, { description: 'Chip in the windshield', ...body });
  assertStatus(res, 201);
  return res.body;
}

/** POST /repairs/{id}/status; asserts 200 and the new status; returns the repair. */
export async function move(client, id, status, notes) {
  const res = await client.post(`${API}/repairs/${id}/status`, notes === undefined ? { status } : { status, notes });
  assertStatus(res, 200);
  assert.equal(res.body.status, status, res.summary);
  return res.body;
}

/** GET /repairs/{id}; asserts 200. */
export async function getRepair(client, id) {
  const res = await client.get(`${API}/repairs/${id}`);
  assertStatus(res, 200);
  return res.body;
}

/** GET /repairs/{id}/log; asserts a plain array. */
export async function getLog(client, id) {
  const res = await client.get(`${API}/repairs/${id}/log`);
  assertStatus(res, 200);
  assert.ok(Array.isArray(res.body), `log is a plain array: ${res.summary}`);
  return res.body;
}

/** GET /units/{id}; asserts 200. */
export async function getUnit(client, id) {
  const res = await client.get(`${API}/units/${id}`);
  assertStatus(res, 200);
  return res.body;
}

/**
 * A repair in `target` status, made through the staff path (manager creates PENDING, the seeded approver
 * of customer c1 approves, the seeded technician claims, ...). For customer `c1` of `tenant` unless
 * `customerId` and `approver` (a client with approver access) are given. `unit` is {unit_number} or {unit_id}.
 */
export async function repairIn(server, target, { tenant = 'acme', customerId, approver, unit, tech, extra = {} } = {}) {
  const manager = await server.bearer(tenant, 'manager');
  const technician = tech ?? await server.bearer(tenant, 'technician');
  const cid = customerId ?? server.customer(tenant, 'c1').id;
  const appr = approver ?? await server.bearer(tenant, 'c1_approver');
  let r = await createRepair(manager, { customer_id: cid, ...(unit ?? { unit_number: uniq('U') }), ...extra });
  if (target === 'PENDING') return r;
  if (target === 'CANCELLED') return move(manager, r.id, 'CANCELLED', 'not needed');
  const res = await appr.post(`${API}/repairs/${r.id}/approval`, { approved: target !== 'DENIED', notes: 'ok' });
  assertStatus(res, 200);
  r = res.body;
  if (target === 'APPROVED' || target === 'DENIED') return r;
  r = await move(technician, r.id, 'IN_PROGRESS');
  if (target === 'IN_PROGRESS') return r;
  if (target === 'COMPLETED') return move(technician, r.id, 'COMPLETED');
  throw new Error(`repairIn: unsupported target ${target}`);
}

/** A customer-initiated REQUESTED repair (seeded c1 requester of `tenant` unless `requester` is given). */
export async function requested(server, { tenant = 'acme', requester, customerId, unit, extra = {} } = {}) {
  const req = requester ?? await server.bearer(tenant, 'c1_requester');
  const cid = customerId ?? server.customer(tenant, 'c1').id;
  return createRepair(req, { customer_id: cid, ...(unit ?? { unit_number: uniq('U') }), ...extra });
}

/** Takes an APPROVED repair (or a new REQUESTED one when only a unit is given) to COMPLETED as the manager. */
export async function completeAsManager(server, repairId, tenant = 'acme') {
  const manager = await server.bearer(tenant, 'manager');
  let r = await getRepair(manager, repairId);
  if (r.status === 'REQUESTED') r = await move(manager, repairId, 'APPROVED');
  if (r.status === 'APPROVED') r = await move(manager, repairId, 'IN_PROGRESS');
  return move(manager, repairId, 'COMPLETED');
}

/** Collects every page of a paginated list. */
export async function allPages(client, urlPath) {
  const out = [];
  let next = urlPath;
  for (let i = 0; next && i < 100; i++) {
    const res = await client.get(next);
    assertStatus(res, 200);
    out.push(...res.body.results);
    next = res.body.next ? (() => { const u = new URL(res.body.next, 'http://x'); return u.pathname + u.search; })() : null;
  }
  return out;
}

/** Sum of two-decimal money strings, as a two-decimal string (exact, via integer cents). */
export function money(...parts) {
  let cents = 0;
  for (const p of parts) {
    const s = typeof p === 'number' ? p.toFixed(2) : p;
    assert.match(s, MONEY, `money value ${s}`);
    const neg = s.startsWith('-');
    const [a, b] = s.replace('-', '').split('.');
    cents += (neg ? -1 : 1) * (Number(a) * 100 + Number(b));
  }
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
