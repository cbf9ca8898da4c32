/**
 * Live updates without reload.
 *
 * The WebSocket `GET /api/v1/events/ws?after=<last id>` (same origin, the session cookie authenticates)
 * pushes one event per text frame. While the socket is down, the long-poll `GET /api/v1/events?after=&wait=25`
 * carries the same events, and the socket is retried with backoff. Both resume from the last event id seen,
 * so a reconnect catches up and nothing is missed; events are delivered once, in id order (an event at or
 * below the last id is a replay and dropped). Close code 4008 ("slow consumer") reconnects at once.
 */
import { ApiError } from './api/client';
import * as api from './api/endpoints';
import type { ApiEvent } from './api/types';
import { session } from './session.svelte';

type Listener = (events: ApiEvent[]) => void;

const WS_PATH = '/api/v1/events/ws';
const POLL_WAIT = 25;
const MAX_BACKOFF = 30_000;
/** Close code of the server for a client that fell behind: reconnect with after=<last id>. */
const SLOW_CONSUMER = 4008;
/** The user's role or customer access changed: reload who we are, reconnect at once. */
const ACCESS_CHANGED = 4001;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Live {
	/** Events arrive (over the socket or the long-poll). */
	connected = $state(false);
	/** How they arrive now. */
	transport = $state<'ws' | 'poll' | null>(null);
	/** Both are down after having worked, or the first connection failed: show "Reconnecting…". */
	reconnecting = $state(false);

	private listeners = new Set<Listener>();
	private running = false;
	private generation = 0;
	private lastId: number | null = null;
	private ws: WebSocket | null = null;
	private wsOpen = false;
	private wsAttempts = 0;
	private wsTimer: ReturnType<typeof setTimeout> | null = null;
	private polling = false;
	private pollAbort: AbortController | null = null;
	private onOnline = () => this.retrySoon();

	subscribe(fn: Listener): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	/** The last event id seen (null before the start point is known). */
	get last(): number | null {
		return this.lastId;
	}

	start() {
		if (this.running) return;
		this.running = true;
		const gen = ++this.generation;
		window.addEventListener('online', this.onOnline);
		void this.begin(gen);
	}

	stop() {
		this.running = false;
		this.generation++;
		window.removeEventListener('online', this.onOnline);
		if (this.wsTimer) clearTimeout(this.wsTimer);
		this.wsTimer = null;
		this.closeSocket();
		this.pollAbort?.abort();
		this.pollAbort = null;
		this.polling = false;
		this.lastId = null;
		this.wsAttempts = 0;
		this.connected = false;
		this.transport = null;
		this.reconnecting = false;
	}

	private alive(gen: number) {
		return this.running && gen === this.generation;
	}

	/** Where the event log stands (GET /events without `after`), then open the socket. */
	private async begin(gen: number) {
		for (let failures = 0; this.alive(gen) && this.lastId === null; ) {
			try {
				const batch = await api.events(undefined, 0);
				if (!this.alive(gen)) return;
				this.lastId = typeof batch.last_id === 'number' ? batch.last_id : 0;
			} catch (err) {
				if (!this.alive(gen)) return;
				if (this.fatal(err)) return;
				this.reconnecting = true;
				failures++;
				await sleep(backoff(failures));
			}
		}
		if (this.alive(gen)) this.openSocket(gen);
	}

	private deliver(events: ApiEvent[]) {
		const fresh: ApiEvent[] = [];
		for (const e of events) {
			if (typeof e?.id !== 'number') continue;
			if (this.lastId !== null && e.id <= this.lastId) continue; // a replay: seen already
			this.lastId = e.id;
			fresh.push(e);
		}
		if (!fresh.length) return;
		// Our credentials or access changed (another tab logged out, an admin changed our access):
		// reload /me; a session that ended goes to the login page through the 401 handler.
		if (fresh.some((e) => e.type === 'auth.changed')) void session.ensure(true).catch(() => {});
		this.listeners.forEach((fn) => fn(fresh));
	}

	private update() {
		this.connected = this.wsOpen || this.polling;
		this.transport = this.wsOpen ? 'ws' : this.polling ? 'poll' : null;
		if (this.connected) this.reconnecting = false;
	}

	// ---- WebSocket ----------------------------------------------------------

	private openSocket(gen: number) {
		if (!this.alive(gen) || this.ws) return;
		const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
		let socket: WebSocket;
		try {
			socket = new WebSocket(`${proto}//${location.host}${WS_PATH}?after=${this.lastId ?? 0}`);
		} catch {
			this.socketDown(gen, 0);
			return;
		}
		this.ws = socket;
		socket.onopen = () => {
			if (this.ws !== socket) return;
			this.wsOpen = true;
			this.wsAttempts = 0;
			this.pollAbort?.abort(); // the socket replays from the last id: the long-poll can stop
			this.update();
		};
		socket.onmessage = (msg) => {
			if (this.ws !== socket || typeof msg.data !== 'string') return;
			let parsed: unknown;
			try {
				parsed = JSON.parse(msg.data);
			} catch {
				return;
			}
			const list = Array.isArray(parsed) ? parsed : [parsed];
			this.deliver(list as ApiEvent[]);
		};
		socket.onclose = (ev) => {
			if (this.ws !== socket) return;
			this.ws = null;
			this.wsOpen = false;
			this.socketDown(gen, ev.code);
		};
		// an error is always followed by close; nothing to do here
		socket.onerror = () => {};
	}

	private closeSocket() {
		const s = this.ws;
		this.ws = null;
		this.wsOpen = false;
		if (s) {
			s.onopen = s.onmessage = s.onclose = s.onerror = null;
			try {
				s.close(1000);
			} catch {
				// already closing
			}
		}
	}

	/** The socket closed or could not open: long-poll meanwhile, and retry the socket with backoff. */
	private socketDown(gen: number, code: number) {
		if (!this.alive(gen)) return;
		this.update();
		if (!this.connected) this.reconnecting = true;
		if (code === ACCESS_CHANGED) void session.ensure(true).catch(() => {});
		const delay = code === SLOW_CONSUMER || code === ACCESS_CHANGED ? 100 : backoff(++this.wsAttempts);
		if (this.wsTimer) clearTimeout(this.wsTimer);
		this.wsTimer = setTimeout(() => {
			this.wsTimer = null;
			this.openSocket(gen);
		}, delay);
		if (code !== SLOW_CONSUMER) void this.poll(gen);
	}

	/** Back online (browser event): try the socket now rather than at the end of its backoff. */
	private retrySoon() {
		if (!this.running || this.ws || this.lastId === null) return;
		const gen = this.generation;
		if (this.wsTimer) clearTimeout(this.wsTimer);
		this.wsTimer = null;
		this.wsAttempts = 0;
		this.openSocket(gen);
	}

	// ---- long-poll fallback -------------------------------------------------

	private pollLoop = false;

	private async poll(gen: number) {
		if (this.pollLoop) return;
		this.pollLoop = true;
		let failures = 0;
		let first = true;
		try {
			while (this.alive(gen) && !this.wsOpen && this.lastId !== null) {
				const abort = new AbortController();
				this.pollAbort = abort;
				try {
					// the first call answers at once: it tells whether the server is reachable
					const batch = await api.events(this.lastId, first ? 0 : POLL_WAIT, abort.signal);
					if (!this.alive(gen) || this.wsOpen) return;
					this.polling = true;
					this.update();
					this.deliver(batch.events ?? []);
					if (typeof batch.last_id === 'number' && this.lastId !== null && batch.last_id > this.lastId && !batch.events?.length) {
						this.lastId = batch.last_id;
					}
					failures = 0;
					first = false;
				} catch (err) {
					if (!this.alive(gen) || this.wsOpen) return;
					if (err instanceof DOMException && err.name === 'AbortError') return;
					if (this.fatal(err)) return;
					this.polling = false;
					this.update();
					this.reconnecting = true;
					first = true;
					failures++;
					await sleep(backoff(failures));
				}
				if (document.hidden) await sleep(2000);
			}
		} finally {
			this.pollLoop = false;
			if (this.pollAbort && this.alive(gen)) this.pollAbort = null;
			if (this.alive(gen)) {
				this.polling = false;
				this.update();
			}
		}
	}

	/** Signed out (the 401 handler sends us to login) or no events endpoint: stop for good. */
	private fatal(err: unknown): boolean {
		if (err instanceof ApiError && (err.status === 401 || err.status === 404)) {
			this.stop();
			return true;
		}
		return false;
	}
}

/** 0.5 s, 1 s, 2 s, ... up to 30 s, with some jitter so many tabs do not retry in step. */
function backoff(attempt: number): number {
	const base = Math.min(MAX_BACKOFF, 500 * 2 ** Math.max(0, attempt - 1));
	return Math.round(base * (0.8 + Math.random() * 0.4));
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
