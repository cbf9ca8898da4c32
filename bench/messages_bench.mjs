// Conversations benchmark (issue 11), loopback only: a seeded server (tests/api harness, SQLite),
//  1. wrk (-t2 -c16, SECONDS each) posting messages into one internal channel, then GET /healthz: req/s and
//     the ratio (the same server, one run).
//  2. READERS WebSocket readers of that channel (the technician's session); ROUNDS messages posted one after
//     the other; the time from each post's HTTP response to each reader's receipt of its message.created.
// Usage: node --experimental-websocket bench/messages_bench.mjs  (env SECONDS=5 READERS=200 ROUNDS=30,
// PORTICO_BIN as for the API tests)
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, stopServer } from '../tests/api/harness.mjs';

const SECONDS = Number(process.env.SECONDS ?? 5);
const READERS = Number(process.env.READERS ?? 200);
const ROUNDS = Number(process.env.ROUNDS ?? 30);
const here = path.dirname(fileURLToPath(import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Asynchronous: the harness reads the server's log through a pipe, which must keep draining meanwhile.
async function wrk(url, script, env = {}) {
  const args = ['-t2', '-c16', `-d${SECONDS}s`, '--latency'];
  if (script) args.push('-s', path.join(here, 'lua', script));
  const { stdout: out } = await promisify(execFile)('wrk', [...args, url], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (process.env.VERBOSE) console.log(out);
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
  const p50 = out.match(/50%\s+(\S+)/)[1];
  const p99 = out.match(/99%\s+(\S+)/)[1];
  const non2xx = out.match(/Non-2xx or 3xx responses: (\d+)/);
  return { rps, p50, p99, errors: non2xx ? Number(non2xx[1]) : 0 };
}

const pct = (a, p) => a[Math.min(a.length - 1, Math.floor((a.length * p) / 100))];

const server = await startServer();
try {
  const admin = await server.bearer('acme', 'admin');
  const ch = (await admin.post('/api/v1/channels', { kind: 'internal', name: 'bench' })).body;
  const token = admin.token;
  const post = await wrk(`${server.baseUrl}/`, 'post_message.lua', { TOKEN: token, CHANNEL: String(ch.id) });
  const health = await wrk(`${server.baseUrl}/healthz`);
  console.log(`post message: ${post.rps.toFixed(0)} req/s p50 ${post.p50} p99 ${post.p99} (non-2xx ${post.errors})`);
  console.log(`healthz:      ${health.rps.toFixed(0)} req/s p50 ${health.p50} p99 ${health.p99}`);
  console.log(`ratio post/healthz: ${(post.rps / health.rps).toFixed(3)}`);

  const tech = await server.login('acme', 'technician');
  const cookie = tech.cookieHeader();
  const last = (await tech.get('/api/v1/events')).body.last_id;
  const pending = new Map(); // message id -> {sentAt, got: []}
  const early = new Map();   // message id -> receipt times that arrived before the POST answered
  const sockets = [];
  for (let i = 0; i < READERS; i++) {
    const ws = new WebSocket(`${server.baseUrl.replace(/^http/, 'ws')}/api/v1/events/ws?after=${last}`,
      { headers: { Cookie: cookie, Origin: server.baseUrl } });
    ws.onmessage = (m) => {
      const now = performance.now();
      const e = JSON.parse(m.data);
      if (e.type !== 'message.created') return;
      const id = e.data.message_id;
      const p = pending.get(id);
      if (p) p.got.push(now);
      else early.set(id, [...(early.get(id) ?? []), now]);
    };
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
    sockets.push(ws);
  }
  await sleep(500);
  const latencies = [];
  let missing = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const res = await admin.post(`/api/v1/channels/${ch.id}/messages`, { body: `round ${r}` });
    const sentAt = performance.now();
    const id = res.body.id;
    const entry = { sentAt, got: early.get(id) ?? [] };
    pending.set(id, entry);
    const deadline = Date.now() + 5000;
    while (entry.got.length < READERS && Date.now() < deadline) await sleep(5);
    missing += READERS - entry.got.length;
    for (const t of entry.got) latencies.push(Math.max(0, t - sentAt));
  }
  latencies.sort((a, b) => a - b);
  console.log(`fan-out: ${READERS} readers x ${ROUNDS} posts: ${latencies.length} receipts, missing ${missing}, ` +
    `p50 ${pct(latencies, 50).toFixed(1)} ms p99 ${pct(latencies, 99).toFixed(1)} ms max ${latencies[latencies.length - 1].toFixed(1)} ms`);
  for (const ws of sockets) ws.close();
} finally {
  await stopServer(server);
}
