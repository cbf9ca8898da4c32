// Helpers for the live-update tests (API.md "Live updates"): long-poll and WebSocket clients, draining the
// event log as one caller sees it, and a raw WebSocket handshake for status codes and abrupt disconnects.
//
// The WebSocket client is Node 20's undici `WebSocket`, available only with --experimental-websocket
// (the project's test command sets NODE_OPTIONS=--experimental-websocket).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import { API, uniq } from './lifecycle_helpers.mjs';
import { assertStatus, RFC3339_UTC } from './harness.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Fails with a clear message when the global WebSocket client is missing (Node 20 needs a flag). */
export function requireWebSocket() {
  assert.equal(typeof globalThis.WebSocket, 'function',
    'no global WebSocket client: run with NODE_OPTIONS=--experimental-websocket (Node 20) or Node >= 22');
}

/** Asserts one event object's shape (API.md: {"id", "type", "occurred_at", "repair_id", "data"}). */
export function assertEventShape(e, where = '') {
  assert.ok(e && typeof e === 'object', `event is an object ${where}: ${JSON.stringify(e)}`);
  assert.ok(Number.isInteger(e.id) && e.id > 0, `event id ${where}: ${JSON.stringify(e)}`);
  assert.equal(typeof e.type, 'string', `event type ${where}: ${JSON.stringify(e)}`);
  assert.match(e.occurred_at, RFC3339_UTC, `event occurred_at ${where}: ${JSON.stringify(e)}`);
  assert.ok(e.repair_id === null || Number.isInteger(e.repair_id), `event repair_id ${where}: ${JSON.stringify(e)}`);
  assert.ok(e.data && typeof e.data === 'object' && !Array.isArray(e.data), `event data ${where}: ${JSON.stringify(e)}`);
}

/** GET /events?after=&wait=; asserts 200 and the page shape; resolves {res, events, last_id, ms}. */
export async function poll(client, after, wait) {
  const q = wait === undefined ? `after=${after}` : `after=${after}&wait=${wait}`;
  const t0 = Date.now();
  const res = await client.get(`${API}/events?${q}`);
  const ms = Date.now() - t0;
  assertStatus(res, 200);
  assert.ok(Array.isArray(res.body?.events), `events array: ${res.summary}`);
  assert.ok(Number.isInteger(res.body.last_id), `last_id: ${res.summary}`);
  for (const e of res.body.events) assertEventShape(e, res.summary.slice(0, 200));
  return { res, events: res.body.events, last_id: res.body.last_id, ms };
}

/** GET /events without `after`: the starting point (newest id of the tenant). */
export async function lastId(client) {
  const res = await client.get(`${API}/events`);
  assertStatus(res, 200);
  assert.deepEqual(res.body?.events, [], `no events without after: ${res.summary}`);
  assert.ok(Number.isInteger(res.body.last_id) && res.body.last_id >= 0, `last_id: ${res.summary}`);
  return res.body.last_id;
}

/**
 * The starting point once asynchronous follow-up events (notification.created, written by a background
 * worker after the write that caused them) have settled: last_id unchanged for 200 ms.
 */
export async function settledLastId(client) {
  let prev = await lastId(client);
  for (let i = 0; i < 25; i++) {
    await sleep(200);
    const next = await lastId(client);
    if (next === prev) return next;
    prev = next;
  }
  return prev;
}

/** drain() once asynchronous follow-up events have settled (two drains 150 ms apart agree). */
export async function settledDrain(client, after) {
  let prev = await drain(client, after);
  for (let i = 0; i < 25; i++) {
    await sleep(150);
    const next = await drain(client, after);
    if (next.length === prev.length) return next;
    prev = next;
  }
  return prev;
}

/** Every event the caller may see after `after`, page by page (wait=0); asserts ascending unique ids. */
export async function drain(client, after = 0) {
  const out = [];
  let cursor = after;
  for (let i = 0; i < 1000; i++) {
    const { events, last_id, res } = await poll(client, cursor);
    if (events.length === 0) {
      assert.equal(last_id, cursor, `last_id stays at after when nothing is newer: ${res.summary}`);
      break;
    }
    assert.equal(last_id, events[events.length - 1].id, `last_id is the last event's id: ${res.summary.slice(0, 300)}`);
    out.push(...events);
    cursor = last_id;
  }
  assertAscendingUnique(out.map((e) => e.id), 'drained events');
  return out;
}

export function assertAscendingUnique(ids, what) {
  for (let i = 1; i < ids.length; i++) {
    assert.ok(ids[i] > ids[i - 1], `${what}: ids strictly ascending, no duplicates (at ${i}: ${ids[i - 1]} then ${ids[i]})`);
  }
}

/** Is the event about an internal note? (the kind a customer user must never receive) */
export const isInternalNote = (e) => e.type === 'repair.note_added' && e.data?.visibility === 'internal';

// ---------------------------------------------------------------------------------------------------
// WebSocket (undici) streams
// ---------------------------------------------------------------------------------------------------

export function wsUrl(server, after) {
  const base = server.baseUrl.replace(/^http/, 'ws');
  return after === undefined ? `${base}${API}/events/ws` : `${base}${API}/events/ws?after=${after}`;
}

/** Credentials of a harness Client as WebSocket handshake headers: bearer, or cookie plus own Origin. */
export function wsHeaders(server, client, { origin } = {}) {
  if (client.token) return { Authorization: `Bearer ${client.token}` };
  const h = { Cookie: client.cookieHeader() };
  const o = origin === undefined ? server.baseUrl : origin;
  if (o !== null) h.Origin = o;
  return h;
}

/**
 * Opens a WebSocket to /events/ws and collects the events it pushes.
 * Resolves once open (rejects if the handshake fails). The returned stream has:
 *   events (parsed frames, in order), closed (promise of {code, reason}), isClosed(),
 *   waitFor(pred, ms) -> resolves when pred(events) is true, rejects on timeout or close,
 *   close().
 */
export async function openStream(server, client, { after, headers, timeoutMs = 5000 } = {}) {
  requireWebSocket();
  const ws = new WebSocket(wsUrl(server, after), { headers: headers ?? wsHeaders(server, client) });
  const stream = {
    ws,
    events: [],
    raw: [],
    closeInfo: null,
    waiters: new Set(),
    isClosed() { return this.closeInfo !== null; },
    close() { try { ws.close(); } catch { /* already closing */ } return this.closed; },
    waitFor(pred, ms = 5000, what = 'events') {
      if (pred(this.events)) return Promise.resolve(this.events);
      return new Promise((resolve, reject) => {
        const w = {
          check: () => {
            if (pred(this.events)) { done(); resolve(this.events); return; }
            if (this.closeInfo) { done(); reject(new Error(`stream closed (${this.closeInfo.code} ${this.closeInfo.reason}) before ${what}; got ${this.events.length} events: ${summarize(this.events)}`)); }
          },
        };
        const timer = setTimeout(() => { done(); reject(new Error(`timed out after ${ms} ms waiting for ${what}; got ${this.events.length} events: ${summarize(this.events)}`)); }, ms);
        const done = () => { clearTimeout(timer); this.waiters.delete(w); };
        this.waiters.add(w);
      });
    },
  };
  const notify = () => { for (const w of [...stream.waiters]) w.check(); };
  stream.closed = new Promise((resolve) => {
    ws.addEventListener('close', (ev) => {
      stream.closeInfo = { code: ev.code, reason: ev.reason };
      resolve(stream.closeInfo);
      notify();
    });
  });
  ws.addEventListener('message', (ev) => {
    stream.raw.push(ev.data);
    let e;
    try { e = JSON.parse(ev.data); } catch { e = { unparsable: String(ev.data) }; }
    stream.events.push(e);
    notify();
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`WebSocket ${wsUrl(server, after)} did not open within ${timeoutMs} ms`)), timeoutMs);
    ws.addEventListener('open', () => { clearTimeout(timer); resolve(); });
    ws.addEventListener('error', () => { clearTimeout(timer); reject(new Error(`WebSocket ${wsUrl(server, after)} failed to open`)); });
  });
  return stream;
}

export function summarize(events) {
  return JSON.stringify(events.slice(-8).map((e) => [e.id, e.type, e.repair_id, e.data?.visibility]));
}

export const hasId = (id) => (events) => events.some((e) => e.id >= id);

// ---------------------------------------------------------------------------------------------------
// Raw WebSocket handshake (status codes, abrupt disconnects)
// ---------------------------------------------------------------------------------------------------

/**
 * Sends a WebSocket upgrade request on a plain TCP socket and reads the response head (and, for a
 * non-101 answer, the body until close or 3 s). Resolves {status, headers, body, sock}; with a 101 the
 * socket stays open (the caller destroys it) and `frames` collects text frames' payloads.
 */
export function rawUpgrade(server, urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(server.port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let head = null;
    const result = { status: null, headers: {}, body: '', sock, frames: [] };
    const finish = () => { if (head === null) reject(new Error(`raw upgrade ${urlPath}: connection closed without a response`)); };
    sock.on('error', () => {});
    sock.on('close', () => { if (head !== null && result.status !== 101) { result.body = buf.toString('utf8'); resolve(result); } finish(); });
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (head === null) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        head = buf.subarray(0, end).toString('latin1');
        buf = buf.subarray(end + 4);
        const lines = head.split('\r\n');
        result.status = Number(lines[0].split(' ')[1]);
        for (const l of lines.slice(1)) {
          const i = l.indexOf(':');
          result.headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
        }
        if (result.status === 101) { resolve(result); } else {
          const len = Number(result.headers['content-length'] ?? NaN);
          const check = () => { if (!Number.isNaN(len) && buf.length >= len) { result.body = buf.subarray(0, len).toString('utf8'); sock.destroy(); resolve(result); } };
          check();
          setTimeout(() => { result.body = buf.toString('utf8'); sock.destroy(); resolve(result); }, 3000).unref();
          result._check = check;
        }
        if (result.status === 101) parseFrames();
        return;
      }
      if (result.status === 101) parseFrames();
      else result._check?.();
    });
    // Server frames are unmasked; collects text payloads (enough for a smoke check).
    function parseFrames() {
      for (;;) {
        if (buf.length < 2) return;
        let len = buf[1] & 0x7f;
        let off = 2;
        if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; } else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); off = 10; }
        if (buf.length < off + len) return;
        const op = buf[0] & 0x0f;
        if (op === 1) result.frames.push(buf.subarray(off, off + len).toString('utf8'));
        buf = buf.subarray(off + len);
      }
    }
    const key = crypto.randomBytes(16).toString('base64');
    const h = {
      Host: `127.0.0.1:${server.port}`,
      Upgrade: 'websocket',
      Connection: 'Upgrade',
      'Sec-WebSocket-Key': key,
      'Sec-WebSocket-Version': '13',
      ...headers,
    };
    const lines = [`GET ${urlPath} HTTP/1.1`, ...Object.entries(h).map(([k, v]) => `${k}: ${v}`), '', ''];
    sock.write(lines.join('\r\n'));
    setTimeout(() => { if (head === null) { sock.destroy(); reject(new Error(`raw upgrade ${urlPath}: no response head within 5 s`)); } }, 5000).unref();
  });
}

/** The value of portico_websocket_connections in GET /metrics. */
export async function wsGauge(server) {
  const res = await server.client().get('/metrics');
  assertStatus(res, 200);
  const m = /^portico_websocket_connections(?:\{[^}]*\})?\s+(\S+)\s*$/m.exec(res.text);
  assert.ok(m, `portico_websocket_connections in /metrics:\n${res.text.slice(0, 2000)}`);
  return Number(m[1]);
}

/** Polls `fn` until it returns a truthy value or `ms` passes; resolves the last value. */
export async function eventually(fn, ms = 5000, step = 50) {
  const deadline = Date.now() + ms;
  let v;
  for (;;) {
    v = await fn();
    if (v || Date.now() > deadline) return v;
    await sleep(step);
  }
}

// ---------------------------------------------------------------------------------------------------
// Writes that produce events
// ---------------------------------------------------------------------------------------------------

/** POST a note; asserts 201; returns the note. */
export async function addNote(client, repairId, visibility, body = uniq(`note-${visibility}`)) {
  const res = await client.post(`${API}/repairs/${repairId}/notes`, { body, visibility });
  assertStatus(res, 201);
  return res.body;
}

/** Adds `n` notes to one repair with `concurrency` requests in flight; returns the elapsed ms. */
export async function addManyNotes(client, repairId, n, { visibility = 'internal', concurrency = 8 } = {}) {
  const t0 = Date.now();
  let i = 0;
  const worker = async () => {
    while (i < n) {
      const k = i++;
      const res = await client.post(`${API}/repairs/${repairId}/notes`, { body: `bulk ${k}`, visibility });
      if (res.status !== 201) throw new Error(`bulk note ${k}: ${res.summary}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Date.now() - t0;
}
