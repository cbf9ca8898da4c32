/**
 * Rendering a message body with the mentions the server resolved (API.md "Conversations"): each resolved
 * user or record mention found in the text becomes a part with a link target; everything else stays plain
 * text. The server decides what is a mention (and what may be shown); this only finds the resolved ones.
 */
import type { Mention } from './api/types';

export interface BodyPart {
	text: string;
	mention?: Mention;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function tokenOf(m: Mention): string | null {
	if (m.type === 'user') return m.user ? `@${m.user.handle}` : null;
	return m.id != null ? `@${m.type}#${m.id}` : null;
}

/** The body split into plain parts and mention parts (case-insensitive, as the grammar is). */
export function splitMentions(body: string, mentions: Mention[]): BodyPart[] {
	const byToken = new Map<string, Mention>();
	for (const m of mentions) {
		const t = tokenOf(m);
		if (t) byToken.set(t.toLowerCase(), m);
	}
	if (byToken.size === 0) return [{ text: body }];
	const tokens = [...byToken.keys()].sort((a, b) => b.length - a.length).map(escape);
	const re = new RegExp(`(?<![A-Za-z0-9._-])(${tokens.join('|')})(?![A-Za-z0-9])`, 'gi');
	const parts: BodyPart[] = [];
	let at = 0;
	for (const match of body.matchAll(re)) {
		const i = match.index ?? 0;
		if (i > at) parts.push({ text: body.slice(at, i) });
		parts.push({ text: match[0], mention: byToken.get(match[0].toLowerCase()) });
		at = i + match[0].length;
	}
	if (at < body.length) parts.push({ text: body.slice(at) });
	return parts;
}

/** What the composer is completing at the caret: a handle prefix or a repair number prefix. */
export function completionAt(text: string, caret: number): { kind: 'user' | 'repair'; prefix: string; start: number } | null {
	const before = text.slice(0, caret);
	const repair = /(?:^|[^A-Za-z0-9._-])@repair#(\d{0,12})$/i.exec(before);
	if (repair) return { kind: 'repair', prefix: repair[1], start: caret - repair[1].length - '@repair#'.length };
	const user = /(?:^|[^A-Za-z0-9._-])@([A-Za-z0-9_.-]{0,30})$/.exec(before);
	if (user) return { kind: 'user', prefix: user[1], start: caret - user[1].length - 1 };
	return null;
}
