// One repair from request to completion, through both portals: the customer requests it with the form,
// the manager accepts it in the queue, the technician drags it to In progress on the board, writes an
// internal and a customer note, completes it with the "Move to…" menu, and the customer, whose page stayed
// open all along, sees it Completed with its cost and timeline, and never the internal note.
//
// The steps share one repair and run in order; a failing step makes the later ones fail too.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, assertQuiet, TENANT, CUSTOMER, PEOPLE } from './harness.mjs';

const app = useApp();
const UNIT = 'BUS-7';
const DESCRIPTION = 'Long crack across the passenger side, spreading from a chip';
const INTERNAL = 'Internal: resin batch 42 ran thin, re-check this one in a week';
const CUSTOMER_NOTE = 'Work has started, done within the hour.';

let repairId = 0;
let customerPage; // the requester's browser context, kept open through every step
const portal = `/t/${TENANT}/portal`;
const shop = `/t/${TENANT}/shop`;

after(async () => { await customerPage?.context().close(); });

/** The card of a repair inside one board column. */
const cardIn = (page, status, id) => page.locator(`section[data-status="${status}"]`).getByRole('article', { name: `Repair ${id},` });

test('a customer requests a repair through the form', async () => {
  customerPage = await app.signedIn('requester');
  const page = customerPage;
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.getByRole('link', { name: 'Request a repair' }).click();
  await page.waitForURL(`**${portal}/repairs/new`);

  await page.getByLabel('Unit').fill(UNIT);
  await page.getByText(`A new unit “${UNIT}” will be added.`).waitFor();
  await page.getByLabel('Description').fill(DESCRIPTION);
  await page.getByLabel('Damage type').fill('Crack');
  await page.getByLabel('Priority').selectOption({ label: 'High' });
  await shot(page, 'customer-request-form');
  await page.getByRole('button', { name: 'Send request' }).click();

  await page.waitForURL(new RegExp(`${portal}/repairs/\\d+$`));
  repairId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.getByRole('heading', { name: `Repair #${repairId}` }).waitFor();
  await page.getByText('Your request is with the shop').waitFor();
  await assertQuiet(page); // the page waits for live events; it does not poll or reload in a loop
  assert.equal(await page.getByRole('heading', { name: `Repair #${repairId}` }).locator('.badge').innerText(), 'Requested');

  const stored = await (await app.api('manager')).get(`/api/v1/repairs/${repairId}`);
  assert.equal(stored.status, 'REQUESTED');
  assert.equal(stored.unit_number, UNIT);
  assert.equal(stored.description, DESCRIPTION);
  assert.equal(stored.priority, 2);
  assert.equal(stored.customer_id, app.ids.customer);
});

test('the manager accepts the request in the queue', async () => {
  assert.ok(repairId, 'needs the requested repair');
  const page = await app.signedIn('manager');
  await page.getByRole('link', { name: 'Queue' }).click();
  await page.getByRole('heading', { name: 'Request queue' }).waitFor();
  const item = page.getByRole('listitem').filter({ hasText: `#${repairId} · Unit ${UNIT}` });
  await item.getByText(DESCRIPTION).waitFor();
  await item.getByText(CUSTOMER.name).waitFor();
  await shot(page, 'shop-queue');

  await item.getByRole('button', { name: 'Accept' }).click();
  const dialog = page.getByRole('dialog', { name: `Accept request #${repairId}` });
  await dialog.getByLabel('Notes (optional)').fill('Booked for this afternoon');
  await dialog.getByRole('button', { name: 'Accept' }).click();
  await page.getByRole('status').filter({ hasText: `Repair #${repairId} accepted.` }).waitFor();
  await item.waitFor({ state: 'detached' });

  const stored = await (await app.api('manager')).get(`/api/v1/repairs/${repairId}`);
  assert.equal(stored.status, 'APPROVED');
  assert.equal(stored.approval?.approved, true);
  assert.equal(stored.approval?.decided_by?.name, PEOPLE.manager.name);
  await page.context().close();
});

test('the technician drags the card to In progress, notes it, and completes it from the menu', async () => {
  assert.ok(repairId, 'needs the accepted repair');
  const page = await app.signedIn('tech');
  await page.waitForURL(`**${shop}/**`);
  await page.goto(app.url(`${shop}/board`));
  const approvedCard = cardIn(page, 'APPROVED', repairId);
  await approvedCard.waitFor();

  // A real mouse drag (native HTML5 drag and drop), from the card's body onto the In progress column.
  await approvedCard.locator('.cust').dragTo(page.locator('section[data-status="IN_PROGRESS"]'));
  const working = cardIn(page, 'IN_PROGRESS', repairId);
  await working.waitFor();
  await approvedCard.waitFor({ state: 'detached', timeout: 5000 }); // the card left the Approved column
  await working.getByText(PEOPLE.tech.name).waitFor(); // claimed: assigned to the technician
  let stored = await (await app.api('manager')).get(`/api/v1/repairs/${repairId}`);
  assert.equal(stored.status, 'IN_PROGRESS');
  assert.equal(stored.technician_id, app.ids.users.tech);
  await shot(page, 'shop-board');

  // Materials (arranged through the API) add to the cost: 2 x 12.50 on top of the 50.00 first-repair tier.
  await (await app.api('tech')).post(`/api/v1/repairs/${repairId}/materials`, { material_type: 'Resin', quantity: 2, unit_cost: '12.50' });

  // Notes on the shop's repair page: one internal, one for the customer.
  await working.getByRole('link', { name: `#${repairId} · ${UNIT}` }).click();
  await page.waitForURL(`**${shop}/repairs/${repairId}`);
  await page.getByRole('heading', { name: `Repair #${repairId}` }).waitFor();
  await page.getByLabel('Internal — staff only').check();
  await page.getByLabel('Internal note').fill(INTERNAL);
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.getByRole('listitem').filter({ hasText: INTERNAL }).getByText('Internal · staff only').waitFor();
  await page.getByLabel('Customer — visible in the customer portal').check();
  await page.getByLabel('Message to the customer').fill(CUSTOMER_NOTE);
  await page.getByRole('button', { name: 'Send to customer' }).click();
  await page.getByRole('listitem').filter({ hasText: CUSTOMER_NOTE }).getByText('Visible to customer').waitFor();
  await page.getByText('Resin').first().waitFor();
  await shot(page, 'shop-repair-detail');

  // Back on the board, the second move goes through the card's "Move to…" menu.
  await page.getByRole('link', { name: '‹ Board' }).click();
  const card = cardIn(page, 'IN_PROGRESS', repairId);
  await card.getByLabel(`Move repair #${repairId} to…`).selectOption({ label: 'Complete' });
  const dialog = page.getByRole('dialog', { name: `Complete repair #${repairId}?` });
  await dialog.getByLabel('Notes (optional)').fill('Crack filled and cured');
  await dialog.getByRole('button', { name: 'Complete' }).click();
  await cardIn(page, 'COMPLETED', repairId).waitFor();
  await cardIn(page, 'IN_PROGRESS', repairId).waitFor({ state: 'detached', timeout: 5000 });

  // The board moves the card before the server answers (optimistic), so wait for the commit itself.
  const manager = await app.api('manager');
  for (let i = 0; i < 50; i++) {
    stored = await manager.get(`/api/v1/repairs/${repairId}`);
    if (stored.status === 'COMPLETED') break;
    await page.waitForTimeout(100);
  }
  assert.equal(stored.status, 'COMPLETED');
  assert.equal(stored.cost, '75.00');
  await page.context().close();
});

test('the customer sees the repair completed, with its cost and timeline, without reloading', async () => {
  assert.ok(repairId && customerPage, 'needs the completed repair');
  const page = customerPage;
  // Still the page of step 1: live updates bring the new status.
  assert.equal(new URL(page.url()).pathname, `${portal}/repairs/${repairId}`);
  const badge = page.getByRole('heading', { name: `Repair #${repairId}` }).locator('.badge');
  await page.waitForFunction((id) => document.querySelector('h1 .badge')?.textContent?.trim() === 'Completed', repairId, { timeout: 15_000 })
    .catch(async () => { await page.reload(); assert.fail('the customer page did not update live to Completed'); });
  assert.equal(await badge.innerText(), 'Completed');

  const cost = page.getByRole('region', { name: 'Cost' });
  await cost.getByRole('heading', { name: 'Cost' }).waitFor();
  assert.match(await cost.innerText(), /Labour\s+\$50\.00/);
  assert.match(await cost.innerText(), /Materials\s+\$25\.00/);
  assert.match(await cost.innerText(), /Total\s+\$75\.00/);

  const history = page.locator('section[aria-labelledby="log-h"]');
  await history.getByText('Completed').waitFor();
  assert.deepEqual(await history.locator('ol.timeline .badge').allInnerTexts(), ['Requested', 'Approved', 'In progress', 'Completed']);
  await history.getByText('Crack filled and cured').waitFor();
  await history.getByText(PEOPLE.tech.name).first().waitFor();
  await page.getByText(`Approved by ${PEOPLE.manager.name}`).waitFor();
  await shot(page, 'customer-repair-detail');
});

test('an internal note never reaches the customer; a customer note does', async () => {
  assert.ok(repairId && customerPage, 'needs the repair with notes');
  const page = customerPage;
  const notes = page.getByRole('region', { name: 'Notes' });
  await notes.getByText(CUSTOMER_NOTE).waitFor();
  assert.equal(await page.getByText(INTERNAL).count(), 0, 'the internal note is on the customer page');
  assert.doesNotMatch(await page.content(), /resin batch 42/);
  assert.equal(await notes.getByText('Internal').count(), 0);

  // Nor through the API the page uses, nor after a fresh load, nor in the repair list.
  const viaBrowser = await page.evaluate(async (id) => (await fetch(`/api/v1/repairs/${id}/notes`)).json(), repairId);
  const bodies = (viaBrowser.results ?? viaBrowser).map((n) => n.body);
  assert.ok(bodies.includes(CUSTOMER_NOTE));
  assert.ok(!bodies.includes(INTERNAL));
  // Nor through the live-update feed the customer's browser reads (every event from the start).
  const feed = await page.evaluate(async () => {
    const all = [];
    let after = 0;
    for (let round = 0; round < 50; round++) {
      const res = await fetch(`/api/v1/events?after=${after}&wait=0`);
      if (res.status !== 200) return { status: res.status, all };
      const batch = await res.json();
      if (!batch.events.length) break;
      all.push(...batch.events);
      after = batch.last_id;
    }
    return { status: 200, all };
  });
  assert.equal(feed.status, 200, 'GET /api/v1/events for the customer');
  assert.ok(feed.all.some((e) => e.repair_id === repairId && e.type === 'repair.status_changed'), 'the customer gets the status changes of its repair');
  assert.doesNotMatch(JSON.stringify(feed.all), /resin batch 42/, 'an event carries the internal note to the customer');
  assert.equal(feed.all.filter((e) => e.type === 'repair.note_added' && e.repair_id === repairId).length, 1, 'exactly one note event (the customer note) reaches the customer');

  await page.reload();
  await notes.getByText(CUSTOMER_NOTE).waitFor();
  assert.equal(await page.getByText(INTERNAL).count(), 0);
  await page.getByRole('link', { name: 'Repairs', exact: true }).click();
  await page.getByText(DESCRIPTION).first().waitFor();
  assert.doesNotMatch(await page.content(), /resin batch 42/);

  // The customer's dashboard counts the completed repair's cost.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const figures = page.getByRole('region', { name: 'Key figures' });
  await figures.getByText('75.00').waitFor();
  await page.getByRole('link', { name: UNIT }).first().waitFor();
  assert.deepEqual(page.errors, []);
});
