// WebSocket benchmark (issue 5), loopback only, bounded in count and time:
//  1. IDLE idle WebSocket connections: the server's RSS before and after (from /proc/PID/status).
//  2. Fan-out: FANOUT of those connections subscribe as the same customer user; the manager moves a
//     repair ROUNDS times; latency from the commit (the HTTP response of the move) to each receipt.
// Usage: node --experimental-websocket bench/ws_bench.mjs URL SERVER_PID COOKIE IDLE_COOKIE TECH_COOKIE TECH_CSRF REPAIR_ID
//        with env IDLE (default 10000) FANOUT (1000) ROUNDS (20). The first FANOUT sockets use COOKIE (a user
//        who sees the repair); the others IDLE_COOKIE (a user of another customer: connected, never woken).
import { readFileSync } from 'node:fs';

const [url, pid, cookie, idleCookie, techCookie, techCsrf, repairId] = process.argv.slice(2);
const IDLE = Number(process.env.IDLE ?? 10000);
const FANOUT = Number(process.env.FANOUT ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 20);
const wsUrl = url.replace(/^http/, 'ws') + '/api/v1/events/ws';
const origin = url;

const rssMb = () => {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
  return Number(m[1]) / 1024;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function open(onMessage, asCookie) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { headers: { Cookie: asCookie, Origin: origin } });
    const t = setTimeout(() => reject(new Error('open timeout')), 30000);
    ws.onopen = () => { clearTimeout(t); resolve(ws); };
    ws.onerror = (e) => { clearTimeout(t); reject(new Error(e.message ?? 'ws error')); };
    if (onMessage) ws.onmessage = onMessage;
  });
}

const before = rssMb();
const sockets = [];
const receipts = new Map(); // round -> array of receive times
let round = -1;
const t0 = Date.now();
for (let i = 0; i < IDLE; i += 200) {
  const batch = [];
  for (let j = i; j < Math.min(IDLE, i + 200); j++) {
    const listen = j < FANOUT;
    batch.push(open(listen ? (m) => {
      const ev = JSON.parse(m.data);
      if (ev.type === 'repair.status_changed' && round >= 0) receipts.get(round).push(performance.now());
    } : null, listen ? cookie : idleCookie));
  }
  sockets.push(...(await Promise.all(batch)));
  if (Date.now() - t0 > 120000) throw new Error('opening took more than 2 minutes');
}
await sleep(2000);
const after = rssMb();

const latencies = [];
let missing = 0;
for (let r = 0; r < ROUNDS; r++) {
  round = r;
  receipts.set(r, []);
  const status = r % 2 === 0 ? 'IN_PROGRESS' : 'APPROVED';
  const res = await fetch(`${url}/api/v1/repairs/${repairId}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Cookie: techCookie, 'X-CSRF-Token': techCsrf },
    body: JSON.stringify({ status }),
  });
  const committed = performance.now();
  if (res.status !== 200) throw new Error(`move ${status}: ${res.status} ${await res.text()}`);
  const deadline = Date.now() + 5000;
  while (receipts.get(r).length < FANOUT && Date.now() < deadline) await sleep(5);
  missing += FANOUT - receipts.get(r).length;
  for (const t of receipts.get(r)) latencies.push(Math.max(0, t - committed));
  await sleep(200);
}
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
console.log(JSON.stringify({
  idle_connections: sockets.length,
  rss_before_mb: Math.round(before),
  rss_after_mb: Math.round(after),
  rss_per_connection_kb: Math.round(((after - before) * 1024) / sockets.length * 10) / 10,
  fanout: FANOUT, rounds: ROUNDS, receipts: latencies.length, missing,
  p50_ms: Math.round(pct(50) * 10) / 10, p99_ms: Math.round(pct(99) * 10) / 10, max_ms: Math.round(pct(100) * 10) / 10,
}));
for (const s of sockets) s.close();
await sleep(500);
process.exit(0);
