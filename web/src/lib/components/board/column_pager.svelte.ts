/**
 * One column of the shop's board, loaded a page at a time (the first page, then "Show more"): its cards,
 * the column's whole count, how many pages are on screen, and whether it is folded. A load or a local move
 * bumps the column's generation; an answer that comes back after a newer change is stale and dropped (it
 * would put a moved card back).
 */
import { errorText } from '$lib/api/client';
import type { Page, Repair } from '$lib/api/types';

const uniqueById = (list: Repair[]) => {
	const seen = new Set<number>();
	return list.filter((r) => !seen.has(r.id) && (seen.add(r.id), true));
};

export class ColumnPager {
	items = $state<Repair[]>([]);
	count = $state(0);
	page = $state(0);
	loading = $state(false);
	error = $state('');
	collapsed = $state(false);
	private generation = 0;

	/** `fetchPage(n)` fetches page `n` (from 1) of the column with the board's current filters. */
	constructor(private fetchPage: (n: number) => Promise<Page<Repair>>) {}

	/** A newer change to this column: answers of loads started before it are dropped. */
	bump(): number {
		return ++this.generation;
	}

	/**
	 * Loads the column: its first page, the next page (`more`, "Show more"), or, for a quiet refresh
	 * (live event, after a move), again every page loaded so far, so a card found on page 3 stays on
	 * screen and can still be dragged.
	 */
	async load(more = false, quiet = false) {
		const gen = this.bump();
		const pages = more ? [this.page + 1] : quiet ? Array.from({ length: Math.max(1, this.page) }, (_, i) => i + 1) : [1];
		if (!quiet) this.loading = true;
		this.error = '';
		try {
			const res = await Promise.all(pages.map((n) => this.fetchPage(n)));
			if (gen !== this.generation) return;
			const got = res.flatMap((p) => p.results);
			this.items = uniqueById(more ? [...this.items, ...got] : got);
			this.count = res[res.length - 1].count;
			this.page = pages[pages.length - 1];
		} catch (err) {
			if (gen === this.generation) this.error = errorText(err);
		} finally {
			if (gen === this.generation) this.loading = false;
		}
	}
}
