// Crash test (issue 15): a mixed write load against the real binary, SIGKILLed at random moments (6
// times), restarted on the same database each time. After every restart: each acknowledged write is
// there (a move still in flight at the kill may or may not be), the maintained counters equal counts
// over the rows (repair_counts per customer and status, units' repair counts, repairs' material totals),
// and each repair's log is one chain of allowed moves ending at its status.
//
// The database is the one the harness created (server.databaseUrl): SQLite (read with the sqlite3
// command) or, when the harness runs on PostgreSQL, PostgreSQL (psql).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, stopServer, Client } from './harness.mjs';

const KILLS = 6;
const WORKERS = 6;

/** The transition table of PRODUCT.md: from -> statuses a move may reach (null: creation). */
const MOVES = {
  null: ['REQUESTED', 'PENDING'],
  REQUESTED: ['APPROVED', 'DENIED', 'CANCELLED'],
  PENDING: ['APPROVED', 'DENIED', 'CANCELLED'],
  APPROVED: ['IN_PROGRESS', 'CANCELLED'],
  IN_PROGRESS: ['APPROVED', 'COMPLETED', 'CANCELLED'],
  DENIED: [], COMPLETED: [], CANCELLED: [],
};
const FINAL = new Set(['DENIED', 'COMPLETED', 'CANCELLED']);

/** Runs one SELECT on the server's database; resolves the rows as objects. */
function query(url, sql) {
  let cmd;
  let args;
  if (url.startsWith('sqlite://')) {
    cmd = 'sqlite3';
    args = ['-json', '-cmd', '.timeout 5000', url.slice('sqlite://'.length), sql];
  } else if (/^postgres(ql)?:\/\//.test(url)) {
    cmd = 'psql';
    args = [url, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', `SELECT COALESCE(json_agg(t), '[]') FROM (${sql}) t`];
  } else {
    throw new Error(`crash test: no query tool for ${url}`);
  }
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) { reject(new Error(`${cmd}: ${err.message}\n${stderr}`)); return; }
      resolve(stdout.trim() ? JSON.parse(stdout) : []);
    });
  });
}

const rand = (n) => Math.floor(Math.random() * n);
const pick = (xs) => xs[rand(xs.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server;
after(async () => { await stopServer(server); });

test('SIGKILL under a mixed write load loses no acknowledged write and leaves counters and logs consistent', { timeout: 120_000 }, async (t) => {
  server = await startServer();
  const tokens = {};
  for (const key of ['manager', 'technician', 'c1_approver', 'c2_approver', 'c1_requester']) {
    await server.bearer('acme', key);
    tokens[key] = server._tokens.get(`acme/${key}`);
  }
  const customers = { c1: server.customer('acme', 'c1').id, c2: server.customer('acme', 'c2').id };
  const repairs = new Map(); // id -> {id, customer, status (acknowledged), inflight (target or null)}
  const notes = new Set();
  const materials = new Set();
  let acknowledged = 0;

  /** One worker: its own repairs, moved one request at a time, until the server dies. */
  const mines = Array.from({ length: WORKERS }, () => []); // each worker's repairs, kept across rounds
  async function worker(w, clients, state) {
    const mine = mines[w];
    while (!state.dead) {
      try {
        const open = mine.filter((r) => !FINAL.has(r.status) && r.inflight === null);
        const roll = rand(100);
        if (open.length < 3 || roll < 25) {
          const ck = pick(['c1', 'c2']);
          const byCustomer = ck === 'c1' && roll % 2 === 0;
          const client = byCustomer ? clients.c1_requester : clients.manager;
          const res = await client.post('/api/v1/repairs', {
            customer_id: customers[ck], unit_number: `CRASH-${ck}-${rand(4)}`, description: `crash load ${w}`,
          });
          if (res.status === 201) {
            const r = { id: res.body.id, customer: ck, status: res.body.status, inflight: null };
            assert.equal(r.status, byCustomer ? 'REQUESTED' : 'PENDING', res.summary);
            repairs.set(r.id, r);
            mine.push(r);
            acknowledged++;
          }
          continue;
        }
        const r = pick(open);
        if (roll < 35) {
          const res = await clients.manager.post(`/api/v1/repairs/${r.id}/notes`, { body: `note ${w}`, visibility: 'internal' });
          if (res.status === 201) { notes.add(res.body.id); acknowledged++; }
          continue;
        }
        if (roll < 42) {
          const res = await clients.manager.post(`/api/v1/repairs/${r.id}/materials`, { material_type: 'resin', quantity: 1 + rand(3), unit_cost: '2.50' });
          if (res.status === 201) { materials.add(res.body.id); acknowledged++; }
          continue;
        }
        let client;
        let path = `/api/v1/repairs/${r.id}/status`;
        let body;
        let target;
        if (roll < 47) {
          target = 'CANCELLED';
          client = clients.manager;
          body = { status: target, notes: 'crash test cancels' };
        } else if (r.status === 'PENDING') {
          const approved = roll % 5 !== 0;
          target = approved ? 'APPROVED' : 'DENIED';
          client = clients[`${r.customer}_approver`];
          path = `/api/v1/repairs/${r.id}/approval`;
          body = { approved, notes: 'decided under load' };
        } else if (r.status === 'REQUESTED') {
          target = roll % 6 === 0 ? 'DENIED' : 'APPROVED';
          client = clients.manager;
          body = { status: target, notes: 'accepted or denied under load' };
        } else if (r.status === 'APPROVED') {
          target = 'IN_PROGRESS';
          client = clients.technician;
          body = { status: target };
        } else {
          target = roll % 4 === 0 ? 'APPROVED' : 'COMPLETED';
          client = clients.technician;
          body = { status: target };
        }
        r.inflight = target;
        const res = await client.post(path, body);
        if (res.status === 200) {
          assert.equal(res.body.status, target, res.summary);
          r.status = target;
          acknowledged++;
        } else {
          assert.ok([409].includes(res.status), `only a conflict may refuse a move here: ${res.summary}`);
        }
        r.inflight = null;
      } catch (e) {
        if (!state.dead) throw e;
        return; // the server was killed under this request: its outcome is unknown (inflight stays set)
      }
    }
  }

  async function verify(round) {
    const url = server.databaseUrl;
    const rows = new Map((await query(url, 'SELECT id, status FROM repairs')).map((r) => [Number(r.id), r.status]));
    for (const r of repairs.values()) {
      const status = rows.get(r.id);
      assert.ok(status !== undefined, `round ${round}: acknowledged repair ${r.id} is missing`);
      const ok = status === r.status || (r.inflight !== null && status === r.inflight);
      assert.ok(ok, `round ${round}: repair ${r.id} is ${status}; acknowledged ${r.status}${r.inflight ? `, in flight ${r.inflight}` : ''}`);
      r.status = status;
      r.inflight = null;
    }
    const noteIds = new Set((await query(url, 'SELECT id FROM notes')).map((n) => Number(n.id)));
    for (const id of notes) assert.ok(noteIds.has(id), `round ${round}: acknowledged note ${id} is missing`);
    const materialIds = new Set((await query(url, 'SELECT id FROM materials')).map((m) => Number(m.id)));
    for (const id of materials) assert.ok(materialIds.has(id), `round ${round}: acknowledged material ${id} is missing`);

    // repair_counts (kept by triggers) against a count over the rows.
    const kept = await query(url, 'SELECT customer_id, status, n FROM repair_counts WHERE n <> 0 ORDER BY customer_id, status');
    const counted = await query(url, 'SELECT customer_id, status, COUNT(*) AS n FROM repairs GROUP BY customer_id, status ORDER BY customer_id, status');
    const norm = (xs) => xs.map((x) => `${x.customer_id}/${x.status}=${Number(x.n)}`);
    assert.deepEqual(norm(kept), norm(counted), `round ${round}: repair_counts differ from the rows`);

    // Units' repair counts: completed repairs since the unit was last replaced (none is replaced here).
    const units = await query(url, `SELECT u.id, u.repair_count,
        (SELECT COUNT(*) FROM repairs r WHERE r.unit_id = u.id AND r.status = 'COMPLETED') AS completed
      FROM units u WHERE u.replaced_at IS NULL`);
    for (const u of units) {
      assert.equal(Number(u.repair_count), Number(u.completed), `round ${round}: unit ${u.id} repair_count ${u.repair_count}, ${u.completed} completed repairs`);
    }
    // Repairs' material totals (whole quantities here, so exact).
    const totals = await query(url, `SELECT r.id, r.materials_cents,
        (SELECT COALESCE(SUM(CAST(m.quantity * m.unit_cost_cents AS INTEGER)), 0) FROM materials m WHERE m.repair_id = r.id) AS summed
      FROM repairs r`);
    for (const t of totals) {
      assert.equal(Number(t.materials_cents), Number(t.summed), `round ${round}: repair ${t.id} materials_cents`);
    }

    // Each repair's log: one chain from creation through allowed moves to its current status.
    const log = await query(url, 'SELECT repair_id, previous_status, new_status FROM repair_log ORDER BY repair_id, id');
    const chains = new Map();
    for (const e of log) {
      const id = Number(e.repair_id);
      if (!chains.has(id)) chains.set(id, []);
      chains.get(id).push(e);
    }
    for (const [id, status] of rows) {
      const chain = chains.get(id) ?? [];
      assert.ok(chain.length > 0, `round ${round}: repair ${id} has no log`);
      let at = null;
      for (const e of chain) {
        assert.equal(e.previous_status ?? null, at, `round ${round}: repair ${id} log breaks the chain: ${JSON.stringify(chain)}`);
        assert.ok(MOVES[at].includes(e.new_status), `round ${round}: repair ${id} log has a move ${at} -> ${e.new_status} the table does not allow`);
        at = e.new_status;
      }
      assert.equal(at, status, `round ${round}: repair ${id} log ends at ${at}, the repair is ${status}`);
    }
  }

  // Before the first kill: repairs taken through the whole workflow, so completions (and unit counts)
  // are in the data however slow the machine makes the load.
  {
    const c = Object.fromEntries(Object.entries(tokens).map(([k, tok]) => [k, new Client(server.baseUrl, { token: tok })]));
    for (let i = 0; i < 3; i++) {
      const ck = i % 2 ? 'c2' : 'c1';
      const made = await c.manager.post('/api/v1/repairs', { customer_id: customers[ck], unit_number: `CRASH-${ck}-0`, description: 'warm-up' });
      assert.equal(made.status, 201, made.summary);
      const r = { id: made.body.id, customer: ck, status: 'PENDING', inflight: null };
      repairs.set(r.id, r);
      for (const [client, p, body, status] of [
        [c[`${ck}_approver`], 'approval', { approved: true }, 'APPROVED'],
        [c.technician, 'status', { status: 'IN_PROGRESS' }, 'IN_PROGRESS'],
        [c.technician, 'status', { status: 'COMPLETED' }, 'COMPLETED'],
      ]) {
        const res = await client.post(`/api/v1/repairs/${r.id}/${p}`, body);
        assert.equal(res.status, 200, res.summary);
        r.status = status;
      }
      acknowledged += 4;
    }
  }

  for (let round = 1; round <= KILLS; round++) {
    const state = { dead: false };
    const clients = Object.fromEntries(Object.entries(tokens).map(([k, t]) => [k, new Client(server.baseUrl, { token: t })]));
    const load = Array.from({ length: WORKERS }, (_, w) => worker(w, clients, state));
    await sleep(500 + rand(1500));
    state.dead = true;
    server.proc.kill('SIGKILL');
    const exit = await server.exited;
    assert.equal(exit.signal, 'SIGKILL', `round ${round}: the server died of the kill, not before it`);
    await Promise.all(load);
    await server.start();
    await verify(round);
  }
  const byStatus = {};
  for (const r of repairs.values()) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  t.diagnostic(`${KILLS} kills; ${acknowledged} acknowledged writes; ${repairs.size} repairs ${JSON.stringify(byStatus)}; ${notes.size} notes, ${materials.size} materials`);
  assert.ok(acknowledged > 30, `the load made enough writes to mean something (${acknowledged})`);
  assert.ok([...repairs.values()].some((r) => r.status === 'COMPLETED'), 'some repairs completed (unit counts were exercised)');
});
