// Client requests and change orders in both portals (issue 10): a customer requests material on a repair,
// the manager converts it into a change order, the customer approves it, and the repair's total changes in
// both portals without reload. Also: the over-limit message, and the pages at phone width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, scrollWidths, TENANT } from './harness.mjs';

const app = useApp();
const portal = `/t/${TENANT}/portal`;
const shop = `/t/${TENANT}/shop`;
const PHONE = { width: 375, height: 740, isMobile: true, hasTouch: true };

const totalOf = async (page) => (await page.getByTestId('repair-total').innerText()).replace(/[^0-9.]/g, '');

test('request material, convert into a change order, approve it: totals change live in both portals', async () => {
  const repair = await app.staffRepair({ unit_number: 'BUS-210', description: 'Crack across the windshield' });
  const before = repair.estimated_cost;

  // The requester asks for material on that repair.
  const requester = await app.signedIn('requester');
  await requester.getByRole('link', { name: 'Requests' }).first().click();
  await requester.getByRole('heading', { name: 'Requests' }).waitFor();
  await requester.getByRole('button', { name: 'New request' }).click();
  await requester.getByLabel('What do you need?').selectOption('material');
  await requester.getByLabel('Title').fill('Rain sensor bracket');
  await requester.getByLabel('Details').fill('The bracket broke when the glass was removed.');
  await requester.getByLabel(/Repair it is about/).selectOption(String(repair.id));
  await requester.getByRole('button', { name: 'Send request' }).click();
  await requester.waitForURL((u) => /\/portal\/requests\/\d+$/.test(u.pathname));
  await requester.getByRole('heading', { name: 'Rain sensor bracket' }).waitFor();
  assert.equal(await requester.getByTestId('request-status').innerText(), 'pending');
  await shot(requester, 'customer-request-detail');
  const requestId = Number(new URL(requester.url()).pathname.split('/').pop());

  // The approver keeps the repair open; the manager keeps the shop's repair page open.
  const approver = await app.signedIn('approver');
  await approver.goto(app.url(`${portal}/repairs/${repair.id}`));
  await approver.getByRole('heading', { name: `Repair #${repair.id}` }).waitFor();
  await approver.evaluate(() => { window.__same = true; });
  assert.equal(await totalOf(approver), before);

  const manager = await app.signedIn('manager');
  await manager.goto(app.url(`${shop}/requests`));
  const card = manager.getByTestId(`request-${requestId}`);
  await card.waitFor();
  await shot(manager, 'shop-requests-queue');
  await card.getByRole('button', { name: 'Convert to change order' }).click();
  await manager.getByLabel('Amount').fill('120.00');
  await manager.getByRole('button', { name: 'Confirm' }).click();
  await card.getByText('converted').waitFor();

  // The approver's repair page shows the proposal live, with the new total before the click.
  const panel = approver.getByTestId('change-orders');
  await panel.getByRole('button', { name: /Approve \$120\.00/ }).waitFor({ timeout: 15_000 });
  const expected = (Number(before) + 120).toFixed(2);
  assert.equal((await panel.getByTestId('total-if-approved').innerText()).replace(/[^0-9.]/g, ''), expected);
  await shot(approver, 'customer-change-order-proposed');

  await manager.goto(app.url(`${shop}/repairs/${repair.id}`));
  await manager.getByRole('heading', { name: new RegExp(`Repair #${repair.id}`) }).first().waitFor();
  await manager.evaluate(() => { window.__same = true; });
  assert.equal(await totalOf(manager), before);

  await panel.getByRole('button', { name: /Approve \$120\.00/ }).click();
  await panel.getByText('approved').first().waitFor();
  await approver.waitForFunction((want) => document.querySelector('[data-testid="repair-total"]')?.textContent?.replace(/[^0-9.]/g, '') === want, expected);
  await manager.waitForFunction((want) => document.querySelector('[data-testid="repair-total"]')?.textContent?.replace(/[^0-9.]/g, '') === want, expected, { timeout: 15_000 });
  assert.equal(await approver.evaluate(() => window.__same), true, 'customer page not reloaded');
  assert.equal(await manager.evaluate(() => window.__same), true, 'shop page not reloaded');
  await shot(manager, 'shop-repair-change-order-approved');

  // The request shows its decision to the customer.
  await requester.reload();
  assert.equal(await requester.getByTestId('request-status').innerText(), 'converted');
  for (const p of [requester, approver, manager]) {
    assert.deepEqual(p.errors, []);
    await p.context().close();
  }
});

test('the manager sets a limit; an approver over it sees why and cannot approve; pages fit a phone', async () => {
  const admin = await app.api('admin');
  const approverId = app.ids.users.approver;
  // The manager sets the approver's limit on the customer's page.
  const shopPage = await app.signedIn('manager');
  await shopPage.goto(app.url(`${shop}/customers/${app.ids.customer}`));
  const row = shopPage.getByTestId(`access-${approverId}`);
  await row.getByText('Approves up to any amount').waitFor();
  await row.getByRole('button', { name: 'Change limit' }).click();
  await row.getByLabel('Approval limit').fill('100.00');
  await row.getByRole('button', { name: 'Save' }).click();
  await row.getByText('Approves up to $100.00').waitFor();
  await shot(shopPage, 'shop-customer-approval-limits');
  assert.deepEqual(shopPage.errors, []);
  await shopPage.context().close();
  const repair = await app.staffRepair({ unit_number: 'BUS-211' });
  const manager = await app.api('manager');
  await manager.post(`/api/v1/repairs/${repair.id}/change-orders`, { description: 'New wiper motor', amount: '450.00' });

  const phone = await app.signedIn('approver', PHONE);
  await phone.goto(app.url(`${portal}/repairs/${repair.id}`));
  const panel = phone.getByTestId('change-orders');
  await panel.getByText(/above your approval limit of \$100\.00/).waitFor();
  assert.equal(await panel.getByRole('button', { name: /Approve \$450\.00/ }).isDisabled(), true);
  const w = await scrollWidths(phone);
  assert.ok(w.scroll <= w.client, `no horizontal scrolling at 375 px: ${JSON.stringify(w)}`);
  await shot(phone, 'phone-customer-change-order-over-limit');
  await phone.goto(app.url(`${portal}/requests`));
  await phone.getByRole('heading', { name: 'Requests' }).waitFor();
  const w2 = await scrollWidths(phone);
  assert.ok(w2.scroll <= w2.client, `requests page fits: ${JSON.stringify(w2)}`);
  await shot(phone, 'phone-customer-requests');
  assert.deepEqual(phone.errors, []);
  await phone.context().close();
  await admin.post(`/api/v1/customers/${app.ids.customer}/access`, { user_id: approverId, access: 'approver', approval_limit: null });
});
