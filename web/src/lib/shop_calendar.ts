/**
 * Layout helpers of the shop's calendar (issue 12). Nothing here decides whether a time is free: the
 * server's availability and its 409 on a taken slot do that. These only place the day's appointments on a
 * grid and turn a local wall time of the shop's zone into the UTC instant the API takes.
 */
import type { Appointment, ShopSettings } from '$lib/api/shop';
import { DAYS } from '$lib/api/shop';

/** "HH:MM" -> minutes after midnight. */
export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
/** Minutes after midnight -> "HH:MM". */
export const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The opening intervals of a YYYY-MM-DD date, in minutes after local midnight. */
export function openingOf(settings: ShopSettings, date: string): [number, number][] {
	const weekday = DAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7];
	return settings.opening_hours[weekday].map(([a, b]) => [minutesOf(a), minutesOf(b)]);
}

/** The length of an appointment in minutes (real time). */
export const lengthOf = (a: Appointment) => Math.max(1, Math.round((Date.parse(a.ends_at) - Date.parse(a.starts_at)) / 60000));

export interface Placed {
	appointment: Appointment;
	lane: number; // 0-based bay column
	row: number; // 0-based grid row of its start
	span: number; // rows covered
}

/**
 * The day's time rows (every `step` minutes from the earliest opening or appointment to the latest close
 * or end) and the appointments placed in bay columns: by start time, each in the first bay free at its
 * start. The server never lets more appointments overlap than there are bays, so `lanes` is `bays` unless
 * older appointments outnumber a reduced bay count.
 */
export function bayLayout(items: Appointment[], opening: [number, number][], bays: number, step: number) {
	const startOf = (a: Appointment) => minutesOf(a.local_start.slice(11, 16));
	let first = Math.min(...opening.map((o) => o[0]), ...items.map(startOf));
	let last = Math.max(...opening.map((o) => o[1]), ...items.map((a) => startOf(a) + lengthOf(a)));
	if (!Number.isFinite(first) || !Number.isFinite(last)) [first, last] = [8 * 60, 17 * 60];
	first = Math.floor(first / step) * step;
	last = Math.min(24 * 60, Math.ceil(last / step) * step);
	const times: number[] = [];
	for (let m = first; m < last; m += step) times.push(m);
	const laneEnds: number[] = Array.from({ length: Math.max(1, bays) }, () => -1);
	const placed: Placed[] = [];
	for (const a of [...items].sort((x, y) => x.starts_at.localeCompare(y.starts_at) || x.id - y.id)) {
		const start = startOf(a);
		const end = start + lengthOf(a);
		let lane = laneEnds.findIndex((e) => e <= start);
		if (lane < 0) {
			lane = laneEnds.length;
			laneEnds.push(-1);
		}
		laneEnds[lane] = end;
		const row = Math.max(0, Math.floor((start - first) / step));
		placed.push({ appointment: a, lane, row, span: Math.max(1, Math.ceil((end - first) / step) - row) });
	}
	const open = (m: number) => opening.some(([a, b]) => m >= a && m < b);
	return { times, lanes: laneEnds.length, placed, open };
}

/** The offset of `zone` from UTC at instant `ms`, in milliseconds. */
function offsetAt(zone: string, ms: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	}).formatToParts(new Date(ms));
	const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
	return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - ms;
}

/**
 * The UTC instant (RFC 3339, "…Z") of the local wall time `date`T`time` in `zone`. A time the clocks skip
 * comes out an hour off, and the server answers 409 for it (it is on no grid); nothing is decided here.
 */
export function zonedToUtc(date: string, time: string, zone: string): string {
	const wall = Date.parse(`${date}T${time}:00Z`);
	let ms = wall - offsetAt(zone, wall);
	ms = wall - offsetAt(zone, ms);
	return new Date(ms).toISOString().replace('.000Z', 'Z');
}
