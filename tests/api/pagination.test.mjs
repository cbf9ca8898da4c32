// Pagination of resource collections: {count, next, previous, results}, default 50, page_size capped at 200.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertStatus, assertPage, pathOf } from './harness.mjs';

const ctx = useServer();
const EXTRA = 230; // + 2 seeded = 232 acme customers

describe('customers list pagination', () => {
  before(async () => {
    const b = await ctx.server.bearer('acme', 'admin');
    for (let i = 0; i < EXTRA; i += 10) {
      const batch = [];
      for (let j = i; j < Math.min(i + 10, EXTRA); j++) {
        batch.push(b.post('/api/v1/customers', { name: `Bulk ${String(j).padStart(3, '0')}`, email: `bulk${j}@bulk.test` }));
      }
      for (const res of await Promise.all(batch)) assertStatus(res, 201);
    }
  }, { timeout: 120_000 });

  test('default page size is 50', async () => {
    const res = await (await ctx.server.bearer('acme', 'manager')).get('/api/v1/customers');
    const items = assertPage(res);
    assert.equal(res.body.count, EXTRA + 2);
    assert.equal(items.length, 50);
    assert.equal(res.body.previous, null);
    assert.equal(typeof res.body.next, 'string');
  });

  test('page_size above 200 is capped at 200', async () => {
    const res = await (await ctx.server.bearer('acme', 'manager')).get('/api/v1/customers?page_size=1000');
    const items = assertPage(res);
    assert.equal(items.length, 200);
    assert.equal(res.body.count, EXTRA + 2);
    assert.equal(typeof res.body.next, 'string', 'there is a next page');
  });

  test('following next visits every customer exactly once, and previous links back', async () => {
    const c = await ctx.server.bearer('acme', 'technician');
    let res = await c.get('/api/v1/customers?page_size=40');
    const seen = [];
    let pages = 0;
    for (;;) {
      const items = assertPage(res);
      seen.push(...items.map((x) => x.id));
      pages++;
      if (pages > 1) assert.equal(typeof res.body.previous, 'string', `page ${pages} has previous`);
      if (!res.body.next) break;
      assert.ok(pages < 20, 'pagination terminates');
      res = await c.get(pathOf(res.body.next));
    }
    assert.equal(pages, Math.ceil((EXTRA + 2) / 40));
    assert.equal(seen.length, EXTRA + 2);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates across pages');
    const back = await c.get(pathOf(res.body.previous));
    assert.equal(assertPage(back).length, 40);
  });

  test('a page past the end is empty (or 404), never an error 5xx', async () => {
    const res = await (await ctx.server.bearer('acme', 'admin')).get('/api/v1/customers?page=99&page_size=50');
    assert.ok([200, 404].includes(res.status), res.summary);
    if (res.status === 200) {
      assert.deepEqual(res.body.results, []);
      assert.equal(res.body.next, null);
    }
  });

  test('the other tenant still sees only its own two customers', async () => {
    const res = await (await ctx.server.bearer('globex', 'admin')).get('/api/v1/customers?page_size=200');
    assertPage(res);
    assert.equal(res.body.count, 2, res.summary);
  });
});
