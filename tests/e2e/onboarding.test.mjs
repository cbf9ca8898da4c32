// Self-service accounts in the browser (issue 13): an invited customer opens the link of the invitation
// (printed by `portico invite`, as without an SMTP server), sets a password and lands on its dashboard;
// the same page in Spanish; the language switch is stored with PATCH /me; 375 px without sideways scrolling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { useApp, shot, scrollWidths, BIN, TENANT } from './harness.mjs';

const app = useApp();
const PHONE = { width: 375, height: 740, isMobile: true, hasTouch: true };

function invite(email, access = 'approver') {
  return new Promise((resolve, reject) => {
    execFile(BIN, ['invite', '--tenant', TENANT, '--customer', String(app.ids.customer), '--email', email, '--access', access,
      '--database', app.databaseUrl], { env: { ...process.env, PORTICO_PASSWORD_HASH: 'min' }, timeout: 30_000 },
    (err, stdout, stderr) => {
      if (err) { reject(new Error(`portico invite failed: ${stderr}`)); return; }
      const link = stdout.trim().split('\n')[1];
      resolve(new URL(link).pathname);
    });
  });
}

test('an invited customer sets a password from the link and lands on its dashboard', async () => {
  const path = await invite('ines@northwind.test');
  assert.match(path, new RegExp(`^/t/${TENANT}/invite/[A-Za-z0-9_-]{40,}$`));
  const page = await app.newPage();
  await page.goto(app.url(path));
  await page.getByRole('heading', { name: 'You are invited' }).waitFor();
  await page.getByText(/Northwind Transit/).waitFor();
  assert.match(await page.locator('main').innerText(), /ines@northwind\.test/);
  await page.getByLabel('Your name').fill('Inés Navarro');
  await page.getByLabel('New password').fill('password');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.locator('#password-error').waitFor();
  await shot(page, 'invitation-password-refused');
  await page.getByLabel('New password').fill('violet-harbour-engine-42');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.waitForURL((u) => u.pathname === `/t/${TENANT}/portal`);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  assert.deepEqual(page.errors, []);

  // The link is single-use.
  const again = await app.newPage();
  await again.goto(app.url(path));
  await again.getByText('This invitation link is not valid any more').waitFor();
});

test('the invitation page in Spanish, at 375 px; the language switch is stored with PATCH /me', async () => {
  const path = await invite('pablo@northwind.test', 'viewer');
  const page = await app.newPage(PHONE);
  await page.goto(app.url(path));
  await page.getByRole('heading', { name: 'You are invited' }).waitFor();
  await page.getByTestId('language-switch').selectOption('es');
  await page.getByRole('heading', { name: 'Está invitado' }).waitFor();
  const w = await scrollWidths(page);
  assert.ok(w.scroll <= 375 && w.body <= 375, `no sideways scrolling at 375 px: ${JSON.stringify(w)}`);
  await shot(page, 'invitation-es-phone');
  await page.getByLabel('Su nombre').fill('Pablo Ruiz');
  await page.getByLabel('Contraseña nueva').fill('violet-harbour-engine-43');
  await page.getByRole('button', { name: 'Crear mi cuenta' }).click();
  await page.waitForURL((u) => u.pathname === `/t/${TENANT}/portal`);
  // Signed in: the switch stores the user's own language.
  await page.getByRole('button', { name: /Menu|Menú/ }).click();
  const languageSwitch = page.locator('nav').getByTestId('language-switch');
  for (const lang of ['en', 'es']) {
    const patched = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH');
    await languageSwitch.selectOption(lang);
    assert.equal((await patched).status(), 200);
  }
  await page.getByRole('link', { name: 'Reparaciones' }).waitFor();
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
  assert.equal(me.language, 'es');
  const after = await scrollWidths(page);
  assert.ok(after.scroll <= 375 && after.body <= 375, `the Spanish portal at 375 px: ${JSON.stringify(after)}`);
  await shot(page, 'portal-es-phone');
});

test('the login page links to password reset and sign-up; the forgot page answers alike', async () => {
  const page = await app.newPage();
  await page.goto(app.url(`/t/${TENANT}/login`));
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
  await page.getByLabel('Email').fill('nobody@northwind.test');
  await page.getByRole('button', { name: 'Send the link' }).click();
  await page.getByText('If an account uses nobody@northwind.test').waitFor();
  await shot(page, 'forgot-password');
});

test('staff invite a contact, see the invitation pending, revoke it and issue an access code', async () => {
  const page = await app.signedIn('manager');
  await page.goto(app.url(`/t/${TENANT}/shop/customers/${app.ids.customer}`));
  const panel = page.locator('section.invitations');
  await panel.getByRole('heading', { name: 'Invitations' }).waitFor();
  await panel.locator('#inv-email').fill('dora@northwind.test');
  await panel.locator('#inv-name').fill('Dora Diaz');
  await panel.locator('#inv-access').selectOption('requester');
  await panel.getByRole('button', { name: 'Send invitation' }).click();
  const row = panel.locator('li', { hasText: 'dora@northwind.test' });
  await row.getByText(/Pending/).waitFor();
  await panel.getByRole('button', { name: 'Issue an access code' }).click();
  await panel.getByText(/Access code \(shown once\): [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/).waitFor();
  await shot(page, 'shop-customer-invitations');
  await row.getByRole('button', { name: 'Revoke' }).click();
  await row.getByText(/Revoked/).waitFor();
  assert.deepEqual(page.errors, []);
});

test('a custom domain serves the tenant\'s branded portal at / and signs in without the /t/ prefix', async () => {
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  const { REPO_ROOT } = await import('./harness.mjs');
  const { chromium } = createRequire(path.join(REPO_ROOT, 'web', 'package.json'))('playwright-core');
  const admin = await app.api('admin');
  await admin.ok('PUT', '/api/v1/settings/domains', { domains: ['portal.acme.example'] });
  const port = new URL(app.baseUrl).port;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--host-resolver-rules=MAP portal.acme.example 127.0.0.1'],
  });
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await page.goto(`http://portal.acme.example:${port}/login`);
    await page.getByRole('heading', { name: 'Acme Glass' }).waitFor();
    await page.getByLabel('Email').fill('approver@acme.test');
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.hostname === 'portal.acme.example' && u.pathname.endsWith('/portal'));
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await shot(page, 'custom-domain-portal', { fullPage: false });
  } finally {
    await browser.close();
    await admin.ok('PUT', '/api/v1/settings/domains', { domains: [] });
  }
});
