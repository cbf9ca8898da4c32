// CSV exports (issue 14; API.md, "Exports and invoices"): the repairs list, a unit's history and the
// monthly figures as text/csv, streamed with chunked transfer encoding, in the caller's scope, with the
// list's filters, RFC 4180 quoting and formula neutralisation; a large export's memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { useServer, runCli, REPO_ROOT, assertStatus, assertProblem } from './harness.mjs';
import { API, allPages, createRepair, repairIn, move, uniq } from './lifecycle_helpers.mjs';

const ctx = useServer();

/** RFC 4180 parser (quoted fields with "" escapes, CRLF records); returns an array of string arrays. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i += 1; continue; }
      field += c; i += 1; continue;
    }
    if (c === '"' && field === '') { quoted = true; i += 1; continue; }
    if (c === ',') { row.push(field); field = ''; i += 1; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
    field += c; i += 1;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** GET with the client's credentials through node:http, to see the raw transfer encoding. */
function rawGet(server, client, urlPath) {
  return new Promise((resolve, reject) => {
    const headers = {};
    if (client.token) headers.authorization = `Bearer ${client.token}`;
    const req = http.get(`${server.baseUrl}${urlPath}`, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function exportRows(client, urlPath) {
  const res = await client.get(urlPath);
  assertStatus(res, 200);
  assert.match(res.contentType, /^text\/csv; charset=utf-8$/);
  const rows = parseCsv(res.text);
  const header = rows.shift();
  return { header, rows, res };
}

test('repairs export: header, chunked, attachment, columns of API.md', async () => {
  const { server } = ctx;
  const manager = await server.bearer('acme', 'manager');
  await repairIn(server, 'COMPLETED');
  const raw = await rawGet(server, manager, `${API}/repairs/export.csv`);
  assert.equal(raw.status, 200);
  assert.equal(raw.headers['transfer-encoding'], 'chunked');
  assert.equal(raw.headers['content-length'], undefined);
  assert.match(raw.headers['content-disposition'], /^attachment; filename="repairs\.csv"$/);
  const rows = parseCsv(raw.text);
  for (const col of ['id', 'customer', 'unit_number', 'status', 'description', 'damage_type', 'priority', 'created_at',
    'repair_date', 'technician', 'cost']) {
    assert.ok(rows[0].includes(col), `column ${col} in ${rows[0]}`);
  }
  assert.ok(raw.text.endsWith('\r\n'));
});

test('HEAD of an export: headers only, and the connection stays usable', async () => {
  const { server } = ctx;
  const manager = await server.bearer('acme', 'manager');
  const text = await new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let data = '';
    socket.on('data', (c) => { data += c; });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.write(`HEAD ${API}/repairs/export.csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${manager.token}\r\n\r\n` +
      'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  });
  const [head, rest] = text.split(/\r\n\r\n/, 2).length ? [text.slice(0, text.indexOf('\r\n\r\n')), text.slice(text.indexOf('\r\n\r\n') + 4)] : [];
  assert.match(head, /^HTTP\/1\.1 200/);
  assert.match(head, /text\/csv/);
  assert.match(rest, /^HTTP\/1\.1 200 OK\r\n/, `the next answer follows the headers at once: ${JSON.stringify(rest.slice(0, 80))}`);
});

test('scope: a customer user exports exactly what its list shows, never another customer\'s rows', async () => {
  const { server } = ctx;
  const c1 = server.customer('acme', 'c1');
  const c2 = server.customer('acme', 'c2');
  await repairIn(server, 'PENDING');
  await repairIn(server, 'PENDING', { customerId: c2.id, approver: await server.bearer('acme', 'c2_approver') });
  const viewer = await server.bearer('acme', 'c1_viewer');
  const listed = await allPages(viewer, `${API}/repairs?page_size=200`);
  const { header, rows } = await exportRows(viewer, `${API}/repairs/export.csv`);
  const id = header.indexOf('id');
  const customer = header.indexOf('customer');
  assert.deepEqual(rows.map((r) => Number(r[id])).sort((a, b) => a - b), listed.map((r) => r.id).sort((a, b) => a - b));
  assert.ok(rows.length > 0);
  for (const r of rows) assert.equal(r[customer], c1.name);
  // ?customer= of another customer never widens the scope.
  const other = await exportRows(viewer, `${API}/repairs/export.csv?customer=${c2.id}`);
  assert.equal(other.rows.length, 0);
  // Another tenant's staff sees none of acme's.
  const globex = await server.bearer('globex', 'manager');
  const g = await exportRows(globex, `${API}/repairs/export.csv`);
  const acmeIds = new Set(listed.map((r) => String(r.id)));
  for (const r of g.rows) assert.ok(!acmeIds.has(r[g.header.indexOf('id')]));
});

test('filters: status, customer and q give the list\'s rows; oldest first; unknown status is 400', async () => {
  const { server } = ctx;
  const manager = await server.bearer('acme', 'manager');
  const c2 = server.customer('acme', 'c2');
  const word = uniq('zebra').replace(/-/g, '');
  await createRepair(manager, { customer_id: c2.id, unit_number: uniq('U'), description: `Crack near ${word}` });
  for (const query of ['status=COMPLETED', `customer=${c2.id}`, `q=${word}`, 'status=PENDING,COMPLETED']) {
    const listed = await allPages(manager, `${API}/repairs?${query}&page_size=200`);
    const { header, rows } = await exportRows(manager, `${API}/repairs/export.csv?${query}`);
    const ids = rows.map((r) => Number(r[header.indexOf('id')]));
    assert.deepEqual([...ids].sort((a, b) => a - b), listed.map((r) => r.id).sort((a, b) => a - b), query);
    const created = rows.map((r) => r[header.indexOf('created_at')]);
    assert.deepEqual(created, [...created].sort(), `oldest first for ${query}`);
  }
  assertProblem(await manager.get(`${API}/repairs/export.csv?status=NOPE`), 400, ['status']);
  assertProblem(await server.client().get(`${API}/repairs/export.csv`), 401);
});

test('quoting and formulas: RFC 4180 and a leading quote for =, +, -, @; UTF-8 kept', async () => {
  const { server } = ctx;
  const manager = await server.bearer('acme', 'manager');
  const c1 = server.customer('acme', 'c1');
  const texts = ['=HYPERLINK("http://evil.test","x")', '+1+1', '-2', '@SUM(A1)', 'a, "quoted"\r\nsecond line', 'Peña José é ñ'];
  const ids = [];
  for (const description of texts) {
    ids.push((await createRepair(manager, { customer_id: c1.id, unit_number: uniq('U'), description })).id);
  }
  const res = await manager.get(`${API}/repairs/export.csv?customer=${c1.id}`);
  assertStatus(res, 200);
  assert.ok(res.text.includes('"\'=HYPERLINK(""http://evil.test"",""x"")"'), 'formula quoted and neutralised');
  const rows = parseCsv(res.text);
  const header = rows.shift();
  const byId = new Map(rows.map((r) => [Number(r[header.indexOf('id')]), r[header.indexOf('description')]]));
  assert.equal(byId.get(ids[0]), `'${texts[0]}`);
  assert.equal(byId.get(ids[1]), "'+1+1");
  assert.equal(byId.get(ids[2]), "'-2");
  assert.equal(byId.get(ids[3]), "'@SUM(A1)");
  assert.equal(byId.get(ids[4]), texts[4]);
  assert.equal(byId.get(ids[5]), texts[5]);
  for (const r of rows) assert.equal(r.length, header.length);
});

test('unit history: every repair of the unit oldest first; another customer\'s unit is 404', async () => {
  const { server } = ctx;
  const manager = await server.bearer('acme', 'manager');
  const c1 = server.customer('acme', 'c1');
  const unitNumber = uniq('HIST');
  const first = await createRepair(manager, { customer_id: c1.id, unit_number: unitNumber, description: 'first' });
  const second = await createRepair(manager, { customer_id: c1.id, unit_id: first.unit_id, description: 'second' });
  const viewer = await server.bearer('acme', 'c1_viewer');
  const { header, rows, res } = await exportRows(viewer, `${API}/units/${first.unit_id}/history.csv`);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="unit-\d+-history\.csv"/);
  assert.deepEqual(rows.map((r) => Number(r[header.indexOf('id')])), [first.id, second.id]);
  const other = await server.bearer('acme', 'c2_viewer');
  assertProblem(await other.get(`${API}/units/${first.unit_id}/history.csv`), 404);
  assertProblem(await viewer.get(`${API}/units/999999/history.csv`), 404);
});

test('figures: stats/repairs.csv has the JSON\'s rows', async () => {
  const { server } = ctx;
  const manager = await server.bearer('acme', 'manager');
  const json = await manager.get(`${API}/stats/repairs`);
  assertStatus(json, 200);
  const { header, rows } = await exportRows(manager, `${API}/stats/repairs.csv`);
  assert.deepEqual(header, ['period', 'count', 'completed', 'cost']);
  assert.deepEqual(rows, json.body.map((f) => [f.period, String(f.count), String(f.completed), f.cost]));
  assertProblem(await manager.get(`${API}/stats/repairs.csv?group_by=week`), 400, ['group_by']);
  for (const bad of ['0', '241', '99999999999']) {
    assertProblem(await manager.get(`${API}/stats/repairs.csv?months=${bad}`), 400, ['months']);
  }
});

function rssKb(pid, field = 'VmRSS') {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)[1]);
}

test('a large export streams in constant memory (RSS recorded)', { timeout: 600_000 }, async (t) => {
  const { server } = ctx;
  const rows = Number(process.env.PORTICO_EXPORT_ROWS ?? 40000);
  const lines = ['work_order_id,created_date,job_type,repair_reason_code,repair_reason_desc,priority_code,work_order_status,asset_id,parent_asset_id,department_id,department_name,shop_location_id,shop_location_name,downtime_hrs_user,downtime_hrs_shop,delay_hours,labor_hours,labor_cost,parts_cost,commercial_cost,total_cost'];
  for (let i = 0; i < rows; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push(`BIG-${i},2022-03-${day},REPAIR,N,NORMAL WEAR (TARGET) with a longer text ${i},${1 + (i % 4)},CLOSED,A${i % 5000},A${i % 5000},0222,BIG DEPARTMENT ${i % 7},2205,SHOP ${i % 3},0.0,0.0,0.0,1.0,110.0,0.0,0.0,110.0`);
  }
  const file = path.join(server.dir, 'big.csv');
  await writeFile(file, lines.join('\n') + '\n');
  await server.stop();
  const imported = await runCli(['import', 'repairs', file, '--tenant', 'acme', '--mapping',
    path.join(REPO_ROOT, 'mappings', 'cincinnati-fleet.toml')], { databaseUrl: server.databaseUrl, timeout: 600_000 });
  assert.equal(imported.code, 0, imported.stderr);
  await server.start();
  const manager = await server.bearer('acme', 'manager');
  await manager.get(`${API}/repairs?page_size=1`);
  const idle = rssKb(server.proc.pid);
  const exportOnce = async () => {
    const t0 = Date.now();
    const raw = await rawGet(server, manager, `${API}/repairs/export.csv`);
    assert.equal(raw.status, 200);
    return { raw, ms: Date.now() - t0, rss: rssKb(server.proc.pid) };
  };
  // The first export warms the database page caches (SQLite: up to 32 MB per pooled connection, whatever
  // the export's size); later ones must not grow the process: one chunk in memory at a time.
  const first = await exportOnce();
  const second = await exportOnce();
  const third = await exportOnce();
  const peak = rssKb(server.proc.pid, 'VmHWM');
  const { raw } = third;
  const count = raw.text.split('\r\n').filter((l) => /^\d+,/.test(l)).length;
  assert.ok(count >= rows, `${count} rows exported`);
  const mb = (kb) => (kb / 1024).toFixed(1);
  const bodyMiB = raw.text.length / 1048576;
  t.diagnostic(`export of ${count} rows (${bodyMiB.toFixed(1)} MiB) in ${first.ms}/${second.ms}/${third.ms} ms; ` +
    `RSS idle ${mb(idle)} MiB, after each export ${mb(first.rss)}/${mb(second.rss)}/${mb(third.rss)} MiB, peak ${mb(peak)} MiB`);
  // Which pooled connection (and so which page cache) serves each chunk varies, so RSS moves by a few MiB
  // between runs; a buffered body would add its whole size per export. The goal: < 64 MB above idle.
  assert.ok((third.rss - first.rss) * 1024 < raw.text.length,
    `RSS grew ${mb(third.rss - first.rss)} MiB over two more exports of a ${bodyMiB.toFixed(1)} MiB body`);
  assert.ok(peak - idle < 64 * 1024, `peak ${mb(peak - idle)} MiB above idle`);
});

test('invoice: 409 before completion; a one-page PDF with the total and Unicode text after', async () => {
  const { server } = ctx;
  const manager = await server.bearer('acme', 'manager');
  const technician = await server.bearer('acme', 'technician');
  const r = await repairIn(server, 'IN_PROGRESS', { extra: { description: 'Peña José: chip in the windshield, ñ é ü' } });
  assertProblem(await manager.get(`${API}/repairs/${r.id}/invoice.pdf`), 409);
  const mat = await technician.post(`${API}/repairs/${r.id}/materials`, { material_type: 'Résine UV', quantity: 2, unit_cost: '7.25' });
  assertStatus(mat, 201);
  // an approved change order is a line of its own and part of the total; a declined one is not there
  const approver = await server.bearer('acme', 'c1_approver');
  const extra = await manager.post(`${API}/repairs/${r.id}/change-orders`, { description: 'Wiper arm replaced', amount: '12.40' });
  assertStatus(extra, 201);
  assertStatus(await approver.post(`${API}/change-orders/${extra.body.id}/decision`, { approved: true }), 200);
  const declined = await manager.post(`${API}/repairs/${r.id}/change-orders`, { description: 'Tinting refused', amount: '99.00' });
  assertStatus(await approver.post(`${API}/change-orders/${declined.body.id}/decision`, { approved: false }), 200);
  const done = await move(technician, r.id, 'COMPLETED');
  assert.equal(done.change_orders_total, '12.40');
  for (const who of ['manager', 'c1_viewer']) {
    const client = await server.bearer('acme', who);
    const res = await fetch(`${server.baseUrl}${API}/repairs/${r.id}/invoice.pdf`, { headers: { authorization: `Bearer ${client.token}` } });
    assert.equal(res.status, 200, who);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'portico-invoice-'));
    try {
      const file = path.join(dir, 'invoice.pdf');
      await writeFile(file, pdf);
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      assert.match(info, /^Pages:\s+1$/m);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      assert.ok(text.includes(done.cost), `total ${done.cost} in the text:\n${text}`);
      assert.ok(text.includes('Peña José'), 'Unicode description');
      assert.ok(text.includes('Résine UV'), 'material line');
      assert.ok(text.includes(`R-${r.id}`), 'invoice number');
      assert.ok(/tier 1/.test(text), 'labour tier');
      assert.ok(text.includes(`Change order #${extra.body.id}: Wiper arm replaced`) && text.includes('12.40'), 'change order line');
      assert.ok(!text.includes('Tinting refused'), 'no declined change order');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  // Another customer's user: 404, not 403.
  const other = await server.bearer('acme', 'c2_viewer');
  assertProblem(await other.get(`${API}/repairs/${r.id}/invoice.pdf`), 404);
});
