// Integrations in the portals (issue 14): Export CSV on the repair lists of both portals (the list's
// filters, the caller's scope), Download invoice on completed repairs in both portals, and the shop's
// Webhooks settings page (admin; the refusal of a private URL is shown), desktop and 375 px phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, scrollWidths, TENANT } from './harness.mjs';

const app = useApp();
const portal = `/t/${TENANT}/portal`;
const shop = `/t/${TENANT}/shop`;
const PHONE = { width: 375, height: 740, isMobile: true, hasTouch: true };

test('Export CSV on the shop list follows its filters and downloads the export', async () => {
  await app.staffRepair();
  const page = await app.signedIn('manager');
  await page.goto(app.url(`${shop}/repairs?status=PENDING`));
  const link = page.getByTestId('export-csv');
  await link.waitFor();
  const href = await link.getAttribute('href');
  assert.match(href, /^\/api\/v1\/repairs\/export\.csv\?status=PENDING$/);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = await download.path();
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(file, 'utf8');
  assert.match(text, /^id,customer,unit_number,status,/);
  for (const line of text.trim().split('\r\n').slice(1)) assert.match(line, /,PENDING,/);
  await shot(page, 'shop-repairs-export', { fullPage: false });
  await page.close();
});

test('customer portal: Export CSV and Download invoice, also at phone width', async () => {
  const done = await app.completedRepair({ description: 'Invoice test, Peña' });
  const page = await app.signedIn('viewer', PHONE);
  await page.goto(app.url(`${portal}/repairs`));
  await page.getByTestId('export-csv').waitFor();
  await page.goto(app.url(`${portal}/repairs/${done.id}`));
  const invoice = page.getByTestId('download-invoice');
  await invoice.waitFor();
  assert.equal(await invoice.getAttribute('href'), `/api/v1/repairs/${done.id}/invoice.pdf`);
  const [download] = await Promise.all([page.waitForEvent('download'), invoice.click()]);
  const { readFile } = await import('node:fs/promises');
  const pdf = await readFile(await download.path());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const widths = await scrollWidths(page);
  assert.ok(widths.scroll <= widths.client + 1, `no sideways scroll at 375 px: ${JSON.stringify(widths)}`);
  await shot(page, 'phone-customer-invoice-button', { fullPage: false });
  await page.close();
});

test('shop: the Webhooks page (admin) shows the refusal of a loopback http:// URL without webhooks.allow_private', async () => {
  const page = await app.signedIn('admin');
  await page.goto(app.url(`${shop}/settings/webhooks`));
  await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.getByLabel('URL').fill('http://127.0.0.1:9/hook');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  // Without webhooks.allow_private the server refuses it and says why.
  await page.getByText(/loopback, private|https/).first().waitFor();
  await shot(page, 'shop-webhooks-refused', { fullPage: false });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.close();
});
