// Self-service accounts (issue 13; API.md "Invitations, sign-up and password reset", "Users (additions)"):
// the whole invitation life, sign-up with an access code and e-mail verification, password reset, throttling,
// custom domains and languages on /me. E-mails are read from the local SMTP sink the tests already use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertStatus, assertProblem, runCli, Client, RFC3339_UTC } from './harness.mjs';
import { useSmtpSink, smtpConfig, waitForMail, mailsTo, linkToken, sql, sleep, hostRequest } from './onboarding_helpers.mjs';

const smtp = useSmtpSink();
const ctx = useServer({ prepare: (dir) => smtpConfig(smtp)(dir) });
const GOOD = 'violet-harbour-engine-42';

async function invite(s, email, { customer = 'c1', access = 'viewer', language, approvalLimit } = {}) {
  const manager = await s.bearer('acme', 'manager');
  const body = { email, name: 'Nora Invitee', access };
  if (language) body.language = language;
  if (approvalLimit !== undefined) body.approval_limit = approvalLimit;
  const res = await manager.post(`/api/v1/customers/${s.customer('acme', customer).id}/invitations`, body);
  assertStatus(res, 201);
  const [mail] = await waitForMail(smtp, email);
  assert.ok(mail, `no invitation e-mail reached ${email}`);
  return { invitation: res.body, mail, ...linkToken(mail, 'invite') };
}

test('invitation: e-mail with the link, preview, accept with a password, second use 404', async () => {
  const s = ctx.server;
  const { invitation, mail, url, token } = await invite(s, 'nora@newcomer.test');
  assert.equal(invitation.status, 'pending');
  assert.equal(invitation.email, 'nora@newcomer.test');
  assert.equal(invitation.access, 'viewer');
  assert.match(invitation.expires_at, RFC3339_UTC);
  const days = (Date.parse(invitation.expires_at) - Date.now()) / 86400e3;
  assert.ok(days > 6.9 && days <= 7, `expires in 7 days, not ${days}`);
  assert.equal(url, `https://portal.example/t/acme/invite/${token}`);
  assert.match(mail, /^Subject: .*Acme Glass Repair/m);
  assert.match(mail, /Acme Transit/);

  const anon = ctx.server.client();
  const preview = await anon.get(`/api/v1/invitations/${token}`);
  assertStatus(preview, 200);
  assert.equal(preview.body.tenant, 'acme');
  assert.equal(preview.body.customer_name, s.customer('acme', 'c1').name);
  assert.equal(preview.body.email, 'nora@newcomer.test');

  assertProblem(await anon.post(`/api/v1/invitations/${token}/accept`, { name: 'Nora', password: 'short' }), 400, ['password']);
  assertProblem(await anon.post(`/api/v1/invitations/${token}/accept`, { name: 'Nora', password: 'qwertyuiop' }), 400, ['password']);
  assertProblem(await anon.post(`/api/v1/invitations/${token}/accept`, { name: 'Nora', password: 'nora@newcomer.test' }), 400, ['password']);
  const accepted = await anon.post(`/api/v1/invitations/${token}/accept`, { name: 'Nora', password: GOOD });
  assertStatus(accepted, 201);
  assert.equal(typeof accepted.body.csrf_token, 'string');
  assert.equal(accepted.body.user.email, 'nora@newcomer.test');
  assert.deepEqual(accepted.body.user.customers.map((c) => [c.id, c.access]), [[s.customer('acme', 'c1').id, 'viewer']]);
  const me = await anon.get('/api/v1/me');
  assertStatus(me, 200);
  assert.equal(me.body.role, 'customer');

  assertProblem(await ctx.server.client().post(`/api/v1/invitations/${token}/accept`, { name: 'Eve', password: GOOD }), 404);
  assertProblem(await ctx.server.client().get(`/api/v1/invitations/${token}`), 404);
  const again = new Client(s.baseUrl);
  assertStatus(await again.login('acme', 'nora@newcomer.test', GOOD), 200);

  const manager = await s.bearer('acme', 'manager');
  const list = await manager.get(`/api/v1/customers/${s.customer('acme', 'c1').id}/invitations`);
  assertStatus(list, 200);
  assert.equal(list.body.results.find((i) => i.id === invitation.id).status, 'accepted');
  assertProblem(await manager.delete(`/api/v1/customers/${s.customer('acme', 'c1').id}/invitations/${invitation.id}`), 409);
});

test('invitation of an approver with an approval limit: the access carries the limit once accepted', async () => {
  const s = ctx.server;
  const { token } = await invite(s, 'lena@newcomer.test', { access: 'approver', approvalLimit: '250.00' });
  const accepted = await s.client().post(`/api/v1/invitations/${token}/accept`, { name: 'Lena', password: GOOD });
  assertStatus(accepted, 201);
  const admin = await s.bearer('acme', 'admin');
  const access = (await admin.get(`/api/v1/customers/${s.customer('acme', 'c1').id}/access`)).body
    .find((a) => a.user_id === accepted.body.user.id);
  assert.equal(access.access, 'approver');
  assert.equal(access.approval_limit, '250.00');
});

test('invitation: revoked and expired links answer the same 404 as unknown ones', async () => {
  const s = ctx.server;
  const manager = await s.bearer('acme', 'manager');
  const c1 = s.customer('acme', 'c1').id;
  const revoked = await invite(s, 'rex@newcomer.test');
  assertStatus(await manager.delete(`/api/v1/customers/${c1}/invitations/${revoked.invitation.id}`), 204);
  const expired = await invite(s, 'old@newcomer.test');
  await sql(s.databaseUrl, `UPDATE single_use_tokens SET expires_at = 1000 WHERE id = ${expired.invitation.id}`);
  const anon = s.client();
  const answers = [];
  for (const token of [revoked.token, expired.token, 'x'.repeat(43)]) {
    const res = await anon.get(`/api/v1/invitations/${token}`);
    assertProblem(res, 404);
    answers.push(res.body.detail);
    assertProblem(await anon.post(`/api/v1/invitations/${token}/accept`, { name: 'X', password: GOOD }), 404);
  }
  assert.equal(new Set(answers).size, 1, `identical answers: ${answers}`);
  const list = await manager.get(`/api/v1/customers/${c1}/invitations`);
  const status = Object.fromEntries(list.body.results.map((i) => [i.email, i.status]));
  assert.equal(status['rex@newcomer.test'], 'revoked');
  assert.equal(status['old@newcomer.test'], 'expired');
});

test('invitation: only admin and manager invite; another tenant\'s customer is 404', async () => {
  const s = ctx.server;
  const c1 = s.customer('acme', 'c1').id;
  for (const key of ['technician', 'c1_approver']) {
    const c = await s.bearer('acme', key);
    const res = await c.post(`/api/v1/customers/${c1}/invitations`, { email: 'z@z.test', access: 'viewer' });
    assert.ok([403, 404].includes(res.status), res.summary);
  }
  const other = await s.bearer('globex', 'manager');
  assertProblem(await other.post(`/api/v1/customers/${c1}/invitations`, { email: 'z@z.test', access: 'viewer' }), 404);
  const manager = await s.bearer('acme', 'manager');
  assertProblem(await manager.post(`/api/v1/customers/${c1}/invitations`, { email: 'nope', access: 'boss' }), 400, ['email', 'access']);
});

test('invitation for an existing account: it logs in and accepts with {}', async () => {
  const s = ctx.server;
  const user = s.user('acme', 'c1_requester');
  const { token } = await invite(s, user.email, { customer: 'c2', access: 'viewer' });
  assertProblem(await s.client().post(`/api/v1/invitations/${token}/accept`, { name: 'X', password: GOOD }), 409);
  const someoneElse = await s.login('acme', 'c1_viewer');
  assertProblem(await someoneElse.post(`/api/v1/invitations/${token}/accept`, {}), 404);
  const c = await s.login('acme', 'c1_requester');
  assertProblem(await c.post(`/api/v1/invitations/${token}/accept`, {}, { csrf: false }), 403);
  const res = await c.post(`/api/v1/invitations/${token}/accept`, {});
  assertStatus(res, 200);
  const access = Object.fromEntries(res.body.user.customers.map((g) => [g.id, g.access]));
  assert.equal(access[s.customer('acme', 'c2').id], 'viewer');
  assert.equal(access[s.customer('acme', 'c1').id], 'requester');
  assertProblem(await c.post(`/api/v1/invitations/${token}/accept`, {}), 404);
});

test('sign-up with an access code: identical answers, an e-mail only for the valid code, verification logs in', async () => {
  const s = ctx.server;
  const manager = await s.bearer('acme', 'manager');
  const c2 = s.customer('acme', 'c2').id;
  const created = await manager.post(`/api/v1/customers/${c2}/access-codes`, { access: 'requester', expires_in_days: 10 });
  assertStatus(created, 201);
  assert.ok(created.body.code.replace(/-/g, '').length >= 12, created.summary);
  assertProblem(await manager.post(`/api/v1/customers/${c2}/access-codes`, { access: 'requester', expires_in_days: 31 }), 400, ['expires_in_days']);

  const anon = s.client();
  const wrong = await anon.post('/api/v1/auth/signup', { tenant: 'acme', code: 'AAAA-BBBB-CCCC-DDDD', email: 'wrong@signup.test', name: 'W', password: GOOD });
  const unknownTenant = await anon.post('/api/v1/auth/signup', { tenant: 'nope', code: created.body.code, email: 'nt@signup.test', name: 'W', password: GOOD });
  const right = await anon.post('/api/v1/auth/signup', { tenant: 'acme', code: created.body.code.toLowerCase(), email: 'Sam@Signup.test', name: 'Sam', password: GOOD });
  for (const r of [wrong, unknownTenant, right]) {
    assertStatus(r, 202);
    assert.equal(r.text, '');
  }
  const [mail] = await waitForMail(smtp, 'sam@signup.test');
  assert.ok(mail, 'verification e-mail');
  await sleep(1500);
  assert.equal((await mailsTo(smtp, 'wrong@signup.test')).length, 0);
  assert.equal((await mailsTo(smtp, 'nt@signup.test')).length, 0);
  const { url, token } = linkToken(mail, 'verify');
  assert.equal(url, `https://portal.example/t/acme/verify/${token}`);
  assertStatus(await s.client().login('acme', 'sam@signup.test', GOOD), 401);  // no account before verification

  const verified = await anon.post('/api/v1/auth/verify', { token });
  assertStatus(verified, 201);
  assert.equal(verified.body.user.email, 'sam@signup.test');
  assert.deepEqual(verified.body.user.customers.map((g) => [g.id, g.access]), [[c2, 'requester']]);
  assertStatus(await anon.get('/api/v1/me'), 200);
  assertProblem(await s.client().post('/api/v1/auth/verify', { token }), 400, ['token']);
  // The code is used up: a second sign-up with it sends nothing.
  assertStatus(await s.client().post('/api/v1/auth/signup', { tenant: 'acme', code: created.body.code, email: 'late@signup.test', name: 'L', password: GOOD }), 202);
  await sleep(1500);
  assert.equal((await mailsTo(smtp, 'late@signup.test')).length, 0);
  // Field rules apply whatever the code.
  assertProblem(await s.client().post('/api/v1/auth/signup', { tenant: 'acme', code: 'x', email: 'a@b.test', name: 'A', password: 'password1' }), 400, ['password']);
});

test('password reset: identical answers, one e-mail, sessions and tokens end, single use, expiry', async () => {
  const s = ctx.server;
  const user = s.user('acme', 'c2_viewer');
  const session = await s.login('acme', 'c2_viewer');
  const tokenRes = await session.post('/api/v1/auth/tokens', { name: 'before reset' });
  assertStatus(tokenRes, 201);
  const bearer = new Client(s.baseUrl, { token: tokenRes.body.token });
  const before = (await mailsTo(smtp)).length;

  const known = await s.client().post('/api/v1/auth/password-reset', { tenant: 'acme', email: user.email.toUpperCase() });
  const unknown = await s.client().post('/api/v1/auth/password-reset', { tenant: 'acme', email: 'nobody@acme.test' });
  const noTenant = await s.client().post('/api/v1/auth/password-reset', { tenant: 'nope', email: user.email });
  for (const r of [known, unknown, noTenant]) {
    assertStatus(r, 202);
    assert.equal(r.text, '');
  }
  const [mail] = await waitForMail(smtp, user.email);
  assert.ok(mail, 'reset e-mail');
  await sleep(1500);
  assert.equal((await mailsTo(smtp)).length - before, 1, 'exactly one e-mail');
  const { url, token } = linkToken(mail, 'reset');
  assert.equal(url, `https://portal.example/t/acme/reset/${token}`);

  const anon = s.client();
  assertProblem(await anon.post('/api/v1/auth/password-reset/confirm', { token, password: 'password' }), 400, ['password']);
  assertStatus(await anon.post('/api/v1/auth/password-reset/confirm', { token, password: GOOD }), 204);
  assertProblem(await session.get('/api/v1/me'), 401);
  assertProblem(await bearer.get('/api/v1/me'), 401);
  assertStatus(await s.client().login('acme', user.email, GOOD), 200);
  assertProblem(await anon.post('/api/v1/auth/password-reset/confirm', { token, password: 'another-good-password-7' }), 400, ['token']);

  await s.client().post('/api/v1/auth/password-reset', { tenant: 'acme', email: user.email });
  const mails = await waitForMail(smtp, user.email, 2);
  const second = linkToken(mails[1], 'reset').token;
  await sql(s.databaseUrl, `UPDATE single_use_tokens SET expires_at = 1000 WHERE purpose = 'password_reset' AND revoked_at IS NULL AND uses = 0`);
  assertProblem(await anon.post('/api/v1/auth/password-reset/confirm', { token: second, password: 'another-good-password-7' }), 400, ['token']);
});

test('throttling: reset requests for one account answer 429 after 5, known or not', async () => {
  const s = ctx.server;
  for (const email of ['c1.viewer@acme.test', 'ghost@acme.test']) {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await s.client().post('/api/v1/auth/password-reset', { tenant: 'globex', email })).status);
    assert.deepEqual(statuses, [202, 202, 202, 202, 202, 429], `${email}: ${statuses}`);
  }
  const signups = [];
  for (let i = 0; i < 6; i++) {
    signups.push((await s.client().post('/api/v1/auth/signup', { tenant: 'globex', code: `WRONG-${i}`, email: 'probe@signup.test', name: 'P', password: GOOD })).status);
  }
  assert.deepEqual(signups, [202, 202, 202, 202, 202, 429]);
});

test('custom domains: the tenant from the Host header, login without tenant, the portal at /', async () => {
  const s = ctx.server;
  const admin = await s.bearer('acme', 'admin');
  assertProblem(await (await s.bearer('acme', 'manager')).put('/api/v1/settings/domains', { domains: ['x.example'] }), 403);
  const put = await admin.put('/api/v1/settings/domains', { domains: ['Portal.Acme.Example'] });
  assertStatus(put, 200);
  assert.deepEqual(put.body, { domains: ['portal.acme.example'] });
  assert.deepEqual((await admin.get('/api/v1/settings/domains')).body, { domains: ['portal.acme.example'] });
  assertProblem(await (await s.bearer('globex', 'admin')).put('/api/v1/settings/domains', { domains: ['portal.acme.example'] }), 409);
  assertProblem(await admin.put('/api/v1/settings/domains', { domains: ['not a host'] }), 400, ['domains']);

  const user = s.user('acme', 'c1_approver');
  const login = await hostRequest(s.baseUrl, 'portal.acme.example', 'POST', '/api/v1/auth/login', { email: user.email, password: user.password });
  assert.equal(login.status, 200, login.summary);
  assert.equal(login.body.user.tenant.slug, 'acme');
  const cookie = String(login.headers['set-cookie']);
  assert.match(cookie, /portico_session=/);
  assert.doesNotMatch(cookie, /Domain=/i, 'the session cookie is host-only');
  const session = cookie.match(/portico_session=([^;]+)/)[1];
  const me = await hostRequest(s.baseUrl, 'portal.acme.example', 'GET', '/api/v1/me', undefined, { cookie: `portico_session=${session}` });
  assert.equal(me.status, 200, me.summary);
  assertProblem(await s.client().post('/api/v1/auth/login', { email: user.email, password: user.password }), 400, ['tenant']);
  const withPort = await hostRequest(s.baseUrl, `portal.acme.example:${new URL(s.baseUrl).port}`, 'POST', '/api/v1/auth/login', { email: user.email, password: user.password });
  assert.equal(withPort.status, 200, withPort.summary);
  const reset = await hostRequest(s.baseUrl, 'portal.acme.example', 'POST', '/api/v1/auth/password-reset', { email: 'nobody@acme.test' });
  assert.equal(reset.status, 202, reset.summary);

  const page = await hostRequest(s.baseUrl, 'portal.acme.example', 'GET', '/');
  assert.ok([200, 503].includes(page.status), page.summary);  // 503 when the web portal is not built
  assert.match(String(page.headers['set-cookie'] ?? ''), /portico_host_tenant=acme/);
  const plain = await hostRequest(s.baseUrl, 'localhost', 'GET', '/login');
  assert.doesNotMatch(String(plain.headers['set-cookie'] ?? ''), /portico_host_tenant/);
  const unknown = await hostRequest(s.baseUrl, 'portal.acme.example', 'POST', '/api/v1/auth/login', { email: 'c1.approver@globex.test', password: user.password });
  assert.equal(unknown.status, 401, 'the custom domain names acme; a globex account does not log in there');
  assertStatus(await admin.put('/api/v1/settings/domains', { domains: [] }), 200);
});

test('languages: /me carries language; PATCH /me sets name and language; e-mails in Spanish', async () => {
  const s = ctx.server;
  const c = await s.login('acme', 'c2_requester');
  assert.equal((await c.get('/api/v1/me')).body.language, null);
  const patched = await c.patch('/api/v1/me', { language: 'es', name: 'Rosa Requester' });
  assertStatus(patched, 200);
  assert.equal(patched.body.language, 'es');
  assert.equal(patched.body.name, 'Rosa Requester');
  assert.equal((await c.get('/api/v1/me')).body.language, 'es');
  assertProblem(await c.patch('/api/v1/me', { language: 'fr' }), 400, ['language']);
  assertProblem(await c.patch('/api/v1/me', { role: 'admin' }), 400);
  assertStatus(await c.patch('/api/v1/me', { language: null }), 200);
  assert.equal((await c.get('/api/v1/me')).body.language, null);

  const { mail } = await invite(s, 'lucia@newcomer.test', { language: 'es' });
  assert.match(mail, /Aceptar la invitación/);
});

test('PATCH /me changes my own @handle: lower-cased, validated, unique in the shop', async () => {
  const s = ctx.server;
  const c = await s.login('acme', 'c1_requester');
  const before = (await c.get('/api/v1/me')).body.handle;
  assert.equal(typeof before, 'string');
  const patched = await c.patch('/api/v1/me', { handle: 'Rosa.R' });
  assertStatus(patched, 200);
  assert.equal(patched.body.handle, 'rosa.r');
  assert.equal((await c.get('/api/v1/me')).body.handle, 'rosa.r');
  assertProblem(await c.patch('/api/v1/me', { handle: '-x' }), 400, ['handle']);
  const other = (await (await s.login('acme', 'manager')).get('/api/v1/me')).body.handle;
  assertProblem(await c.patch('/api/v1/me', { handle: other }), 409);
  assert.equal((await c.get('/api/v1/me')).body.handle, 'rosa.r', 'a refused change changes nothing');
});

test('portico invite prints the id and, without SMTP, the link', async () => {
  const s = ctx.server;
  const res = await runCli(['invite', '--tenant', 'acme', '--customer', String(s.customer('acme', 'c1').id),
    '--email', 'cli@newcomer.test', '--access', 'approver'], { databaseUrl: s.databaseUrl });
  assert.equal(res.code, 0, res.stderr);
  const [id, link] = res.stdout.trim().split('\n');
  assert.match(id, /^\d+$/);
  const token = link.split('/invite/')[1];
  assert.ok(token, res.stdout);
  const preview = await s.client().get(`/api/v1/invitations/${token}`);
  assertStatus(preview, 200);
  assert.equal(preview.body.email, 'cli@newcomer.test');
});
