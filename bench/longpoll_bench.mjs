// Long-poll benchmark (issue 5): WAITERS clients wait on GET /api/v1/events?after=<last>&wait=30; the
// server's RSS is read while they wait; then one commit answers them all: latency from the commit (the
// move's HTTP response) to each answer. Usage: node bench/longpoll_bench.mjs URL PID COOKIE TECH_COOKIE TECH_CSRF REPAIR_ID
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [url, pid, cookie, techCookie, techCsrf, repairId] = process.argv.slice(2);
const WAITERS = Number(process.env.WAITERS ?? 1000);
const rssMb = () => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const agent = new http.Agent({ keepAlive: true, maxSockets: WAITERS + 10 });

function get(path, headers) {
  return new Promise((resolve, reject) => {
    const req = http.get(url + path, { agent, headers }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body, at: performance.now() }));
    });
    req.on('error', reject);
  });
}

const start = JSON.parse((await get('/api/v1/events', { Cookie: cookie })).body).last_id;
const before = rssMb();
const pending = [];
for (let i = 0; i < WAITERS; i++) pending.push(get(`/api/v1/events?after=${start}&wait=30`, { Cookie: cookie }));
await sleep(3000);
const during = rssMb();
const current = await (await fetch(`${url}/api/v1/repairs/${repairId}`, { headers: { Cookie: techCookie } })).json();
const status = current.status === 'APPROVED' ? 'IN_PROGRESS' : 'APPROVED';
const res = await fetch(`${url}/api/v1/repairs/${repairId}/status`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', Cookie: techCookie, 'X-CSRF-Token': techCsrf },
  body: JSON.stringify({ status }),
});
const committed = performance.now();
const answers = await Promise.all(pending);
const lat = answers.map((a) => a.at - committed).sort((a, b) => a - b);
const withEvents = answers.filter((a) => a.status === 200 && JSON.parse(a.body).events.length > 0).length;
const pct = (p) => Math.round(lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] * 10) / 10;
console.log(JSON.stringify({
  waiters: WAITERS, move_status: res.status, answered_with_event: withEvents,
  rss_before_mb: Math.round(before), rss_waiting_mb: Math.round(during),
  rss_per_waiter_kb: Math.round(((during - before) * 1024) / WAITERS * 10) / 10,
  p50_ms: pct(50), p99_ms: pct(99),
}));
agent.destroy();
