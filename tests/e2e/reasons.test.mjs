// Which moves need a reason comes from the server (the repair's `moves_needing_reason`), not from a copy of
// the workflow in the portal: denying a request asks for a reason in the queue and on the board, refuses an
// empty one without a request, and records the one given; a move that needs none (cancel) says its notes are
// optional.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, TENANT } from './harness.mjs';

const app = useApp();
const shop = `/t/${TENANT}/shop`;

test('the queue: a denial needs its reason; an empty one is refused in the page, the given one recorded', async () => {
  const r = await app.requestedRepair({ unit_number: 'VAN-71', description: 'Queue denial needs a reason' });
  const manager = await app.api('manager');
  assert.deepEqual((await manager.get(`/api/v1/repairs/${r.id}`)).moves_needing_reason, ['DENIED']);
  const page = await app.signedIn('manager');
  await page.goto(app.url(`${shop}/queue`));
  const item = page.getByRole('listitem').filter({ hasText: 'Queue denial needs a reason' });
  await item.getByRole('button', { name: 'Deny…' }).click();
  const dialog = page.getByRole('dialog', { name: `Deny request #${r.id}` });
  await dialog.getByLabel('Reason for the customer (required)').waitFor();
  await dialog.getByRole('button', { name: 'Deny' }).click();
  await dialog.getByText('A reason is required; the customer sees it.').waitFor();
  assert.equal((await manager.get(`/api/v1/repairs/${r.id}`)).status, 'REQUESTED', 'nothing was sent');
  await dialog.getByLabel('Reason for the customer (required)').fill('Outside our service area');
  await dialog.getByRole('button', { name: 'Deny' }).click();
  await item.waitFor({ state: 'detached' });
  const log = await manager.get(`/api/v1/repairs/${r.id}/log`);
  assert.equal(log.at(-1).new_status, 'DENIED');
  assert.equal(log.at(-1).notes, 'Outside our service area');
  await page.context().close();
});

test('the board: the reason label and check follow the move, from the API', async () => {
  const r = await app.requestedRepair({ unit_number: 'VAN-72', description: 'Board denial needs a reason' });
  const page = await app.signedIn('manager');
  await page.goto(app.url(`${shop}/board`));
  const card = page.locator('section[data-status="REQUESTED"]').getByRole('article', { name: `Repair ${r.id},` });
  await card.waitFor();
  await card.getByLabel(`Move repair #${r.id} to…`).selectOption({ label: 'Deny' });
  const dialog = page.getByRole('dialog', { name: `Deny repair #${r.id}?` });
  await dialog.getByLabel('Reason (required)').waitFor();
  await dialog.getByRole('button', { name: 'Deny' }).click();
  await dialog.getByText('Give the reason; the customer sees it.').waitFor();
  await dialog.getByRole('button', { name: 'Back' }).click();
  await card.getByLabel(`Move repair #${r.id} to…`).selectOption({ label: 'Cancel' });
  const cancel = page.getByRole('dialog', { name: `Cancel repair #${r.id}?` });
  await cancel.getByLabel('Notes (optional)').waitFor();
  await cancel.getByRole('button', { name: 'Back' }).click();
  const manager = await app.api('manager');
  assert.equal((await manager.get(`/api/v1/repairs/${r.id}`)).status, 'REQUESTED', 'neither dialog sent a move');
  await page.context().close();
});
