// Portal polish (issue 16): the pages follow what the API says a user may do (no copy of the workflow
// in the client), the shop's navigation fits one line on a laptop, and the board pages its columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, scrollWidths, TENANT } from './harness.mjs';

const app = useApp();
const portal = `/t/${TENANT}/portal`;
const shop = `/t/${TENANT}/shop`;

/** Rewrites `allowed_moves` / `can_approve` of repair `id` in every repair the API sends the page. */
async function overrideMoves(page, id, fields) {
  const patch = (r) => (r && r.id === id ? { ...r, ...fields } : r);
  await page.route('**/api/v1/repairs**', async (route) => {
    const url = new URL(route.request().url());
    if (route.request().method() !== 'GET' || !/^\/api\/v1\/repairs(\/\d+)?$/.test(url.pathname)) return route.continue();
    const res = await route.fetch();
    const body = await res.json();
    const out = Array.isArray(body.results) ? { ...body, results: body.results.map(patch) } : patch(body);
    await route.fulfill({ response: res, json: out });
  });
}

test('the board card offers exactly the allowed_moves the API returns, whatever the role', async () => {
  const r = await app.requestedRepair({ unit_number: 'VAN-41', description: 'Moves come from the server' });
  const page = await app.signedIn('manager');
  // A manager may accept, deny or cancel a request; the server says only "cancel" here, and the page obeys.
  await overrideMoves(page, r.id, { allowed_moves: ['CANCELLED'] });
  await page.goto(app.url(`${shop}/board`));
  const card = page.locator('section[data-status="REQUESTED"]').getByRole('article', { name: `Repair ${r.id},` });
  await card.waitFor();
  const options = await card.getByLabel(`Move repair #${r.id} to…`).locator('option:not([disabled])').allInnerTexts();
  assert.deepEqual(options, ['Cancel']);
  // The drop targets are the card's own moves: Approved does not take it.
  await card.locator('.cust').dragTo(page.locator('section[data-status="APPROVED"]'));
  const alert = page.getByRole('alert').filter({ hasText: `Repair #${r.id} cannot move from Requested to Approved` });
  await alert.waitFor();
  assert.match(await alert.innerText(), /Cancelled only/);
  assert.equal((await (await app.api('manager')).get(`/api/v1/repairs/${r.id}`)).status, 'REQUESTED');

  // The repair page: one button per allowed move.
  await page.goto(app.url(`${shop}/repairs/${r.id}`));
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.getByRole('button', { name: 'Cancel', exact: true }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Accept' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Deny' }).count(), 0);
  await page.context().close();
});

test('the customer repair page shows Cancel and the decision from allowed_moves and can_approve', async () => {
  const r = await app.staffRepair({ unit_number: 'BUS-42', description: 'Approval comes from the server' });
  const page = await app.signedIn('approver');
  // The approver may decide and cancel a PENDING repair; the server says neither, and the page obeys.
  await overrideMoves(page, r.id, { allowed_moves: [], can_approve: false });
  await page.goto(app.url(`${portal}/repairs/${r.id}`));
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.getByText('Approval comes from the server').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Cancel repair' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: /^Approve/ }).count(), 0);
  await page.unrouteAll();
  await page.reload();
  await page.getByRole('button', { name: 'Cancel repair' }).waitFor();
  await page.getByRole('button', { name: /^Approve/ }).first().waitFor();
  await page.context().close();
});

test("the shop's top navigation is one line at 1366 px and a menu at 375 px", async () => {
  const wide = await app.signedIn('admin', { width: 1366, height: 800 });
  await wide.goto(app.url(`${shop}/board`));
  const links = wide.getByRole('navigation', { name: 'Main' }).getByRole('link');
  await links.first().waitFor();
  const names = await links.allInnerTexts();
  assert.ok(names.includes('Queue') && names.includes('Figures') && names.includes('Settings'), names.join(','));
  const tops = await links.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  assert.equal(new Set(tops).size, 1, `the links sit on one line (tops ${tops.join(',')})`);
  const bar = await wide.locator('header.topbar').boundingBox();
  assert.ok(bar.height < 70, `the bar is one line high (${bar.height} px)`);
  await shot(wide, 'shop-nav-1366', { fullPage: false });
  await wide.context().close();

  const phone = await app.signedIn('admin', { width: 375, height: 760, isMobile: true, hasTouch: true });
  await phone.goto(app.url(`${shop}/board`));
  const menu = phone.getByRole('button', { name: 'Menu' });
  await menu.waitFor();
  assert.equal(await phone.getByRole('link', { name: 'Figures' }).isVisible(), false, 'the links are folded away');
  await menu.click();
  await phone.getByRole('link', { name: 'Figures' }).waitFor();
  const { scroll, client } = await scrollWidths(phone);
  assert.ok(scroll <= client, `no sideways scrolling (${scroll} > ${client})`);
  await shot(phone, 'shop-nav-375-open', { fullPage: false });
  await phone.context().close();
});
