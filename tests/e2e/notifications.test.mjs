// The notification bell and live updates over the WebSocket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, scrollWidths, assertQuiet, TENANT } from './harness.mjs';

const app = useApp();
const portal = `/t/${TENANT}/portal`;
const WS_PATH = '/api/v1/events/ws';
const LONG_POLL = /\/api\/v1\/events\?/;

const bell = (page, name) => page.getByRole('button', { name });
const unreadOf = async (key) => (await (await app.api(key)).get('/api/v1/notifications/unread_count')).unread;

test('the approver is notified without reloading, opens the panel and follows the notification to the repair', async () => {
  const page = await app.signedIn('approver');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await bell(page, 'Notifications, none unread').waitFor();

  // A manager proposes work for the customer; the server's worker notifies the approver within about a second.
  const repair = await app.staffRepair({ unit_number: 'BELL-1', description: 'Crack spotted at the depot' });
  await bell(page, 'Notifications, 1 unread').waitFor({ timeout: 15_000 });
  const button = bell(page, 'Notifications, 1 unread');
  assert.equal((await button.locator('.count').innerText()).trim(), '1');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');

  // Open: a panel with the notification, focus moved into it; Escape closes and gives focus back.
  await button.click();
  const panel = page.getByRole('region', { name: 'Notifications' });
  await panel.waitFor();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  const item = panel.getByRole('link', { name: /approval is wanted/ });
  await item.waitFor();
  assert.match(await item.innerText(), new RegExp(`#${repair.id}`));
  assert.ok(await page.evaluate(() => !!document.activeElement?.closest('#notification-panel')), 'focus moves into the panel');
  await shot(page, 'notifications-panel', { fullPage: false });
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('bell-btn')), 'focus returns to the bell');

  // Clicking the notification marks it read and goes to the repair.
  await button.click();
  await panel.getByRole('link', { name: /approval is wanted/ }).click();
  await page.waitForURL((u) => u.pathname === `${portal}/repairs/${repair.id}`);
  await page.getByRole('heading', { name: `Repair #${repair.id}` }).waitFor();
  await bell(page, 'Notifications, none unread').waitFor();
  assert.equal(await unreadOf('approver'), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('"Mark all read" clears the count; the list is newest first; each user has their own count', async () => {
  const page = await app.signedIn('approver');
  await bell(page, 'Notifications, none unread').waitFor();
  await app.staffRepair({ unit_number: 'BELL-2', description: 'First of two' });
  await app.staffRepair({ unit_number: 'BELL-3', description: 'Second of two' });
  await bell(page, 'Notifications, 2 unread').waitFor({ timeout: 15_000 });
  await bell(page, 'Notifications, 2 unread').click();
  const panel = page.getByRole('region', { name: 'Notifications' });
  await panel.getByRole('link', { name: /BELL-3/ }).waitFor();
  // newest first
  const titles = await panel.getByRole('link').allInnerTexts();
  assert.ok(titles.findIndex((t) => t.includes('BELL-3')) < titles.findIndex((t) => t.includes('BELL-2')), `newest first: ${titles.join(' | ')}`);
  await panel.getByRole('button', { name: 'Mark all read' }).click();
  await bell(page, 'Notifications, none unread').waitFor();
  assert.equal(await unreadOf('approver'), 0);
  await page.keyboard.press('Escape');

  // The viewer's bell shows the viewer's own count (what the server says for them), not the approver's.
  const viewer = await app.signedIn('viewer');
  const viewerUnread = await unreadOf('viewer');
  await bell(viewer, viewerUnread === 0 ? 'Notifications, none unread' : `Notifications, ${viewerUnread} unread`).waitFor();
  await assertQuiet(page);
  await page.context().close();
  await viewer.context().close();
});

test('the bell and its panel fit a 375 px screen', async () => {
  await app.staffRepair({ unit_number: 'BELL-PHONE', description: 'Notified on a phone' });
  const phone = { width: 375, height: 740, isMobile: true, hasTouch: true };
  const page = await app.signedIn('approver', phone);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const button = page.getByRole('button', { name: /^Notifications, [1-9]\d* unread$/ });
  await button.waitFor({ timeout: 15_000 });
  assert.ok(await button.isVisible(), 'the bell is visible without opening the menu');
  await button.click();
  const panel = page.getByRole('region', { name: 'Notifications' });
  await panel.getByRole('link', { name: /BELL-PHONE/ }).waitFor();
  const box = await panel.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 375, `the panel fits the screen: ${JSON.stringify(box)}`);
  const w = await scrollWidths(page);
  assert.ok(w.scroll <= 375 && w.body <= 375, `the open panel scrolls sideways at 375 px: ${JSON.stringify(w)}`);
  await shot(page, 'phone-notifications', { fullPage: false });
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  await page.context().close();
});

test('live updates come over a WebSocket: the customer page follows the technician', async () => {
  const r = await app.requestedRepair({ unit_number: 'WS-1', description: 'Followed over the socket' });
  const manager = await app.api('manager');
  await manager.post(`/api/v1/repairs/${r.id}/status`, { status: 'APPROVED' });

  const page = await app.signedIn('approver');
  await page.goto(app.url(`${portal}/repairs/${r.id}`));
  const badge = page.locator('h1 .badge');
  await page.getByRole('heading', { name: `Repair #${r.id}` }).waitFor();
  assert.equal((await badge.innerText()).trim(), 'Approved');
  await page.locator('.live[data-transport="ws"]').waitFor();

  const sockets = page.websockets.filter((ws) => new URL(ws.url()).pathname === WS_PATH);
  assert.ok(sockets.length >= 1, `a WebSocket to ${WS_PATH} (opened: ${page.websockets.map((w) => w.url()).join(', ') || 'none'})`);
  const socket = sockets.at(-1);
  assert.equal(socket.isClosed(), false, 'the socket stays open');
  assert.match(socket.url(), /^ws:\/\/127\.0\.0\.1:\d+\/api\/v1\/events\/ws\?after=\d+$/);
  const frames = [];
  socket.on('framereceived', (f) => frames.push(String(f.payload)));

  // The technician starts the repair; the page moves without reload, and the event came as a frame.
  const longPolls = [];
  page.on('request', (req) => { if (/\/api\/v1\/events\?/.test(req.url())) longPolls.push(req.url()); });
  const tech = await app.api('tech');
  await tech.post(`/api/v1/repairs/${r.id}/status`, { status: 'IN_PROGRESS' });
  await page.waitForFunction(() => document.querySelector('h1 .badge')?.textContent?.trim() === 'In progress', null, { timeout: 15_000 });
  const events = frames.map((f) => JSON.parse(f));
  assert.ok(events.some((e) => e.type === 'repair.status_changed' && e.repair_id === r.id), `a status event over the socket: ${frames.join('\n')}`);
  for (const e of events) for (const k of ['id', 'type', 'occurred_at', 'repair_id', 'data']) assert.ok(k in e, `event has ${k}`);
  assert.deepEqual(longPolls, [], 'no long-poll while the socket is open');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a dropped socket: long-poll meanwhile, "Reconnecting…" while both are down, and nothing is missed', async () => {
  const r = await app.requestedRepair({ unit_number: 'WS-2', description: 'Survives a flaky connection' });
  const manager = await app.api('manager');
  await manager.post(`/api/v1/repairs/${r.id}/status`, { status: 'APPROVED' });
  const tech = await app.api('tech');

  const page = await app.signedIn('approver');
  // Every socket of the page goes through this route: passed to the server, or refused while `refuse`.
  let refuse = false;
  const routes = [];
  await page.routeWebSocket((u) => u.pathname === WS_PATH, (ws) => {
    routes.push(ws);
    if (refuse) { ws.close({ code: 1011, reason: 'test: refused' }); return; }
    ws.connectToServer();
  });
  await page.goto(app.url(`${portal}/repairs/${r.id}`));
  await page.getByRole('heading', { name: `Repair #${r.id}` }).waitFor();
  await page.locator('.live[data-transport="ws"]').waitFor();
  const status = () => page.locator('h1 .badge').innerText().then((t) => t.trim());
  const waitStatus = (want) => page.waitForFunction((w) => document.querySelector('h1 .badge')?.textContent?.trim() === w, want, { timeout: 20_000 });

  // 4008 "slow consumer": reconnects at once, from the last id seen.
  const before = routes.length;
  routes.at(-1).close({ code: 4008, reason: 'slow consumer' });
  for (let i = 0; i < 50 && routes.length === before; i++) await page.waitForTimeout(100);
  assert.ok(routes.length > before, 'a new socket after 4008');
  assert.match(routes.at(-1).url(), /after=\d+/);
  await page.locator('.live[data-transport="ws"]').waitFor();

  // The socket drops and is refused: the long-poll carries the events.
  refuse = true;
  routes.at(-1).close({ code: 1001, reason: 'going away' });
  await page.locator('.live[data-transport="poll"]').waitFor();
  await tech.post(`/api/v1/repairs/${r.id}/status`, { status: 'IN_PROGRESS' });
  await waitStatus('In progress');

  // Both down: the long-poll fails too. The indicator shows; an event happens meanwhile.
  await page.route(LONG_POLL, (route) => route.abort('connectionrefused'));
  await page.evaluate(() => window.dispatchEvent(new Event('online'))); // makes the client retry the (refused) socket
  // the long-poll in flight finishes its wait; a move ends it at once with an event
  await tech.post(`/api/v1/repairs/${r.id}/status`, { status: 'APPROVED', notes: 'Released for now' });
  await waitStatus('Approved');
  await page.getByRole('status').getByText('Reconnecting…').waitFor({ timeout: 20_000 });
  await shot(page, 'customer-reconnecting', { fullPage: false });
  await manager.post(`/api/v1/repairs/${r.id}/status`, { status: 'CANCELLED', notes: 'Customer sold the bus' });
  await page.waitForTimeout(500);
  assert.equal(await status(), 'Approved', 'no events while disconnected');

  // Back: the socket reconnects from the last id and delivers what happened meanwhile.
  refuse = false;
  await page.unroute(LONG_POLL);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await waitStatus('Cancelled');
  await page.locator('.live[data-transport="ws"]').waitFor({ timeout: 20_000 });
  await page.getByText('Reconnecting…').waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

// The notification worker publishes its notification.created a few ms after the repair event, typically
// while the socket is still sending that event: the server must not lose that wake-up (a pending-wake flag
// in RunWebSocket), so the frame arrives promptly rather than with the next event or after 25 s.
test('every notification.created reaches an open socket promptly', async () => {
  const page = await app.signedIn('approver');
  await page.locator('.live[data-transport="ws"]').waitFor();
  const socket = page.websockets.filter((ws) => new URL(ws.url()).pathname === WS_PATH).at(-1);
  const frames = [];
  socket.on('framereceived', (f) => frames.push({ at: Date.now(), e: JSON.parse(String(f.payload)) }));
  const late = [];
  for (let i = 0; i < 3; i++) {
    const r = await app.staffRepair({ unit_number: `WAKE-${i}`, description: 'Wake-up check' });
    const t0 = Date.now();
    for (let n = 0; n < 30 && !frames.some((f) => f.e.type === 'notification.created' && f.e.repair_id === r.id); n++) await page.waitForTimeout(100);
    const got = frames.find((f) => f.e.type === 'notification.created' && f.e.repair_id === r.id);
    if (!got) late.push(`repair ${r.id}: none within 3 s`);
    else if (got.at - t0 > 2000) late.push(`repair ${r.id}: after ${got.at - t0} ms`);
  }
  await page.context().close();
  assert.deepEqual(late, [], 'notification.created frames late or missing');
});
