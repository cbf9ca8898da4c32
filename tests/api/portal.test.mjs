// The portal's static files (API.md Operations: everything that is not /api/, /healthz, /readyz or /metrics
// serves the single-page portal, index.html for unknown paths) — served from `serve --web DIR` without
// ever leaving DIR. Also: secrets at rest (API tokens stored hashed, no plaintext passwords).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { useServer, assertStatus, assertProblem, rawConnect, PASSWORD, ON_POSTGRES } from './harness.mjs';

const INDEX = '<!doctype html><html><head><title>Portico test portal</title></head><body>PORTAL-INDEX-MARKER</body></html>';
const SECRET = 'SECRET-OUTSIDE-WEB-ROOT-7f3a';

const ctx = useServer({
  async prepare(dir) {
    const web = path.join(dir, 'web');
    await mkdir(path.join(web, 'assets'), { recursive: true });
    await writeFile(path.join(web, 'index.html'), INDEX);
    await writeFile(path.join(web, 'assets', 'app.js'), 'console.log("APP-JS-MARKER");\n');
    await writeFile(path.join(web, 'assets', 'site.css'), 'body { color: #123456; }\n');
    await writeFile(path.join(dir, 'secret.txt'), SECRET);
    return ['--web', web];
  },
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A raw GET, so the path reaches the server exactly as written (fetch would normalise dot segments). */
async function rawGet(port, target) {
  const conn = await rawConnect(port);
  await conn.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  await Promise.race([conn.closed, sleep(3000)]);
  const text = conn.received();
  conn.destroy();
  return text;
}

describe('portal files', () => {
  test('/ serves index.html as HTML', async () => {
    const res = await ctx.server.client().get('/');
    assertStatus(res, 200);
    assert.match(res.contentType, /^text\/html/);
    assert.ok(res.text.includes('PORTAL-INDEX-MARKER'), res.summary);
  });

  test('a deep link serves index.html (the client-side router takes over)', async () => {
    for (const p of ['/repairs/42', '/customer/units', '/acme/login?next=%2Frepairs']) {
      const res = await ctx.server.client().get(p);
      assertStatus(res, 200);
      assert.ok(res.text.includes('PORTAL-INDEX-MARKER'), `${p}: ${res.summary}`);
    }
  });

  test('assets are served with their content types', async () => {
    const js = await ctx.server.client().get('/assets/app.js');
    assertStatus(js, 200);
    assert.match(js.contentType, /javascript/);
    assert.ok(js.text.includes('APP-JS-MARKER'));
    const css = await ctx.server.client().get('/assets/site.css');
    assertStatus(css, 200);
    assert.match(css.contentType, /^text\/css/);
  });

  test('API paths never fall back to index.html', async () => {
    const res = await ctx.server.client().get('/api/v1/not-a-route');
    assertProblem(res, 404);
    assert.ok(!res.text.includes('PORTAL-INDEX-MARKER'));
  });

  test('no path escapes the web folder', async () => {
    const port = ctx.server.port;
    for (const target of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt', '/assets/..%2f..%2fsecret.txt',
      '//' + ctx.server.dir.slice(1) + '/secret.txt', '/%2F' + ctx.server.dir.slice(1) + '/secret.txt']) {
      const text = await rawGet(port, target);
      assert.ok(!text.includes(SECRET), `GET ${target} leaked a file outside the web folder:\n${text.slice(0, 400)}`);
      assert.match(text, /^HTTP\/1\.1 (200|400|403|404)/, `GET ${target}: ${text.slice(0, 200)}`);
    }
    assertStatus(await ctx.server.client().get('/healthz'), 200);
  });
});

describe('secrets at rest', () => {
  test('API tokens are stored hashed and passwords never in plaintext', async () => {
    const s = ctx.server;
    const c = await s.login('acme', 'admin');
    const made = await c.post('/api/v1/auth/tokens', { name: 'at-rest check' });
    assertStatus(made, 201);
    const token = made.body.token;
    if (ON_POSTGRES) {
      // Everything the database holds, as pg_dump writes it.
      const dump = execFileSync('pg_dump', ['--data-only', s.databaseUrl], { maxBuffer: 64 << 20 });
      assert.ok(dump.length > 0, 'pg_dump output');
      assert.equal(dump.indexOf(Buffer.from(token)), -1, 'the database contains the plaintext API token');
      assert.equal(dump.indexOf(Buffer.from(PASSWORD)), -1, 'the database contains a plaintext password');
      return;
    }
    // Let the server write it (WAL) — it is committed before the 201, so it is on disk already.
    const files = (await readdir(s.dir)).filter((f) => f.startsWith('portico.db'));
    assert.ok(files.length > 0, `database files in ${s.dir}`);
    for (const f of files) {
      const bytes = await readFile(path.join(s.dir, f));
      assert.equal(bytes.indexOf(Buffer.from(token)), -1, `${f} contains the plaintext API token`);
      assert.equal(bytes.indexOf(Buffer.from(PASSWORD)), -1, `${f} contains a plaintext password`);
    }
  });
});
