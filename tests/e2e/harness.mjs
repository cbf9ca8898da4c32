// Browser end-to-end harness for the Portico portals.
//
// Each test file calls `useApp()` at its top level: the real `portico` binary is started on a fresh
// SQLite database in a temporary directory (seeded with the CLI of CLI.md: one tenant "acme", its staff,
// one customer organisation with an approver, a requester and a viewer), serving the built SPA from
// web/build; a headless Debian Chromium is driven through playwright-core (from web/node_modules, no
// browser download). The server is stopped with SIGTERM after the file's tests.
//
// Environment:
//   PORTICO_BIN        the binary (default: build/portico under the repository root)
//   CHROMIUM           the browser (default: /usr/bin/chromium)
//   PORTICO_KEEP_TMP=1 keep the temporary directory (database, server log) for inspection
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.PORTICO_BIN ? path.resolve(process.env.PORTICO_BIN) : path.join(REPO_ROOT, 'build', 'portico');
export const WEB_BUILD = path.join(REPO_ROOT, 'web', 'build');
// Screenshots go to docs/screenshots (shown in the README) only when PORTICO_SCREENSHOTS=1; an ordinary
// test run writes them to a temporary folder so it leaves the work tree clean.
export const SCREENSHOTS = process.env.PORTICO_SCREENSHOTS === '1'
  ? path.join(REPO_ROOT, 'docs', 'screenshots')
  : path.join(os.tmpdir(), 'portico-e2e-screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const require = createRequire(path.join(REPO_ROOT, 'web', 'package.json'));
const { chromium } = require('playwright-core');

export const PASSWORD = 'correct-horse-battery';
export const TENANT = 'acme';

/** The seeded people: key -> { role, name, access (customer users only) }. */
export const PEOPLE = {
  admin: { role: 'admin', name: 'Ada Admin' },
  manager: { role: 'manager', name: 'Max Manager' },
  tech: { role: 'technician', name: 'Tess Technician' },
  approver: { role: 'customer', name: 'Alice Approver', access: 'approver' },
  requester: { role: 'customer', name: 'Rick Requester', access: 'requester' },
  viewer: { role: 'customer', name: 'Vera Viewer', access: 'viewer' },
};
export const CUSTOMER = { name: 'Northwind Transit', email: 'fleet@northwind.test' };

/** Branding applied through the API before the tests: recognisable colours and texts. */
export const BRANDING = {
  company: {
    name: 'Acme Glass Repair Ltd',
    display_name: 'Acme Glass',
    support_email: 'help@acme-glass.test',
    support_phone: '+1 555 0100',
    support_hours: 'Mon–Fri 8:00–17:00',
    website: 'https://acme-glass.test',
  },
  colors: { primary: '#7a1f5c', secondary: '#2d6a4f', accent: '#e76f51', background: '#fbf7f4', text: '#1d1b1a' },
  logo_url: '',
  portal: {
    welcome_message: 'Welcome to Acme Glass: request and follow your windshield repairs here.',
    footer_text: 'Acme Glass Repair, since 1987',
  },
};

export const emailOf = (key) => `${key}@${TENANT}.test`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function childEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PORTICO_')) env[k] = v;
  env.PORTICO_PASSWORD_HASH = 'min';
  return env;
}

function freePort() {
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

function cli(args, databaseUrl, cwd) {
  const full = [...args, '--database', databaseUrl];
  return new Promise((resolve, reject) => {
    execFile(BIN, full, { cwd, env: childEnv(), timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`portico ${full.join(' ')} failed (${err.code ?? err.message})\n${stderr}`));
      else resolve(stdout);
    });
  });
}
async function cliId(args, databaseUrl, cwd) {
  const out = await cli(args, databaseUrl, cwd);
  const first = out.split('\n')[0].trim();
  assert.match(first, /^[1-9][0-9]*$/, `portico ${args.join(' ')} should print an id, printed ${JSON.stringify(out)}`);
  return Number(first);
}

/** A small JSON client for the API (bearer token or none), for arranging data the test is not about. */
export class Api {
  constructor(baseUrl, token = null) {
    this.baseUrl = baseUrl;
    this.token = token;
  }
  async request(method, urlPath, body) {
    const headers = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.baseUrl + urlPath, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, body: json, text };
  }
  async ok(method, urlPath, body, expected) {
    const r = await this.request(method, urlPath, body);
    const want = expected ?? (method === 'POST' ? [200, 201] : [200]);
    assert.ok(want.includes(r.status), `${method} ${urlPath} answered ${r.status}: ${r.text.slice(0, 500)}`);
    return r.body;
  }
  get(p) { return this.ok('GET', p); }
  post(p, b) { return this.ok('POST', p, b); }
  put(p, b) { return this.ok('PUT', p, b); }
}

/** Logs in by password (cookie + CSRF), creates a personal token, and returns a bearer client. */
async function tokenClient(baseUrl, email) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: TENANT, email, password: PASSWORD }),
  });
  const loginBody = await login.json().catch(() => null);
  assert.equal(login.status, 200, `login ${email}: ${JSON.stringify(loginBody)}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${baseUrl}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': loginBody.csrf_token },
    body: JSON.stringify({ name: `e2e ${email}` }),
  });
  const body = await res.json().catch(() => null);
  assert.equal(res.status, 201, `token for ${email}: ${JSON.stringify(body)}`);
  return new Api(baseUrl, body.token);
}

export class App {
  constructor({ browser = true } = {}) {
    this.wantBrowser = browser;
    this.dir = null;
    this.proc = null;
    this.baseUrl = null;
    this.log = '';
    this.exited = null;
    this.exit = null;
    this.ids = { users: {}, customer: 0 };
    this.apis = {};
    this.browser = null;
  }

  async start() {
    if (!existsSync(path.join(WEB_BUILD, 'index.html'))) {
      throw new Error(`The web portals are not built: ${WEB_BUILD}/index.html is missing. Run \`cd web && npm ci && npm run build\` first.`);
    }
    if (!existsSync(BIN)) throw new Error(`The portico binary is missing at ${BIN}: build it first (README), or set PORTICO_BIN.`);
    this.dir = await mkdtemp(path.join(os.tmpdir(), 'portico-e2e-'));
    const db = `sqlite://${path.join(this.dir, 'portico.db')}`;
    this.databaseUrl = db;
    await cliId(['tenant', 'create', '--slug', TENANT, '--name', 'Acme Glass Repair'], db, this.dir);
    this.ids.customer = await cliId(['customer', 'create', '--tenant', TENANT, '--name', CUSTOMER.name, '--email', CUSTOMER.email], db, this.dir);
    for (const [key, p] of Object.entries(PEOPLE)) {
      this.ids.users[key] = await cliId(['user', 'create', '--tenant', TENANT, '--email', emailOf(key), '--name', p.name, '--role', p.role, '--password', PASSWORD], db, this.dir);
      if (p.access) {
        await cli(['access', 'grant', '--tenant', TENANT, '--customer', String(this.ids.customer), '--user', String(this.ids.users[key]), '--access', p.access], db, this.dir);
      }
    }
    await this._serve();
    this.apis.admin = await tokenClient(this.baseUrl, emailOf('admin'));
    await this.apis.admin.put(`/api/v1/tenants/${TENANT}/branding`, BRANDING);
    if (!this.wantBrowser) return;
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync', '--disable-dev-shm-usage'],
    });
  }

  async _serve() {
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      this.baseUrl = `http://127.0.0.1:${port}`;
      this.log = '';
      this.exit = null;
      const proc = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--web', WEB_BUILD, '--database', this.databaseUrl], {
        cwd: this.dir, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.proc = proc;
      const keep = (c) => { this.log = (this.log + c).slice(-32_000); };
      proc.stdout.setEncoding('utf8').on('data', keep);
      proc.stderr.setEncoding('utf8').on('data', keep);
      this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve((this.exit = { code, signal }))));
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && !this.exit) {
        try {
          const r = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
          await r.arrayBuffer();
          if (r.status === 200) return;
        } catch { /* not yet */ }
        await sleep(100);
      }
      if (!this.exit) { proc.kill('SIGKILL'); await this.exited; }
      if (attempt < 2 && /in use|bind/i.test(this.log)) continue;
      throw new Error(`portico serve did not become healthy on ${this.baseUrl}\n--- output ---\n${this.log}`);
    }
  }

  async stop() {
    await this.browser?.close().catch(() => {});
    const died = this.proc && this.exit;
    if (this.proc && !this.exit) {
      this.proc.kill('SIGTERM');
      let timer;
      const r = await Promise.race([this.exited, new Promise((res) => { timer = setTimeout(res, 10_000, null); })]);
      clearTimeout(timer); // a pending timer would keep this test file's process alive
      if (!r) { this.proc.kill('SIGKILL'); await this.exited; }
    }
    if (this.dir && process.env.PORTICO_KEEP_TMP !== '1') await rm(this.dir, { recursive: true, force: true });
    assert.ok(!died, `portico serve died during the tests (code ${this.exit?.code}, signal ${this.exit?.signal})\n--- output ---\n${this.log.slice(-4000)}`);
  }

  /** A bearer-token API client for a seeded user (cached). */
  async api(key) {
    if (!this.apis[key]) this.apis[key] = await tokenClient(this.baseUrl, emailOf(key));
    return this.apis[key];
  }

  url(p) { return this.baseUrl + p; }

  /** A fresh browser context (its own cookies) with one page; console errors are collected on page.errors. */
  async newPage({ width = 1280, height = 860, isMobile = false, hasTouch = false } = {}) {
    const context = await this.browser.newContext({ viewport: { width, height }, isMobile, hasTouch, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'UTC' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e.message));
    page.websockets = []; // every WebSocket the page opened (Playwright WebSocket objects)
    page.on('websocket', (ws) => page.websockets.push(ws));
    page.apiRequests = 0; // API requests other than the live-update long-poll
    page.on('request', (r) => { if (r.url().includes('/api/') && !r.url().includes('/api/v1/events')) page.apiRequests++; });
    return page;
  }

  /** A signed-in page: fills the tenant's login form and waits to leave it. */
  async signedIn(key, opts) {
    const page = await this.newPage(opts);
    await page.goto(this.url(`/t/${TENANT}/login`));
    await page.getByLabel('Email').fill(emailOf(key));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
    return page;
  }

  /** A staff-created (PENDING) repair, arranged through the API. */
  async staffRepair(fields = {}) {
    const manager = await this.api('manager');
    return manager.post('/api/v1/repairs', {
      customer_id: this.ids.customer, unit_number: 'BUS-100', description: 'Chip in the driver side', damage_type: 'Chip', priority: 3, ...fields,
    });
  }
}

/** A customer request (REQUESTED), arranged through the API as the requester. */
App.prototype.requestedRepair = async function (fields = {}) {
  const requester = await this.api('requester');
  return requester.post('/api/v1/repairs', {
    customer_id: this.ids.customer, unit_number: 'VAN-3', description: 'Star break low on the windshield', damage_type: 'Star break', priority: 3, ...fields,
  });
};

/** A repair taken all the way to COMPLETED through the API (request, accept, start, complete). */
App.prototype.completedRepair = async function (fields = {}) {
  const manager = await this.api('manager');
  const r = await this.requestedRepair(fields);
  for (const status of ['APPROVED', 'IN_PROGRESS', 'COMPLETED']) await manager.post(`/api/v1/repairs/${r.id}/status`, { status });
  return manager.get(`/api/v1/repairs/${r.id}`);
};

/**
 * Registers before/after hooks that start the app for this file; the returned object is filled in `before`.
 * `{ browser: false }` skips launching Chromium (API-only files).
 */
export function useApp(options) {
  const app = new App(options);
  before(async () => { await app.start(); }, { timeout: 60_000 });
  after(async () => { await app.stop(); }, { timeout: 30_000 });
  return app;
}

/**
 * Saves a screenshot to docs/screenshots/NAME.png. The caller waits for the content it is about first;
 * networkidle is never reached here (the live-update socket or long-poll is always open), so just let the
 * loading placeholders and charts settle a moment.
 */
export async function shot(page, name, { fullPage = true } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => { window.scrollTo(0, 0); return document.fonts?.ready; }).catch(() => {});
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage, animations: 'disabled' });
}

/** Asserts that an idle page makes (almost) no API requests for `ms`: no reload loop hammers the server. */
export async function assertQuiet(page, ms = 1500) {
  await page.waitForTimeout(1000); // first loads and a reload for a live event may still be under way
  const before = page.apiRequests;
  await page.waitForTimeout(ms);
  const n = page.apiRequests - before;
  assert.ok(n <= 10, `an idle page made ${n} API requests in ${ms} ms (a reload loop?) on ${page.url()}`);
}

/** Widths of the document and of the viewport, to check for horizontal scrolling. */
export function scrollWidths(page) {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, body: document.body.scrollWidth }));
}
