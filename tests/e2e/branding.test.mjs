// The tenant's branding on its login page and in the admin's branding settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, BRANDING, TENANT } from './harness.mjs';

const app = useApp();

/** "#7a1f5c" -> "rgb(122, 31, 92)", as getComputedStyle reports colours. */
function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

test('the login page wears the tenant branding before anyone signs in', async () => {
  const page = await app.newPage();
  await page.goto(app.url(`/t/${TENANT}/login`));

  await page.getByRole('heading', { level: 1, name: BRANDING.company.display_name }).waitFor();
  await page.getByText(BRANDING.portal.welcome_message).waitFor();
  await page.getByText(BRANDING.portal.footer_text).waitFor();
  await page.getByRole('link', { name: BRANDING.company.support_email }).waitFor();

  // The colours become CSS custom properties on <html>, and the page really uses them.
  const css = await page.evaluate(() => {
    const root = getComputedStyle(document.documentElement);
    const button = document.querySelector('button[type=submit]');
    const card = document.querySelector('main.login');
    return {
      primary: root.getPropertyValue('--color-primary').trim(),
      accent: root.getPropertyValue('--color-accent').trim(),
      background: root.getPropertyValue('--color-background').trim(),
      buttonBg: button && getComputedStyle(button).backgroundColor,
      cardTop: card && getComputedStyle(card).borderTopColor,
    };
  });
  assert.equal(css.primary, BRANDING.colors.primary);
  assert.equal(css.accent, BRANDING.colors.accent);
  assert.equal(css.background, BRANDING.colors.background);
  assert.equal(css.cardTop, rgb(BRANDING.colors.primary), 'the login card is edged in the primary colour');
  assert.equal(css.buttonBg, rgb(BRANDING.colors.primary), 'the sign-in button is the primary colour');
  assert.equal(await page.title(), BRANDING.company.display_name);

  await page.getByLabel('Email').fill('alice@northwind.test');
  await page.getByLabel('Password').fill('not-a-real-password');
  await shot(page, 'login');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an unknown tenant gets a clear message instead of a login form', async () => {
  const page = await app.newPage();
  await page.goto(app.url('/t/no-such-shop/login'));
  await page.getByRole('alert').filter({ hasText: 'There is no shop called' }).waitFor();
  assert.equal(await page.getByLabel('Password').count(), 0);
  await page.context().close();
});

test('the admin changes the primary colour in the branding settings and the login page follows', async () => {
  const page = await app.signedIn('admin');
  await page.goto(app.url(`/t/${TENANT}/shop/settings/branding`));
  await page.getByRole('heading', { name: 'Branding', level: 1 }).waitFor();
  const primary = page.locator('#c-primary');
  assert.equal(await primary.inputValue(), BRANDING.colors.primary);
  assert.equal(await page.locator('#welcome').inputValue(), BRANDING.portal.welcome_message);
  await shot(page, 'shop-branding-settings');

  await primary.fill('#005f73');
  // the portal repaints at once (preview), before saving
  await page.waitForFunction(() => getComputedStyle(document.documentElement).getPropertyValue('--color-primary').trim() === '#005f73');
  await page.getByRole('button', { name: /^Save/ }).click();
  await page.getByText('Saved. Customers see the new branding').waitFor();

  const saved = await (await app.api('admin')).get(`/api/v1/tenants/${TENANT}/branding`);
  assert.equal(saved.colors.primary, '#005f73');

  const login = await app.newPage();
  await login.goto(app.url(`/t/${TENANT}/login`));
  await login.getByText(BRANDING.portal.welcome_message).waitFor();
  await login.waitForFunction(() => getComputedStyle(document.documentElement).getPropertyValue('--color-primary').trim() === '#005f73');

  // put the original colours back for the other tests of this file
  await (await app.api('admin')).put(`/api/v1/tenants/${TENANT}/branding`, BRANDING);
  await login.context().close();
  await page.context().close();
});
