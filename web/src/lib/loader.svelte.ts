/** A small async-state holder for pages: data, loading, error, reload. */
import { ApiError, errorText } from './api/client';

export class Loader<T> {
	data = $state<T | undefined>(undefined);
	error = $state('');
	status = $state(0);
	loading = $state(false);
	private seq = 0;

	constructor(private fetcher: () => Promise<T>) {}

	/** Run (again). Out-of-order answers are dropped; `quiet` keeps the old data visible. */
	async load(quiet = false): Promise<T | undefined> {
		const my = ++this.seq;
		if (!quiet) this.loading = true;
		this.error = '';
		try {
			const value = await this.fetcher();
			if (my === this.seq) {
				this.data = value;
				this.status = 200;
			}
			return value;
		} catch (err) {
			if (my === this.seq) {
				this.error = errorText(err);
				this.status = err instanceof ApiError ? err.status : 0;
			}
			return undefined;
		} finally {
			if (my === this.seq) this.loading = false;
		}
	}
}
