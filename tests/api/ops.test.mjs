// Operations: /healthz, /readyz, /metrics, /api/v1/openapi.json.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertStatus } from './harness.mjs';

const ctx = useServer();

/** Every endpoint the suite exercises (issue 2), as [method, path template]. */
export const TESTED_API = [
  ['post', '/api/v1/auth/login'],
  ['post', '/api/v1/auth/logout'],
  ['get', '/api/v1/me'],
  ['get', '/api/v1/auth/tokens'],
  ['post', '/api/v1/auth/tokens'],
  ['delete', '/api/v1/auth/tokens/{id}'],
  ['get', '/api/v1/users'],
  ['post', '/api/v1/users'],
  ['get', '/api/v1/users/{id}'],
  ['patch', '/api/v1/users/{id}'],
  ['get', '/api/v1/customers'],
  ['post', '/api/v1/customers'],
  ['get', '/api/v1/customers/{id}'],
  ['patch', '/api/v1/customers/{id}'],
  ['get', '/api/v1/customers/{id}/access'],
  ['post', '/api/v1/customers/{id}/access'],
  ['delete', '/api/v1/customers/{id}/access/{user_id}'],
  ['get', '/api/v1/customers/{id}/preferences'],
  ['put', '/api/v1/customers/{id}/preferences'],
  ['get', '/api/v1/tenants/{slug}/branding'],
  ['put', '/api/v1/tenants/{slug}/branding'],
  ['get', '/api/v1/openapi.json'],
];
const TESTED_OPS = [['get', '/healthz'], ['get', '/readyz'], ['get', '/metrics']];

/** Parses Prometheus text into [{name, labels: {...}, value}] (comments skipped). */
function parseProm(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/.exec(line);
    if (!m) { out.push({ bad: line }); continue; }
    const labels = {};
    if (m[3]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
      let lm;
      while ((lm = re.exec(m[3]))) labels[lm[1]] = lm[2].replace(/\\(.)/g, (_, ch) => (ch === 'n' ? '\n' : ch));
    }
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

/** Sum of the request counters that mention `route` in any label value. */
function routeCount(samples, route) {
  const mentions = (s) => Object.values(s.labels ?? {}).some((v) => v === route || v.endsWith(` ${route}`));
  let totals = samples.filter((s) => s.name && /_total$/.test(s.name) && /request/i.test(s.name) && mentions(s));
  if (!totals.length) totals = samples.filter((s) => s.name && /_count$/.test(s.name) && /request/i.test(s.name) && mentions(s));
  return { n: totals.reduce((a, s) => a + s.value, 0), found: totals.length > 0 };
}

describe('health', () => {
  test('/healthz and /readyz answer 200 without credentials', async () => {
    const c = ctx.server.client();
    assertStatus(await c.get('/healthz'), 200);
    assertStatus(await c.get('/readyz'), 200);
  });
});

describe('metrics', () => {
  test('Prometheus text format', async () => {
    const res = await ctx.server.client().get('/metrics');
    assertStatus(res, 200);
    assert.match(res.contentType, /^text\/plain/, res.summary);
    assert.match(res.text, /^# (HELP|TYPE) /m);
    const bad = parseProm(res.text).filter((s) => s.bad);
    assert.deepEqual(bad, [], 'every sample line parses');
    assert.match(res.text, /^# TYPE \S+ histogram$/m, 'has a latency histogram');
  });

  test('a per-route request counter counts requests to /api/v1/me', async () => {
    const s = ctx.server;
    const b = await s.bearer('acme', 'admin');
    assertStatus(await b.get('/api/v1/me'), 200);
    const m1 = await s.client().get('/metrics');
    const first = routeCount(parseProm(m1.text), '/api/v1/me');
    assert.ok(first.found, `a *request*_total (or _count) sample labelled "/api/v1/me":\n${m1.text.slice(0, 3000)}`);
    assert.ok(first.n >= 1);
    for (let i = 0; i < 3; i++) assertStatus(await b.get('/api/v1/me'), 200);
    const second = routeCount(parseProm((await s.client().get('/metrics')).text), '/api/v1/me');
    assert.ok(second.n >= first.n + 3, `counter went from ${first.n} to ${second.n} after 3 more requests`);
  });

  test('routes with ids are labelled by template, not by raw path (bounded label sets)', async () => {
    const s = ctx.server;
    const b = await s.bearer('acme', 'admin');
    const c1 = s.customer('acme', 'c1').id;
    const c2 = s.customer('acme', 'c2').id;
    assertStatus(await b.get(`/api/v1/customers/${c1}`), 200);
    assertStatus(await b.get(`/api/v1/customers/${c2}`), 200);
    assertStatus(await b.get('/api/v1/customers/999999'), 404);
    const text = (await s.client().get('/metrics')).text;
    const samples = parseProm(text).filter((x) => x.labels);
    const raw = samples.filter((x) => Object.values(x.labels).some((v) => /\/api\/v1\/customers\/\d+/.test(v)));
    assert.deepEqual(raw.map((x) => x.name), [], 'no label carries a raw id');
    const templated = samples.filter((x) => Object.values(x.labels).some((v) => /^\/api\/v1\/customers\/[{:<]/.test(v)));
    assert.ok(templated.length > 0, `a sample labelled with the customers/{id} template:\n${text.slice(0, 3000)}`);
  });
});

/** Normalises an OpenAPI document's paths into a set of "method /path/{}" (servers prefix applied). */
function openapiOps(doc) {
  let prefix = '';
  const server = doc.servers?.[0]?.url;
  if (server) {
    const p = new URL(server, 'http://x').pathname.replace(/\/$/, '');
    if (p && p !== '/') prefix = p;
  }
  const ops = new Set();
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    const full = (p.startsWith('/api/') || p.startsWith('/healthz') || p.startsWith('/readyz') || p.startsWith('/metrics') ? p : prefix + p)
      .replace(/\{[^}]+\}/g, '{}');
    for (const m of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']) {
      if (item && item[m]) ops.add(`${m} ${full}`);
    }
  }
  return ops;
}

describe('openapi', () => {
  test('an OpenAPI 3 document', async () => {
    const res = await ctx.server.client().get('/api/v1/openapi.json');
    assertStatus(res, 200);
    assert.match(res.contentType, /json/);
    assert.match(String(res.body.openapi), /^3\.\d+\.\d+$/);
    assert.equal(typeof res.body.info?.title, 'string');
    assert.equal(typeof res.body.info?.version, 'string');
    assert.ok(res.body.paths && typeof res.body.paths === 'object');
  });

  test('describes every API endpoint the suite tests', async () => {
    const doc = (await ctx.server.client().get('/api/v1/openapi.json')).body;
    const ops = openapiOps(doc);
    const missing = TESTED_API.map(([m, p]) => `${m} ${p.replace(/\{[^}]+\}/g, '{}')}`).filter((k) => !ops.has(k));
    assert.deepEqual(missing, [], `OpenAPI lacks these operations; it has:\n${[...ops].sort().join('\n')}`);
  });

  test('describes the operational endpoints too', async () => {
    const doc = (await ctx.server.client().get('/api/v1/openapi.json')).body;
    const ops = openapiOps(doc);
    const missing = TESTED_OPS.map(([m, p]) => `${m} ${p}`).filter((k) => !ops.has(k));
    assert.deepEqual(missing, [], 'health, readiness and metrics are described');
  });

  test('operations declare their path parameters, request bodies and documented success codes', async () => {
    const doc = (await ctx.server.client().get('/api/v1/openapi.json')).body;
    const prefix = (() => {
      const u = doc.servers?.[0]?.url;
      const p = u ? new URL(u, 'http://x').pathname.replace(/\/$/, '') : '';
      return p === '/' ? '' : p;
    })();
    const find = (path) => {
      const norm = (x) => x.replace(/\{[^}]+\}/g, '{}');
      for (const [k, item] of Object.entries(doc.paths)) {
        if (norm(k) === norm(path) || norm(prefix + k) === norm(path)) return [k, item];
      }
      return [null, null];
    };
    const deref = (x) => (x && x.$ref ? x.$ref.slice(2).split('/').reduce((n, part) => n?.[part], doc) : x);
    const wantSuccess = {
      'post /api/v1/auth/tokens': '201', 'post /api/v1/users': '201', 'post /api/v1/customers': '201',
      'delete /api/v1/auth/tokens/{id}': '204', 'delete /api/v1/customers/{id}/access/{user_id}': '204',
      'post /api/v1/auth/logout': '204', 'post /api/v1/auth/login': '200', 'patch /api/v1/users/{id}': '200',
      'patch /api/v1/customers/{id}': '200', 'put /api/v1/customers/{id}/preferences': '200',
      'put /api/v1/tenants/{slug}/branding': '200',
    };
    const problems = [];
    for (const [method, path] of TESTED_API) {
      const [key, item] = find(path);
      if (!key || !item[method]) continue; // reported by the previous test
      const op = item[method];
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref);
      for (const name of [...key.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])) {
        if (!params.some((p) => p && p.in === 'path' && p.name === name)) problems.push(`${method} ${key}: path parameter {${name}} not declared`);
      }
      if (!op.responses || !Object.keys(op.responses).length) problems.push(`${method} ${key}: no responses`);
      const want = wantSuccess[`${method} ${path}`];
      if (want && !(want in (op.responses ?? {}))) problems.push(`${method} ${key}: no ${want} response (has ${Object.keys(op.responses ?? {})})`);
      if (['post', 'put', 'patch'].includes(method) && path !== '/api/v1/auth/logout') {
        const schema = deref(op.requestBody?.content?.['application/json']?.schema);
        if (!schema) problems.push(`${method} ${key}: no application/json request body schema`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test('every $ref resolves inside the document', async () => {
    const doc = (await ctx.server.client().get('/api/v1/openapi.json')).body;
    assert.ok(doc && doc.paths, 'an OpenAPI document');
    const refs = [];
    (function walk(v) {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { if (k === '$ref') refs.push(x); else walk(x); }
    })(doc);
    const unresolved = refs.filter((r) => {
      if (!r.startsWith('#/')) return true;
      let node = doc;
      for (const part of r.slice(2).split('/')) {
        node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
        if (node === undefined) return true;
      }
      return false;
    });
    assert.deepEqual([...new Set(unresolved)], []);
  });
});
