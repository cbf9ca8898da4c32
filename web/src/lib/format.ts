/**
 * Dates, money and numbers in the user's language (i18n.lang, Intl) and the tenant's currency (the
 * branding's `currency` when the API gives one, else USD). Spanish is formatted as in Latin America
 * (es-419). Formatters are made once per language.
 */
import { brand } from './branding.svelte';
import { i18n } from './i18n/index.svelte';

/** The Intl locale of the current language. */
export function locale(): string {
	return i18n.lang === 'es' ? 'es-419' : 'en';
}

/** The tenant's ISO 4217 currency: the branding's if the API gives one, else USD. */
export function currency(): string {
	const c = (brand.value as { currency?: unknown } | null)?.currency;
	return typeof c === 'string' && /^[A-Z]{3}$/.test(c) ? c : 'USD';
}

const cache = new Map<string, unknown>();
function cached<T>(key: string, make: () => T): T {
	if (!cache.has(key)) cache.set(key, make());
	return cache.get(key) as T;
}
const dateFmt = () => cached(`d:${locale()}`, () => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }));
const dateTimeFmt = () =>
	cached(`dt:${locale()}`, () => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }));
const monthFmt = () =>
	cached(`m:${locale()}`, () => new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }));
const numberFmt = () => cached(`n:${locale()}`, () => new Intl.NumberFormat(locale()));
const moneyFmt = () =>
	cached(
		`c:${locale()}:${currency()}`,
		() => new Intl.NumberFormat(locale(), { style: 'currency', currency: currency(), currencyDisplay: 'narrowSymbol' })
	);
const relFmt = () =>
	cached(`r:${locale()}`, () => new Intl.RelativeTimeFormat(locale(), { numeric: 'auto', style: 'narrow' }));

/** A YYYY-MM-DD is a calendar date: show it without a time-zone shift. */
function parseDate(value: string): Date {
	if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
		const [y, m, d] = value.split('-').map(Number);
		return new Date(y, m - 1, d);
	}
	return new Date(value);
}

export function fmtDate(value: string | null | undefined): string {
	if (!value) return '—';
	const d = parseDate(value);
	return isNaN(d.getTime()) ? value : dateFmt().format(d);
}

export function fmtDateTime(value: string | null | undefined): string {
	if (!value) return '—';
	const d = new Date(value);
	return isNaN(d.getTime()) ? value : dateTimeFmt().format(d);
}

/** "2024-05" -> "May 2024". */
export function fmtMonth(period: string): string {
	const m = /^(\d{4})-(\d{2})$/.exec(period);
	if (!m) return period;
	return monthFmt().format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
}

export function fmtNumber(n: number | null | undefined): string {
	return n == null ? '—' : numberFmt().format(n);
}

/** Money arrives as a two-decimal string; shown in the tenant's currency with the language's separators. */
export function fmtMoney(value: string | null | undefined): string {
	if (value == null || value === '') return '—';
	const n = Number(value);
	return isNaN(n) ? value : moneyFmt().format(n);
}

/** Exact money arithmetic: "12.34" -> 1234 minor units. */
export function toCents(value: string | null | undefined): number {
	if (!value) return 0;
	const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
	if (!m) return NaN;
	const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
	return m[1] ? -cents : cents;
}

export function fromCents(cents: number): string {
	const sign = cents < 0 ? '-' : '';
	const abs = Math.abs(Math.round(cents));
	return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Normalise user input such as "12", "12.5", "12,50" to "12.50"; null when invalid. */
export function normaliseMoney(input: string): string | null {
	const t = input.trim().replace(',', '.');
	if (!/^\d+(\.\d{0,2})?$/.test(t)) return null;
	return fromCents(toCents(t.endsWith('.') ? t.slice(0, -1) : t));
}

/** "3 days ago" style age of a timestamp. */
export function fmtAge(value: string | null | undefined, now = Date.now()): string {
	if (!value) return '';
	const t = new Date(value).getTime();
	if (isNaN(t)) return '';
	const s = Math.round((t - now) / 1000);
	const abs = Math.abs(s);
	if (abs < 60) return relFmt().format(s, 'second');
	if (abs < 3600) return relFmt().format(Math.round(s / 60), 'minute');
	if (abs < 86400) return relFmt().format(Math.round(s / 3600), 'hour');
	if (abs < 86400 * 60) return relFmt().format(Math.round(s / 86400), 'day');
	if (abs < 86400 * 730) return relFmt().format(Math.round(s / (86400 * 30)), 'month');
	return relFmt().format(Math.round(s / (86400 * 365)), 'year');
}

/** Local YYYY-MM-DD of a Date. */
export function isoDate(d: Date): string {
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
