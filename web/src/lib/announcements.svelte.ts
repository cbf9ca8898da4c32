/**
 * The customer portal's active announcements (API.md "Support content"): loaded from
 * GET /announcements?active=true, reloaded whenever an announcement.* event arrives (created, updated,
 * started, deleted), and dropped on the client when their window closes. A dismissed banner stays hidden
 * for the browser session (sessionStorage), until the announcement changes.
 */
import * as api from './api/endpoints';
import type { Announcement } from './api/types';
import { live } from './live.svelte';

const KEY = 'portico.dismissed-announcements';

function readDismissed(): Set<string> {
	try {
		return new Set(JSON.parse(sessionStorage.getItem(KEY) ?? '[]'));
	} catch {
		return new Set();
	}
}

const dismissKey = (a: Announcement) => `${a.id}@${a.updated_at ?? a.created_at}`;

class Announcements {
	all = $state<Announcement[]>([]);
	now = $state(Date.now());
	private dismissed = $state(readDismissed());
	private unsubscribe: (() => void) | null = null;
	private timer: ReturnType<typeof setInterval> | null = null;
	private seq = 0;

	/** Active, not dismissed, outages first. */
	get visible(): Announcement[] {
		const rank = { outage: 0, warning: 1, info: 2 } as const;
		return this.all
			.filter((a) => !this.dismissed.has(dismissKey(a)))
			.filter((a) => !a.ends_at || Date.parse(a.ends_at) > this.now)
			.sort((a, b) => rank[a.severity] - rank[b.severity]);
	}

	start() {
		if (this.unsubscribe) return;
		this.unsubscribe = live.subscribe((events) => {
			if (events.some((e) => e.type.startsWith('announcement.'))) void this.load();
		});
		this.timer = setInterval(() => (this.now = Date.now()), 30_000);
		void this.load();
	}

	stop() {
		this.unsubscribe?.();
		this.unsubscribe = null;
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		this.all = [];
	}

	async load() {
		const my = ++this.seq;
		try {
			const list = api.rows(await api.announcements({ active: true, page_size: 200 }));
			if (my === this.seq) {
				this.all = list;
				this.now = Date.now();
			}
		} catch {
			// a banner is not worth an error page: keep what is shown
		}
	}

	dismiss(a: Announcement) {
		const next = new Set(this.dismissed);
		next.add(dismissKey(a));
		this.dismissed = next;
		try {
			sessionStorage.setItem(KEY, JSON.stringify([...next]));
		} catch {
			// storage full or disabled: dismissed for this page only
		}
	}
}

export const announcements = new Announcements();
