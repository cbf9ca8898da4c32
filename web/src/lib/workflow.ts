/**
 * Labels for the repair workflow of PRODUCT.md. Which moves a user may make is
 * NOT decided here: every repair the API returns carries `allowed_moves` (via
 * POST /status) and `can_approve` (via POST /approval) for the caller, and the
 * pages offer exactly those (see `movesOf`). The server stays the judge (409/403
 * put a card back).
 */
import type { Repair, Status } from './api/types';

export const STATUS_LABEL: Record<Status, string> = {
	REQUESTED: 'Requested',
	PENDING: 'Awaiting customer',
	APPROVED: 'Approved',
	IN_PROGRESS: 'In progress',
	COMPLETED: 'Completed',
	DENIED: 'Denied',
	CANCELLED: 'Cancelled'
};

/** Short verbs for buttons and the "Move to…" menu. */
export const MOVE_LABEL: Partial<Record<Status, Partial<Record<Status, string>>>> = {
	REQUESTED: { APPROVED: 'Accept', DENIED: 'Deny', CANCELLED: 'Cancel' },
	PENDING: { APPROVED: 'Approve', DENIED: 'Deny', CANCELLED: 'Cancel' },
	APPROVED: { IN_PROGRESS: 'Claim / start', CANCELLED: 'Cancel' },
	IN_PROGRESS: { APPROVED: 'Release', COMPLETED: 'Complete', CANCELLED: 'Cancel' }
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

/** Moves whose notes are required (a reason). */
export function reasonRequired(from: Status, to: Status): boolean {
	return to === 'DENIED' && from === 'REQUESTED';
}

export function moveLabel(from: Status, to: Status): string {
	return MOVE_LABEL[from]?.[to] ?? STATUS_LABEL[to];
}

export const PRIORITY_LABEL: Record<number, string> = { 1: 'Urgent', 2: 'High', 3: 'Normal', 4: 'Low' };

export const DAMAGE_TYPES = ['Chip', 'Crack', 'Star break', 'Bullseye', 'Combination break', 'Edge crack', 'Other'];
