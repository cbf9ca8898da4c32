// The shop's "Accounts & domains" settings (issue 13): an admin issues an access code (shown once), sees it
// listed with status, uses and expiry, and revokes it; adds and removes a custom domain; sets the tenant's
// default language. A manager sees the access codes only. Desktop and 375 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, scrollWidths, TENANT, CUSTOMER } from './harness.mjs';

const app = useApp();
const settings = `/t/${TENANT}/shop/settings/accounts`;
const PHONE = { width: 375, height: 740, isMobile: true, hasTouch: true };

async function openSettings(key, opts) {
  const page = await app.signedIn(key, opts);
  await page.goto(app.url(settings));
  await page.getByRole('heading', { name: 'Access codes' }).waitFor();
  return page;
}

test('an admin issues an access code, sees it listed once (the code is not), and revokes it', async () => {
  const page = await openSettings('admin');
  await page.getByRole('link', { name: 'Accounts & domains' }).waitFor();
  const codes = page.getByTestId('access-codes');
  await codes.getByLabel('Customer', { exact: true }).locator(`option:has-text("${CUSTOMER.name}")`).waitFor({ state: 'attached' });
  await codes.getByLabel('Access').selectOption('requester');
  await codes.getByLabel('Valid for (days)').fill('7');
  await codes.getByRole('button', { name: 'Issue code' }).click();

  const shown = page.getByTestId('new-access-code');
  await shown.waitFor();
  const code = (await shown.innerText()).trim();
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  const row = codes.getByTestId('access-code-row').first();
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, new RegExp(CUSTOMER.name));
  assert.match(text, /Requester/);
  assert.match(text, /Active/);
  assert.match(text, /0 of 1/);
  assert.ok(!(await codes.locator('table').innerText()).includes(code), 'the list never shows the code');
  await shot(page, 'shop-settings-access-codes');

  // The code works at sign-up until it is revoked: the API list says so too.
  const admin = await app.api('admin');
  const listed = await admin.get('/api/v1/access-codes');
  assert.equal(listed.results[0].status, 'active');

  page.once('dialog', (d) => d.accept());
  await row.getByRole('button', { name: 'Revoke' }).click();
  await codes.locator('[data-testid="access-code-row"][data-status="revoked"]').first().waitFor();
  assert.match(await codes.getByTestId('access-code-row').first().innerText(), /Revoked/);
  assert.equal(await codes.getByTestId('access-code-row').first().getByRole('button', { name: 'Revoke' }).count(), 0);
  assert.equal((await admin.get('/api/v1/access-codes')).results[0].status, 'revoked');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an admin adds and removes a custom domain; a wrong name shows the server\'s reason', async () => {
  const page = await openSettings('admin');
  const domains = page.getByTestId('domains');
  await domains.getByText('No custom domains yet.').waitFor();
  await domains.getByLabel('Host name').fill('not a host');
  await domains.getByRole('button', { name: 'Add domain' }).click();
  await domains.locator('#domain-name-error').waitFor();
  assert.match(await domains.locator('#domain-name-error').innerText(), /not a host name/);

  await domains.getByLabel('Host name').fill('Portal.Northwind-Glass.test');
  await domains.getByRole('button', { name: 'Add domain' }).click();
  const row = domains.getByTestId('domain-row');
  await row.waitFor();
  assert.match(await row.innerText(), /portal\.northwind-glass\.test/, 'as the server normalised it');
  assert.equal(await row.getByRole('link', { name: 'Open' }).getAttribute('href'), 'https://portal.northwind-glass.test/');
  const admin = await app.api('admin');
  assert.deepEqual((await admin.get('/api/v1/settings/domains')).domains, ['portal.northwind-glass.test']);
  await shot(page, 'shop-settings-domains');

  await domains.getByRole('button', { name: 'Remove portal.northwind-glass.test' }).click();
  await domains.getByText('No custom domains yet.').waitFor();
  assert.deepEqual((await admin.get('/api/v1/settings/domains')).domains, []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an admin sets the default language; a manager sees the access codes only; 375 px fits', async () => {
  const page = await openSettings('admin');
  await page.getByRole('combobox', { name: 'Default language' }).selectOption('es');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved.').waitFor();
  const anon = await fetch(app.url(`/api/v1/tenants/${TENANT}/branding`)).then((r) => r.json());
  assert.equal(anon.default_language, 'es');
  await page.getByRole('combobox', { name: 'Default language' }).selectOption('en');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForFunction(async (url) => (await (await fetch(url)).json()).default_language === 'en',
    app.url(`/api/v1/tenants/${TENANT}/branding`));
  await page.context().close();

  const manager = await openSettings('manager', PHONE);
  assert.equal(await manager.getByTestId('domains').count(), 0, 'domains are for admins');
  assert.equal(await manager.getByRole('combobox', { name: 'Default language' }).count(), 0);
  await manager.getByText('Only admins change the default language and the custom domains.').waitFor();
  const codes = manager.getByTestId('access-codes');
  await codes.getByLabel('Customer', { exact: true }).locator(`option:has-text("${CUSTOMER.name}")`).waitFor({ state: 'attached' });
  await codes.getByRole('button', { name: 'Issue code' }).click();
  await manager.getByTestId('new-access-code').waitFor();
  await codes.getByTestId('access-code-row').first().waitFor();
  const w = await scrollWidths(manager);
  assert.ok(w.scroll <= w.client, `no horizontal scrolling at 375 px: ${JSON.stringify(w)}`);
  await shot(manager, 'phone-shop-settings-access-codes');
  assert.deepEqual(manager.errors, []);
  await manager.context().close();
});
