// Photos on a repair: the technician uploads one on the shop's repair page (visible to the customer),
// the customer approver sees it on its repair page and opens it in the viewer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, TENANT } from './harness.mjs';
import { jpeg } from '../api/attachments_helpers.mjs';

const app = useApp();

test('a technician uploads a photo and the customer sees it', async () => {
  const r = await app.staffRepair({ unit_number: 'TRK-77', description: 'Crack across the passenger side' });
  const shopPage = await app.signedIn('tech');
  await shopPage.goto(app.url(`/t/${TENANT}/shop/repairs/${r.id}`));
  const panel = shopPage.getByRole('region', { name: 'Photos and files' });
  await panel.getByText('No photos or files yet.').waitFor();
  await panel.getByLabel('Caption').fill('Crack before the repair');
  await panel.getByLabel('Add photos or files').setInputFiles({ name: 'crack.jpg', mimeType: 'image/jpeg', buffer: jpeg(640, 480) });
  const thumb = panel.getByRole('button', { name: 'Open crack.jpg' });
  await thumb.waitFor();
  await shopPage.waitForFunction(() => [...document.querySelectorAll('.grid img')].some((i) => i.complete && i.naturalWidth > 0));
  await shot(shopPage, 'shop-repair-photos');

  const stored = await (await app.api('manager')).get(`/api/v1/repairs/${r.id}/attachments`);
  assert.equal(stored.results.length, 1);
  assert.equal(stored.results[0].visibility, 'customer');
  assert.equal(stored.results[0].caption, 'Crack before the repair');

  // The approver decides on evidence: the photo is in the approval card of the dashboard.
  const page = await app.signedIn('approver');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const card = page.getByRole('region', { name: 'Awaiting your approval' }).getByRole('listitem').filter({ hasText: `#${r.id} · Unit TRK-77` });
  await card.getByRole('img', { name: 'Crack before the repair' }).waitFor();
  await shot(page, 'customer-dashboard-photos', { fullPage: false });
  await page.goto(app.url(`/t/${TENANT}/portal/repairs/${r.id}`));
  const photos = page.getByRole('region', { name: 'Photos' });
  await photos.getByRole('button', { name: 'Open crack.jpg' }).click();
  const viewer = page.getByRole('dialog', { name: 'crack.jpg' });
  await viewer.getByRole('img', { name: 'Crack before the repair' }).waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector('.viewer img');
    return img && img.complete && img.naturalWidth === 640;
  });
  await shot(page, 'customer-repair-photo-viewer');
  await viewer.getByRole('button', { name: 'Close' }).click();

  const phone = await app.signedIn('approver', { width: 375, height: 740, isMobile: true, hasTouch: true });
  await phone.goto(app.url(`/t/${TENANT}/portal/repairs/${r.id}`));
  await phone.getByRole('region', { name: 'Photos' }).getByRole('button', { name: 'Open crack.jpg' }).waitFor();
  const input = phone.getByRole('region', { name: 'Photos' }).locator('input[type=file]');
  assert.equal(await input.getAttribute('capture'), 'environment', 'the phone opens the camera');
  await shot(phone, 'phone-customer-repair-photos');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(shopPage.errors, []);
  for (const p of [page, shopPage, phone]) await p.context().close();
});
