// Issue 14: webhook deliveries per second to a local receiver and the time from commit to delivery.
// node bench/webhook_bench.mjs URL POLICE_CUSTOMER_ID [MOVES] [ENDPOINTS] [CONCURRENCY] [PACED]
// Logs in as admin/manager/tech/police@bench.test (password bench-password-1), creates 20 repairs and has
// them approved, starts a receiver on 127.0.0.1 and ENDPOINTS webhooks to it (repair.status_changed).
// Throughput: a burst of MOVES claim/release status moves from CONCURRENCY clients (one move in flight per
// repair); deliveries/s while the backlog drains (first to last receipt). The k-th delivery of a repair to
// an endpoint answers the k-th move of that repair (one endpoint's deliveries go in order).
// Latency: PACED moves one at a time, each waited for at every endpoint (no backlog): from the move's
// response (the commit is before it: a lower bound) and from its request (an upper bound) to the receipt.
// Prints one JSON line. Loopback only.
import http from 'node:http';

const [url, police, movesArg, endpointsArg, concArg] = process.argv.slice(2);
const MOVES = Number(movesArg ?? 2000);
const ENDPOINTS = Number(endpointsArg ?? 1);
const CONC = Number(concArg ?? 8);
const PACED = Number(process.argv[7] ?? 100);
const REPAIRS = Math.max(20, CONC);

async function login(email) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'bench', email, password: 'bench-password-1' }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  const body = await res.json();
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async (method, path, json) => {
    const r = await fetch(`${url}${path}`, {
      method, headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': body.csrf_token },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
}

const pct = (xs, p) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 10) / 10;
};

const admin = await login('admin@bench.test');
const manager = await login('manager@bench.test');
const tech = await login('tech@bench.test');
const customer = await login('police@bench.test');

const ids = [];
for (let i = 0; i < REPAIRS; i++) {
  const r = await manager('POST', '/api/v1/repairs', { customer_id: Number(police), unit_number: `WH-${i}`, description: `webhook bench ${i}` });
  if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
  const a = await customer('POST', `/api/v1/repairs/${r.body.id}/approval`, { approved: true });
  if (a.status !== 200) throw new Error(`approve: ${a.status}`);
  ids.push(r.body.id);
}
const idSet = new Set(ids);

// Receiver: per endpoint path and repair, the receipt times in order.
const got = new Map();  // `${path}|${repair}` -> [ms]
let received = 0;
let firstAt = 0;
let lastAt = 0;
const srv = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const at = performance.now();
    res.writeHead(204).end();
    const ev = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (ev.type !== 'repair.status_changed' || !idSet.has(ev.repair_id)) return;
    const key = `${req.url}|${ev.repair_id}`;
    if (!got.has(key)) got.set(key, []);
    got.get(key).push(at);
    received += 1;
    if (!firstAt) firstAt = at;
    lastAt = at;
  });
});
srv.keepAliveTimeout = 60_000;
await new Promise((r) => srv.listen(0, '127.0.0.1', r));
const hooks = [];
for (let e = 0; e < ENDPOINTS; e++) {
  const h = await admin('POST', '/api/v1/webhooks', { url: `http://127.0.0.1:${srv.address().port}/e${e}`, events: ['repair.status_changed'] });
  if (h.status !== 201) throw new Error(`webhook: ${h.status} ${JSON.stringify(h.body)}`);
  hooks.push(h.body.id);
}

// Moves: CONC clients, each owns repairs i % CONC == client, one move in flight per repair.
const sent = new Map();  // repair -> [{req, res}]
const state = new Map(ids.map((id) => [id, 'APPROVED']));
let done = 0;
let conflicts = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: CONC }, async (_, c) => {
  const mine = ids.filter((_, i) => i % CONC === c);
  let k = 0;
  while (done < MOVES) {
    const id = mine[k++ % mine.length];
    const to = state.get(id) === 'APPROVED' ? 'IN_PROGRESS' : 'APPROVED';
    done += 1;
    const req = performance.now();
    const r = await tech('POST', `/api/v1/repairs/${id}/status`, { status: to });
    const resAt = performance.now();
    if (r.status !== 200) { conflicts += 1; continue; }
    state.set(id, to);
    if (!sent.has(id)) sent.set(id, []);
    sent.get(id).push({ req, res: resAt });
  }
}));
const movesSecs = (performance.now() - t0) / 1000;
const expected = [...sent.values()].reduce((s, v) => s + v.length, 0) * ENDPOINTS;
const deadline = performance.now() + 120_000;
while (received < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
const drainSecs = (lastAt - firstAt) / 1000;
const burstReceived = received;
const burstQueueMs = [];
for (const [id, moves] of sent) {
  for (let e = 0; e < ENDPOINTS; e++) {
    const times = got.get(`/e${e}|${id}`) ?? [];
    moves.forEach((m, k) => { if (times[k] !== undefined) burstQueueMs.push(times[k] - m.res); });
  }
}
// Paced: one move at a time on the first repair, waited for at every endpoint.
const fromRes = [];
const fromReq = [];
let pacedMissing = 0;
const pid = ids[0];
for (let r = 0; r < PACED; r++) {
  const to = state.get(pid) === 'APPROVED' ? 'IN_PROGRESS' : 'APPROVED';
  const before = ENDPOINTS === 0 ? 0 : Array.from({ length: ENDPOINTS }, (_, e) => (got.get(`/e${e}|${pid}`) ?? []).length);
  const req = performance.now();
  const m = await tech('POST', `/api/v1/repairs/${pid}/status`, { status: to });
  const res = performance.now();
  if (m.status !== 200) throw new Error(`paced move ${m.status}`);
  state.set(pid, to);
  const until = performance.now() + 10_000;
  for (let e = 0; e < ENDPOINTS; e++) {
    const key = `/e${e}|${pid}`;
    while ((got.get(key) ?? []).length <= before[e] && performance.now() < until) await new Promise((r2) => setTimeout(r2, 1));
    const at = (got.get(key) ?? [])[before[e]];
    if (at === undefined) { pacedMissing += 1; continue; }
    fromRes.push(at - res);
    fromReq.push(at - req);
  }
}
for (const h of hooks) await admin('DELETE', `/api/v1/webhooks/${h}`);
srv.closeAllConnections?.();
srv.close();
console.log(JSON.stringify({
  moves: expected / ENDPOINTS, endpoints: ENDPOINTS, concurrency: CONC, conflicts,
  moves_per_s: Math.round((expected / ENDPOINTS) / movesSecs),
  burst_deliveries: burstReceived, expected,
  deliveries_per_s: Math.round(burstReceived / drainSecs),
  burst_commit_to_delivery_ms: { p50: pct(burstQueueMs, 50), p99: pct(burstQueueMs, 99) },
  paced: PACED, paced_missing: pacedMissing,
  paced_commit_to_delivery_ms: { p50: pct(fromRes, 50), p90: pct(fromRes, 90), p99: pct(fromRes, 99), max: pct(fromRes, 100) },
  paced_request_to_delivery_ms: { p50: pct(fromReq, 50), p99: pct(fromReq, 99) },
}));
