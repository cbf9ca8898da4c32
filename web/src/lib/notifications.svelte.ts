/**
 * The signed-in user's notifications: the unread count for the bell (loaded on start, refreshed on every
 * `notification.created` event, which the server addresses only to its recipient, and when the live
 * connection comes back), and the list for the panel.
 */
import * as api from './api/endpoints';
import type { Notification } from './api/types';
import { live } from './live.svelte';

const PAGE_SIZE = 20;

class Notifications {
	unread = $state(0);
	items = $state<Notification[]>([]);
	next = $state<string | null>(null);
	loading = $state(false);
	error = $state('');
	/** The list is shown (reload it when something new arrives). */
	open = $state(false);

	private page = 1;
	private off: (() => void) | null = null;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private due = 0;
	private counting = 0;

	start() {
		if (this.off) return;
		this.off = live.subscribe((events) => {
			if (events.some((e) => e.type === 'notification.created')) this.changed();
		});
		void this.refreshCount();
	}

	stop() {
		this.off?.();
		this.off = null;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.unread = 0;
		this.items = [];
		this.next = null;
		this.open = false;
	}

	/** Something new: refresh (coalesced, a burst of events makes one request). */
	changed(delay = 250) {
		const due = Date.now() + delay;
		if (this.timer && this.due <= due) return;
		if (this.timer) clearTimeout(this.timer);
		this.due = due;
		this.timer = setTimeout(() => {
			this.timer = null;
			void this.refreshCount();
			if (this.open) void this.load();
		}, delay);
	}

	async refreshCount() {
		const ticket = ++this.counting;
		try {
			const { unread } = await api.unreadCount();
			if (ticket === this.counting) this.unread = unread;
		} catch {
			// keep the last count; the next event or load tries again
		}
	}

	/** First page (newest first). */
	async load() {
		this.loading = true;
		this.error = '';
		try {
			const page = await api.notifications({ page: 1, page_size: PAGE_SIZE });
			this.page = 1;
			this.items = page.results;
			this.next = page.next;
		} catch (err) {
			this.error = err instanceof Error ? err.message : String(err);
		} finally {
			this.loading = false;
		}
	}

	async more() {
		if (!this.next || this.loading) return;
		this.loading = true;
		try {
			const page = await api.notifications({ page: this.page + 1, page_size: PAGE_SIZE });
			this.page += 1;
			const seen = new Set(this.items.map((n) => n.id));
			this.items = [...this.items, ...page.results.filter((n) => !seen.has(n.id))];
			this.next = page.next;
		} catch (err) {
			this.error = err instanceof Error ? err.message : String(err);
		} finally {
			this.loading = false;
		}
	}

	async markRead(n: Notification) {
		if (n.read) return;
		const i = this.items.findIndex((x) => x.id === n.id);
		if (i >= 0) this.items[i] = { ...this.items[i], read: true };
		this.unread = Math.max(0, this.unread - 1);
		this.counting++; // an older count request in flight must not overwrite this
		try {
			const updated = await api.readNotification(n.id);
			const j = this.items.findIndex((x) => x.id === n.id);
			if (j >= 0 && updated && typeof updated === 'object') this.items[j] = updated;
		} finally {
			void this.refreshCount();
		}
	}

	async markAllRead() {
		this.items = this.items.map((n) => (n.read ? n : { ...n, read: true }));
		this.counting++;
		try {
			const res = await api.readAllNotifications();
			this.unread = typeof res?.unread === 'number' ? res.unread : 0;
		} catch (err) {
			this.error = err instanceof Error ? err.message : String(err);
			void this.refreshCount();
		}
	}
}

export const notifications = new Notifications();
