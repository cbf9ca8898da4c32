// What the portals refuse: a drag the workflow does not allow, a customer on a shop URL, and pages that
// would scroll sideways on a phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, scrollWidths, assertQuiet, TENANT, CUSTOMER } from './harness.mjs';

const app = useApp();
const portal = `/t/${TENANT}/portal`;
const shop = `/t/${TENANT}/shop`;

test('a technician dragging a request to Approved: the card snaps back and the board says why', async () => {
  const r = await app.requestedRepair({ unit_number: 'VAN-9', description: 'Chip that only a manager may accept' });
  const page = await app.signedIn('tech');
  await page.goto(app.url(`${shop}/board`));
  const card = page.locator('section[data-status="REQUESTED"]').getByRole('article', { name: `Repair ${r.id},` });
  await card.waitFor();
  assert.equal(await card.getByLabel(`Move repair #${r.id} to…`).count(), 0, 'no moves are offered to the technician');

  await card.locator('.cust').dragTo(page.locator('section[data-status="APPROVED"]'));
  const alert = page.getByRole('alert').filter({ hasText: `Repair #${r.id} cannot move from Requested to Approved` });
  await alert.waitFor();
  assert.match(await alert.innerText(), /you cannot move it from here/); // the card's allowed_moves (from the API) are empty
  await card.waitFor(); // still in Requested
  assert.equal(await page.locator('section[data-status="APPROVED"]').getByRole('article', { name: `Repair ${r.id},` }).count(), 0);
  assert.equal((await (await app.api('manager')).get(`/api/v1/repairs/${r.id}`)).status, 'REQUESTED');
  await shot(page, 'shop-board-refused-move', { fullPage: false });
  await page.context().close();
});

test('a move the server refuses puts the card back and shows the reason', async () => {
  const r = await app.requestedRepair({ unit_number: 'VAN-10', description: 'Accepted, then cancelled behind the board' });
  const manager = await app.api('manager');
  await manager.post(`/api/v1/repairs/${r.id}/status`, { status: 'APPROVED' });
  const page = await app.signedIn('tech');
  // A stale board: this page's live updates never arrive (the long-poll is held), so it still shows the
  // repair Approved after the manager cancelled it.
  await page.route('**/api/v1/events**', () => {});
  await page.goto(app.url(`${shop}/board`));
  const inColumn = (status) => page.locator(`section[data-status="${status}"]`).getByRole('article', { name: `Repair ${r.id},` });
  await inColumn('APPROVED').waitFor();
  await manager.post(`/api/v1/repairs/${r.id}/status`, { status: 'CANCELLED', notes: 'Customer sold the van' });

  await inColumn('APPROVED').locator('.cust').dragTo(page.locator('section[data-status="IN_PROGRESS"]'));
  await page.getByRole('alert').filter({ hasText: `Repair #${r.id} could not move to In progress` }).waitFor();
  assert.equal(await inColumn('IN_PROGRESS').count(), 0, 'the card does not stay In progress');
  await page.waitForFunction((id) => !document.querySelector(`section[data-status="IN_PROGRESS"] article[aria-label^="Repair ${id},"]`), r.id);
  const stored = await manager.get(`/api/v1/repairs/${r.id}`);
  assert.equal(stored.status, 'CANCELLED');
  assert.equal(stored.technician_id, null);
  await page.context().close();
});

test('a customer typing a shop address is sent back to the portal', async () => {
  const page = await app.signedIn('approver');
  await page.waitForURL(`**${portal}`);
  for (const p of ['/shop/board', '/shop/queue', '/shop/settings/branding', '/shop/repairs/1']) {
    await page.goto(app.url(`/t/${TENANT}${p}`));
    await page.waitForURL((u) => u.pathname === portal);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Board', exact: true }).count(), 0);
    assert.equal(await page.getByText('Technician portal').count(), 0);
  }
  await page.context().close();

  // and the other way round: staff on a portal address go to the shop
  const staff = await app.signedIn('tech');
  await staff.goto(app.url(`${portal}/repairs`));
  await staff.waitForURL((u) => u.pathname === shop || u.pathname.startsWith(`${shop}/`));
  await staff.getByText('Technician portal').waitFor();
  await staff.context().close();
});

test('a signed-out visitor on a deep link signs in and lands on that page', async () => {
  const r = await app.staffRepair({ unit_number: 'BUS-200', description: 'Deep link target' });
  const page = await app.newPage();
  await page.goto(app.url(`${portal}/repairs/${r.id}`));
  await page.waitForURL((u) => u.pathname === `/t/${TENANT}/login`);
  await page.getByLabel('Email').fill('requester@acme.test');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'The email or password is not right.' }).waitFor();
  await page.getByLabel('Password').fill('correct-horse-battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === `${portal}/repairs/${r.id}`);
  await page.getByRole('heading', { name: `Repair #${r.id}` }).waitFor();
  await page.context().close();
});

test('no horizontal scrolling at 375 px: the customer dashboard and the board', async () => {
  await app.completedRepair({ unit_number: 'PHONE-LONG-UNIT-NUMBER-0001', description: 'A long description without many breaks: windshield-replacement-after-stone-impact-on-the-motorway' });
  await app.staffRepair({ unit_number: 'TRK-77', description: 'Waiting for the approver on a small screen' });
  const phone = { width: 375, height: 740, isMobile: true, hasTouch: true };

  const customer = await app.signedIn('approver', phone);
  await customer.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await customer.getByRole('region', { name: 'Awaiting your approval' }).getByRole('button', { name: 'Approve' }).first().waitFor();
  await customer.getByRole('link', { name: 'PHONE-LONG-UNIT-NUMBER-0001' }).first().waitFor();
  await customer.waitForTimeout(600); // charts render lazily
  let w = await scrollWidths(customer);
  assert.ok(w.scroll <= 375 && w.body <= 375, `customer dashboard scrolls sideways at 375 px: ${JSON.stringify(w)}`);
  await shot(customer, 'phone-customer-dashboard');
  // the menu opens and its links fit too
  await customer.getByRole('button', { name: 'Menu' }).click();
  await customer.getByRole('link', { name: 'Preferences', exact: true }).waitFor();
  w = await scrollWidths(customer);
  assert.ok(w.scroll <= 375, `open menu scrolls sideways: ${JSON.stringify(w)}`);
  await shot(customer, 'phone-customer-menu', { fullPage: false });
  await customer.context().close();

  const tech = await app.signedIn('tech', phone);
  await tech.goto(app.url(`${shop}/board`));
  await tech.getByRole('heading', { name: 'Board' }).waitFor();
  await tech.locator('section[data-status="PENDING"]').getByRole('article').first().waitFor();
  w = await scrollWidths(tech);
  assert.ok(w.scroll <= 375 && w.body <= 375, `board scrolls sideways at 375 px: ${JSON.stringify(w)}`);
  await assertQuiet(tech);
  await shot(tech, 'phone-shop-board');
  await tech.context().close();
});
