// The shop's calendar and opening hours (issue 12): the per-bay view places the day's visits in bay columns
// at their local times; dragging a visit onto a taken time shows the server's 409; dragging it onto another
// day in the week view moves it there (same local time); the settings page edits several opening intervals
// a day. Desktop and 375 px phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, scrollWidths, TENANT, PASSWORD } from './harness.mjs';

const app = useApp();
const shopUrl = `/t/${TENANT}/shop`;
const PHONE = { width: 375, height: 740, isMobile: true, hasTouch: true };
const HOURS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['08:00', '17:00']]]));

/** Tuesday of the week after next (YYYY-MM-DD), so the next day is in the same Monday-based week. */
function tuesdayAhead() {
  const d = new Date(Date.now() + 14 * 86400e3);
  d.setUTCDate(d.getUTCDate() + ((2 - d.getUTCDay() + 7) % 7));
  return d.toISOString().slice(0, 10);
}
/**
 * Drags `source` onto `target` with the mouse (HTML5 drag and drop): the drag starts, then the pointer goes
 * to the centre of the target's visible part as it is on screen during the drag (as a person aims at what
 * they see); a target off screen fails the test rather than dropping nowhere.
 */
async function drag(page, source, target) {
  const from = await source.boundingBox();
  await source.hover();
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 12, from.y + from.height / 2 + 12, { steps: 4 });
  await page.waitForTimeout(300);
  const to = await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const [left, right] = [Math.max(r.left, 0), Math.min(r.right, window.innerWidth)];
    const [top, bottom] = [Math.max(r.top, 0), Math.min(r.bottom, window.innerHeight)];
    return right > left && bottom > top ? { x: (left + right) / 2, y: (top + bottom) / 2 } : null;
  });
  assert.ok(to, 'the drop target is on screen during the drag');
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}
const nextDay = (date) => new Date(Date.parse(`${date}T00:00:00Z`) + 86400e3).toISOString().slice(0, 10);

test('bays view, a taken time answers 409, a drag to another day in the week view moves the visit', async () => {
  const admin = await app.api('admin');
  const manager = await app.api('manager');
  await admin.put('/api/v1/settings/shop', { time_zone: 'America/New_York', bays: 2, opening_hours: HOURS, slot_minutes: 30 });
  const type = await manager.post('/api/v1/service-types', { name: 'Glass swap', duration_minutes: 60 });
  const second = await admin.post('/api/v1/users', { email: 'tech2@acme.test', name: 'Theo Tech', role: 'technician', password: PASSWORD });
  const day = tuesdayAhead();
  const wed = nextDay(day);
  for (const tech of [app.ids.users.tech, second.id]) {
    for (const date of [day, wed]) await manager.post(`/api/v1/technicians/${tech}/schedule`, { date, start_time: '08:00', end_time: '17:00', is_available: true });
  }
  // 09:00 local in both bays (New York is UTC-4 or UTC-5: ask the server for the UTC instants).
  const slots = await manager.get(`/api/v1/availability?service_type=${type.id}&date=${day}&days=1`);
  const at = (hhmm) => slots.find((s) => s.local_start === `${day}T${hhmm}`).starts_at;
  const book = (startsAt, unit) => manager.post('/api/v1/appointments', { customer_id: app.ids.customer, unit_number: unit, service_type_id: type.id, starts_at: startsAt });
  const first = await book(at('09:00'), 'BAY-1');
  const other = await book(at('09:00'), 'BAY-2');
  const mover = await book(at('11:00'), 'BAY-3');

  // A tall desktop window: in the week view the dragged card (the day's third) and the next day's heading
  // are on screen together, as they would be on a large monitor.
  const page = await app.signedIn('manager', { width: 1280, height: 1300 });
  await page.goto(app.url(`${shopUrl}/calendar`));
  await page.getByRole('heading', { name: 'Calendar' }).waitFor();
  await page.getByRole('button', { name: 'Bays' }).click();
  await page.getByLabel('Day', { exact: true }).fill(day);
  const grid = page.locator('[data-testid="bay-grid"]');
  await grid.locator(`[data-testid="appointment"][data-id="${mover.id}"]`).waitFor({ timeout: 15_000 });
  assert.deepEqual(await grid.locator('.bay-head').allInnerTexts(), ['Bay 1', 'Bay 2']);
  const bayOf = async (id) => grid.locator(`.placed:has([data-id="${id}"])`).getAttribute('data-bay');
  assert.deepEqual([await bayOf(first.id), await bayOf(other.id)].sort(), ['1', '2'], 'the two 09:00 visits side by side');
  assert.equal(await bayOf(mover.id), '1', 'the 11:00 visit takes the first free bay');
  // The 09:00 visits start on the 09:00 row and cover two 30-minute rows.
  const rowTop = await grid.locator('[data-testid="bay-cell"][data-time="09:00"][data-bay="1"]').boundingBox();
  const cardBox = await grid.locator(`.placed:has([data-id="${first.id}"])`).boundingBox();
  assert.ok(Math.abs(cardBox.y - rowTop.y) < 2, 'placed at its start time');
  await shot(page, 'shop-calendar-bays');

  // 09:30 is taken in both bays: the server says 409 and the page shows it; the visit stays.
  const card = grid.locator(`[data-testid="appointment"][data-id="${mover.id}"]`);
  await drag(page, card, grid.locator('[data-testid="bay-cell"][data-time="09:30"][data-bay="2"]'));
  await page.getByRole('alert').filter({ hasText: /not free/ }).waitFor();
  assert.equal((await manager.get(`/api/v1/appointments/${mover.id}`)).local_start, `${day}T11:00`);

  // A free time in the bay view: 13:00, same day.
  await drag(page, card, grid.locator('[data-testid="bay-cell"][data-time="13:00"][data-bay="2"]'));
  await grid.locator(`.placed:has([data-id="${mover.id}"])`).filter({ hasText: '13:00' }).waitFor();
  assert.equal((await manager.get(`/api/v1/appointments/${mover.id}`)).local_start, `${day}T13:00`);

  // The week view: drop it on Wednesday; it keeps its local time.
  await page.getByRole('button', { name: 'Week' }).click();
  const wedCol = page.locator(`[data-testid="week-day"][data-date="${wed}"]`);
  await drag(page, page.locator(`[data-testid="week-day"][data-date="${day}"] [data-testid="appointment"][data-id="${mover.id}"]`), wedCol.locator('h2'));
  await wedCol.locator(`[data-testid="appointment"][data-id="${mover.id}"]`).waitFor({ timeout: 15_000 });
  assert.equal((await manager.get(`/api/v1/appointments/${mover.id}`)).local_start, `${wed}T13:00`);
  await shot(page, 'shop-calendar-week');

  // The reschedule panel: another day picked with the date picker, then one of its free times.
  await wedCol.locator(`[data-testid="appointment"][data-id="${mover.id}"]`).getByRole('button', { name: 'Reschedule' }).click();
  await page.getByLabel('Day of the visit').fill(day);
  await page.locator('[data-testid="move-target"]', { hasText: '15:00' }).click();
  await page.locator(`[data-testid="week-day"][data-date="${day}"] [data-testid="appointment"][data-id="${mover.id}"]`).waitFor();
  assert.equal((await manager.get(`/api/v1/appointments/${mover.id}`)).local_start, `${day}T15:00`);

  const phone = await app.signedIn('manager', PHONE);
  await phone.goto(app.url(`${shopUrl}/calendar`));
  await phone.getByRole('button', { name: 'Bays' }).click();
  await phone.getByLabel('Day', { exact: true }).fill(day);
  await phone.locator('[data-testid="bay-grid"] [data-testid="appointment"]').first().waitFor();
  const { scroll, client } = await scrollWidths(phone);
  assert.ok(scroll <= client + 1, `the page does not scroll sideways on a phone (${scroll} > ${client})`);
  await shot(phone, 'shop-calendar-bays-phone');
});

test('opening hours: several intervals a day are edited and saved', async () => {
  const admin = await app.api('admin');
  await admin.put('/api/v1/settings/shop', { time_zone: 'America/New_York', bays: 2, opening_hours: HOURS, slot_minutes: 30 });
  const page = await app.signedIn('admin');
  await page.goto(app.url(`${shopUrl}/settings/shop`));
  const mon = page.locator('[data-testid="opening-hours"] tr[data-day="mon"]');
  await mon.waitFor();
  await page.getByLabel('Monday closes (1)').fill('12:00');
  await page.getByRole('button', { name: 'Add hours on Monday' }).click();
  await page.getByLabel('Monday opens (2)').fill('13:00');
  await page.getByLabel('Monday closes (2)').fill('17:30');
  await page.getByRole('button', { name: 'Remove interval 1 of Sunday' }).click();
  await shot(page, 'shop-settings-hours');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  const saved = await admin.get('/api/v1/settings/shop');
  assert.deepEqual(saved.opening_hours.mon, [['08:00', '12:00'], ['13:00', '17:30']]);
  assert.deepEqual(saved.opening_hours.sun, []);
  assert.deepEqual(saved.opening_hours.tue, [['08:00', '17:00']]);
  await page.reload();
  assert.equal(await page.getByLabel('Monday opens (2)').inputValue(), '13:00');
  await page.locator('tr[data-day="sun"]').getByText('Closed').waitFor();

  // Overlapping intervals: the server's 400 is shown, nothing is saved.
  await page.getByLabel('Monday opens (2)').fill('11:00');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('alert').waitFor();
  assert.deepEqual((await admin.get('/api/v1/settings/shop')).opening_hours.mon, [['08:00', '12:00'], ['13:00', '17:30']]);
});
