// The shop an imported work order names (technician_ref; issue 16): stored by `portico import repairs`,
// shown on the repair, and grouped by in GET /api/v1/stats/shops within the caller's scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useServer, runCli, assertProblem, assertStatus } from './harness.mjs';

const API = '/api/v1';
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const mapping = path.join(repo, 'mappings', 'cincinnati-fleet.toml');
const HEADER = 'work_order_id,created_date,job_type,repair_reason_code,repair_reason_desc,priority_code,work_order_status,asset_id,parent_asset_id,department_id,department_name,shop_location_id,shop_location_name,downtime_hrs_user,downtime_hrs_shop,delay_hours,labor_hours,labor_cost,parts_cost,commercial_cost,total_cost';
// "Acme Transit" is the seeded customer c1 of tenant acme: its rows join that customer.
const ROWS = [
  '2023-1-1,2023-08-07,REPAIR,N,NORMAL WEAR,3,CLOSED,U1,U1,0222,Acme Transit,2205,"TIRE SHOP ""B""",0,0,0,1,110.0,0,0,110.0',
  '2023-1-2,2023-08-08,REPAIR,A,ACCIDENT,2,CLOSED,U1,U1,0222,Acme Transit,2205,"TIRE SHOP ""B""",0,0,0,1,40.5,0,0,40.5',
  '2023-1-3,2023-09-01,REPAIR,N,NORMAL WEAR,3,OPEN,U2,U2,0222,Acme Transit,2206,BODY SHOP,0,0,0,0,0,0,0,0',
  '2023-1-4,2022-01-10,PM,,,4,CLOSED,W9,W9,0300,WATER WORKS,3001,BODY SHOP,0,0,0,0,7.25,0,0,7.25',
  '2023-1-5,2023-09-02,PM,,,4,CLOSED,W9,W9,0300,WATER WORKS,3002,ÉCOLE GARAGE,0,0,0,0,1,0,0,1',
];

const ctx = useServer({
  prepare: async (dir, databaseUrl) => {
    const file = path.join(dir, 'shops.csv');
    await writeFile(file, [HEADER, ...ROWS].join('\r\n') + '\r\n');
    const r = await runCli(['import', 'repairs', file, '--tenant', 'acme', '--mapping', mapping], { databaseUrl, cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    return [];
  },
});

test('staff see every imported shop of their tenant, most repairs first, with completed cost', async () => {
  const s = ctx.server;
  const manager = await s.bearer('acme', 'manager');
  const res = await manager.get(`${API}/stats/shops`);
  assertStatus(res, 200);
  assert.deepEqual(res.body, [
    { shop: 'BODY SHOP', count: 2, completed: 1, cost: '7.25' },
    { shop: 'TIRE SHOP "B"', count: 2, completed: 2, cost: '150.50' },
    { shop: 'ÉCOLE GARAGE', count: 1, completed: 1, cost: '1.00' },
  ]);
  // the date range and the months window narrow it
  const range = await manager.get(`${API}/stats/shops?from=2023-01-01&to=2023-08-31`);
  assert.deepEqual(range.body.map((f) => f.shop), ['TIRE SHOP "B"']);
  const recent = await manager.get(`${API}/stats/shops?months=1`);
  assert.deepEqual(recent.body.map((f) => [f.shop, f.count]), [['BODY SHOP', 1], ['ÉCOLE GARAGE', 1]]);
  assertProblem(await manager.get(`${API}/stats/shops?from=2023-02-30`), 400);
  assertProblem(await manager.get(`${API}/stats/shops?months=0`), 400);
  // another tenant sees none of it
  const other = await (await s.bearer('globex', 'manager')).get(`${API}/stats/shops`);
  assert.deepEqual(other.body, []);
});

test("a customer user sees only its own customers' shops; the repair shows its shop", async () => {
  const s = ctx.server;
  const c1 = await s.bearer('acme', 'c1_viewer');
  const mine = await c1.get(`${API}/stats/shops`);
  assertStatus(mine, 200);
  assert.deepEqual(mine.body.map((f) => [f.shop, f.count]), [['TIRE SHOP "B"', 2], ['BODY SHOP', 1]]);
  assert.deepEqual((await (await s.bearer('acme', 'c2_viewer')).get(`${API}/stats/shops`)).body, []);
  const list = await c1.get(`${API}/repairs?page_size=50`);
  const shops = list.body.results.map((r) => r.technician_ref).sort();
  assert.deepEqual(shops, ['BODY SHOP', 'TIRE SHOP "B"', 'TIRE SHOP "B"']);
  const one = await c1.get(`${API}/repairs/${list.body.results[0].id}`);
  assert.equal(typeof one.body.technician_ref, 'string');
  // a repair made in Portico names no imported shop
  const manager = await s.bearer('acme', 'manager');
  const created = await manager.post(`${API}/repairs`, { customer_id: s.data.customers.acme.c2.id, unit_number: 'NEW-1', description: 'Chip' });
  assertStatus(created, 201);
  assert.equal(created.body.technician_ref, null);
});
