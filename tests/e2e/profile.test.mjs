// Your profile (issue 11: handles editable by the user): a customer and a technician change their own
// @handle; a taken one is refused with the server's message and nothing changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, TENANT } from './harness.mjs';

const app = useApp();

test('a customer sets its @handle on Preferences; the header shows it; a taken handle is refused', async () => {
  const page = await app.signedIn('viewer');
  await page.goto(app.url(`/t/${TENANT}/portal/preferences`));
  const form = page.getByTestId('profile-form');
  await form.getByTestId('handle-input').fill('Vera.V');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  assert.equal(await form.getByTestId('handle-input').inputValue(), 'vera.v');
  await page.locator('.role').filter({ hasText: '@vera.v' }).first().waitFor();
  assert.equal((await (await app.api('viewer')).get('/api/v1/me')).handle, 'vera.v');

  const taken = (await (await app.api('manager')).get('/api/v1/me')).handle;
  await form.getByTestId('handle-input').fill(taken);
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByTestId('handle-error').waitFor();
  assert.equal((await (await app.api('viewer')).get('/api/v1/me')).handle, 'vera.v');
  await shot(page, 'customer-profile');
  await page.context().close();
});

test('a technician sets its @handle under Settings -> Your profile, at phone width', async () => {
  const page = await app.signedIn('tech', { width: 375, height: 740, isMobile: true, hasTouch: true });
  await page.goto(app.url(`/t/${TENANT}/shop/settings/profile`));
  const form = page.getByTestId('profile-form');
  await form.getByTestId('handle-input').fill('tess');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  assert.equal((await (await app.api('tech')).get('/api/v1/me')).handle, 'tess');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `no sideways scroll (${width}px)`);
  await page.context().close();
});
