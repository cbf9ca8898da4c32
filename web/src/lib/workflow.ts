/**
 * Labels for the repair workflow of PRODUCT.md. Which moves a user may make is
 * NOT decided here: every repair the API returns carries `allowed_moves` (via
 * POST /status) and `can_approve` (via POST /approval) for the caller, and the
 * pages offer exactly those (see `movesOf`). The server stays the judge (409/403
 * put a card back).
 */
import type { Repair, Status } from './api/types';
import { t } from './i18n/index.svelte';
import type { MessageKey } from './i18n/en';

const STATUSES: readonly Status[] = ['REQUESTED', 'PENDING', 'APPROVED', 'IN_PROGRESS', 'COMPLETED', 'DENIED', 'CANCELLED'];

/** A status's label in the current language (`workflow.status.*` in the catalogues). */
export function statusLabel(s: Status): string {
	return STATUSES.includes(s) ? t(`workflow.status.${s}` as MessageKey) : s;
}

/**
 * Status labels as a keyed lookup: every read goes through t(), so a page shows the current language
 * (reactive in templates because t reads the language state).
 */
export const STATUS_LABEL: Record<Status, string> = Object.defineProperties(
	{} as Record<Status, string>,
	Object.fromEntries(STATUSES.map((s) => [s, { get: () => statusLabel(s), enumerable: true }]))
);

/** Short verbs for buttons and the "Move to…" menu (catalogue keys `workflow.move.*`). */
const MOVE_KEYS: Partial<Record<Status, Partial<Record<Status, MessageKey>>>> = {
	REQUESTED: { APPROVED: 'workflow.move.accept', DENIED: 'workflow.move.deny', CANCELLED: 'workflow.move.cancel' },
	PENDING: { APPROVED: 'workflow.move.approve', DENIED: 'workflow.move.deny', CANCELLED: 'workflow.move.cancel' },
	APPROVED: { IN_PROGRESS: 'workflow.move.start', CANCELLED: 'workflow.move.cancel' },
	IN_PROGRESS: { APPROVED: 'workflow.move.release', COMPLETED: 'workflow.move.complete', CANCELLED: 'workflow.move.cancel' }
};

export const FINAL: ReadonlySet<Status> = new Set(['COMPLETED', 'DENIED', 'CANCELLED']);

export function isFinal(s: Status): boolean {
	return FINAL.has(s);
}

/** The moves the API says the caller may make on `repair` through POST /status. */
export function movesOf(repair: Pick<Repair, 'allowed_moves'>): Status[] {
	return repair.allowed_moves ?? [];
}

/** The caller may approve or deny `repair` through POST /approval (the API's `can_approve`). */
export function mayDecide(repair: Pick<Repair, 'can_approve'>): boolean {
	return repair.can_approve === true;
}

/** Moving `repair` to `to` needs non-empty notes, its reason (the API's `moves_needing_reason`). */
export function reasonRequired(repair: Pick<Repair, 'moves_needing_reason'>, to: Status): boolean {
	return (repair.moves_needing_reason ?? []).includes(to);
}

/** The verb for a move from `from` to `to` in the current language. */
export function moveLabel(from: Status, to: Status): string {
	const key = MOVE_KEYS[from]?.[to];
	return key ? t(key) : statusLabel(to);
}

const PRIORITY_KEYS: Record<number, MessageKey> = {
	1: 'workflow.priority.1',
	2: 'workflow.priority.2',
	3: 'workflow.priority.3',
	4: 'workflow.priority.4'
};

/** A priority's label (1 urgent … 4 low) in the current language. */
export function priorityLabel(p: number): string {
	const key = PRIORITY_KEYS[p];
	return key ? t(key) : String(p);
}

/** Priority labels as a keyed lookup through t() (like STATUS_LABEL). */
export const PRIORITY_LABEL: Record<number, string> = Object.defineProperties(
	{} as Record<number, string>,
	Object.fromEntries([1, 2, 3, 4].map((p) => [p, { get: () => priorityLabel(p), enumerable: true }]))
);

const DAMAGE_KEYS: MessageKey[] = [
	'workflow.damage.chip',
	'workflow.damage.crack',
	'workflow.damage.star',
	'workflow.damage.bullseye',
	'workflow.damage.combination',
	'workflow.damage.edge',
	'workflow.damage.other'
];

/** Suggested damage types (free text stored as typed), in the current language. */
export function damageTypes(): string[] {
	return DAMAGE_KEYS.map((k) => t(k));
}
