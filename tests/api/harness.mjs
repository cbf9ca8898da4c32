// Black-box harness for the Portico HTTP API tests.
//
// Each test file calls `useServer()` at its top level: a fresh `portico serve` runs in its own temporary
// directory with its own SQLite database, seeded through the CLI (CLI.md) with two tenants, and is stopped
// with SIGTERM (and must exit 0) after the file's tests. No dependencies: Node 20's fetch, node:test,
// node:child_process.
//
// Environment:
//   PORTICO_BIN        the binary (default: build/portico under the repository root)
//   PORTICO_KEEP_TMP=1 keep the temporary directories (database, server log) for inspection
//   PORTICO_TEST_DATABASE=postgres  run every server and CLI on a new PostgreSQL database (CREATE DATABASE
//                      on the cluster at PORTICO_TEST_PG_URL, e.g. from scripts/pg-cluster.sh) instead of
//                      a new SQLite file
//   PORTICO_FUZZ_RECORD=DIR  append every request with a JSON body to DIR/requests-PID.jsonl (method, path,
//                      body) for the fuzz seeds (fuzz/make_seeds.mjs)
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { appendFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.PORTICO_BIN
  ? path.resolve(process.env.PORTICO_BIN)
  : path.join(REPO_ROOT, 'build', 'portico');

/** The password every seeded user gets (at least 10 characters, API.md users rule). */
export const PASSWORD = 'correct-horse-battery';

const STARTUP_TIMEOUT_MS = 15_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

/** Environment for the CLI and the server: fast password hashing, no stray PORTICO_* settings. */
function childEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('PORTICO_')) env[k] = v;
  }
  env.PORTICO_PASSWORD_HASH = 'min';
  return env;
}

/** A port that was free a moment ago (listen on 0, read it, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** True when the tests run on PostgreSQL (PORTICO_TEST_DATABASE=postgres). */
export const ON_POSTGRES = process.env.PORTICO_TEST_DATABASE === 'postgres';
let databaseCounter = 0;

/** Runs psql against `url` with one SQL command; resolves its stdout. */
export function psql(url, sql) {
  return new Promise((resolve, reject) => {
    execFile('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`psql ${sql}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/**
 * A new, empty database: the SQLite file `dir/NAME.db`, or with PORTICO_TEST_DATABASE=postgres a new
 * database (unique name) on the cluster at PORTICO_TEST_PG_URL. Resolves its URL for --database.
 */
export async function freshDatabaseUrl(dir, name = 'portico') {
  if (!ON_POSTGRES) return `sqlite://${path.join(dir, `${name}.db`)}`; // sqlite:///abs/path.db
  const base = process.env.PORTICO_TEST_PG_URL;
  if (!base) throw new Error('PORTICO_TEST_DATABASE=postgres needs PORTICO_TEST_PG_URL (scripts/pg-cluster.sh start DIR)');
  const db = `t_${name.replace(/\W/g, '_')}_${process.pid}_${++databaseCounter}_${Math.random().toString(36).slice(2, 8)}`;
  await psql(base, `CREATE DATABASE ${db}`);
  const u = new URL(base);
  u.pathname = `/${db}`;
  return u.toString();
}

// ---------------------------------------------------------------------------------------------------
// Seed data: the same shape in both tenants.
// ---------------------------------------------------------------------------------------------------

/** Users per tenant: key -> role (customer users' access is in CUSTOMER_ACCESS). */
export const STAFF = { admin: 'admin', manager: 'manager', technician: 'technician' };
/** customer user key -> [[customer key, access], ...] */
export const CUSTOMER_ACCESS = {
  c1_approver: [['c1', 'approver']],
  c1_requester: [['c1', 'requester']],
  c1_viewer: [['c1', 'viewer']],
  c2_approver: [['c2', 'approver']],
  c2_requester: [['c2', 'requester']],
  c2_viewer: [['c2', 'viewer']],
  multi: [['c1', 'approver'], ['c2', 'viewer']],
  lonely: [], // a customer user with no access yet
};
export const TENANTS = {
  acme: { name: 'Acme Glass Repair' },
  globex: { name: 'Globex Fleet Services' },
};

export function emailOf(tenant, key) {
  return `${key.replace(/_/g, '.')}@${tenant}.test`;
}

function customerSeed(tenant, key) {
  const label = key === 'c1' ? 'Transit' : 'Logistics';
  return { name: `${tenant[0].toUpperCase()}${tenant.slice(1)} ${label}`, email: `${label.toLowerCase()}@${tenant}-customers.test` };
}

// ---------------------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------------------

/** Runs `portico ARGS --database URL`; resolves {code, stdout, stderr}. */
export function runCli(args, { databaseUrl, cwd, input, timeout = 30_000 } = {}) {
  const full = databaseUrl ? [...args, '--database', databaseUrl] : [...args];
  return new Promise((resolve, reject) => {
    const child = execFile(BIN, full, { cwd, env: childEnv(), timeout, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') {
          reject(new Error(`portico ${full.join(' ')}: ${err.message}\n${stderr}`));
          return;
        }
        resolve({ code: err ? err.code : 0, stdout, stderr });
      });
    if (input !== undefined) child.stdin.end(input);
  });
}

/** Runs a creating CLI command and returns the id it prints on its first stdout line. */
async function cliCreate(args, opts) {
  const r = await runCli(args, opts);
  if (r.code !== 0) {
    throw new Error(`portico ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  const first = r.stdout.split('\n')[0].trim();
  if (!/^[1-9][0-9]*$/.test(first)) {
    throw new Error(`portico ${args.join(' ')}: first stdout line is not an id: ${JSON.stringify(first)}`);
  }
  return Number(first);
}

async function cliOk(args, opts) {
  const r = await runCli(args, opts);
  if (r.code !== 0) {
    throw new Error(`portico ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return r;
}

/** Seeds both tenants; returns { tenants: {slug: {id, name}}, users: {slug: {key: {...}}}, customers }. */
async function seed(databaseUrl, cwd) {
  const opts = { databaseUrl, cwd };
  await cliOk(['migrate'], opts);
  const data = { tenants: {}, users: {}, customers: {} };
  for (const [slug, t] of Object.entries(TENANTS)) {
    const id = await cliCreate(['tenant', 'create', '--slug', slug, '--name', t.name], opts);
    data.tenants[slug] = { id, slug, name: t.name };
    data.users[slug] = {};
    data.customers[slug] = {};
    for (const ck of ['c1', 'c2']) {
      const c = customerSeed(slug, ck);
      const cid = await cliCreate(['customer', 'create', '--tenant', slug, '--name', c.name, '--email', c.email], opts);
      data.customers[slug][ck] = { id: cid, ...c };
    }
    const all = { ...STAFF, ...Object.fromEntries(Object.keys(CUSTOMER_ACCESS).map((k) => [k, 'customer'])) };
    for (const [key, role] of Object.entries(all)) {
      const email = emailOf(slug, key);
      const name = `${slug} ${key.replace(/_/g, ' ')}`;
      const uid = await cliCreate(['user', 'create', '--tenant', slug, '--email', email, '--name', name,
        '--role', role, '--password', PASSWORD], opts);
      data.users[slug][key] = { id: uid, email, name, role, password: PASSWORD, tenant: slug, key };
    }
    for (const [key, grants] of Object.entries(CUSTOMER_ACCESS)) {
      for (const [ck, access] of grants) {
        await cliOk(['access', 'grant', '--tenant', slug, '--customer', String(data.customers[slug][ck].id),
          '--user', String(data.users[slug][key].id), '--access', access], opts);
      }
    }
  }
  return data;
}

// ---------------------------------------------------------------------------------------------------
// The server process
// ---------------------------------------------------------------------------------------------------

/** Keeps the last `limit` characters of a stream. */
function tail(limit = 64 * 1024) {
  let buf = '';
  return {
    push(chunk) { buf += chunk; if (buf.length > limit) buf = buf.slice(buf.length - limit); },
    get text() { return buf; },
  };
}

export class Server {
  constructor({ dir, databaseUrl, data, serveArgs = [] }) {
    this.dir = dir;
    this.serveArgs = serveArgs;
    this.databaseUrl = databaseUrl;
    this.data = data;
    this.proc = null;
    this.port = null;
    this.baseUrl = null;
    this.stdout = tail();
    this.stderr = tail();
    this.exit = null; // {code, signal} once exited
    this.exited = null; // promise
    this._tokens = new Map();
  }

  /** Starts `portico serve` on a free port and waits for /healthz (fails with stderr after 15 s). */
  async start() {
    let lastErr;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this._startOnce(await freePort());
        return;
      } catch (e) {
        lastErr = e;
        if (!e.retryable) break;
      }
    }
    throw lastErr;
  }

  async _startOnce(port) {
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.stdout = tail();
    this.stderr = tail();
    this.exit = null;
    const proc = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--database', this.databaseUrl, ...this.serveArgs],
      { cwd: this.dir, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    proc.stdout.setEncoding('utf8').on('data', (c) => this.stdout.push(c));
    proc.stderr.setEncoding('utf8').on('data', (c) => this.stderr.push(c));
    this.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => { this.exit = { code, signal }; resolve(this.exit); });
      proc.on('error', (err) => { this.exit = { code: null, signal: null, error: err }; resolve(this.exit); });
    });
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.exit) {
        const e = new Error(`portico serve exited before answering /healthz (code ${this.exit.code}, signal ${this.exit.signal}${this.exit.error ? ', ' + this.exit.error.message : ''})\n--- stderr ---\n${this.stderr.text}\n--- stdout ---\n${this.stdout.text}`);
        e.retryable = /address already in use|EADDRINUSE|bind/i.test(this.stderr.text);
        throw e;
      }
      try {
        const res = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch { /* not listening yet */ }
      await sleep(100);
    }
    proc.kill('SIGKILL');
    await this.exited;
    throw new Error(`portico serve did not answer GET /healthz with 200 within ${STARTUP_TIMEOUT_MS / 1000} s\n--- stderr ---\n${this.stderr.text}\n--- stdout ---\n${this.stdout.text}`);
  }

  /** Sends `signal`, waits for the exit; resolves {code, signal, ms}. Kills after 10 s (and says so). */
  async stop(signal = 'SIGTERM') {
    if (!this.proc) return null;
    if (this.exit) return { ...this.exit, ms: 0, alreadyExited: true };
    const t0 = Date.now();
    this.proc.kill(signal);
    const timer = sleep(SHUTDOWN_TIMEOUT_MS).then(() => 'timeout');
    const r = await Promise.race([this.exited, timer]);
    if (r === 'timeout') {
      this.proc.kill('SIGKILL');
      await this.exited;
      return { code: null, signal: 'SIGKILL', ms: Date.now() - t0, timedOut: true };
    }
    return { ...r, ms: Date.now() - t0 };
  }

  /** A client with no credentials. */
  client() { return new Client(this.baseUrl); }

  user(tenant, key) {
    const u = this.data.users[tenant]?.[key];
    if (!u) throw new Error(`no seeded user ${tenant}/${key}`);
    return u;
  }

  customer(tenant, key) {
    const c = this.data.customers[tenant]?.[key];
    if (!c) throw new Error(`no seeded customer ${tenant}/${key}`);
    return c;
  }

  /** A client logged in by cookie (session + CSRF token) as a seeded user. */
  async login(tenant, key) {
    const u = this.user(tenant, key);
    const c = this.client();
    const res = await c.login(tenant, u.email, u.password);
    assert.equal(res.status, 200, `login as ${u.email}: ${res.summary}`);
    return c;
  }

  /** A client authenticated only by a personal API token (no cookie) of a seeded user. Cached. */
  async bearer(tenant, key) {
    const cacheKey = `${tenant}/${key}`;
    if (!this._tokens.has(cacheKey)) {
      const c = await this.login(tenant, key);
      const res = await c.post('/api/v1/auth/tokens', { name: `api-tests ${key}` });
      assert.equal(res.status, 201, `create token for ${cacheKey}: ${res.summary}`);
      assert.equal(typeof res.body?.token, 'string', `token in ${res.summary}`);
      this._tokens.set(cacheKey, res.body.token);
    }
    return new Client(this.baseUrl, { token: this._tokens.get(cacheKey) });
  }
}

/**
 * Creates a temp dir, seeds it with the CLI and starts a server there.
 * `prepare(dir, databaseUrl)` may write files or load data first and return extra `serve` arguments.
 */
export async function startServer({ prepare } = {}) {
  if (!existsSync(BIN)) {
    throw new Error(`portico binary not found at ${BIN} (build it, or set PORTICO_BIN)`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'portico-api-'));
  const databaseUrl = await freshDatabaseUrl(dir);
  const data = await seed(databaseUrl, dir);
  await writeFile(path.join(dir, 'seed.json'), JSON.stringify(data, null, 2));
  const serveArgs = prepare ? (await prepare(dir, databaseUrl)) ?? [] : [];
  const server = new Server({ dir, databaseUrl, data, serveArgs });
  await server.start();
  return server;
}

/** Stops a server (SIGTERM), removes its directory, and asserts it exited 0 in time. */
export async function stopServer(server) {
  if (!server) return;
  const r = await server.stop('SIGTERM');
  const keep = process.env.PORTICO_KEEP_TMP === '1';
  const ok = r && !r.timedOut && r.code === 0 && !r.alreadyExited;
  if (!keep && ok) await rm(server.dir, { recursive: true, force: true });
  assert.ok(r && !r.timedOut, `server did not exit within ${SHUTDOWN_TIMEOUT_MS / 1000} s of SIGTERM (killed)\n--- stderr ---\n${server.stderr.text.slice(-4000)}`);
  assert.ok(!r.alreadyExited, `server had already exited (code ${r.code}, signal ${r.signal}) before SIGTERM\n--- stderr ---\n${server.stderr.text.slice(-4000)}`);
  assert.equal(r.code, 0, `server exit code after SIGTERM (signal ${r.signal})\n--- stderr ---\n${server.stderr.text.slice(-4000)}`);
}

/**
 * Registers before/after hooks that start a fresh seeded server for this file and stop it afterwards.
 * Returns a holder whose `.server` is set once `before` has run.
 */
export function useServer(options = {}) {
  const holder = { server: null };
  before(async () => { holder.server = await startServer(options); }, { timeout: 120_000 });
  after(async () => { await stopServer(holder.server); }, { timeout: 30_000 });
  return holder;
}

// ---------------------------------------------------------------------------------------------------
// HTTP client: cookie jar, CSRF header, bearer token, JSON helpers
// ---------------------------------------------------------------------------------------------------

function hasHeader(h, name) {
  return Object.keys(h).some((k) => k.toLowerCase() === name);
}

/** Parses one Set-Cookie header into {name, value, attrs: {lowercased: value|true}}. */
export function parseSetCookie(sc) {
  const [pair, ...rest] = sc.split(';');
  const eq = pair.indexOf('=');
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  const attrs = {};
  for (const a of rest) {
    const i = a.indexOf('=');
    if (i < 0) attrs[a.trim().toLowerCase()] = true;
    else attrs[a.slice(0, i).trim().toLowerCase()] = a.slice(i + 1).trim();
  }
  return { name, value, attrs };
}

export class Client {
  constructor(baseUrl, { token = null } = {}) {
    this.baseUrl = baseUrl;
    this.jar = new Map();
    this.csrf = null;
    this.token = token;
    this.lastSetCookies = [];
  }

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  _store(res) {
    const list = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
    this.lastSetCookies = list;
    for (const sc of list) {
      const c = parseSetCookie(sc);
      const maxAge = c.attrs['max-age'];
      const expires = typeof c.attrs.expires === 'string' ? Date.parse(c.attrs.expires) : NaN;
      const gone = c.value === '' || (maxAge !== undefined && Number(maxAge) <= 0) || (!Number.isNaN(expires) && expires <= Date.now());
      if (gone) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
  }

  /**
   * One request. Options: json (serialised, Content-Type application/json), body (raw string/Buffer),
   * headers, csrf (false: do not send X-CSRF-Token even on unsafe methods; a string: send that value),
   * auth (false: send neither cookie nor bearer).
   * Resolves {status, headers, contentType, text, body (parsed JSON or null), summary}.
   */
  async request(method, urlPath, { json, body, headers = {}, csrf, auth = true } = {}) {
    const h = { ...headers };
    if (auth && this.jar.size && !hasHeader(h, 'cookie')) h.cookie = this.cookieHeader();
    if (auth && this.token && !hasHeader(h, 'authorization')) h.authorization = `Bearer ${this.token}`;
    const unsafe = !['GET', 'HEAD'].includes(method);
    if (!hasHeader(h, 'x-csrf-token')) {
      if (typeof csrf === 'string') h['x-csrf-token'] = csrf;
      else if (csrf !== false && unsafe && this.csrf) h['x-csrf-token'] = this.csrf;
    }
    let payload = body;
    if (json !== undefined) {
      payload = JSON.stringify(json);
      if (!hasHeader(h, 'content-type')) h['content-type'] = 'application/json';
    }
    if (process.env.PORTICO_FUZZ_RECORD && typeof payload === 'string') {
      appendFileSync(path.join(process.env.PORTICO_FUZZ_RECORD, `requests-${process.pid}.jsonl`),
        JSON.stringify({ method, path: urlPath, body: payload }) + '\n');
    }
    let res;
    try {
      res = await fetch(this.baseUrl + urlPath, {
        method, headers: h, body: payload, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (e) {
      const cause = e.cause ? ` (${e.cause.code ?? ''} ${e.cause.message ?? e.cause})` : '';
      throw new Error(`${method} ${urlPath}: no HTTP response: ${e.message}${cause}`);
    }
    this._store(res);
    const text = method === 'HEAD' ? '' : await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    let parsed = null;
    if (/json/i.test(contentType) && text.length) {
      try { parsed = JSON.parse(text); } catch { parsed = undefined; }
    }
    return {
      status: res.status,
      headers: res.headers,
      contentType,
      text,
      body: parsed,
      summary: `${method} ${urlPath} -> ${res.status} ${contentType} ${text.slice(0, 600)}`,
    };
  }

  get(p, o) { return this.request('GET', p, o); }
  head(p, o) { return this.request('HEAD', p, o); }
  delete(p, o) { return this.request('DELETE', p, o); }
  post(p, json, o = {}) { return this.request('POST', p, json === undefined ? o : { ...o, json }); }
  put(p, json, o = {}) { return this.request('PUT', p, json === undefined ? o : { ...o, json }); }
  patch(p, json, o = {}) { return this.request('PATCH', p, json === undefined ? o : { ...o, json }); }

  /** POST /api/v1/auth/login; on 200 keeps the session cookie (jar) and the CSRF token. */
  async login(tenant, email, password) {
    const res = await this.post('/api/v1/auth/login', { tenant, email, password });
    if (res.status === 200 && res.body) this.csrf = res.body.csrf_token ?? null;
    return res;
  }
}

// ---------------------------------------------------------------------------------------------------
// Raw HTTP, for bodies fetch cannot send well (huge, chunked, partial)
// ---------------------------------------------------------------------------------------------------

/**
 * Streams a large body (`size` bytes, `fill` repeated, optionally wrapped as a JSON string value) to
 * `urlPath`. Stops writing once a response arrives. Resolves {status, headers, text, wrote} or rejects if
 * the connection ends without a response.
 */
export function sendLarge(baseUrl, urlPath, { size, method = 'POST', headers = {}, chunked = false, prefix = '{"name":"', suffix = '"}' }) {
  return new Promise((resolve, reject) => {
    const url = new URL(urlPath, baseUrl);
    const h = { 'content-type': 'application/json', ...headers };
    if (!chunked) h['content-length'] = String(size);
    const req = http.request(url, { method, headers: h, agent: false });
    let response = null;
    let settled = false;
    let wrote = 0;
    const finish = (text) => {
      if (settled) return;
      settled = true;
      resolve({ status: response.statusCode, headers: response.headers, text, wrote });
    };
    req.on('response', (res) => {
      response = res;
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => finish(Buffer.concat(chunks).toString('utf8')));
      res.on('error', () => finish(Buffer.concat(chunks).toString('utf8')));
      res.on('aborted', () => finish(Buffer.concat(chunks).toString('utf8')));
      setTimeout(() => finish(Buffer.concat(chunks).toString('utf8')), 10_000).unref();
    });
    req.on('error', (err) => {
      if (response) return; // the server answered and closed early: fine
      if (!settled) { settled = true; reject(new Error(`${method} ${urlPath} with a ${size}-byte body: connection failed without a response after ${wrote} bytes: ${err.message}`)); }
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    const chunkSize = 256 * 1024;
    const filler = Buffer.alloc(chunkSize, 'a');
    const pre = Buffer.from(prefix);
    const suf = Buffer.from(suffix);
    (async () => {
      try {
        let remaining = size;
        const writeBuf = async (buf) => {
          if (response || req.destroyed) return false;
          wrote += buf.length;
          if (!req.write(buf)) {
            await new Promise((r) => {
              const done = () => { req.off('drain', done); req.off('close', done); r(); };
              req.on('drain', done);
              req.on('close', done);
            });
          }
          return true;
        };
        if (pre.length <= remaining) { await writeBuf(pre); remaining -= pre.length; }
        while (remaining > suf.length) {
          const n = Math.min(chunkSize, remaining - suf.length);
          if (!(await writeBuf(n === chunkSize ? filler : filler.subarray(0, n)))) break;
          remaining -= n;
        }
        if (!response && !req.destroyed && remaining > 0) await writeBuf(suf.subarray(0, remaining));
        if (!req.destroyed) req.end();
      } catch { /* reported through 'error' */ }
    })();
  });
}

/**
 * Sends raw bytes on a TCP connection and collects what comes back until the server closes or
 * `timeoutMs` passes. Returns the socket helpers for staged writes when `staged` is true.
 */
export function rawConnect(port) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    let closed = false;
    const closedP = new Promise((r) => sock.on('close', () => { closed = true; r(); }));
    sock.on('data', (c) => chunks.push(c));
    sock.once('error', (e) => { if (!sock.connecting) return; reject(e); });
    sock.on('error', () => {});
    sock.once('connect', () => resolve({
      sock,
      write: (s) => new Promise((r) => sock.write(s, r)),
      received: () => Buffer.concat(chunks).toString('utf8'),
      isClosed: () => closed,
      closed: closedP,
      end: () => sock.end(),
      destroy: () => sock.destroy(),
    }));
  });
}

// ---------------------------------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------------------------------

/** Asserts an RFC 9457 problem response with `status`, and each of `fields` in errors. */
export function assertProblem(res, status, fields = []) {
  assert.equal(res.status, status, `expected ${status}: ${res.summary}`);
  assert.match(res.contentType, /^application\/problem\+json/i, `problem content type: ${res.summary}`);
  assert.ok(res.body && typeof res.body === 'object', `problem body is JSON: ${res.summary}`);
  assert.equal(res.body.status, status, `problem "status" member: ${res.summary}`);
  assert.equal(typeof res.body.title, 'string', `problem "title": ${res.summary}`);
  assert.equal(typeof res.body.type, 'string', `problem "type": ${res.summary}`);
  for (const f of fields) {
    assert.ok(res.body.errors && typeof res.body.errors === 'object', `problem has "errors" (want ${f}): ${res.summary}`);
    const msgs = res.body.errors[f];
    assert.ok(Array.isArray(msgs) && msgs.length > 0 && msgs.every((m) => typeof m === 'string'),
      `errors[${JSON.stringify(f)}] is a non-empty list of messages: ${res.summary}`);
  }
}

/** Asserts the status (with the response in the message). */
export function assertStatus(res, status) {
  if (Array.isArray(status)) assert.ok(status.includes(res.status), `expected one of ${status}: ${res.summary}`);
  else assert.equal(res.status, status, `expected ${status}: ${res.summary}`);
}

/** Asserts a paginated list {count, next, previous, results}; returns results. */
export function assertPage(res) {
  assertStatus(res, 200);
  const b = res.body;
  assert.ok(b && typeof b === 'object' && !Array.isArray(b), `paginated object: ${res.summary}`);
  assert.ok(Number.isInteger(b.count) && b.count >= 0, `count: ${res.summary}`);
  assert.ok(b.next === null || typeof b.next === 'string', `next: ${res.summary}`);
  assert.ok(b.previous === null || typeof b.previous === 'string', `previous: ${res.summary}`);
  assert.ok(Array.isArray(b.results), `results: ${res.summary}`);
  return b.results;
}

/** Items of a list that may be paginated or a plain array (for lists whose shape API.md leaves open). */
export function listItems(res) {
  assertStatus(res, 200);
  if (Array.isArray(res.body)) return res.body;
  return assertPage(res);
}

export const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Turns a `next`/`previous` URL (absolute or relative) into a path for the client. */
export function pathOf(link) {
  const u = new URL(link, 'http://placeholder');
  return u.pathname + u.search;
}
