// Conversations in both portals (issue 11): a customer writes "@tess can you check @repair#N", the
// technician sees the unread badge and the linked repair live, answers, and the customer sees the answer
// without reload; phone width works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, scrollWidths, TENANT } from './harness.mjs';
import { jpeg } from '../api/attachments_helpers.mjs';

const app = useApp();
const portal = `/t/${TENANT}/portal`;
const shop = `/t/${TENANT}/shop`;
const PHONE = { width: 375, height: 740, isMobile: true, hasTouch: true };

test('customer and technician talk live, with a mention and a linked repair', async () => {
  const admin = await app.api('admin');
  const me = await (await app.api('tech')).get('/api/v1/me');
  await admin.ok('PATCH', `/api/v1/users/${me.id}`, { handle: 'tess' });
  const repair = await app.staffRepair({ unit_number: 'BUS-811' });

  // The technician has the shop's Messages open on another channel (or none).
  const tech = await app.signedIn('tech');
  await tech.goto(app.url(`${shop}/messages`));
  await tech.getByRole('heading', { name: 'Messages' }).waitFor();
  await tech.evaluate(() => { window.__sameDocument = true; });

  // The customer opens the conversation from the repair page: the repair is pre-linked.
  const customer = await app.signedIn('requester');
  await customer.goto(app.url(`${portal}/repairs/${repair.id}`));
  await customer.getByTestId('discuss').click();
  const box = customer.getByLabel('Message', { exact: true });
  await box.waitFor();
  assert.equal(await box.inputValue(), `@repair#${repair.id} `);
  await box.fill('');
  await box.pressSequentially('@tes');
  await customer.getByRole('option', { name: /@tess/ }).waitFor();
  await customer.keyboard.press('Enter');
  await box.pressSequentially(`can you check @repair#${repair.id}`);
  await customer.getByRole('button', { name: 'Send' }).click();
  const sent = customer.locator('article.message').last();
  await sent.getByText('can you check').waitFor();
  // The server's answer carries the resolved mentions; under load it may come a moment after the text.
  await sent.locator('.mention', { hasText: '@tess' }).first().waitFor({ timeout: 15_000 }).catch(() => {});
  assert.equal(await sent.locator('.mention').first().innerText(), '@tess', await sent.innerText());
  await shot(customer, 'conversations-customer', { fullPage: false });

  // The technician sees the unread badge without reload, opens the channel, sees the linked repair.
  const badge = tech.locator('nav.channels .badge');
  await badge.waitFor({ timeout: 15_000 });
  assert.equal(await badge.innerText(), '1');
  assert.equal(await tech.evaluate(() => window.__sameDocument), true, 'no reload');
  await tech.locator('nav.channels a', { has: tech.locator('.badge') }).click();
  const link = tech.locator(`a.mention[href="${shop}/repairs/${repair.id}"]`);
  await link.waitFor();
  assert.match(await link.innerText(), new RegExp(`@repair#${repair.id}.*BUS-811`));
  await tech.getByLabel('Message', { exact: true }).fill('On it, this afternoon.');
  await tech.getByRole('button', { name: 'Send' }).click();
  await shot(tech, 'conversations-shop', { fullPage: false });

  // The customer sees the answer without reload.
  await customer.evaluate(() => { window.__sameDocument = true; });
  await customer.locator('article.message', { hasText: 'On it, this afternoon.' }).waitFor({ timeout: 15_000 });
  assert.equal(await customer.evaluate(() => window.__sameDocument), true);

  // A photo from the composer reaches the customer live, as a thumbnail.
  await tech.getByLabel('Attach files').setInputFiles({ name: 'crack.jpg', mimeType: 'image/jpeg', buffer: jpeg(80, 60) });
  await tech.getByLabel('Message', { exact: true }).fill('Photo of the crack');
  await tech.getByRole('button', { name: 'Send' }).click();
  await customer.locator('article.message', { hasText: 'Photo of the crack' }).locator('img[alt="crack.jpg"]').waitFor({ timeout: 15_000 });

  // Deleting one's own message: "message deleted" for the other side, live.
  customer.on('dialog', (d) => d.accept());
  await customer.locator('article.message', { hasText: 'can you check' }).getByRole('button', { name: 'Delete' }).click();
  await tech.locator('article.message .deleted', { hasText: 'message deleted' }).waitFor({ timeout: 15_000 });
  assert.equal(await tech.locator('article.message', { hasText: 'can you check' }).count(), 0, 'its text is gone');
  assert.deepEqual(tech.errors, []);
  assert.deepEqual(customer.errors, []);
});

test('messages at phone width: the list, then one conversation, no horizontal scrolling', async () => {
  const page = await app.signedIn('approver', PHONE);
  await page.goto(app.url(`${portal}/messages`));
  await page.getByRole('heading', { name: 'Messages' }).waitFor();
  const first = page.locator('nav.channels a').first();
  await first.waitFor();
  await first.click();
  await page.getByRole('link', { name: '← Channels' }).waitFor();
  const w = await scrollWidths(page);
  assert.ok(w.scroll <= w.client + 1, `no horizontal scroll: ${JSON.stringify(w)}`);
  await shot(page, 'conversations-phone', { fullPage: false });
  assert.deepEqual(page.errors, []);
});
