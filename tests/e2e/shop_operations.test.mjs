// Shop operations in the portals (issue 12): a customer books a slot, the shop confirms it on its calendar,
// the customer sees it confirmed without reload; a technician adds a part to a repair and the stock drops
// on the parts page. Desktop and 375 px phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, scrollWidths, TENANT } from './harness.mjs';

const app = useApp();
const portal = `/t/${TENANT}/portal`;
const shop = `/t/${TENANT}/shop`;
const PHONE = { width: 375, height: 740, isMobile: true, hasTouch: true };
const HOURS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['08:00', '17:00']]]));

test('a customer books a slot, the shop confirms it on the calendar, the customer sees it confirmed live', async () => {
  const admin = await app.api('admin');
  const manager = await app.api('manager');
  await admin.put('/api/v1/settings/shop', { time_zone: 'America/New_York', bays: 1, opening_hours: HOURS, slot_minutes: 30 });
  await manager.post('/api/v1/service-types', { name: 'Chip repair', duration_minutes: 60 });
  const tech = app.ids.users.tech;
  const day = new Date(Date.now() + 2 * 86400e3).toISOString().slice(0, 10);
  await manager.post(`/api/v1/technicians/${tech}/schedule`, { date: day, start_time: '08:00', end_time: '17:00', is_available: true });

  const page = await app.signedIn('requester');
  await page.getByRole('link', { name: 'Visits' }).first().click();
  await page.waitForURL((u) => u.pathname === `${portal}/visits`);
  await page.getByRole('heading', { name: 'Book a visit' }).waitFor();
  await page.getByLabel('Unit', { exact: true }).selectOption({ label: 'Another unit…' });
  await page.getByLabel('Unit number').fill('BUS-12');
  const slot = page.locator(`[data-testid="slot"][data-starts^="${day}"]`).first();
  await slot.waitFor({ timeout: 15_000 });
  await shot(page, 'customer-book-a-visit');
  await slot.click();
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  const status = page.locator('[data-testid="visit-status"]').first();
  await status.waitFor();
  assert.equal(await status.innerText(), 'requested');
  await page.evaluate(() => { window.__sameDocument = true; });

  const staff = await app.signedIn('manager');
  await staff.goto(app.baseUrl + `${shop}/calendar`);
  await staff.getByRole('heading', { name: 'Calendar' }).waitFor();
  await staff.getByLabel('Day', { exact: true }).fill(day);
  const card = staff.locator('[data-testid="appointment"]').first();
  await card.waitFor({ timeout: 15_000 });
  await shot(staff, 'shop-calendar-day');
  await card.getByRole('button', { name: 'Confirm' }).click();

  await page.locator('[data-testid="visit-status"]', { hasText: 'confirmed' }).first().waitFor({ timeout: 15_000 });
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'confirmed without a reload');

  const phone = await app.signedIn('requester', PHONE);
  await phone.goto(app.baseUrl + `${portal}/visits`);
  await phone.locator('[data-testid="visit"]').first().waitFor();
  const { scroll, client } = await scrollWidths(phone);
  assert.ok(scroll <= client + 1, `no horizontal scroll on a phone (${scroll} > ${client})`);
  await shot(phone, 'customer-visits-phone');
});

test('a technician adds a part to a repair and the stock drops on the parts page', async () => {
  const manager = await app.api('manager');
  const part = await manager.post('/api/v1/parts', { sku: 'RES-10', name: 'Resin 10ml', unit_cost: '4.50', reorder_level: 1, location: 'Van 2' });
  await manager.post(`/api/v1/parts/${part.id}/movements`, { kind: 'received', quantity: 5, reason: 'delivery' });
  const repair = await manager.post('/api/v1/repairs', { customer_id: app.ids.customer, unit_number: 'BUS-7', description: 'Chip', damage_type: 'chip', priority: 2 });

  const page = await app.signedIn('tech');
  await page.goto(app.baseUrl + `${shop}/repairs/${repair.id}`);
  const picker = page.getByLabel('From stock');
  await picker.waitFor({ timeout: 15_000 });
  await picker.selectOption({ label: 'Resin 10ml (RES-10) · 5 on hand' });
  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Add material' }).click();
  await page.getByText('Resin 10ml (RES-10)').first().waitFor();

  await page.goto(app.baseUrl + `${shop}/parts`);
  const row = page.locator('[data-testid="part-row"][data-sku="RES-10"]');
  await row.waitFor();
  assert.equal((await row.locator('[data-testid="on-hand"]').innerText()).trim(), '3');
  await row.getByRole('button', { name: 'History' }).click();
  await page.getByText(/used -2/).waitFor();
  await shot(page, 'shop-parts');
});
