// Tenant branding: public GET, PUT by the tenant's admin, colour validation.
//
// Another tenant's admin gets 403, not 404: branding is public (GET needs no login), so the tenant and its
// branding are not "outside the caller's scope" — their existence is no secret and a 404 would be a lie.
// By API.md's order of checks, a record inside the caller's scope that the caller may not change is
// "caller not allowed" -> 403.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer, assertProblem, assertStatus } from './harness.mjs';

const ctx = useServer();
const HEX = /^#[0-9a-fA-F]{6}$/;
const URL_ = (slug) => `/api/v1/tenants/${slug}/branding`;

function assertBrandingShape(b, summary) {
  assert.ok(b && typeof b === 'object', summary);
  for (const k of ['name', 'display_name', 'support_email', 'support_phone', 'support_hours', 'website']) {
    assert.ok(b.company && k in b.company, `company.${k}: ${summary}`);
  }
  for (const k of ['primary', 'secondary', 'accent', 'background', 'text']) {
    assert.match(String(b.colors?.[k]), HEX, `colors.${k} is #rrggbb: ${summary}`);
  }
  assert.ok('logo_url' in b, `logo_url: ${summary}`);
  for (const k of ['welcome_message', 'footer_text']) {
    assert.ok(b.portal && k in b.portal, `portal.${k}: ${summary}`);
  }
}

/** The branding as a PUT body: exactly the documented shape. */
function asPutBody(b) {
  const pick = (o, keys) => Object.fromEntries(keys.map((k) => [k, o[k]]));
  return {
    company: pick(b.company, ['name', 'display_name', 'support_email', 'support_phone', 'support_hours', 'website']),
    colors: pick(b.colors, ['primary', 'secondary', 'accent', 'background', 'text']),
    logo_url: b.logo_url,
    portal: pick(b.portal, ['welcome_message', 'footer_text']),
  };
}

async function current(slug) {
  const res = await ctx.server.client().get(URL_(slug));
  assertStatus(res, 200);
  return res.body;
}

describe('public GET', () => {
  test('anyone reads a tenant\'s branding without logging in (documented shape)', async () => {
    for (const slug of ['acme', 'globex']) {
      const res = await ctx.server.client().get(URL_(slug));
      assertStatus(res, 200);
      assert.match(res.contentType, /^application\/json/);
      assertBrandingShape(res.body, res.summary);
    }
  });

  test('an unknown slug is 404', async () => {
    assertProblem(await ctx.server.client().get(URL_('no-such-shop')), 404);
  });
});

describe('PUT', () => {
  test('the tenant admin replaces it (200, updated); the public GET shows it; the other tenant is untouched', async () => {
    const s = ctx.server;
    const before = await current('acme');
    const globexBefore = await current('globex');
    const body = asPutBody(before);
    body.colors.primary = '#112233';
    body.colors.accent = '#abcdef';
    body.company.display_name = 'Acme Glass — Mobile Repair';
    body.company.support_email = 'help@acme.test';
    body.portal.welcome_message = 'Welcome to Acme, fleet friends';
    const res = await (await s.login('acme', 'admin')).put(URL_('acme'), body);
    assertStatus(res, 200);
    assertBrandingShape(res.body, res.summary);
    assert.equal(res.body.colors.primary.toLowerCase(), '#112233');
    assert.equal(res.body.portal.welcome_message, 'Welcome to Acme, fleet friends');
    const after = await current('acme');
    assert.equal(after.colors.primary.toLowerCase(), '#112233');
    assert.equal(after.colors.accent.toLowerCase(), '#abcdef');
    assert.equal(after.company.display_name, 'Acme Glass — Mobile Repair');
    assert.equal(after.company.support_email, 'help@acme.test');
    assert.deepEqual(await current('globex'), globexBefore);
  });

  test('a bearer token of the admin works too', async () => {
    const s = ctx.server;
    const body = asPutBody(await current('globex'));
    body.portal.footer_text = 'Globex © 2026';
    const res = await (await s.bearer('globex', 'admin')).put(URL_('globex'), body);
    assertStatus(res, 200);
    assert.equal((await current('globex')).portal.footer_text, 'Globex © 2026');
  });

  test('colours must be #rrggbb: 400 with errors["colors.primary"] (and other colour fields)', async () => {
    const s = ctx.server;
    const a = await s.bearer('acme', 'admin');
    const before = await current('acme');
    for (const bad of ['red', '#12345', '#1234567', '#12345g', '112233', '']) {
      const body = asPutBody(before);
      body.colors.primary = bad;
      assertProblem(await a.put(URL_('acme'), body), 400, ['colors.primary']);
    }
    const body = asPutBody(before);
    body.colors.secondary = '#fff';
    body.colors.text = 'black';
    assertProblem(await a.put(URL_('acme'), body), 400, ['colors.secondary', 'colors.text']);
    assert.deepEqual(await current('acme'), before, 'a refused PUT changes nothing');
  });

  test('a wrong type and an unknown nested field are 400', async () => {
    const a = await ctx.server.bearer('acme', 'admin');
    const before = await current('acme');
    const wrongType = asPutBody(before);
    wrongType.colors.primary = 0x112233;
    assertProblem(await a.put(URL_('acme'), wrongType), 400, ['colors.primary']);
    const unknown = asPutBody(before);
    unknown.colors.sparkle = '#ffffff';
    const res = await a.put(URL_('acme'), unknown);
    assertProblem(res, 400);
    assert.ok(Object.keys(res.body.errors ?? {}).some((k) => k.includes('sparkle')), `errors name the unknown field: ${res.summary}`);
  });

  test('manager, technician and customer users of the tenant may not (403)', async () => {
    const s = ctx.server;
    const body = asPutBody(await current('acme'));
    body.colors.primary = '#000000';
    for (const key of ['manager', 'technician', 'c1_approver']) {
      assertProblem(await (await s.bearer('acme', key)).put(URL_('acme'), body), 403);
    }
    assert.notEqual((await current('acme')).colors.primary, '#000000');
  });

  test("another tenant's admin may not (403: branding is public, so it is in scope but not theirs)", async () => {
    const s = ctx.server;
    const body = asPutBody(await current('acme'));
    body.company.display_name = 'Pwned by Globex';
    const res = await (await s.login('globex', 'admin')).put(URL_('acme'), body);
    assertProblem(res, 403);
    assert.notEqual((await current('acme')).company.display_name, 'Pwned by Globex');
  });

  test('unauthenticated is 401; a cookie without CSRF is 403; an unknown slug is 404', async () => {
    const s = ctx.server;
    const body = asPutBody(await current('acme'));
    assertProblem(await s.client().put(URL_('acme'), body), 401);
    assertProblem(await (await s.login('acme', 'admin')).put(URL_('acme'), body, { csrf: false }), 403);
    assertProblem(await (await s.bearer('acme', 'admin')).put(URL_('no-such-shop'), body), 404);
  });
});
