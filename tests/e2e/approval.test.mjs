// Staff-initiated repairs wait for the customer: the approver decides on the dashboard; a viewer only reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, TENANT, PEOPLE } from './harness.mjs';

const app = useApp();
const portal = `/t/${TENANT}/portal`;
const shop = `/t/${TENANT}/shop`;

test('a repair created by staff is approved by the customer approver on the dashboard', async () => {
  // history for the dashboard's figures and charts
  await app.completedRepair({ unit_number: 'TRK-12', description: 'Chip repaired last week' });
  await app.completedRepair({ unit_number: 'TRK-12', description: 'Second chip, same truck' });
  await app.completedRepair({ unit_number: 'VAN-3', description: 'Bullseye by the wiper' });

  // The manager proposes the work through the shop's form.
  const shopPage = await app.signedIn('manager');
  await shopPage.goto(app.url(`${shop}/repairs/new`));
  await shopPage.getByRole('heading', { name: 'New repair for a customer' }).waitFor();
  await shopPage.getByLabel('Unit').fill('TRK-12');
  await shopPage.getByText('2 repairs so far').waitFor(); // a known unit: picked, not created again
  await shopPage.getByLabel('Description').fill('Edge crack found during the yearly inspection');
  await shopPage.getByLabel('Damage type').fill('Edge crack');
  await shopPage.getByRole('button', { name: 'Create repair' }).click();
  await shopPage.waitForURL(new RegExp(`${shop}/repairs/\\d+$`));
  const id = Number(new URL(shopPage.url()).pathname.split('/').pop());
  const shopBadge = shopPage.getByRole('heading', { name: `Repair #${id}` }).locator('.badge');
  assert.equal(await shopBadge.innerText(), 'Awaiting customer');
  await shopPage.getByText("Waiting for the customer's approval in their portal.").waitFor();

  // The approver finds it first thing on the dashboard, with the estimate (3rd repair of the unit: 35.00).
  const page = await app.signedIn('approver');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const awaiting = page.getByRole('region', { name: 'Awaiting your approval' });
  const item = awaiting.getByRole('listitem').filter({ hasText: `#${id} · Unit TRK-12` });
  await item.getByText('Edge crack found during the yearly inspection', { exact: true }).waitFor();
  assert.match(await item.innerText(), /Estimate\s+\$35\.00/);
  await page.getByRole('region', { name: 'Key figures' }).getByText('3', { exact: true }).first().waitFor();
  await page.locator('figure svg, .chart svg').first().waitFor().catch(() => {}); // charts load lazily
  await shot(page, 'customer-dashboard');

  await item.getByRole('button', { name: 'Approve' }).click();
  const dialog = page.getByRole('dialog', { name: `Approve repair #${id}?` });
  await dialog.getByLabel('Notes for the shop (optional)').fill('Go ahead, the truck is in the yard on Monday');
  await dialog.getByRole('button', { name: 'Yes, approve' }).click();
  await item.waitFor({ state: 'detached' });
  await awaiting.getByText('Nothing is waiting for your decision.').waitFor();

  const stored = await (await app.api('manager')).get(`/api/v1/repairs/${id}`);
  assert.equal(stored.status, 'APPROVED');
  assert.equal(stored.approval.approved, true);
  assert.equal(stored.approval.decided_by.name, PEOPLE.approver.name);
  assert.equal(stored.approval.notes, 'Go ahead, the truck is in the yard on Monday');

  // The shop's page, open all along, follows live.
  await shopPage.waitForFunction(() => document.querySelector('h1 .badge')?.textContent?.trim() === 'Approved', null, { timeout: 15_000 });
  await shopPage.getByText(`Approved by ${PEOPLE.approver.name}`).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
  await shopPage.context().close();
});

test('a viewer sees a repair awaiting approval but has no approve button', async () => {
  const r = await app.staffRepair({ unit_number: 'BUS-100', description: 'Chip in the driver side, waiting for a decision' });
  const page = await app.signedIn('viewer');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByText('You have read-only access').waitFor();
  const item = page.getByRole('region', { name: 'Awaiting your approval' }).getByRole('listitem').filter({ hasText: `#${r.id} · Unit BUS-100` });
  await item.getByText("Your organisation's approver decides.").waitFor();
  assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Deny' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Request a repair' }).count(), 0);

  await item.getByRole('link', { name: `#${r.id} · Unit BUS-100` }).click();
  await page.waitForURL(`**${portal}/repairs/${r.id}`);
  await page.getByText("This repair waits for approval by your organisation's approver.").waitFor();
  assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Cancel repair' }).count(), 0);
  assert.equal(await page.getByLabel('Message to the shop').count(), 0, 'a viewer cannot write notes');

  // The server agrees: the viewer's own session may not decide.
  const res = await page.evaluate(async (id) => {
    const me = await (await fetch('/api/v1/me')).json();
    const headers = { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token };
    const r = await fetch(`/api/v1/repairs/${id}/approval`, { method: 'POST', headers, body: JSON.stringify({ approved: true, notes: '' }) });
    return { csrf: typeof me.csrf_token, status: r.status };
  }, r.id);
  assert.equal(res.csrf, 'string', 'GET /me hands the page its CSRF token');
  assert.equal(res.status, 403);
  assert.equal((await (await app.api('manager')).get(`/api/v1/repairs/${r.id}`)).status, 'PENDING');
  await page.context().close();
});
