// `portico import repairs` and `portico demo` through the real binary (CLI.md; issue 3, Import and Demo):
// a small CSV with malformed rows, a file that is not CSV, --dry-run, idempotent re-runs, the real
// Cincinnati file (a subset here; the whole file is in bench/), and the demo with generated data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { runCli, freshDatabaseUrl } from './harness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const mapping = path.join(repo, 'mappings', 'cincinnati-fleet.toml');
const realFile = [process.env.PORTICO_SHARED_DATA, path.join(repo, '..', 'shared', 'data')]
  .filter(Boolean)
  .map((p) => (p.endsWith('.gz') ? p : path.join(p, 'cincinnati_fleet_work_orders.csv.gz')))
  .find((p) => existsSync(p));
const HEADER = 'work_order_id,created_date,job_type,repair_reason_code,repair_reason_desc,priority_code,work_order_status,asset_id,parent_asset_id,department_id,department_name,shop_location_id,shop_location_name,downtime_hrs_user,downtime_hrs_shop,delay_hours,labor_hours,labor_cost,parts_cost,commercial_cost,total_cost';

let dir;
before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'portico-import-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

async function freshDb(name) {
  const databaseUrl = await freshDatabaseUrl(dir, name.replace(/\.db$/, ''));
  const r = await runCli(['tenant', 'create', '--slug', 'city', '--name', 'City Fleet'], { databaseUrl });
  assert.equal(r.code, 0, r.stderr);
  return databaseUrl;
}

const field = (report, label) => Number(report.match(new RegExp(`^${label}:\\s+(\\d+)`, 'm'))?.[1]);

test('a small CSV with malformed rows: good rows imported, bad ones skipped with reasons, nothing half-written', async () => {
  const databaseUrl = await freshDb('small.db');
  const rows = [
    HEADER,
    '2023-1-1,2023-08-07,REPAIR,N,NORMAL WEAR (TARGET),3,CLOSED,U1,U1,0222,POLICE,2205,"SHOP ""A"", EAST",0,0,0,1,110.0,0,0,110.0',
    '2023-1-2,2023-08-08,REPAIR,A,ACCIDENT,2,OPEN,U1,U1,0222,POLICE,2205,SHOP,0,0,0,0,0,0,0,0',
    '2023-1-3,2023-02-30,REPAIR,N,NORMAL WEAR,3,CLOSED,U2,U2,0222,POLICE,2205,SHOP,0,0,0,0,0,0,0,0',
    '2023-1-4,2023-08-09,REPAIR,N,NORMAL WEAR,3,LOST,U2,U2,0222,POLICE,2205,SHOP,0,0,0,0,0,0,0,0',
    '2023-1-5,2023-08-09,REPAIR,N,only three columns',
    '2023-1-6,2023-08-10,PM,,,4,CLOSED,W9,W9,0300,WATER WORKS,3001,WATER,0,0,0,0,0,0,0,0',
  ];
  const file = path.join(dir, 'small.csv');
  await writeFile(file, rows.join('\r\n') + '\r\n');
  const r = await runCli(['import', 'repairs', file, '--tenant', 'city', '--mapping', mapping], { databaseUrl });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(field(r.stdout, 'rows read'), 6);
  assert.equal(field(r.stdout, 'repairs created'), 3);
  assert.equal(field(r.stdout, 'customers created'), 2);
  assert.equal(field(r.stdout, 'units created'), 2);
  assert.equal(field(r.stdout, 'rows skipped'), 3);
  assert.match(r.stdout, /bad_date:\s+1/);
  assert.match(r.stdout, /unknown_status:\s+1/);
  assert.match(r.stdout, /wrong_column_count:\s+1/);
  assert.match(r.stdout, /row 4: bad_date/);
  assert.equal(field(r.stdout, 'with a cost'), 1);
  assert.equal(field(r.stdout, 'without a cost'), 2);
  // Idempotent: a second run creates nothing and says so.
  const again = await runCli(['import', 'repairs', file, '--tenant', 'city', '--mapping', mapping], { databaseUrl });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(field(again.stdout, 'repairs created'), 0);
  assert.equal(field(again.stdout, 'already imported'), 3);
  assert.equal(field(again.stdout, 'customers created'), 0);
});

test('--dry-run writes nothing', async () => {
  const databaseUrl = await freshDb('dry.db');
  const file = path.join(dir, 'dry.csv');
  await writeFile(file, `${HEADER}\n2023-9-1,2023-08-07,REPAIR,N,NORMAL WEAR,3,CLOSED,D1,D1,0222,POLICE,1,S,0,0,0,0,0,0,0,5.0\n`);
  const dry = await runCli(['import', 'repairs', file, '--tenant', 'city', '--mapping', mapping, '--dry-run'], { databaseUrl });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /dry run/);
  assert.equal(field(dry.stdout, 'repairs created'), 1);
  const real = await runCli(['import', 'repairs', file, '--tenant', 'city', '--mapping', mapping], { databaseUrl });
  assert.equal(field(real.stdout, 'repairs created'), 1, 'the dry run left nothing behind');
});

test('a file that is not CSV fails with one clear line and exit 1; a missing column likewise', async () => {
  const databaseUrl = await freshDb('bad.db');
  const binary = path.join(dir, 'binary.csv');
  await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02, 0x00, 0x41]));
  const r = await runCli(['import', 'repairs', binary, '--tenant', 'city', '--mapping', mapping], { databaseUrl });
  assert.equal(r.code, 1);
  const last = r.stderr.trim().split('\n').at(-1);
  assert.match(last, /^error: /);
  assert.doesNotMatch(r.stderr, /Traceback|terminate called|what\(\)/);
  const other = path.join(dir, 'other.csv');
  await writeFile(other, 'a,b,c\n1,2,3\n');
  const m = await runCli(['import', 'repairs', other, '--tenant', 'city', '--mapping', mapping], { databaseUrl });
  assert.equal(m.code, 1);
  assert.match(m.stderr.trim().split('\n').at(-1), /error: .*column/);
  const unknownTenant = await runCli(['import', 'repairs', other, '--tenant', 'nope', '--mapping', mapping], { databaseUrl });
  assert.equal(unknownTenant.code, 1);
  const usage = await runCli(['import', 'repairs', other, '--tenant', 'city'], { databaseUrl });
  assert.equal(usage.code, 2, 'a missing --mapping is bad usage');
});

test('the real Cincinnati file: the first 5,000 work orders import cleanly (gzip, RFC 4180 quoting)', { skip: !realFile && 'the real data set is not beside the checkout' }, async () => {
  const databaseUrl = await freshDb('real.db');
  const text = zlib.gunzipSync(readFileSync(realFile)).toString('utf8');
  const lines = text.split('\n').slice(0, 5001).join('\n') + '\n';
  const subset = path.join(dir, 'subset.csv.gz');
  await writeFile(subset, zlib.gzipSync(lines));
  const r = await runCli(['import', 'repairs', subset, '--tenant', 'city', '--mapping', mapping], { databaseUrl });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(field(r.stdout, 'rows read'), 5000);
  assert.equal(field(r.stdout, 'repairs created'), 5000);
  assert.equal(field(r.stdout, 'rows skipped'), 0);
  assert.ok(field(r.stdout, 'customers created') > 10);
  assert.ok(field(r.stdout, 'without a cost') > 0, 'the defective cost columns leave some rows without a cost');
});

test('portico demo: tenant, one user per role with credentials, generated data; a second run changes nothing', async () => {
  const databaseUrl = await freshDatabaseUrl(dir, 'demo');
  const r = await runCli(['demo'], { databaseUrl });
  assert.equal(r.code, 0, r.stderr);
  for (const role of ['admin', 'manager', 'technician', 'customer \\(approver\\)', 'customer \\(requester\\)', 'customer \\(viewer\\)']) {
    assert.match(r.stdout, new RegExp(`^  ${role}: \\S+@demo\\.portico\\.test$`, 'm'));
  }
  assert.match(r.stdout, /password 'portico-demo'/);
  assert.ok(field(r.stderr, 'repairs created') > 1000, r.stderr);
  const again = await runCli(['demo'], { databaseUrl });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /already loaded/);
  assert.doesNotMatch(again.stderr, /repairs created/);
});
