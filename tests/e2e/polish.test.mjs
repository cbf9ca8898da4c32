// Portal polish (issue 16): the pages follow what the API says a user may do (no copy of the workflow
// in the client), the shop's navigation is one row at every width above the phone menu (1081 to 1920 px,
// English and Spanish, every shop role, long names; what does not fit goes under More), and the board
// pages its columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, shot, scrollWidths, TENANT, BRANDING } from './harness.mjs';

const app = useApp();
const portal = `/t/${TENANT}/portal`;
const shop = `/t/${TENANT}/shop`;

/** Rewrites `allowed_moves` / `can_approve` of repair `id` in every repair the API sends the page. */
async function overrideMoves(page, id, fields) {
  const patch = (r) => (r && r.id === id ? { ...r, ...fields } : r);
  await page.route('**/api/v1/repairs**', async (route) => {
    const url = new URL(route.request().url());
    if (route.request().method() !== 'GET' || !/^\/api\/v1\/repairs(\/\d+)?$/.test(url.pathname)) return route.continue();
    const res = await route.fetch();
    const body = await res.json();
    const out = Array.isArray(body.results) ? { ...body, results: body.results.map(patch) } : patch(body);
    await route.fulfill({ response: res, json: out });
  });
}

test('the board card offers exactly the allowed_moves the API returns, whatever the role', async () => {
  const r = await app.requestedRepair({ unit_number: 'VAN-41', description: 'Moves come from the server' });
  const page = await app.signedIn('manager');
  // A manager may accept, deny or cancel a request; the server says only "cancel" here, and the page obeys.
  await overrideMoves(page, r.id, { allowed_moves: ['CANCELLED'] });
  await page.goto(app.url(`${shop}/board`));
  const card = page.locator('section[data-status="REQUESTED"]').getByRole('article', { name: `Repair ${r.id},` });
  await card.waitFor();
  const options = await card.getByLabel(`Move repair #${r.id} to…`).locator('option:not([disabled])').allInnerTexts();
  assert.deepEqual(options, ['Cancel']);
  // The drop targets are the card's own moves: Approved does not take it.
  await card.locator('.cust').dragTo(page.locator('section[data-status="APPROVED"]'));
  const alert = page.getByRole('alert').filter({ hasText: `Repair #${r.id} cannot move from Requested to Approved` });
  await alert.waitFor();
  assert.match(await alert.innerText(), /Cancelled only/);
  assert.equal((await (await app.api('manager')).get(`/api/v1/repairs/${r.id}`)).status, 'REQUESTED');

  // The repair page: one button per allowed move.
  await page.goto(app.url(`${shop}/repairs/${r.id}`));
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.getByRole('button', { name: 'Cancel', exact: true }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Accept' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Deny' }).count(), 0);
  await page.context().close();
});

test('the customer repair page shows Cancel and the decision from allowed_moves and can_approve', async () => {
  const r = await app.staffRepair({ unit_number: 'BUS-42', description: 'Approval comes from the server' });
  const page = await app.signedIn('approver');
  // The approver may decide and cancel a PENDING repair; the server says neither, and the page obeys.
  await overrideMoves(page, r.id, { allowed_moves: [], can_approve: false });
  await page.goto(app.url(`${portal}/repairs/${r.id}`));
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.getByText('Approval comes from the server').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Cancel repair' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: /^Approve/ }).count(), 0);
  await page.unrouteAll();
  await page.reload();
  await page.getByRole('button', { name: 'Cancel repair' }).waitFor();
  await page.getByRole('button', { name: /^Approve/ }).first().waitFor();
  await page.context().close();
});

/** The Main navigation's labels the checks below look for, by language (web/src/lib/i18n/{en,es}/common.ts). */
const NAV = {
  en: { main: 'Main', links: ['Queue', 'Figures', 'Settings'] },
  es: { main: 'Principal', links: ['Cola', 'Cifras', 'Ajustes'] },
};
/** Every shop link in order, by language; a technician has all but the first (Queue). */
const SHOP_LINKS = {
  en: ['Queue', 'Requests', 'Board', 'Repairs', 'Customers', 'Schedule', 'Calendar', 'Parts', 'Figures', 'Messages', 'Settings'],
  es: ['Cola', 'Solicitudes', 'Tablero', 'Reparaciones', 'Clientes', 'Horario', 'Calendario', 'Repuestos', 'Cifras', 'Mensajes', 'Ajustes'],
};
const linksOf = (role, lang) => (role === 'tech' ? SHOP_LINKS[lang].slice(1) : SHOP_LINKS[lang]);
/** The widths between the menu (at 1080 px and below) and a wide screen: every 40 px up to 1366, and 1920. */
const NAV_WIDTHS = [...Array.from({ length: 8 }, (_, i) => 1081 + 40 * i), 1366, 1600, 1920];

/** Asserts that the shop's top bar on `page` is one line: the links on one row, nothing overlapping or off screen. */
async function assertNavOneLine(page, lang, width) {
  const what = `${lang} at ${width} px`;
  const nav = page.getByRole('navigation', { name: NAV[lang].main });
  const links = nav.getByRole('link');
  await links.first().waitFor();
  const names = await links.allInnerTexts();
  assert.ok(NAV[lang].links.every((l) => names.includes(l)), `${what}: ${names.join(',')}`);
  const tops = await links.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  assert.equal(new Set(tops).size, 1, `${what}: the links sit on one line (tops ${tops.join(',')})`);
  const bar = await page.locator('header.topbar').boundingBox();
  assert.ok(bar.height < 70, `${what}: the bar is one line high (${bar.height} px)`);
  // Nothing overlaps or leaves the screen: the last link ends before the user's name, the bell is inside.
  const lastLink = await links.last().boundingBox();
  const who = await page.locator('header .who').boundingBox();
  const bell = await page.locator('header .bell-slot').boundingBox();
  assert.ok(lastLink.x + lastLink.width <= who.x, `${what}: the links end (${lastLink.x + lastLink.width}) before the user (${who.x})`);
  assert.ok(who.x + who.width <= width && bell.x + bell.width <= width, `${what}: the user and the bell are on screen`);
}

/**
 * Asserts that the shop's top bar is one row at `width`, with every link of `role` reachable: shown in the
 * bar or, when they do not all fit, under a "More" button at the end of the row (a disclosure: aria-expanded,
 * opened and closed by keyboard). Everything in the bar — links, More, user, bell — sits on one row and on screen.
 */
async function assertNavRow(page, role, lang, width) {
  const what = `${role}, ${lang} at ${width} px`;
  await page.setViewportSize({ width, height: 800 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const nav = page.getByRole('navigation', { name: NAV[lang].main });
  const more = nav.getByRole('button', { name: MORE[lang] });
  assert.equal(await page.getByRole('button', { name: NAV_MENU[lang] }).isVisible(), false, `${what}: no menu button`);
  // The row: the links shown, the More button if any, the user; the bell and the brand.
  const row = nav.locator(':scope > ul > li > a, :scope > ul > li > button, .who');
  const boxes = (await row.evaluateAll((els) => els
    .filter((e) => e.getClientRects().length > 0)
    .map((e) => { const b = e.getBoundingClientRect(); return { text: e.textContent.trim(), top: b.top, bottom: b.bottom, left: b.left, right: b.right }; })));
  const brand = await page.locator('header .brand').boundingBox();
  const bell = await page.locator('header .bell-slot').boundingBox();
  const bar = await page.locator('header.topbar').boundingBox();
  assert.ok(bar.height < 70, `${what}: the bar is one row high (${bar.height} px)`);
  const mid = (b) => (b.top + b.bottom) / 2;
  for (const b of boxes) {
    assert.ok(Math.abs(mid(b) - (brand.y + brand.height / 2)) < 8, `${what}: "${b.text}" sits on the brand's row (${b.top}..${b.bottom}; brand ${brand.y}..${brand.y + brand.height})`);
  }
  for (let i = 1; i < boxes.length; i++) {
    assert.ok(boxes[i - 1].right <= boxes[i].left + 0.5, `${what}: "${boxes[i - 1].text}" ends (${boxes[i - 1].right}) before "${boxes[i].text}" starts (${boxes[i].left})`);
  }
  assert.ok(brand.x + brand.width <= boxes[0].left, `${what}: the brand ends before the links`);
  assert.ok(boxes.at(-1).right <= bell.x && bell.x + bell.width <= width, `${what}: the user, then the bell, on screen`);
  assert.ok(Math.abs(bell.y + bell.height / 2 - (brand.y + brand.height / 2)) < 8, `${what}: the bell sits on the brand's row`);

  // Every link of the role is there, in order: in the bar, then under More.
  const shown = await nav.locator(':scope > ul > li > a').evaluateAll((els) => els.filter((e) => e.getClientRects().length > 0).map((e) => e.textContent.trim()));
  let under = [];
  if (await more.isVisible()) {
    assert.equal(await more.getAttribute('aria-expanded'), 'false', `${what}: More starts closed`);
    await more.focus();
    await page.keyboard.press('Enter');
    assert.equal(await more.getAttribute('aria-expanded'), 'true', `${what}: Enter opens More`);
    const panel = page.locator(`#${await more.getAttribute('aria-controls')}`);
    under = await panel.getByRole('link').allInnerTexts();
    await page.keyboard.press('Escape');
    assert.equal(await more.getAttribute('aria-expanded'), 'false', `${what}: Escape closes More`);
    assert.ok(await more.evaluate((e) => e === document.activeElement), `${what}: focus back on More`);
  }
  assert.deepEqual([...shown, ...under.map((s) => s.trim())], linksOf(role, lang), `${what}: every link, in order`);
  return { shown, under };
}
const MORE = { en: 'More', es: 'Más' };
const NAV_MENU = { en: 'Menu', es: 'Menú' };

// The admin has the most links (with Queue) and, in Spanish, the widest role ("administrador").
test("the shop's top navigation is one line at 1280 and 1366 px in English and Spanish, and a menu at 375 px", async () => {
  const admin = await app.api('admin');
  try {
    for (const lang of ['en', 'es']) {
      await admin.ok('PATCH', '/api/v1/me', { language: lang });
      for (const width of [1280, 1366]) {
        const wide = await app.signedIn('admin', { width, height: 800 });
        await wide.goto(app.url(`${shop}/board`));
        await assertNavOneLine(wide, lang, width);
        if (lang === 'en' && width === 1366) {
          // Language and sign-out sit in the user's panel.
          await wide.locator('header .who').click();
          await wide.getByRole('button', { name: 'Sign out' }).waitFor();
          await shot(wide, 'shop-nav-1366', { fullPage: false });
        } else {
          await shot(wide, `shop-nav-${width}-${lang}`, { fullPage: false });
        }
        await wide.context().close();
      }
    }
  } finally {
    await admin.ok('PATCH', '/api/v1/me', { language: 'en' });
  }

  const phone = await app.signedIn('admin', { width: 375, height: 760, isMobile: true, hasTouch: true });
  await phone.goto(app.url(`${shop}/board`));
  const menu = phone.getByRole('button', { name: 'Menu' });
  await menu.waitFor();
  assert.equal(await phone.getByRole('link', { name: 'Figures' }).isVisible(), false, 'the links are folded away');
  await menu.click();
  await phone.getByRole('link', { name: 'Figures' }).waitFor();
  const { scroll, client } = await scrollWidths(phone);
  assert.ok(scroll <= client, `no sideways scrolling (${scroll} > ${client})`);
  await shot(phone, 'shop-nav-375-open', { fullPage: false });
  await phone.context().close();
});

// Between the menu (1080 px and below) and a wide screen, the bar is one row for every shop role in both
// languages; what does not fit goes under More. (Before More, Spanish wrapped to two rows from 1081 to
// about 1240 px for the admin and the manager.)
test("the shop's top navigation is one row at every width from 1081 to 1920 px, for every shop role, in English and Spanish", async () => {
  for (const role of ['admin', 'manager', 'tech']) {
    const api = await app.api(role);
    try {
      for (const lang of ['en', 'es']) {
        await api.ok('PATCH', '/api/v1/me', { language: lang });
        const page = await app.signedIn(role, { width: 1366, height: 800 });
        await page.goto(app.url(`${shop}/board`));
        await page.getByRole('navigation', { name: NAV[lang].main }).getByRole('link').first().waitFor();
        for (const width of NAV_WIDTHS) {
          await assertNavRow(page, role, lang, width);
          if (role === 'admin' && lang === 'es' && width === 1161) {
            // a width that wrapped to two rows before More: the links that do not fit, under More
            await page.getByRole('button', { name: MORE[lang] }).click();
            await page.locator('#more-nav').getByRole('link').first().waitFor();
            await shot(page, 'shop-nav-1161-es', { fullPage: false });
            await page.keyboard.press('Escape');
          }
        }
        assert.deepEqual(page.errors, []);
        await page.context().close();
      }
    } finally {
      await api.ok('PATCH', '/api/v1/me', { language: 'en' });
    }
  }
});

// A long shop name, user name and @handle are cut with an ellipsis (the whole text in a title) rather than
// pushing the links to a second row.
test('a long shop name, user name and handle do not push the shop navigation to a second row', async () => {
  const admin = await app.api('admin');
  const me = await admin.get('/api/v1/me');
  const longShop = 'Acme Glass, Windshield and Window Repair of the Greater Cincinnati Area';
  const longName = 'Maximiliana Alexandra Fernández de la Concepción y Villavicencio';
  const longHandle = 'maximiliana.fernandez.villavic';
  try {
    await admin.put(`/api/v1/tenants/${TENANT}/branding`, { ...BRANDING, company: { ...BRANDING.company, display_name: longShop } });
    await admin.ok('PATCH', '/api/v1/me', { name: longName, handle: longHandle });
    for (const lang of ['en', 'es']) {
      await admin.ok('PATCH', '/api/v1/me', { language: lang });
      const page = await app.signedIn('admin', { width: 1366, height: 800 });
      await page.goto(app.url(`${shop}/board`));
      const shopName = page.locator('header .brand .name');
      await page.locator('header .brand .name', { hasText: longShop }).waitFor();
      assert.equal(await shopName.getAttribute('title'), longShop);
      const userName = page.locator('header .who .uname');
      assert.equal(await userName.innerText(), longName);
      assert.equal(await userName.getAttribute('title'), longName);
      const roleTitle = await page.locator('header .who .role').getAttribute('title');
      assert.ok(roleTitle?.startsWith(`@${longHandle} · `), `the role line's title: ${roleTitle}`);
      for (const el of [shopName, userName, page.locator('header .who .role')]) {
        const cut = await el.evaluate((e) => ({ ellipsis: getComputedStyle(e).textOverflow, cut: e.scrollWidth > e.clientWidth }));
        assert.deepEqual(cut, { ellipsis: 'ellipsis', cut: true }, 'the long text is cut with an ellipsis');
      }
      for (const width of NAV_WIDTHS) await assertNavRow(page, 'admin', lang, width);
      if (lang === 'es') {
        await page.setViewportSize({ width: 1121, height: 800 });
        await shot(page, 'shop-nav-1121-es-long-names', { fullPage: false });
      }
      await page.context().close();
    }
  } finally {
    await admin.put(`/api/v1/tenants/${TENANT}/branding`, BRANDING);
    await admin.ok('PATCH', '/api/v1/me', { name: me.name, handle: me.handle, language: 'en' });
  }
});

test('a board column with more cards than a page: count, urgent-then-oldest order, show more, drag from page 2', async () => {
  const requester = await app.api('requester');
  const manager = await app.api('manager');
  const post = (fields) => requester.post('/api/v1/repairs', {
    customer_id: app.ids.customer, damage_type: 'Chip', description: 'Queued chip', priority: 3, ...fields,
  });
  // 110 requests: the oldest normal one first, then 107 more, a low-priority one, and an urgent one last.
  const oldest = await post({ unit_number: 'Q-000' });
  for (let i = 1; i <= 107; i++) await post({ unit_number: `Q-${String(i).padStart(3, '0')}` });
  const low = await post({ unit_number: 'Q-LOW', priority: 4, description: 'Low priority, far down the column' });
  const urgent = await post({ unit_number: 'Q-URGENT', priority: 1, description: 'Urgent, newest' });
  const total = (await manager.get('/api/v1/repairs?status=REQUESTED&page_size=1')).count;
  assert.ok(total >= 110);

  const page = await app.signedIn('manager', { width: 1366, height: 900 });
  await page.goto(app.url(`${shop}/board`));
  const column = page.locator('section[data-status="REQUESTED"]');
  const cards = column.getByRole('article');
  await cards.first().waitFor();
  assert.equal(await column.locator('.count').innerText(), String(total), 'the header shows the whole count');
  assert.equal(await cards.count(), 100, 'one page of cards');
  const names = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  assert.equal(names[0], `Repair ${urgent.id}, unit Q-URGENT`, 'the urgent one first, though newest');
  const at = (unit) => names.findIndex((n) => n.endsWith(`unit ${unit}`));
  assert.ok(at('Q-000') > 0 && at('Q-000') < at('Q-001') && at('Q-001') < at('Q-002'), 'then the oldest first');
  assert.ok(names.some((n) => n === `Repair ${oldest.id}, unit Q-000`));
  assert.ok(!names.some((n) => n.includes('Q-LOW')), 'the low-priority one is not on the first page');
  await shot(page, 'shop-board-long-column', { fullPage: false });

  await column.getByRole('button', { name: /^Show more \(\d+ more\)$/ }).click();
  const lowCard = column.getByRole('article', { name: `Repair ${low.id},` });
  await lowCard.waitFor();
  assert.equal(await cards.count(), total);
  assert.equal(await column.getByRole('button', { name: /^Show more/ }).count(), 0);

  // A card of the second page still drags: accept it by dropping it on Approved.
  // (The card sits thousands of pixels below the Approved column, so the drag is dispatched as the browser
  // would send it: dragstart on the card, dragover and drop on the column.)
  const dataTransfer = await page.evaluateHandle(() => new DataTransfer());
  const approved = page.locator('section[data-status="APPROVED"]');
  await lowCard.dispatchEvent('dragstart', { dataTransfer });
  await approved.dispatchEvent('dragover', { dataTransfer });
  assert.match(await approved.getAttribute('class'), /\bover\b/, 'Approved takes the card');
  await approved.dispatchEvent('drop', { dataTransfer });
  await page.locator('section[data-status="APPROVED"]').getByRole('article', { name: `Repair ${low.id},` }).waitFor();
  assert.equal((await manager.get(`/api/v1/repairs/${low.id}`)).status, 'APPROVED');
  // After the board converges with the server, the column keeps both loaded pages.
  await page.waitForFunction(
    (n) => document.querySelector('section[data-status="REQUESTED"] .count')?.textContent === String(n),
    total - 1
  );
  await page.waitForFunction((n) => document.querySelectorAll('section[data-status="REQUESTED"] article').length === n, total - 1);
  await page.context().close();
});

test('figures default to the 12 latest months that have repairs, say so, and offer ranges up to all time', async () => {
  const manager = await app.api('manager');
  // History that ended long ago: Jan and Mar 2019 (the other tests of this file add repairs dated today).
  for (const date of ['2019-01-15', '2019-03-02', '2019-03-20']) {
    const r = await app.staffRepair({ unit_number: `OLD-${date}`, description: 'Old history' });
    await manager.ok('PATCH', `/api/v1/repairs/${r.id}`, { repair_date: date });
  }
  await app.staffRepair({ unit_number: 'NEW-1', description: 'Dated today' });
  const page = await app.signedIn('manager', { width: 1366, height: 900 });
  await page.goto(app.url(`${shop}/figures`));
  const note = page.getByTestId('period-note');
  await note.waitFor();
  assert.match(await note.innerText(), /^The 3 latest months that have repairs \(Jan 2019 – \w+ 20\d\d\), by repair date; months without repairs are left out\.$/);
  const perMonth = page.getByRole('figure', { name: 'Repairs per month' });
  assert.match(await perMonth.innerText(), /The 3 latest months that have repairs/, 'the chart says which months it shows');
  const monthsShown = async () => {
    await perMonth.getByText('Show as table').click();
    const rows = await perMonth.locator('tbody tr td:first-child').allInnerTexts();
    await perMonth.getByText('Show as table').click();
    return rows;
  };
  const first = await monthsShown();
  assert.deepEqual(first.slice(0, 2), ['Jan 2019', 'Mar 2019']);
  assert.equal(first.length, 3);
  await shot(page, 'shop-figures-recent-months', { fullPage: false });

  const period = page.getByLabel('Period', { exact: true });
  await period.selectOption({ label: 'Last 12 calendar months' });
  await page.getByText('The last 12 calendar months, by repair date.').first().waitFor();
  assert.ok(!(await monthsShown()).includes('Jan 2019'));
  await period.selectOption({ label: 'All time' });
  await page.getByText(/^All time \(Jan 2019 – /).first().waitFor();
  assert.ok((await monthsShown()).includes('Jan 2019'));
  await page.context().close();

  // The customer dashboard: the same default, and a phone-width look.
  const phone = await app.signedIn('approver', { width: 375, height: 800, isMobile: true, hasTouch: true });
  const chart = phone.getByRole('figure', { name: 'Repairs per month' });
  await chart.getByText(/The 3 latest months that have repairs \(Jan 2019 – /).waitFor();
  const { scroll, client } = await scrollWidths(phone);
  assert.ok(scroll <= client, `no sideways scrolling (${scroll} > ${client})`);
  await chart.scrollIntoViewIfNeeded();
  await shot(phone, 'phone-customer-dashboard-recent-months', { fullPage: false });
  await phone.context().close();
});
