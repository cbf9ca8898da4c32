/**
 * Spanish messages: the same keys as en.ts, kept in es/*.ts with the same split as en/*.ts (each part must
 * have exactly the keys of its English part, and the whole exactly MessageKey: a missing or extra key is a
 * type error and fails the parity test in tests/e2e/i18n.test.mjs).
 */
import type { MessageKey } from './en';
import { auth } from './es/auth';
import { common } from './es/common';
import { conversations } from './es/conversations';
import { portal } from './es/portal';
import { repairs } from './es/repairs';
import { schedule } from './es/schedule';
import { settings } from './es/settings';
import { shop } from './es/shop';

export const es: Record<MessageKey, string> = {
	...common,
	...auth,
	...repairs,
	...conversations,
	...portal,
	...shop,
	...schedule,
	...settings
};
