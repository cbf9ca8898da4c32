// Issue 8: the time from a status change made through instance A to its receipt on a WebSocket connected
// to instance B (both on one PostgreSQL: LISTEN/NOTIFY wakes B). Sequential moves (claim/release of one
// repair), each waited for (5 s at most, else counted missing). Prints one JSON line. Loopback only.
// node --experimental-websocket bench/cross_instance.mjs URL_A URL_B POLICE_CUSTOMER_ID [ROUNDS]
const [urlA, urlB, police, roundsArg] = process.argv.slice(2);
const ROUNDS = Number(roundsArg ?? 200);

async function login(url, email) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'bench', email, password: 'bench-password-1' }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  const { csrf_token: csrf } = await res.json();
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const post = async (path, json) => {
    const r = await fetch(`${url}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf }, body: JSON.stringify(json),
    });
    return { status: r.status, body: await r.json() };
  };
  return { cookie, post };
}
const pct = (xs, p) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 10) / 10;
};

const manager = await login(urlA, 'manager@bench.test');
const tech = await login(urlA, 'tech@bench.test');
const customerA = await login(urlA, 'police@bench.test');
const watcher = await login(urlB, 'police@bench.test');
const created = await manager.post('/api/v1/repairs', { customer_id: Number(police), unit_number: 'XI-1', description: 'cross-instance' });
if (created.status !== 201) throw new Error(`create ${created.status}`);
const id = created.body.id;
if ((await customerA.post(`/api/v1/repairs/${id}/approval`, { approved: true })).status !== 200) throw new Error('approve');

let waiting = null;
const ws = new WebSocket(urlB.replace(/^http/, 'ws') + '/api/v1/events/ws', { headers: { Cookie: watcher.cookie, Origin: urlB } });
await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error('ws error')); });
ws.onmessage = (m) => {
  const ev = JSON.parse(m.data);
  if (ev.type === 'repair.status_changed' && ev.repair_id === id && waiting && ev.data?.status === waiting.status) {
    waiting.resolve(performance.now());
  }
};
await new Promise((r) => setTimeout(r, 500));
const fromReq = [];
const fromRes = [];
let missing = 0;
for (let r = 0; r < ROUNDS; r++) {
  const status = r % 2 === 0 ? 'IN_PROGRESS' : 'APPROVED';
  let resolve;
  const got = new Promise((res) => { resolve = res; });
  waiting = { status, resolve };
  const t0 = performance.now();
  const moved = await tech.post(`/api/v1/repairs/${id}/status`, { status });
  const t1 = performance.now();
  if (moved.status !== 200) throw new Error(`move ${moved.status} ${JSON.stringify(moved.body)}`);
  const at = await Promise.race([got, new Promise((res) => setTimeout(() => res(null), 5000))]);
  waiting = null;
  if (at === null) { missing += 1; continue; }
  fromReq.push(at - t0);
  fromRes.push(at - t1);
}
ws.close();
console.log(JSON.stringify({
  rounds: ROUNDS, missing,
  request_to_receipt_ms: { p50: pct(fromReq, 50), p90: pct(fromReq, 90), p99: pct(fromReq, 99), max: pct(fromReq, 100) },
  commit_to_receipt_ms: { p50: pct(fromRes, 50), p99: pct(fromRes, 99) },
}));
process.exit(0);
