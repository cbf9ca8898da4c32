/**
 * Tenant text is plain text (PRODUCT.md "Support content"): it is never parsed as HTML. The portal keeps its
 * line breaks (CSS `white-space: pre-line`) and turns http(s) URLs into links; anything else — `<script>`,
 * `javascript:` — stays text, because Svelte escapes every text node and only http(s) becomes an href.
 */
export type Part = { text: string; href?: string };

const URL_RE = /\bhttps?:\/\/[^\s<>"']+/gi;
/** Punctuation that usually ends a sentence rather than a URL. */
const TRAILING = /[.,;:!?)\]]+$/;

export function linkify(text: string): Part[] {
	const parts: Part[] = [];
	let last = 0;
	for (const m of text.matchAll(URL_RE)) {
		let url = m[0];
		const trail = url.match(TRAILING)?.[0] ?? '';
		if (trail) url = url.slice(0, -trail.length);
		const start = m.index ?? 0;
		if (start > last) parts.push({ text: text.slice(last, start) });
		let href: string | undefined;
		try {
			const u = new URL(url);
			if (u.protocol === 'http:' || u.protocol === 'https:') href = u.href;
		} catch {
			href = undefined;
		}
		parts.push(href ? { text: url, href } : { text: url });
		last = start + url.length;
	}
	if (last < text.length) parts.push({ text: text.slice(last) });
	return parts;
}
