/** Typed functions, one per API.md endpoint the portals use. */
import { del, get, patch, post, put, request, upload, type Query } from './client';
import type {
	Announcement,
	AnnouncementCreate,
	AnnouncementPatch,
	FaqCreate,
	FaqEntry,
	FaqPatch,
	UserPatch,
	AppConfig,
	Attachment,
	AttachmentPatch,
	ApprovalDecision,
	BrandingInput,
	Customer,
	CustomerCreate,
	EventBatch,
	Id,
	LogEntry,
	LoginRequest,
	LoginResponse,
	Material,
	MaterialCreate,
	Me,
	Note,
	NoteCreate,
	Notification,
	Page,
	PeriodStat,
	ShopStat,
	Preferences,
	Repair,
	RepairCreate,
	RepairPatch,
	ScheduleCreate,
	ScheduleEntry,
	StatusChange,
	StatusStats,
	Technician,
	Unit,
	UnitCreate,
	UnitStat,
	UnreadCount,
	User,
	ClientRequest,
	ClientRequestCreate,
	ClientRequestPatch,
	ConvertRequest,
	ChangeOrder,
	ChangeOrderCreate,
	ChangeOrderDecision,
	CustomerAccessEntry,
	AccessGrant,
	Channel,
	Message,
	MessagePage,
	UserBrief
} from './types';

const enc = encodeURIComponent;

// auth
export const login = (body: LoginRequest) => post<LoginResponse>('/auth/login', body, { allow401: true });
export const logout = () => post<void>('/auth/logout');
export const me = (allow401 = false) => get<Me>('/me', undefined, { allow401 });
/** Optional endpoint (not in API.md): `{"default_tenant": "..."}`. */
export const config = () => get<AppConfig>('/config', undefined, { allow401: true });

// branding
export const branding = (slug: string) => get<BrandingInput>(`/tenants/${enc(slug)}/branding`, undefined, { allow401: true });
export const saveBranding = (slug: string, body: BrandingInput) => put<BrandingInput>(`/tenants/${enc(slug)}/branding`, body);

// users
export const users = (query?: Query) => get<Page<User>>('/users', query);
export const updateUser = (id: Id, body: UserPatch) => patch<User>(`/users/${id}`, body);

// support content
export const publicFaq = (slug: string) =>
	get<Page<FaqEntry>>(`/tenants/${enc(slug)}/faq`, { page_size: 200 }, { allow401: true });
export const faq = (query?: Query) => get<Page<FaqEntry>>('/faq', query);
export const createFaq = (body: FaqCreate) => post<FaqEntry>('/faq', body);
export const updateFaq = (id: Id, body: FaqPatch) => patch<FaqEntry>(`/faq/${id}`, body);
export const deleteFaq = (id: Id) => del(`/faq/${id}`);
export const reorderFaq = (ids: Id[]) => post<FaqEntry[]>('/faq/order', { ids });
export const announcements = (query?: Query) => get<Page<Announcement>>('/announcements', query);
export const createAnnouncement = (body: AnnouncementCreate) => post<Announcement>('/announcements', body);
export const updateAnnouncement = (id: Id, body: AnnouncementPatch) => patch<Announcement>(`/announcements/${id}`, body);
export const deleteAnnouncement = (id: Id) => del(`/announcements/${id}`);

// customers
export const customers = (query?: Query) => get<Page<Customer>>('/customers', query);
export const customer = (id: Id) => get<Customer>(`/customers/${id}`);
export const createCustomer = (body: CustomerCreate) => post<Customer>('/customers', body);
export const updateCustomer = (id: Id, body: Partial<Customer>) => patch<Customer>(`/customers/${id}`, body);
export const preferences = (id: Id) => get<Preferences>(`/customers/${id}/preferences`);
export const savePreferences = (id: Id, body: Preferences) => put<Preferences>(`/customers/${id}/preferences`, body);

// units
export const units = (query?: Query) => get<Page<Unit>>('/units', query);
export const unit = (id: Id) => get<Unit>(`/units/${id}`);
export const createUnit = (body: UnitCreate) => post<Unit>('/units', body);
export const replaceUnit = (id: Id) => post<Unit>(`/units/${id}/replace`);

// repairs
export const repairs = (query?: Query, signal?: AbortSignal) => get<Page<Repair>>('/repairs', query, { signal });
export const repair = (id: Id) => get<Repair>(`/repairs/${id}`);
export const createRepair = (body: RepairCreate) => post<Repair>('/repairs', body);
export const updateRepair = (id: Id, body: RepairPatch) => patch<Repair>(`/repairs/${id}`, body);
export const moveRepair = (id: Id, body: StatusChange) => post<Repair>(`/repairs/${id}/status`, body);
export const decideRepair = (id: Id, body: ApprovalDecision) => post<Repair>(`/repairs/${id}/approval`, body);
export const repairLog = (id: Id) => get<LogEntry[]>(`/repairs/${id}/log`);
export const materials = (id: Id) => get<Page<Material> | Material[]>(`/repairs/${id}/materials`);
export const addMaterial = (id: Id, body: MaterialCreate) => post<Material>(`/repairs/${id}/materials`, body);
export const removeMaterial = (id: Id, materialId: Id) => del(`/repairs/${id}/materials/${materialId}`);
export const notes = (id: Id) => get<Page<Note> | Note[]>(`/repairs/${id}/notes`);
export const addNote = (id: Id, body: NoteCreate) => post<Note>(`/repairs/${id}/notes`, body);

// attachments (uploads go through client.upload for progress)
export const attachments = (id: Id) => get<Page<Attachment>>(`/repairs/${id}/attachments`, { page_size: 100 });
export const updateAttachment = (id: Id, body: AttachmentPatch) => patch<Attachment>(`/attachments/${id}`, body);
export const deleteAttachment = (id: Id) => del(`/attachments/${id}`);
export const deleteLogo = (slug: string) => del(`/tenants/${enc(slug)}/logo`);

// technicians
export const technicians = (query?: Query) => get<Page<Technician> | Technician[]>('/technicians', query);
export const schedule = (id: Id, from?: string, to?: string) =>
	get<Page<ScheduleEntry> | ScheduleEntry[]>(`/technicians/${id}/schedule`, { from, to, page_size: 200 });
export const addShift = (id: Id, body: ScheduleCreate) => post<ScheduleEntry>(`/technicians/${id}/schedule`, body);

// stats
export const unitStats = (customer?: Id) => get<UnitStat[]>('/stats/units', { customer });
export const periodStats = (query: Query) => get<PeriodStat[]>('/stats/repairs', { group_by: 'month', ...query });
export const statusStats = (query?: Query) => get<StatusStats>('/stats/status', query);
export const shopStats = (query: Query) => get<ShopStat[]>('/stats/shops', query);

// live updates
/** Without `after`: no events, just the `last_id` to start from. */
export const events = (after: Id | undefined, wait: number, signal?: AbortSignal) =>
	request<EventBatch>('GET', '/events', { query: { after, wait }, signal });

// notifications (the signed-in user's own)
export const notifications = (query?: { unread?: boolean; page?: number; page_size?: number }) =>
	get<Page<Notification>>('/notifications', { ...query, unread: query?.unread ? 'true' : undefined });
export const unreadCount = () => get<UnreadCount>('/notifications/unread_count');
export const readNotification = (id: Id) => post<Notification>(`/notifications/${id}/read`);
export const readAllNotifications = () => post<UnreadCount>('/notifications/read_all');

// client requests and change orders (issue 10)
export const clientRequests = (query?: Query) => get<Page<ClientRequest>>('/requests', query);
export const clientRequest = (id: Id) => get<ClientRequest>(`/requests/${id}`);
export const createClientRequest = (body: ClientRequestCreate) => post<ClientRequest>('/requests', body);
export const updateClientRequest = (id: Id, body: ClientRequestPatch) => patch<ClientRequest>(`/requests/${id}`, body);
export const approveClientRequest = (id: Id, notes: string) => post<ClientRequest>(`/requests/${id}/approve`, { notes });
export const rejectClientRequest = (id: Id, reason: string) => post<ClientRequest>(`/requests/${id}/reject`, { reason });
export const convertClientRequest = (id: Id, body: ConvertRequest) => post<ClientRequest>(`/requests/${id}/convert`, body);
export const withdrawClientRequest = (id: Id) => post<ClientRequest>(`/requests/${id}/withdraw`);
export const requestAttachments = (id: Id) => get<Page<Attachment>>(`/requests/${id}/attachments`, { page_size: 100 });
export const changeOrders = (repairId: Id) => get<Page<ChangeOrder>>(`/repairs/${repairId}/change-orders`, { page_size: 200 });
export const proposeChangeOrder = (repairId: Id, body: ChangeOrderCreate) =>
	post<ChangeOrder>(`/repairs/${repairId}/change-orders`, body);
export const decideChangeOrder = (id: Id, body: ChangeOrderDecision) => post<ChangeOrder>(`/change-orders/${id}/decision`, body);
export const withdrawChangeOrder = (id: Id) => post<ChangeOrder>(`/change-orders/${id}/withdraw`);
export const customerAccess = (customerId: Id) => get<CustomerAccessEntry[]>(`/customers/${customerId}/access`);
export const grantAccess = (customerId: Id, body: AccessGrant) => post<CustomerAccessEntry>(`/customers/${customerId}/access`, body);

/** Lists that API.md calls "paginated" but that a server might still send as plain arrays. */
export function rows<T>(value: Page<T> | T[] | null | undefined): T[] {
	if (!value) return [];
	return Array.isArray(value) ? value : value.results;
}

/** Fetch every page of a collection (bounded: at most `limit` rows). */
export async function all<T>(fetchPage: (query: Query) => Promise<Page<T> | T[]>, query: Query = {}, limit = 1000): Promise<T[]> {
	const out: T[] = [];
	for (let page = 1; out.length < limit; page++) {
		const answer = await fetchPage({ ...query, page, page_size: 200 });
		const chunk = rows(answer);
		out.push(...chunk);
		if (Array.isArray(answer) || !answer.next || chunk.length === 0) break;
	}
	return out;
}

// webhooks (issue 14; admin)
export const webhooks = (query?: Query) => get<Page<import('./types').Webhook>>('/webhooks', query);
export const createWebhook = (body: import('./types').WebhookCreate) => post<import('./types').CreatedWebhook>('/webhooks', body);
export const updateWebhook = (id: Id, body: import('./types').WebhookPatch) => patch<import('./types').Webhook>(`/webhooks/${id}`, body);
export const deleteWebhook = (id: Id) => del(`/webhooks/${id}`);
export const webhookDeliveries = (id: Id, query?: Query) =>
	get<Page<import('./types').WebhookDelivery>>(`/webhooks/${id}/deliveries`, query);
export const redeliverWebhook = (id: Id, deliveryId: Id) => post<import('./types').WebhookDelivery>(`/webhooks/${id}/deliveries/${deliveryId}/redeliver`);
export const testWebhook = (id: Id) => post<import('./types').WebhookDelivery>(`/webhooks/${id}/test`);
// conversations (API.md "Conversations")
export const channels = (query?: Query) => get<Page<Channel>>('/channels', query);
export const channel = (id: Id) => get<Channel>(`/channels/${id}`);
export const customerChannel = (customerId: Id) => get<Channel>(`/customers/${customerId}/channel`);
export const messages = (channelId: Id, query?: Query) => get<MessagePage>(`/channels/${channelId}/messages`, query);
export const postMessage = (channelId: Id, body: string, files: File[] = []) =>
	files.length > 0
		? upload<Message>('POST', `/channels/${channelId}/messages`, files, { body })
		: post<Message>(`/channels/${channelId}/messages`, { body });
export const editMessage = (id: Id, body: string) => patch<Message>(`/messages/${id}`, { body });
export const deleteMessage = (id: Id) => del(`/messages/${id}`);
export const markChannelRead = (channelId: Id, messageId: Id) => post<void>(`/channels/${channelId}/read`, { message_id: messageId });
export const mentionable = (channelId: Id, q: string) => get<UserBrief[]>(`/channels/${channelId}/mentionable`, { q });
// self-service accounts (API.md "Invitations, sign-up and password reset", PATCH /me)
export const updateMe = (body: import('./types').MePatch) => patch<Me>('/me', body);
export const invitations = (customerId: Id, query?: Query) =>
	get<Page<import('./types').Invitation>>(`/customers/${customerId}/invitations`, query);
export const invite = (customerId: Id, body: import('./types').NewInvitation) =>
	post<import('./types').Invitation>(`/customers/${customerId}/invitations`, body);
export const revokeInvitation = (customerId: Id, id: Id) => del(`/customers/${customerId}/invitations/${id}`);
export const invitation = (token: string) =>
	get<import('./types').InvitationPreview>(`/invitations/${enc(token)}`, undefined, { allow401: true });
export const acceptInvitation = (token: string, body: { name?: string; password?: string }) =>
	post<LoginResponse>(`/invitations/${enc(token)}/accept`, body, { allow401: true });
export const createAccessCode = (customerId: Id, body: { access: import("./types").Access; expires_in_days?: number }) =>
	post<import('./types').AccessCode>(`/customers/${customerId}/access-codes`, body);
export const signUp = (body: import('./types').SignUpRequest) => post<void>('/auth/signup', body, { allow401: true });
export const verifyEmail = (token: string) => post<LoginResponse>('/auth/verify', { token }, { allow401: true });
export const requestPasswordReset = (body: { tenant: string; email: string; language?: 'en' | 'es' }) =>
	post<void>('/auth/password-reset', body, { allow401: true });
export const confirmPasswordReset = (body: { token: string; password: string }) =>
	post<void>('/auth/password-reset/confirm', body, { allow401: true });
// settings: custom domains (admin) and access codes (admin, manager) (issue 13)
export const domains = () => get<import('./types').Domains>('/settings/domains');
export const setDomains = (list: string[]) => put<import('./types').Domains>('/settings/domains', { domains: list });
export const accessCodes = (query?: Query) => get<Page<import('./types').AccessCodeSummary>>('/access-codes', query);
export const revokeAccessCode = (id: Id) => del(`/access-codes/${id}`);
