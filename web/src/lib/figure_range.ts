/**
 * The period of the monthly figures (GET /stats/repairs). The default is "the 12 most recent months that
 * have repairs" (`months=12`, answered by the server), so a history that ended years ago still fills the
 * charts; calendar ranges and "all time" are offered too.
 */
import type { PeriodStat } from './api/types';
import { fmtMonth, isoDate } from './format';

export type FigureRange = 'recent12' | 'recent24' | 'last3' | 'last12' | 'all';

export const FIGURE_RANGES: { value: FigureRange; label: string }[] = [
	{ value: 'recent12', label: '12 latest months with repairs' },
	{ value: 'recent24', label: '24 latest months with repairs' },
	{ value: 'last3', label: 'Last 3 calendar months' },
	{ value: 'last12', label: 'Last 12 calendar months' },
	{ value: 'all', label: 'All time' }
];

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
			if (!rows.length) return 'No repairs yet.';
			return `The ${rows.length < n ? rows.length : n} latest months that have repairs (${span}), by repair date; months without repairs are left out.`;
		}
		case 'last3':
			return 'The last 3 calendar months, by repair date.';
		case 'last12':
			return 'The last 12 calendar months, by repair date.';
		case 'all':
			return rows.length ? `All time (${span}), by repair date.` : 'All time, by repair date.';
	}
}
