// Login limits (API.md "Precise rules"): 5 failures for one account in 15 min -> 429 for that account,
// even with the right password; 20 failures from one address -> 429 for that address.
// Each describe has its own server, since every request here comes from 127.0.0.1.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, stopServer, assertProblem, assertStatus, PASSWORD } from './harness.mjs';

describe('per-account limit', () => {
  let s;
  before(async () => { s = await startServer(); }, { timeout: 120_000 });
  after(async () => { await stopServer(s); }, { timeout: 30_000 });

  test('5 failed logins lock the account (429 even with the right password); others still log in', async () => {
    const u = s.user('acme', 'c2_requester');
    for (let i = 1; i <= 5; i++) {
      const r = await s.client().login('acme', u.email, `wrong-password-${i}`);
      assertProblem(r, 401);
    }
    const locked = await s.client().login('acme', u.email, PASSWORD);
    assertProblem(locked, 429);
    assert.equal(locked.headers.getSetCookie().length, 0, 'no session on a 429');
    // Still locked on a second try with the right password.
    assertProblem(await s.client().login('acme', u.email, PASSWORD), 429);
    // The lock is on the account, not on the exact spelling of its email.
    assertProblem(await s.client().login('acme', u.email.toUpperCase(), PASSWORD), 429);
    // Another account from the same address is not affected (at most 8 failures so far < 20).
    const other = s.user('acme', 'c2_viewer');
    assertStatus(await s.client().login('acme', other.email, PASSWORD), 200);
    // The same email in the other tenant is another account.
    const g = s.user('globex', 'c2_requester');
    assertStatus(await s.client().login('globex', g.email, PASSWORD), 200);
  });

  test('4 failures then the right password still logs in', async () => {
    const u = s.user('acme', 'c1_requester');
    for (let i = 1; i <= 4; i++) assertProblem(await s.client().login('acme', u.email, `nope-nope-${i}`), 401);
    assertStatus(await s.client().login('acme', u.email, PASSWORD), 200);
  });

  test('an existing session of a locked account keeps working', async () => {
    const c = await s.login('globex', 'manager');
    const u = s.user('globex', 'manager');
    for (let i = 1; i <= 5; i++) assertProblem(await s.client().login('globex', u.email, `bad-bad-bad-${i}`), 401);
    assertProblem(await s.client().login('globex', u.email, PASSWORD), 429);
    assertStatus(await c.get('/api/v1/me'), 200);
  });
});

describe('no account enumeration through the limit', () => {
  let s;
  before(async () => { s = await startServer(); }, { timeout: 120_000 });
  after(async () => { await stopServer(s); }, { timeout: 30_000 });

  test('an unknown email locks after 5 failures just like a real account', async () => {
    for (let i = 1; i <= 5; i++) assertProblem(await s.client().login('acme', 'ghost@acme.test', `guess-number-${i}`), 401);
    assertProblem(await s.client().login('acme', 'ghost@acme.test', 'guess-number-6'), 429);
  });
});

describe('per-address limit', () => {
  let s;
  before(async () => { s = await startServer(); }, { timeout: 120_000 });
  after(async () => { await stopServer(s); }, { timeout: 30_000 });

  test('20 failed logins from one address lock that address, even for a valid account', async () => {
    // Distinct unknown accounts, so no single account reaches its own limit of 5.
    for (let i = 1; i <= 20; i++) {
      const tenant = i % 2 ? 'acme' : 'globex';
      // A spoofed X-Forwarded-For / X-Real-IP must not spread the failures over many "addresses"
      // (no trusted proxy is configured).
      const r = await s.client().post('/api/v1/auth/login',
        { tenant, email: `stranger${i}@${tenant}.test`, password: 'whatever-password' },
        { headers: { 'x-forwarded-for': `10.1.2.${i}`, 'x-real-ip': `10.1.2.${i}`, forwarded: `for=10.1.2.${i}` } });
      assertProblem(r, 401);
    }
    const u = s.user('acme', 'admin');
    const res = await s.client().login('acme', u.email, PASSWORD);
    assertProblem(res, 429);
    assert.equal(res.headers.getSetCookie().length, 0, 'no session on a 429');
    const spoofed = await s.client().post('/api/v1/auth/login', { tenant: 'acme', email: u.email, password: PASSWORD },
      { headers: { 'x-forwarded-for': '203.0.113.7', 'x-real-ip': '203.0.113.7' } });
    assertProblem(spoofed, 429);
  });

  test('the address lock does not cut off requests other than login', async () => {
    assertStatus(await s.client().get('/healthz'), 200);
    assertStatus(await s.client().get('/api/v1/tenants/acme/branding'), 200);
  });
});
