/**
 * The portals' messages in English and Spanish (issue 13): a small typed catalogue (en.ts is the
 * reference, es.ts must have the same keys), `t(key, params)` for a message in the current language, and
 * `Intl` formatters for dates, numbers and money in that language. The language is the user's own
 * (`/me.language`, changed with PATCH /me), else the browser's, else the tenant's (branding
 * `default_language`, also in `/me.tenant`), else English.
 * New pages adopt it by importing `t` and adding their keys to both catalogues.
 */
import { en, type MessageKey } from './en';
import { es } from './es';

export type Language = 'en' | 'es';
export const LANGUAGES: readonly Language[] = ['en', 'es'];
const catalogues: Record<Language, Record<MessageKey, string>> = { en, es };

function browserLanguage(): Language | null {
	if (typeof navigator === 'undefined') return null;
	for (const l of navigator.languages ?? [navigator.language]) {
		const base = l?.slice(0, 2).toLowerCase();
		if (base === 'es' || base === 'en') return base;
	}
	return null;
}

class I18n {
	/** The user's own choice (from /me), null when none. */
	chosen = $state<Language | null>(null);
	/** The tenant's default language, for browsers in neither language (set from the branding and /me). */
	tenantDefault = $state<Language | null>(null);
	/** What the pages show. */
	get lang(): Language {
		return this.chosen ?? browserLanguage() ?? this.tenantDefault ?? 'en';
	}
	/** Follows the tenant's `default_language` (API.md "Users (additions)": the browser's, else the tenant's). */
	adoptTenantDefault(language: string | null | undefined) {
		this.tenantDefault = language === 'es' || language === 'en' ? language : null;
	}
	/** Follows /me.language; a user without a choice keeps what the page shows (a choice made before signing in). */
	adopt(language: string | null | undefined) {
		if (language === 'es' || language === 'en') this.chosen = language;
	}
}

export const i18n = new I18n();

/** The message `key` in the current language with `{param}`s filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
	const text = catalogues[i18n.lang][key] ?? en[key];
	return text.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m));
}

/** A timestamp as a date and time in the current language. */
export function formatDateTime(iso: string): string {
	return new Intl.DateTimeFormat(i18n.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** Money ("50.00" from the API) in the current language and the tenant's currency. */
export function formatMoneyIn(amount: string, currency = 'USD'): string {
	return new Intl.NumberFormat(i18n.lang, { style: 'currency', currency }).format(Number(amount));
}
