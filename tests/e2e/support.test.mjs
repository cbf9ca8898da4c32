// Support content in the portals: the live announcement banner, the FAQ on the customer's Help page and the
// public help link, tenant text rendered as text (never HTML), and the shop's FAQ and announcement settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, scrollWidths, TENANT } from './harness.mjs';

const app = useApp();
const portal = `/t/${TENANT}/portal`;
const shop = `/t/${TENANT}/shop`;
const PHONE = { width: 375, height: 740, isMobile: true, hasTouch: true };
const EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

async function announce(fields) {
  const admin = await app.api('admin');
  return admin.post('/api/v1/announcements', { severity: 'info', body: '', ...fields });
}
async function retire(id) {
  const admin = await app.api('admin');
  await admin.ok('DELETE', `/api/v1/announcements/${id}`, undefined, [204]);
}

test('an outage announcement appears on the open dashboard without reload, and can be dismissed for the session', async () => {
  const page = await app.signedIn('approver');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.evaluate(() => { window.__sameDocument = true; });
  assert.equal(await page.locator('.banner').count(), 0, 'no banner before');

  const a = await announce({
    title: 'Depot closed by flooding', severity: 'outage',
    body: `Work is paused until Friday.\nUpdates: https://status.acme-glass.test/flood.\n${EVIL} javascript:alert(1)`,
  });
  const banner = page.locator('.banner[data-severity="outage"]');
  await banner.waitFor({ timeout: 15_000 });
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
  const text = await banner.innerText();
  assert.match(text, /Outage: Depot closed by flooding/);
  assert.match(text, /Work is paused until Friday\.\nUpdates:/, 'line breaks kept');
  assert.ok(text.includes('<script>window.__pwned = 1</script>'), 'HTML shows as text');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script ran');
  assert.equal(await banner.locator('img, script').count(), 0, 'no element from the text');
  const link = banner.getByRole('link', { name: 'https://status.acme-glass.test/flood' });
  assert.equal(await link.getAttribute('href'), 'https://status.acme-glass.test/flood', 'trailing full stop not in the link');
  assert.match(await link.getAttribute('rel'), /noopener/);
  assert.equal(await banner.locator('a[href^="javascript"]').count(), 0, 'javascript: never becomes a link');
  // Contrast: white on the outage red.
  const colours = await banner.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
  assert.deepEqual(colours, ['rgb(255, 255, 255)', 'rgb(180, 35, 24)']);
  await shot(page, 'customer-announcement-banner', { fullPage: false });

  // It is on every page of the portal.
  await page.getByRole('link', { name: 'Repairs' }).first().click();
  await page.waitForURL((u) => u.pathname === `${portal}/repairs`);
  await banner.waitFor();

  // Dismissed: gone, and still gone after a reload in the same session.
  await page.getByRole('button', { name: 'Dismiss “Depot closed by flooding”' }).click();
  await banner.waitFor({ state: 'detached' });
  await page.reload();
  await page.getByRole('heading', { name: 'Repairs' }).first().waitFor();
  await page.waitForTimeout(1000);
  assert.equal(await page.locator('.banner[data-severity="outage"]').count(), 0, 'dismissed for the session');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // On a phone the banner fits the width.
  const phone = await app.signedIn('viewer', PHONE);
  await phone.locator('.banner[data-severity="outage"]').waitFor();
  const w = await scrollWidths(phone);
  assert.ok(w.scroll <= w.client, `no horizontal scrolling at 375 px: ${JSON.stringify(w)}`);
  await shot(phone, 'phone-customer-announcement-banner', { fullPage: false });

  // Ended by the shop: it leaves the open page live.
  await retire(a.id);
  await phone.locator('.banner[data-severity="outage"]').waitFor({ state: 'detached', timeout: 15_000 });
  await phone.context().close();
});

test('an announcement for another customer never shows', async () => {
  const admin = await app.api('admin');
  const other = await admin.post('/api/v1/customers', { name: 'Other Fleet Co', email: 'other@fleet.test' });
  const a = await announce({ title: 'Only for Other Fleet', severity: 'warning', customer_ids: [other.id] });
  const mine = await announce({ title: `For everyone today ${EVIL}`, severity: 'info', body: 'javascript:alert(3)' });
  const page = await app.signedIn('requester');
  const banner = page.locator('.banner', { hasText: 'For everyone today' });
  await banner.waitFor();
  assert.ok((await banner.innerText()).includes('<script>window.__pwned = 1</script>'), 'a title with HTML shows as text');
  assert.equal(await banner.locator('script, img, a').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('.banner', { hasText: 'Only for Other Fleet' }).count(), 0);
  await page.context().close();
  await retire(a.id);
  await retire(mine.id);
});

test('the FAQ shows on the customer Help page and on the public help link; answers are text, URLs links', async () => {
  const admin = await app.api('admin');
  const shown = await admin.post('/api/v1/faq', {
    question: 'How long does a chip repair take? <b>bold?</b>',
    answer: `About 30 minutes.\nSee https://acme-glass.test/chips for photos.\n${EVIL}`,
    published: true,
  });
  const draft = await admin.post('/api/v1/faq', { question: 'Internal draft question', answer: 'Not yet.', published: false });

  const page = await app.signedIn('approver');
  await page.getByRole('link', { name: 'Help', exact: true }).first().click();
  await page.waitForURL((u) => u.pathname === `${portal}/support`);
  const entry = page.locator(`details[data-faq-id="${shown.id}"]`);
  await entry.waitFor();
  assert.equal(await page.locator(`details[data-faq-id="${draft.id}"]`).count(), 0, 'no draft');
  assert.ok((await entry.locator('summary').innerText()).includes('<b>bold?</b>'), 'the question is text');
  assert.equal(await entry.locator('summary b').count(), 0);
  await entry.locator('summary').click();
  const answer = await entry.innerText();
  assert.match(answer, /About 30 minutes\.\nSee https:\/\/acme-glass\.test\/chips for photos\./);
  assert.ok(answer.includes('<script>window.__pwned = 1</script>'), 'the script is shown as text');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await entry.locator('script, img').count(), 0);
  const link = entry.getByRole('link', { name: 'https://acme-glass.test/chips' });
  assert.match(await link.getAttribute('rel'), /noopener/);
  await shot(page, 'customer-help-faq');
  await page.context().close();

  // The login page's help link, without signing in.
  const anon = await app.newPage(PHONE);
  await anon.goto(app.url(`/t/${TENANT}/login`));
  await anon.getByRole('link', { name: 'Help and frequently asked questions' }).click();
  await anon.waitForURL((u) => u.pathname === `/t/${TENANT}/help`);
  await anon.locator(`details[data-faq-id="${shown.id}"]`).waitFor();
  assert.equal(await anon.locator(`details[data-faq-id="${draft.id}"]`).count(), 0, 'no draft in public');
  const w = await scrollWidths(anon);
  assert.ok(w.scroll <= w.client, `no horizontal scrolling at 375 px: ${JSON.stringify(w)}`);
  await shot(anon, 'phone-public-help');
  assert.deepEqual(anon.errors, []);
  await anon.context().close();
});

test('the shop reorders the FAQ by dragging, and writes an announcement with a preview', async () => {
  const admin = await app.api('admin');
  const existing = (await admin.get('/api/v1/faq?page_size=200')).results;
  for (const f of existing) await admin.ok('DELETE', `/api/v1/faq/${f.id}`, undefined, [204]);
  const made = [];
  for (const q of ['First question', 'Second question', 'Third question']) {
    made.push(await admin.post('/api/v1/faq', { question: q, answer: `Answer to ${q}.`, published: true }));
  }
  const page = await app.signedIn('manager');
  await page.goto(app.url(`${shop}/settings/faq`));
  const item = (f) => page.locator(`li[data-faq-id="${f.id}"]`);
  await item(made[2]).waitFor();
  await item(made[2]).dragTo(item(made[0]));
  const order = async () => (await admin.get('/api/v1/faq?page_size=200')).results.map((f) => f.question);
  for (let i = 0; i < 50 && (await order())[0] !== 'Third question'; i++) await page.waitForTimeout(100);
  assert.deepEqual(await order(), ['Third question', 'First question', 'Second question']);
  // The buttons do the same for keyboard and touch users.
  await item(made[0]).getByRole('button', { name: 'Move down' }).click();
  for (let i = 0; i < 50 && (await order())[2] !== 'First question'; i++) await page.waitForTimeout(100);
  assert.deepEqual(await order(), ['Third question', 'Second question', 'First question']);
  await shot(page, 'shop-faq-settings');

  await page.goto(app.url(`${shop}/settings/announcements`));
  await page.getByLabel('Title').fill('Planned maintenance');
  await page.getByLabel('Message').fill('Saturday 8–12.\nDetails: https://acme-glass.test/maintenance');
  await page.getByLabel('Severity').selectOption('warning');
  const preview = page.getByRole('region', { name: 'Preview' }).locator('.banner[data-severity="warning"]');
  await preview.waitFor();
  assert.match(await preview.innerText(), /Warning: Planned maintenance/);
  await shot(page, 'shop-announcement-settings');
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.locator('article.ann', { hasText: 'Planned maintenance' }).waitFor();
  const list = (await admin.get('/api/v1/announcements?page_size=200')).results;
  const created = list.find((x) => x.title === 'Planned maintenance');
  assert.ok(created, 'created through the form');
  assert.equal(created.severity, 'warning');
  assert.equal(created.body, 'Saturday 8–12.\nDetails: https://acme-glass.test/maintenance');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  const phone = await app.signedIn('manager', PHONE);
  await phone.goto(app.url(`${shop}/settings/announcements`));
  await phone.locator('article.ann').first().waitFor();
  const w = await scrollWidths(phone);
  assert.ok(w.scroll <= w.client, `no horizontal scrolling at 375 px: ${JSON.stringify(w)}`);
  await shot(phone, 'phone-shop-announcement-settings');
  await phone.context().close();
  await retire(created.id);
});

test('technician profiles show in the shop schedule for staff', async () => {
  const admin = await app.api('admin');
  const tech = (await admin.get('/api/v1/technicians?page_size=200')).results[0];
  await admin.ok('PATCH', `/api/v1/users/${tech.id}`, { phone: '+1 555 0199', certification_level: 'Senior <script>window.__pwned = 4</script>', hire_date: '2020-03-02' });
  const page = await app.signedIn('manager');
  await page.goto(app.url(`${shop}/schedule`));
  const row = page.locator(`tr[data-technician-id="${tech.id}"]`);
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /\+1 555 0199/);
  assert.match(text, /Senior <script>window.__pwned = 4<\/script>/, 'shown as text');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('a[href^="javascript"]').count(), 0);
  await shot(page, 'shop-schedule-technicians');
  await page.context().close();
});
