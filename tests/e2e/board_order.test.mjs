// Board order in the shop portal (issue 12; API.md "Board order"): a card dragged between two others in its
// column stays there after a reload, and another signed-in session sees the new order live (no reload).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, TENANT } from './harness.mjs';

const app = useApp();
const board = `/t/${TENANT}/shop/board`;

/** The ids of `ids`' cards in the order a page shows them in column `status`. */
async function order(page, status, ids) {
  return page.evaluate(({ status, ids }) => [...document.querySelectorAll(`[data-status="${status}"] [data-repair-id]`)]
    .map((el) => Number(el.dataset.repairId)).filter((id) => ids.includes(id)), { status, ids });
}
async function waitForOrder(page, status, ids, want) {
  let got = [];
  for (let i = 0; i < 60; i++) {
    got = await order(page, status, ids);
    if (JSON.stringify(got) === JSON.stringify(want)) return got;
    await page.waitForTimeout(250);
  }
  assert.deepEqual(got, want);
  return got;
}

test('a card dragged between two others keeps its place after a reload and moves live in another session', async () => {
  const manager = await app.api('manager');
  const [a, b, c] = [await app.staffRepair({ unit_number: 'ORD-A' }), await app.staffRepair({ unit_number: 'ORD-B' }), await app.staffRepair({ unit_number: 'ORD-C' })];
  const status = a.status;
  assert.equal(b.status, status);
  // Arrange A, B, C at the top of the column, through the API.
  await manager.post(`/api/v1/repairs/${c.id}/position`, { after_id: null, before_id: null });
  await manager.post(`/api/v1/repairs/${b.id}/position`, { after_id: null, before_id: c.id });
  await manager.post(`/api/v1/repairs/${a.id}/position`, { after_id: null, before_id: b.id });
  const ids = [a.id, b.id, c.id];

  const other = await app.signedIn('admin');
  await other.goto(app.url(board));
  await waitForOrder(other, status, ids, [a.id, b.id, c.id]);
  await other.evaluate(() => { window.__sameDocument = true; });

  const page = await app.signedIn('manager');
  await page.goto(app.url(board));
  await waitForOrder(page, status, ids, [a.id, b.id, c.id]);
  const cardOf = (id) => page.locator(`[data-status="${status}"] [data-repair-id="${id}"]`);
  // Drop C on the upper part of B: between A and B.
  await cardOf(c.id).dragTo(cardOf(b.id), { targetPosition: { x: 20, y: 4 } });
  await waitForOrder(page, status, ids, [a.id, c.id, b.id]);
  await shot(page, 'shop-board-reordered');

  await waitForOrder(other, status, ids, [a.id, c.id, b.id]);
  assert.equal(await other.evaluate(() => window.__sameDocument), true, 'the other session changed without a reload');

  await page.reload();
  await waitForOrder(page, status, ids, [a.id, c.id, b.id]);
  const listed = await manager.get(`/api/v1/repairs?status=${status}&ordering=board_rank&page_size=200`);
  const ranks = listed.results.filter((r) => ids.includes(r.id)).map((r) => r.id);
  assert.deepEqual(ranks, [a.id, c.id, b.id], 'the server keeps the order');
});
