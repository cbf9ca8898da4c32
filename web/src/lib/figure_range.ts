/**
 * The period of the monthly figures (GET /stats/repairs). The default is "the 12 most recent months that
 * have repairs" (`months=12`, answered by the server), so a history that ended years ago still fills the
 * charts; calendar ranges and "all time" are offered too.
 */
import { t } from './i18n/index.svelte';
import type { MessageKey } from './i18n/en';
import type { PeriodStat } from './api/types';
import { fmtMonth, isoDate } from './format';

export type FigureRange = 'recent12' | 'recent24' | 'last3' | 'last12' | 'all';

export const FIGURE_RANGES: { value: FigureRange; label: string }[] = [
	{ value: 'recent12', key: 'figures.range.recent12' },
	{ value: 'recent24', key: 'figures.range.recent24' },
	{ value: 'last3', key: 'figures.range.last3' },
	{ value: 'last12', key: 'figures.range.last12' },
	{ value: 'all', key: 'figures.range.all' }
].map(({ value, key }) => ({
	value: value as FigureRange,
	/** In the current language (read through t() each time). */
	get label() {
		return t(key as MessageKey);
	}
}));

function monthsAgo(n: number): string {
	const d = new Date();
	d.setDate(1);
	d.setMonth(d.getMonth() - n);
	return isoDate(d);
}

/** The query parameters of /stats/repairs for `range`. */
export function rangeQuery(range: FigureRange): { months?: number; from?: string } {
	switch (range) {
		case 'recent12':
			return { months: 12 };
		case 'recent24':
			return { months: 24 };
		case 'last3':
			return { from: monthsAgo(2) };
		case 'last12':
			return { from: monthsAgo(11) };
		case 'all':
			return {};
	}
}

/** The chart subtitle: which months the figures cover, said plainly. */
export function rangeSubtitle(range: FigureRange, rows: PeriodStat[]): string {
	const span = rows.length ? `${fmtMonth(rows[0].period)} – ${fmtMonth(rows[rows.length - 1].period)}` : '';
	switch (range) {
		case 'recent12':
		case 'recent24': {
			const n = range === 'recent12' ? 12 : 24;
			if (!rows.length) return t('figures.range.none');
			if (rows.length === 1) return t('figures.range.recentOneSubtitle', { span });
			return t('figures.range.recentSubtitle', { n: rows.length < n ? rows.length : n, span });
		}
		case 'last3':
			return t('figures.range.last3Subtitle');
		case 'last12':
			return t('figures.range.last12Subtitle');
		case 'all':
			return rows.length ? t('figures.range.allSpanSubtitle', { span }) : t('figures.range.allSubtitle');
	}
}
