// Issue 13, the remaining server parts: the password rules of API.md ("at least 10 characters, not the
// e-mail, not among common passwords") on POST /users, PATCH /users/{id} and `portico user create`, the same
// check sign-up, invitation and reset use; the tenant's default language (branding `default_language`) for
// users who chose none (/me, e-mails); and the staff list and revocation of access codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertStatus, assertProblem, assertPage, runCli, RFC3339_UTC } from './harness.mjs';
import { useSmtpSink, smtpConfig, waitForMail, mailsTo, linkToken, sleep } from './onboarding_helpers.mjs';

const smtp = useSmtpSink();
const ctx = useServer({ prepare: (dir) => smtpConfig(smtp)(dir) });
const GOOD = 'violet-harbour-engine-42';
let seq = 0;
const newEmail = (tag = 'rules') => `${tag}${++seq}@rules.test`;

test('POST /users applies the password rules: length, not the e-mail, not a common password', async () => {
  const admin = await ctx.server.bearer('acme', 'admin');
  const email = newEmail();
  const refused = [
    ['nine-char', /at least 10/],
    ['qwertyuiop', /common/],
    ['PASSWORD123', /common/],
    [email.toUpperCase(), /e-mail/],
  ];
  for (const [password, why] of refused) {
    const res = await admin.post('/api/v1/users', { email, name: 'Rule Tester', role: 'technician', password });
    assertProblem(res, 400, ['password']);
    assert.match(res.body.errors.password.join(' '), why, res.summary);
  }
  assertStatus(await admin.post('/api/v1/users', { email, name: 'Rule Tester', role: 'technician', password: GOOD }), 201);
  assertStatus(await ctx.server.client().login('acme', email, GOOD), 200);
});

test('PATCH /users/{id} password: the same rules, against the new e-mail when it changes too', async () => {
  const admin = await ctx.server.bearer('acme', 'admin');
  const email = newEmail();
  const made = await admin.post('/api/v1/users', { email, name: 'Patch Tester', role: 'customer', password: GOOD });
  assertStatus(made, 201);
  const url = `/api/v1/users/${made.body.id}`;
  assertProblem(await admin.patch(url, { password: 'qwertyuiop' }), 400, ['password']);
  assertProblem(await admin.patch(url, { password: 'short-1' }), 400, ['password']);
  assertProblem(await admin.patch(url, { password: email }), 400, ['password']);
  const other = newEmail();
  assertProblem(await admin.patch(url, { email: other, password: other }), 400, ['password']);
  assert.equal((await admin.get(url)).body.email, email, 'a refused PATCH changes nothing');
  assertStatus(await ctx.server.client().login('acme', email, GOOD), 200);
  assertStatus(await admin.patch(url, { email: other, password: email }), 200);  // the old e-mail is no longer its own
  assertStatus(await ctx.server.client().login('acme', other, email), 200);
});

test('portico user create refuses what the rules refuse (exit 1, the reason on stderr)', async () => {
  const s = ctx.server;
  const email = newEmail('cli');
  const base = ['user', 'create', '--tenant', 'acme', '--email', email, '--name', 'Cli User', '--role', 'technician'];
  const common = await runCli([...base, '--password', 'qwertyuiop'], { databaseUrl: s.databaseUrl });
  assert.equal(common.code, 1, common.stderr);
  assert.match(common.stderr, /password: .*common/);
  assert.match(common.stderr.trim().split('\n').pop(), /^error: /);
  const mine = await runCli([...base, '--password-stdin'], { databaseUrl: s.databaseUrl, input: `${email}\n` });
  assert.equal(mine.code, 1, mine.stderr);
  assert.match(mine.stderr, /password: .*e-mail/);
  const ok = await runCli([...base, '--password-stdin'], { databaseUrl: s.databaseUrl, input: `${GOOD}\n` });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout.trim(), /^\d+$/);
  assertStatus(await s.client().login('acme', email, GOOD), 200);
});

test('tenant default language: in the branding, on /me, and the language of e-mails to users without one', async () => {
  const s = ctx.server;
  const admin = await s.bearer('globex', 'admin');
  const anon = s.client();
  const before = (await anon.get('/api/v1/tenants/globex/branding')).body;
  assert.equal(before.default_language, 'en');
  assert.equal((await admin.get('/api/v1/me')).body.tenant.default_language, 'en');

  assertProblem(await admin.put('/api/v1/tenants/globex/branding', { ...before, default_language: 'fr' }), 400, ['default_language']);
  const manager = await s.bearer('globex', 'manager');
  assertProblem(await manager.put('/api/v1/tenants/globex/branding', { ...before, default_language: 'es' }), 403);
  const put = await admin.put('/api/v1/tenants/globex/branding', { ...before, default_language: 'es' });
  assertStatus(put, 200);
  assert.equal(put.body.default_language, 'es');
  assert.equal((await anon.get('/api/v1/tenants/globex/branding')).body.default_language, 'es');
  assert.equal((await anon.get('/api/v1/tenants/acme/branding')).body.default_language, 'en', 'per tenant');
  // A PUT that leaves the field out (a client of the first wave) keeps it.
  const { default_language: _, ...withoutLanguage } = before;
  assertStatus(await admin.put('/api/v1/tenants/globex/branding', { ...withoutLanguage, portal: { ...before.portal, footer_text: 'Globex' } }), 200);
  assert.equal((await anon.get('/api/v1/tenants/globex/branding')).body.default_language, 'es');

  const customer = await s.login('globex', 'c1_requester');
  const me = (await customer.get('/api/v1/me')).body;
  assert.equal(me.language, null);
  assert.equal(me.tenant.default_language, 'es');

  // An invitation without a language: the tenant's. A reset for a user without one: the tenant's; with one: its own.
  const c1 = s.customer('globex', 'c1').id;
  assertStatus(await manager.post(`/api/v1/customers/${c1}/invitations`, { email: 'ines@lang.test', access: 'viewer' }), 201);
  const [invitation] = await waitForMail(smtp, 'ines@lang.test');
  assert.match(invitation ?? '', /Aceptar la invitación/);
  const requester = s.user('globex', 'c1_requester');
  assertStatus(await anon.post('/api/v1/auth/password-reset', { tenant: 'globex', email: requester.email }), 202);
  const [reset] = await waitForMail(smtp, requester.email);
  assert.match(reset ?? '', /Elegir una contraseña nueva/);
  const approver = await s.login('globex', 'c1_approver');
  assertStatus(await approver.patch('/api/v1/me', { language: 'en' }), 200);
  const approverEmail = s.user('globex', 'c1_approver').email;
  assertStatus(await anon.post('/api/v1/auth/password-reset', { tenant: 'globex', email: approverEmail }), 202);
  const [english] = await waitForMail(smtp, approverEmail);
  assert.match(english ?? '', /Choose a new password/);

  assertStatus(await admin.put('/api/v1/tenants/globex/branding', { ...before, default_language: 'en' }), 200);
  assert.equal((await customer.get('/api/v1/me')).body.tenant.default_language, 'en');
});

test('access codes: listed with status, uses and expiry (never the code), revoked, used up', async () => {
  const s = ctx.server;
  const manager = await s.bearer('acme', 'manager');
  const c1 = s.customer('acme', 'c1').id;
  const c2 = s.customer('acme', 'c2').id;
  const a = await manager.post(`/api/v1/customers/${c1}/access-codes`, { access: 'requester', expires_in_days: 3 });
  const b = await manager.post(`/api/v1/customers/${c1}/access-codes`, { access: 'viewer' });
  const c = await manager.post(`/api/v1/customers/${c2}/access-codes`, { access: 'approver', expires_in_days: 1 });
  for (const r of [a, b, c]) assertStatus(r, 201);

  const list = await manager.get('/api/v1/access-codes');
  assertPage(list);
  const ids = list.body.results.map((r) => r.id);
  assert.deepEqual(ids.slice(0, 3), [c.body.id, b.body.id, a.body.id], 'newest first');
  const first = list.body.results.find((r) => r.id === a.body.id);
  assert.equal(first.customer_id, c1);
  assert.equal(first.customer_name, s.customer('acme', 'c1').name);
  assert.equal(first.access, 'requester');
  assert.equal(first.status, 'active');
  assert.equal(first.uses, 0);
  assert.equal(first.max_uses, 1);
  assert.match(first.expires_at, RFC3339_UTC);
  assert.equal(first.revoked_at, null);
  const days = (Date.parse(first.expires_at) - Date.now()) / 86400e3;
  assert.ok(days > 2.9 && days <= 3, `expires in 3 days, not ${days}`);
  assert.ok(!list.text.includes(a.body.code) && !list.text.includes(a.body.code.replace(/-/g, '')), 'the code is shown once only');
  assert.ok(!('code' in first) && !('token_hash' in first));

  const only2 = await manager.get(`/api/v1/access-codes?customer=${c2}`);
  assertStatus(only2, 200);
  assert.deepEqual(only2.body.results.map((r) => r.id), [c.body.id]);
  const foreign = await manager.get(`/api/v1/access-codes?customer=${s.customer('globex', 'c1').id}`);
  assertStatus(foreign, 200);
  assert.equal(foreign.body.count, 0, 'a filter never widens the scope');
  assert.equal((await (await s.bearer('globex', 'admin')).get('/api/v1/access-codes')).body.results
    .filter((r) => [a.body.id, b.body.id, c.body.id].includes(r.id)).length, 0, 'another tenant sees none');
  assertProblem(await (await s.bearer('acme', 'technician')).get('/api/v1/access-codes'), 403);
  assertProblem(await (await s.login('acme', 'c1_approver')).get('/api/v1/access-codes'), 403);

  // Revocation: 404 for another tenant, 403 for a technician, then 204 (and again 204); a revoked code signs nobody up.
  assertProblem(await (await s.bearer('globex', 'admin')).delete(`/api/v1/access-codes/${b.body.id}`), 404);
  assertProblem(await (await s.bearer('acme', 'technician')).delete(`/api/v1/access-codes/${b.body.id}`), 403);
  assertProblem(await manager.delete('/api/v1/access-codes/999999'), 404);
  assertStatus(await manager.delete(`/api/v1/access-codes/${b.body.id}`), 204);
  assertStatus(await manager.delete(`/api/v1/access-codes/${b.body.id}`), 204);
  const revoked = (await manager.get(`/api/v1/access-codes?customer=${c1}`)).body.results.find((r) => r.id === b.body.id);
  assert.equal(revoked.status, 'revoked');
  assert.match(revoked.revoked_at, RFC3339_UTC);
  const anon = s.client();
  assertStatus(await anon.post('/api/v1/auth/signup', { tenant: 'acme', code: b.body.code, email: 'late@codes.test', name: 'Late', password: GOOD }), 202);

  // Used up by a sign-up and its verification: "used", one use, and no longer revocable (409).
  assertStatus(await anon.post('/api/v1/auth/signup', { tenant: 'acme', code: a.body.code, email: 'uma@codes.test', name: 'Uma', password: GOOD }), 202);
  const [mail] = await waitForMail(smtp, 'uma@codes.test');
  assert.ok(mail, 'a verification e-mail for the active code');
  assertStatus(await s.client().post('/api/v1/auth/verify', { token: linkToken(mail, 'verify').token }), 201);
  const used = (await manager.get('/api/v1/access-codes')).body.results.find((r) => r.id === a.body.id);
  assert.equal(used.status, 'used');
  assert.equal(used.uses, 1);
  assert.match(used.last_used_at, RFC3339_UTC);
  assertProblem(await manager.delete(`/api/v1/access-codes/${a.body.id}`), 409);
  await sleep(300);
  assert.equal((await mailsTo(smtp, 'late@codes.test')).length, 0, 'no e-mail for a revoked code');
});

test('tenant currency: set by `portico tenant create --currency`, read-only in the branding', async () => {
  const s = ctx.server;
  const anon = s.client();
  const acme = (await anon.get('/api/v1/tenants/acme/branding')).body;
  assert.equal(acme.currency, 'USD', 'the default');
  for (const bad of ['usd', 'EURO', '1AB']) {
    const r = await runCli(['tenant', 'create', '--slug', `cur-${bad.toLowerCase()}`, '--name', 'Bad Currency', '--currency', bad], { databaseUrl: s.databaseUrl });
    assert.equal(r.code, 1, `${bad}: ${r.stdout}`);
    assert.match(r.stderr, /currency/);
  }
  const slug = `pesos-${Date.now()}`;
  const made = await runCli(['tenant', 'create', '--slug', slug, '--name', 'Talleres Pesos', '--currency', 'MXN'], { databaseUrl: s.databaseUrl });
  assert.equal(made.code, 0, made.stderr);
  const branding = (await anon.get(`/api/v1/tenants/${slug}/branding`)).body;
  assert.equal(branding.currency, 'MXN');
  // A PUT that echoes the GET (currency included) is accepted and cannot change it.
  const admin = await s.bearer('acme', 'admin');
  const put = await admin.put('/api/v1/tenants/acme/branding', { ...acme, currency: 'EUR' });
  assertStatus(put, 200);
  assert.equal(put.body.currency, 'USD');
  assert.equal((await anon.get('/api/v1/tenants/acme/branding')).body.currency, 'USD');
});
