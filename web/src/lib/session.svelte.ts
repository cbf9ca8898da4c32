/**
 * Who is signed in, for which tenant. The CSRF token lives only in memory
 * (client.ts); after a reload GET /me hands it back.
 */
import { goto } from '$app/navigation';
import { ApiError, onUnauthorized, setCsrfToken } from './api/client';
import * as api from './api/endpoints';
import { i18n } from './i18n/index.svelte';
import type { Access, Id, Me } from './api/types';

class Session {
	me = $state<Me | null>(null);
	/** The tenant slug of the current route (set by the tenant layout). */
	tenant = $state('');
	private probing: Promise<Me | null> | null = null;

	get isStaff(): boolean {
		return !!this.me && this.me.role !== 'customer';
	}
	get isCustomer(): boolean {
		return this.me?.role === 'customer';
	}
	get isManager(): boolean {
		return this.me?.role === 'manager' || this.me?.role === 'admin';
	}
	get isAdmin(): boolean {
		return this.me?.role === 'admin';
	}

	/** Access of the current customer user to one customer organisation. */
	access(customerId: Id | null | undefined): Access | null {
		if (!this.me || customerId == null) return null;
		return this.me.customers.find((c) => c.id === customerId)?.access ?? null;
	}
	canRequest(customerId?: Id | null): boolean {
		if (!this.me) return false;
		if (customerId == null) return this.me.customers.some((c) => c.access !== 'viewer');
		const a = this.access(customerId);
		return a === 'approver' || a === 'requester';
	}
	canApprove(customerId: Id | null | undefined): boolean {
		return this.access(customerId) === 'approver';
	}
	/** True when every organisation the user sees is read-only. */
	get readOnly(): boolean {
		return !!this.me && this.me.role === 'customer' && this.me.customers.every((c) => c.access === 'viewer');
	}

	set(me: Me | null, csrf?: string | null) {
		this.me = me;
		if (me) i18n.adopt(me.language); // the user's own language (issue 13)
		if (me) i18n.adoptTenantDefault(me.tenant.default_language);
		if (csrf !== undefined) setCsrfToken(csrf);
		else if (me?.csrf_token) setCsrfToken(me.csrf_token);
		if (!me) setCsrfToken(null);
	}

	/** Load /me once (deduplicated); null when not signed in. */
	async ensure(force = false): Promise<Me | null> {
		if (this.me && !force) return this.me;
		if (!this.probing) {
			this.probing = api
				.me(true)
				.then((me) => {
					this.set(me);
					return me;
				})
				.catch((err) => {
					if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
						this.set(null);
						return null;
					}
					throw err;
				})
				.finally(() => {
					this.probing = null;
				});
		}
		return this.probing;
	}

	async logout() {
		try {
			await api.logout();
		} catch {
			// the session is gone for us either way
		}
		this.set(null);
		await goto(`/t/${this.tenant}/login`, { replaceState: true });
	}
}

export const session = new Session();

export function homePath(me: Me, tenant: string): string {
	return me.role === 'customer' ? `/t/${tenant}/portal` : `/t/${tenant}/shop`;
}

export function loginPath(tenant: string, next?: string): string {
	const q = next && !next.endsWith('/login') ? `?next=${encodeURIComponent(next)}` : '';
	return `/t/${tenant}/login${q}`;
}

// 401 anywhere: back to this tenant's login page, remembering where we were.
onUnauthorized(() => {
	if (!session.tenant || location.pathname.endsWith('/login')) return;
	session.set(null);
	void goto(loginPath(session.tenant, location.pathname + location.search), { replaceState: true });
});
