#!/usr/bin/env node
// Screenshots of portal pages, for looking at them by eye (a dev aid, not a test).
//   node scripts/screens.mjs BASE_URL OUT_DIR EMAIL PASSWORD WIDTH path [path...]
// Signs in on /t/{tenant}/login (tenant from the first path) unless EMAIL is "-",
// then saves one full-page PNG per path. Uses the system Chromium.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [base, out, email, password, width, ...paths] = process.argv.slice(2);
if (!paths.length) {
	console.error('usage: screens.mjs BASE OUT EMAIL PASSWORD WIDTH path...');
	process.exit(2);
}
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
});
const page = await browser.newPage({ viewport: { width: Number(width), height: 800 } });
const problems = [];
page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));

const tenant = /\/t\/([^/]+)/.exec(paths[0])?.[1] ?? 'demo';
if (email !== '-') {
	await page.goto(`${base}/t/${tenant}/login`);
	await page.fill('#email', email);
	await page.fill('#password', password);
	await page.click('button[type=submit]');
	await page.waitForURL((u) => !u.pathname.endsWith('/login'), { timeout: 10000 });
}
for (const p of paths) {
	await page.goto(base + p);
	await page.waitForLoadState('networkidle').catch(() => {});
	await page.waitForTimeout(900);
	const name = p.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'root';
	const file = `${out}/${name}-${width}.png`;
	const scrollW = await page.evaluate(() => document.documentElement.scrollWidth);
	await page.screenshot({ path: file, fullPage: process.env.FULL !== '0' });
	console.log(`${file}  url=${new URL(page.url()).pathname}  scrollWidth=${scrollW}${scrollW > Number(width) ? '  <-- HORIZONTAL SCROLL' : ''}`);
}
if (problems.length) console.log(problems.join('\n'));
await browser.close();
