/**
 * Names for ids that repairs carry (customer_id, technician_id), loaded once
 * per session. Customer users get their organisations' names from /me.
 */
import { t } from './i18n/index.svelte';
import * as api from './api/endpoints';
import type { Customer, Id, Technician } from './api/types';
import { session } from './session.svelte';

class Directory {
	customers = $state<Customer[]>([]);
	technicians = $state<Technician[]>([]);
	private loaded: Promise<void> | null = null;

	load(force = false): Promise<void> {
		if (!session.me) return Promise.resolve();
		if (this.loaded && !force) return this.loaded;
		const staff = session.isStaff;
		this.loaded = Promise.all([
			staff ? api.all(api.customers).catch(() => [] as Customer[]) : Promise.resolve([] as Customer[]),
			staff ? api.technicians({ page_size: 200 }).then(api.rows).catch(() => [] as Technician[]) : Promise.resolve([] as Technician[])
		]).then(([c, t]) => {
			this.customers = c;
			this.technicians = t;
		});
		return this.loaded;
	}

	customerName(id: Id | null | undefined, fallback?: string): string {
		if (id == null) return '—';
		if (fallback) return fallback;
		const mine = session.me?.customers.find((c) => c.id === id);
		if (mine) return mine.name;
		return this.customers.find((c) => c.id === id)?.name ?? t('directory.customer', { id });
	}

	technicianName(id: Id | null | undefined, fallback?: string | null): string {
		if (id == null) return t('directory.unassigned');
		if (fallback) return fallback;
		if (id === session.me?.id) return t('directory.me', { name: session.me.name });
		return this.technicians.find((t) => t.id === id)?.name ?? t('directory.technician', { id });
	}

	reset() {
		this.loaded = null;
		this.customers = [];
		this.technicians = [];
	}
}

export const directory = new Directory();
