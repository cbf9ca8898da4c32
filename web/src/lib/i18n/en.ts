/**
 * English messages (the reference catalogue), kept by area in en/*.ts and combined here. Keys are dotted by
 * page or component; `{name}` marks a parameter. es.ts (es/*.ts, one file per file here) must have exactly
 * the same keys (the types say so, and tests/e2e/i18n.test.mjs checks, including that no key is in two parts).
 * Each message stays on one line, `'key': 'value',`: the test reads the files with a regular expression.
 */
import { auth } from './en/auth';
import { common } from './en/common';
import { conversations } from './en/conversations';
import { portal } from './en/portal';
import { repairs } from './en/repairs';
import { schedule } from './en/schedule';
import { settings } from './en/settings';
import { shop } from './en/shop';

export const en = {
	...common,
	...auth,
	...repairs,
	...conversations,
	...portal,
	...shop,
	...schedule,
	...settings
} as const;

export type MessageKey = keyof typeof en;
