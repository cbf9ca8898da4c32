/**
 * Live updates without reload: long-polls GET /events and tells subscribers.
 * (The WebSocket endpoint carries the same events; long-poll is used because
 * it survives every proxy and needs no reconnect bookkeeping beyond `after`.)
 */
import { ApiError } from './api/client';
import * as api from './api/endpoints';
import type { ApiEvent } from './api/types';

type Listener = (events: ApiEvent[]) => void;

class Live {
	connected = $state(false);
	private listeners = new Set<Listener>();
	private running = false;
	private abort: AbortController | null = null;
	private lastId: number | null = null;
	private generation = 0;

	subscribe(fn: Listener): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	start() {
		if (this.running) return;
		this.running = true;
		void this.loop(++this.generation);
	}

	stop() {
		this.running = false;
		this.generation++;
		this.abort?.abort();
		this.abort = null;
		this.connected = false;
		this.lastId = null;
	}

	/**
	 * Where the event log stands now. API.md has no "latest" query, so ask from 0
	 * without waiting and skip forward (bounded) until a batch comes back empty;
	 * a server that answers `after` omitted / 0 with just its head `last_id` makes this one call.
	 */
	private async head(signal: AbortSignal): Promise<number> {
		let after = 0;
		for (let round = 0; round < 20; round++) {
			const batch = await api.events(after, 0, signal);
			const last = typeof batch.last_id === 'number' ? batch.last_id : after;
			if (!batch.events.length || last <= after) return last;
			after = last;
		}
		return after;
	}

	private async loop(gen: number) {
		let failures = 0;
		const alive = () => this.running && gen === this.generation;
		while (alive()) {
			this.abort = new AbortController();
			try {
				if (this.lastId === null) {
					this.lastId = await this.head(this.abort.signal);
				} else {
					const batch = await api.events(this.lastId, 25, this.abort.signal);
					if (!alive()) return;
					if (batch.events.length) this.listeners.forEach((fn) => fn(batch.events));
					if (typeof batch.last_id === 'number') this.lastId = Math.max(this.lastId, batch.last_id);
				}
				this.connected = true;
				failures = 0;
			} catch (err) {
				if (!alive()) return;
				this.connected = false;
				if (err instanceof ApiError && (err.status === 401 || err.status === 404)) {
					// signed out (the 401 handler sends us to login) or no events endpoint yet
					this.running = false;
					return;
				}
				failures++;
				await new Promise((r) => setTimeout(r, Math.min(30000, 1000 * 2 ** failures)));
			}
			if (document.hidden) await new Promise((r) => setTimeout(r, 2000));
		}
	}
}

export const live = new Live();

/** Subscribe for the life of a component to repair events; calls `fn` at most every 800 ms. */
export function onRepairEvents(fn: (events: ApiEvent[]) => void, filter?: (e: ApiEvent) => boolean): () => void {
	let pending: ApiEvent[] = [];
	let timer: ReturnType<typeof setTimeout> | null = null;
	return live.subscribe((events) => {
		const relevant = events.filter((e) => e.type.startsWith('repair.') && (!filter || filter(e)));
		if (!relevant.length) return;
		pending.push(...relevant);
		if (timer) return;
		timer = setTimeout(() => {
			const batch = pending;
			pending = [];
			timer = null;
			fn(batch);
		}, 800);
	});
}
