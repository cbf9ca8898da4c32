/**
 * The repair workflow of PRODUCT.md, as the client needs it: which moves the
 * signed-in user may make, so the board only offers those. The server stays
 * the judge (409/403 put the card back).
 */
import type { Access, Me, Repair, Status } from './api/types';

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

/** Every move the workflow has at all, whoever asks. */
const EDGES: Record<Status, Status[]> = {
	REQUESTED: ['APPROVED', 'DENIED', 'CANCELLED'],
	PENDING: ['APPROVED', 'DENIED', 'CANCELLED'],
	APPROVED: ['IN_PROGRESS', 'CANCELLED'],
	IN_PROGRESS: ['APPROVED', 'COMPLETED', 'CANCELLED'],
	COMPLETED: [],
	DENIED: [],
	CANCELLED: []
};

export function customerAccess(me: Me, customerId: number): Access | null {
	return me.customers.find((c) => c.id === customerId)?.access ?? null;
}

/**
 * May `me` move `repair` from its status to `to` through POST /status?
 * (PENDING -> APPROVED/DENIED by the customer approver goes through /approval
 * and is reported by `viaApproval`.)
 */
export function canMove(me: Me, repair: Pick<Repair, 'status' | 'customer_id' | 'technician_id'>, to: Status): boolean {
	const from = repair.status;
	if (!EDGES[from].includes(to)) return false;
	const role = me.role;
	const manager = role === 'manager' || role === 'admin';
	if (role === 'customer') {
		const access = customerAccess(me, repair.customer_id);
		if (to === 'CANCELLED') return (from === 'REQUESTED' || from === 'PENDING') && (access === 'approver' || access === 'requester');
		return false; // approve/deny of PENDING is viaApproval
	}
	if (to === 'CANCELLED') return manager;
	switch (from) {
		case 'REQUESTED':
			return manager; // accept / deny
		case 'PENDING':
			return false; // the customer approver's decision
		case 'APPROVED':
			if (to !== 'IN_PROGRESS') return false;
			if (manager) return true;
			return role === 'technician' && (repair.technician_id == null || repair.technician_id === me.id);
		case 'IN_PROGRESS':
			if (manager) return true;
			return role === 'technician' && repair.technician_id === me.id;
		default:
			return false;
	}
}

export function allowedTargets(me: Me, repair: Pick<Repair, 'status' | 'customer_id' | 'technician_id'>): Status[] {
	return EDGES[repair.status].filter((to) => canMove(me, repair, to));
}

/** Why `me` may not move `repair` to `to` (for the board's message when a card is dropped where it may not go). */
export function whyNot(me: Me, repair: Pick<Repair, 'status' | 'customer_id' | 'technician_id'>, to: Status): string {
	const from = repair.status;
	if (isFinal(from)) return `${STATUS_LABEL[from]} is final; it cannot move any more.`;
	if (!EDGES[from].includes(to)) return `the workflow has no move from ${STATUS_LABEL[from]} to ${STATUS_LABEL[to]}.`;
	const manager = me.role === 'manager' || me.role === 'admin';
	if (from === 'PENDING') return 'the customer approves or denies it in their portal.';
	if (to === 'CANCELLED' || from === 'REQUESTED') return manager ? 'not allowed.' : 'only a manager or admin can do that.';
	if (repair.technician_id != null && repair.technician_id !== me.id) return 'it is assigned to another technician.';
	return 'not allowed.';
}

/** PENDING -> APPROVED/DENIED by the customer approver (POST /approval). */
export function canDecide(me: Me, repair: Pick<Repair, 'status' | 'customer_id'>): boolean {
	return repair.status === 'PENDING' && me.role === 'customer' && customerAccess(me, repair.customer_id) === 'approver';
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
