// Helpers of the self-service account tests (issue 13): the local SMTP sink (smtp_sink.py), reading what
// it received (quoted-printable decoded), and one SQL statement on the server's database (to move a token's
// expiry into the past: the server's clock is the real one).
import { before, after } from 'node:test';
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts the SMTP sink before the file's tests; returns {port, dir} (filled once started). */
export function useSmtpSink() {
  const smtp = { port: 0, dir: '', proc: null };
  before(async () => {
    smtp.port = await freePort();
    smtp.dir = await mkdtemp(path.join(os.tmpdir(), 'portico-smtp-'));
    const python = process.env.PORTICO_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
    smtp.proc = spawn(python, [path.join(here, 'smtp_sink.py'), String(smtp.port), smtp.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    smtp.proc.stderr.on('data', (c) => { err += c; });
    await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`smtp sink did not start: ${err}`)), 10_000);
      smtp.proc.stdout.on('data', (c) => { if (String(c).includes('ready')) { clearTimeout(t); resolve(); } });
      smtp.proc.on('exit', (code) => reject(new Error(`smtp sink exited ${code}: ${err}`)));
    });
  });
  after(async () => {
    smtp.proc?.kill('SIGTERM');
    await rm(smtp.dir, { recursive: true, force: true });
  });
  return smtp;
}

/** A `prepare` for useServer: a config with the public URL and the sink as SMTP server. */
export function smtpConfig(smtp) {
  return async (dir) => {
    const file = path.join(dir, 'portico.toml');
    await writeFile(file, `[server]\npublic_url = "https://portal.example"\n\n[smtp]\nhost = "127.0.0.1"\nport = ${smtp.port}\n` +
      `starttls = "never"\nfrom = "accounts@acme.example"\n`);
    return ['--config', file];
  };
}

/** Quoted-printable soft breaks and escapes undone (the text part stays readable). */
export function decodeQp(text) {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/**
 * One request with an explicit Host header (fetch sets its own): resolves {status, headers, text, body}.
 * `headers` may carry a cookie.
 */
export function hostRequest(baseUrl, host, method, urlPath, json, headers = {}) {
  const u = new URL(baseUrl);
  const payload = json === undefined ? undefined : JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, method, path: urlPath,
      headers: { host, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let body = null;
        try { body = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, body, summary: `${method} ${urlPath} (Host ${host}) -> ${res.statusCode} ${text.slice(0, 400)}` });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Every message the sink received so far, decoded, addressed to `to` (all when omitted). */
export async function mailsTo(smtp, to) {
  const out = [];
  for (const f of (await readdir(smtp.dir)).sort()) {
    const m = decodeQp(await readFile(path.join(smtp.dir, f), 'utf8'));
    if (!to || m.includes(`X-Envelope-To: ${to}`) || m.includes(`X-Envelope-To: <${to}>`)) out.push(m);
  }
  return out;
}

/** Waits until `to` has at least `count` messages; resolves them (or the ones there after `ms`). */
export async function waitForMail(smtp, to, count = 1, ms = 8000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await mailsTo(smtp, to);
    if (got.length >= count || Date.now() > deadline) return got;
    await sleep(150);
  }
}

/** The token of the first link `/{kind}/{token}` in a message. */
export function linkToken(mail, kind) {
  const m = mail.match(new RegExp(`https?://[^\\s"<>]+/${kind}/([A-Za-z0-9_-]{20,})`));
  if (!m) throw new Error(`no /${kind}/ link in:\n${mail.slice(0, 3000)}`);
  return { url: m[0], token: m[1] };
}

/** Runs one SQL statement on the server's database (sqlite3 or psql). */
export function sql(url, statement) {
  let cmd;
  let args;
  if (url.startsWith('sqlite://')) {
    cmd = 'sqlite3';
    args = ['-cmd', '.timeout 5000', url.slice('sqlite://'.length), statement];
  } else {
    cmd = 'psql';
    args = [url, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', statement];
  }
  return new Promise((resolve, reject) => {
    execFile(cmd, args, (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}
