/**
 * Universal hooks. `reroute`: on a tenant's custom domain (issue 13) the portal is served at "/" and the
 * server marks the page with the `portico_host_tenant` cookie; paths without the /t/{slug} prefix are then
 * routed as that tenant's ("/login" is /t/{slug}/login). Elsewhere nothing changes.
 */
import type { Reroute } from '@sveltejs/kit';

export const reroute: Reroute = ({ url }) => {
	if (typeof document === 'undefined') return;
	const match = document.cookie.match(/(?:^|;\s*)portico_host_tenant=([a-z0-9-]+)/);
	if (!match || url.pathname.startsWith('/t/') || url.pathname.startsWith('/api/')) return;
	return `/t/${match[1]}${url.pathname === '/' ? '' : url.pathname}`;
};
