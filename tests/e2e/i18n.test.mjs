// The portals' message catalogues (issue 13): a key in one language and not the other fails this test
// (web/src/lib/i18n/en.ts is the reference, es.ts the Spanish one), and every {parameter} of a message
// exists in both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './harness.mjs';

function catalogue(lang) {
  const text = readFileSync(path.join(REPO_ROOT, 'web', 'src', 'lib', 'i18n', `${lang}.ts`), 'utf8');
  const out = new Map();
  for (const m of text.matchAll(/^\s*'([\w.]+)':\s*'((?:[^'\\]|\\.)*)',?\s*$/gm)) out.set(m[1], m[2]);
  return out;
}

test('English and Spanish have the same keys', () => {
  const en = catalogue('en');
  const es = catalogue('es');
  assert.ok(en.size > 50, `read ${en.size} English keys`);
  assert.deepEqual([...en.keys()].filter((k) => !es.has(k)), [], 'keys missing in es.ts');
  assert.deepEqual([...es.keys()].filter((k) => !en.has(k)), [], 'keys only in es.ts');
});

test('every message has the same parameters in both languages', () => {
  const en = catalogue('en');
  const es = catalogue('es');
  const params = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [k, v] of en) assert.deepEqual(params(es.get(k) ?? ''), params(v), k);
});
