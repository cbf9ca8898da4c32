// E-mail notifications (issue 5): a real SMTP server on 127.0.0.1 (aiosmtpd) receives what Portico
// sends; the customer's preference turns it off; notifications are created once per user and event,
// also across a restart of the server (the worker's cursor is persisted).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useServer, freePort, assertStatus } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const smtp = { port: 0, dir: '', proc: null };

before(async () => {
  smtp.port = await freePort();
  smtp.dir = await mkdtemp(path.join(os.tmpdir(), 'portico-smtp-'));
  // Debian's interpreter: python3-aiosmtpd is installed for it (a pyenv python3 on PATH would not see it).
  const python = process.env.PORTICO_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  smtp.proc = spawn(python, [path.join(here, 'smtp_sink.py'), String(smtp.port), smtp.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  smtp.proc.stderr.on('data', (c) => { err += c; });
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`smtp sink did not start: ${err}`)), 10_000);
    smtp.proc.stdout.on('data', (c) => { if (String(c).includes('ready')) { clearTimeout(t); resolve(); } });
    smtp.proc.on('exit', (code) => reject(new Error(`smtp sink exited ${code}: ${err}`)));
  });
});

after(async () => {
  smtp.proc?.kill('SIGTERM');
  await rm(smtp.dir, { recursive: true, force: true });
});

const ctx = useServer({
  prepare: async (dir) => {
    const file = path.join(dir, 'portico.toml');
    await writeFile(file, `[server]\npublic_url = "https://portal.example"\n\n[smtp]\nhost = "127.0.0.1"\nport = ${smtp.port}\n` +
      `starttls = "never"\nfrom = "notifications@acme.example"\n`);
    return ['--config', file];
  },
});

async function messages() {
  const out = [];
  for (const f of (await readdir(smtp.dir)).sort()) out.push(await readFile(path.join(smtp.dir, f), 'utf8'));
  return out;
}

async function waitFor(predicate, ms = 8000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await predicate();
    if (v) return v;
    if (Date.now() > deadline) return null;
    await sleep(150);
  }
}

async function propose(s, customerKey, description) {
  const manager = await s.bearer('acme', 'manager');
  const res = await manager.post('/api/v1/repairs', {
    customer_id: s.customer('acme', customerKey).id, unit_number: 'MAIL-1', description,
  });
  assertStatus(res, 201);
  return res.body;
}

test('the approver gets an e-mail from the tenant, with text and HTML parts and a link', async () => {
  const s = ctx.server;
  const repair = await propose(s, 'c1', 'Replace the wiper motor');
  const approver = s.user('acme', 'c1_approver');
  const mail = await waitFor(async () => (await messages()).find((m) => m.includes(`X-Envelope-To: <${approver.email}>`) || m.includes(`X-Envelope-To: ${approver.email}`)));
  assert.ok(mail, `no e-mail reached ${approver.email}; got:\n${(await messages()).join('\n----\n').slice(0, 3000)}`);
  assert.match(mail, /^From: "Acme Glass Repair" <notifications@acme\.example>/m);
  assert.match(mail, new RegExp(`^To: .*<${approver.email.replace(/\./g, '\\.')}>`, 'm'));
  assert.match(mail, /^Subject: .*approval is wanted for repair #\d+/m);
  assert.match(mail, /Content-Type: text\/plain; charset=utf-8/);
  assert.match(mail, /Content-Type: text\/html; charset=utf-8/);
  const unfolded = mail.replace(/=\r?\n/g, '');
  assert.ok(unfolded.includes(`https://portal.example/t/acme/portal/repairs/${repair.id}`), 'link to the repair in the portal');
  // The manager who proposed it is not e-mailed about its own action, and no other tenant's user is.
  const all = await messages();
  assert.ok(!all.some((m) => m.includes(s.user('acme', 'manager').email)), 'the actor is not told');
  assert.ok(!all.some((m) => m.includes('@globex.test')), 'nothing crosses tenants');
});

test('no e-mail when the customer turned e-mail notifications off; the in-app notification still exists', async () => {
  const s = ctx.server;
  const admin = await s.bearer('acme', 'admin');
  const c2 = s.customer('acme', 'c2').id;
  assertStatus(await admin.put(`/api/v1/customers/${c2}/preferences`, {
    receive_email_notifications: false, receive_sms_notifications: false, default_view: 'DASHBOARD',
  }), 200);
  const before = (await messages()).length;
  const repair = await propose(s, 'c2', 'Check the tail lights');
  const approver = await s.bearer('acme', 'c2_approver');
  const found = await waitFor(async () => {
    const list = await approver.get('/api/v1/notifications?unread=true');
    return list.body?.results?.find((n) => n.repair_id === repair.id);
  });
  assert.ok(found, 'in-app notification for the c2 approver');
  assert.equal(found.type, 'approval_wanted');
  await sleep(2500); // the mail worker runs every second
  const after = await messages();
  assert.equal(after.length, before, 'no new e-mail');
  assert.ok(!after.some((m) => m.includes(s.user('acme', 'c2_approver').email)));
});

test('notifications are created once per user and event, across a restart', async () => {
  const s = ctx.server;
  const repair = await propose(s, 'c1', 'Re-seal the rear window');
  const approver = await s.bearer('acme', 'c1_approver');
  const mine = async () => (await approver.get('/api/v1/notifications?page_size=200')).body.results
    .filter((n) => n.repair_id === repair.id);
  assert.ok(await waitFor(async () => (await mine()).length === 1), 'one notification for the new repair');
  const unread = (await approver.get('/api/v1/notifications/unread_count')).body.unread;
  const stopped = await s.stop('SIGTERM');
  assert.equal(stopped.code, 0);
  await s.start();
  await sleep(1500);
  const again = await s.bearer('acme', 'c1_approver');
  const list = (await again.get('/api/v1/notifications?page_size=200')).body.results.filter((n) => n.repair_id === repair.id);
  assert.equal(list.length, 1, 'still exactly one after the restart');
  assert.equal((await again.get('/api/v1/notifications/unread_count')).body.unread, unread);
  const ids = (await again.get('/api/v1/notifications?page_size=200')).body.results.map((n) => n.event_id);
  assert.equal(new Set(ids).size, ids.length, 'no event notified twice');
});

test('mark read: one, then all; another user cannot mark mine', async () => {
  const s = ctx.server;
  const approver = await s.bearer('acme', 'c1_approver');
  const list = (await approver.get('/api/v1/notifications?unread=true')).body.results;
  assert.ok(list.length >= 1);
  const other = await s.bearer('acme', 'c2_approver');
  assertStatus(await other.post(`/api/v1/notifications/${list[0].id}/read`), 404);
  const read = await approver.post(`/api/v1/notifications/${list[0].id}/read`);
  assertStatus(read, 200);
  assert.equal(read.body.read, true);
  const count = (await approver.get('/api/v1/notifications/unread_count')).body.unread;
  assert.equal(count, list.length - 1);
  assertStatus(await approver.post('/api/v1/notifications/read_all'), 200);
  assert.equal((await approver.get('/api/v1/notifications/unread_count')).body.unread, 0);
  assert.equal((await approver.get('/api/v1/notifications?unread=true')).body.count, 0);
});

test('a mentioned staff user gets the mention by e-mail too', async () => {
  const s = ctx.server;
  const admin = await s.bearer('acme', 'admin');
  const tech = await s.bearer('acme', 'technician');
  const me = await tech.get('/api/v1/me');
  assertStatus(me, 200);
  const ch = await admin.post('/api/v1/channels', { kind: 'internal', name: `Mail ${Date.now()}` });
  assertStatus(ch, 201);
  assertStatus(await admin.post(`/api/v1/channels/${ch.body.id}/messages`, { body: `@${me.body.handle} please check bay 2` }), 201);
  const email = s.user('acme', 'technician').email;
  const mail = await waitFor(async () => (await messages()).find((m) => m.includes(email) && /mentioned you/.test(m)));
  assert.ok(mail, `no mention e-mail reached ${email}`);
  assert.match(mail, /^Subject: .*mentioned you in Mail/m);
  const flat = mail.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  assert.ok(flat.includes('please check bay 2'), 'the excerpt is in the e-mail');
  assert.ok(flat.includes(`/t/acme/shop/messages?channel=${ch.body.id}`), 'the e-mail links to the conversation');
  const list = (await tech.get('/api/v1/notifications')).body.results;
  const mention = list.find((n) => n.type === 'mention');
  assert.ok(mention, 'the mention is in the bell');
  assert.equal(mention.channel_id, ch.body.id);
  assert.equal(mention.repair_id, null);
});
