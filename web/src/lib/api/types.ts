/**
 * Wire types of the Portico HTTP API v1, derived from the types that openapi-typescript generates from the
 * server's own /api/v1/openapi.json (`npm run gen:types -- URL|FILE` rewrites ./schema.d.ts;
 * tests/e2e/openapi-types.test.mjs fails when the committed file no longer matches the server).
 *
 * The rest of the app imports only the names below. Where the document is looser than the wire (a status
 * typed as plain string, an untyped `data` object) a name narrows the generated type with `Omit & {...}`
 * and says so; everything else is the generated schema as is.
 */
import type { components } from './schema';

type Schemas = components['schemas'];

export type Id = number;
/** Two-decimal string, e.g. "50.00". Never a float. */
export type Money = Schemas['Money'];
/** RFC 3339 UTC timestamp with Z. */
export type Timestamp = string;
/** YYYY-MM-DD */
export type DateString = string;
/** HH:MM */
export type TimeString = string;

export type Role = Schemas['Me']['role'];
export type Access = Schemas['Access']['access'];
export type Status = Schemas['RepairStatus'];

export const STATUSES = [
	'REQUESTED',
	'PENDING',
	'APPROVED',
	'IN_PROGRESS',
	'COMPLETED',
	'DENIED',
	'CANCELLED'
] as const satisfies readonly Status[];
// Every generated status is listed above (fails to compile when the server adds one).
const _allStatuses: Record<Status, true> = Object.fromEntries(STATUSES.map((s) => [s, true])) as Record<(typeof STATUSES)[number], true>;
void _allStatuses;
export const FINAL_STATUSES: readonly Status[] = ['COMPLETED', 'DENIED', 'CANCELLED'];

/** A paginated list: the shape every paginated endpoint of the document answers with. */
export interface Page<T> {
	count: number;
	next: string | null;
	previous: string | null;
	results: T[];
}

/** RFC 9457 problem details (fields optional: a proxy's error page may lack them). */
export type Problem = Partial<Schemas['Problem']>;

// ---- auth -------------------------------------------------------------------

export type Me = Schemas['Me'];
export type TenantRef = Me['tenant'];
export type CustomerAccess = Me['customers'][number];
export type LoginRequest = Schemas['LoginRequest'];
export type LoginResponse = Schemas['LoginResponse'];
export type AppConfig = Schemas['PortalConfig'];

// ---- branding ---------------------------------------------------------------

/** Branding as the document types it (GET answer and PUT body; every group but colors optional). */
export type BrandingInput = Schemas['Branding'];
/** Branding as the app holds it: every field present (brand.load fills gaps with defaults). */
export type Branding = Omit<BrandingInput, 'company' | 'portal' | 'logo_url'> & {
	company: Required<NonNullable<BrandingInput['company']>>;
	portal: Required<NonNullable<BrandingInput['portal']>>;
	/** '' for none. */
	logo_url: string;
};
export type BrandingColors = Branding['colors'];

// ---- users, customers, units ------------------------------------------------

export type User = Schemas['User'];
export type Customer = Schemas['Customer'];
export type CustomerCreate = Schemas['NewCustomer'];
export type CustomerPatch = Schemas['CustomerPatch'];
export type Preferences = Schemas['Preferences'];
export type DefaultView = Preferences['default_view'];
export type Unit = Schemas['Unit'];
export type UnitCreate = Schemas['NewUnit'];

// ---- repairs ----------------------------------------------------------------

export type PersonRef = Schemas['PersonRef'];
export type Repair = Schemas['Repair'];
export type Approval = NonNullable<Repair['approval']>;
export type RepairCreate = Schemas['NewRepair'];
export type RepairPatch = Schemas['RepairPatch'];
export type StatusChange = Schemas['StatusMove'];
export type ApprovalDecision = Schemas['ApprovalDecision'];

/** The document types the two statuses as plain strings; they are always repair statuses. */
export type LogEntry = Omit<Schemas['LogEntry'], 'previous_status' | 'new_status'> & {
	previous_status: Status | null;
	new_status: Status;
};

export type Material = Schemas['Material'];
export type MaterialCreate = Schemas['NewMaterial'];
export type Note = Schemas['Note'];
export type NoteVisibility = Note['visibility'];
export type NoteCreate = Schemas['NewNote'];
export type Attachment = Schemas['Attachment'];
export type AttachmentPatch = Schemas['AttachmentPatch'];

// ---- technicians ------------------------------------------------------------

export type Technician = Schemas['Technician'];
export type ScheduleEntry = Schemas['ScheduleEntry'];
export type ScheduleCreate = Schemas['NewScheduleEntry'];

// ---- stats ------------------------------------------------------------------

export type UnitStat = Schemas['UnitFigure'];
export type PeriodStat = Schemas['PeriodFigure'];
export type ShopStat = Schemas['ShopFigure'];
/** The document has `additionalProperties: integer`; the keys are statuses. */
export type StatusStats = Partial<Record<Status, number>>;

// ---- events & notifications -------------------------------------------------

/** `data` is an untyped object in the document. */
export type ApiEvent = Omit<Schemas['Event'], 'data'> & { data: Record<string, unknown> };
export type EventBatch = Omit<Schemas['EventPage'], 'events'> & { events: ApiEvent[] };
export type Notification = Schemas['Notification'];
export type NotificationType = Notification['type'];
export type UnreadCount = Schemas['UnreadCount'];

// ---- support content (API.md "Support content") ----
export type FaqEntry = Schemas['FaqEntry'];
export type FaqCreate = Schemas['NewFaqEntry'];
export type FaqPatch = Schemas['FaqEntryPatch'];
export type Announcement = Schemas['Announcement'];
export type AnnouncementSeverity = Schemas['AnnouncementSeverity'];
export type AnnouncementCreate = Schemas['NewAnnouncement'];
export type AnnouncementPatch = Schemas['AnnouncementPatch'];
export type UserPatch = Schemas['UserPatch'];

// ---- client requests and change orders (issue 10) ----
export type ClientRequest = Schemas['ClientRequest'];
export type ClientRequestCreate = Schemas['NewClientRequest'];
export type ClientRequestPatch = Schemas['ClientRequestPatch'];
export type ConvertRequest = Schemas['ConvertRequest'];
export type RequestStatus = ClientRequest['status'];
export type RequestType = ClientRequest['type'];
export type ChangeOrder = Schemas['ChangeOrder'];
export type ChangeOrderCreate = Schemas['NewChangeOrder'];
export type ChangeOrderDecision = Schemas['ChangeOrderDecision'];
export type CustomerAccessEntry = Schemas['Access'];
export type AccessGrant = Schemas['AccessGrant'];
// Webhooks (issue 14)
export type Webhook = Schemas['Webhook'];
export type CreatedWebhook = Schemas['CreatedWebhook'];
export type WebhookCreate = Schemas['NewWebhook'];
export type WebhookPatch = Schemas['WebhookPatch'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
// ---- conversations (API.md "Conversations", issue 11) ----
export type UserBrief = Schemas['UserBrief'];
export type Channel = Schemas['Channel'];
export type Message = Schemas['Message'];
export type Mention = Schemas['Mention'];
export type MessagePage = Schemas['MessagePage'];
// ---- self-service accounts (API.md "Invitations, sign-up and password reset") ----
export type Invitation = Schemas['Invitation'];
export type NewInvitation = Schemas['NewInvitation'];
export type InvitationPreview = Schemas['InvitationPreview'];
export type AccessCode = Schemas['AccessCode'];
export type SignUpRequest = Schemas['SignUpRequest'];
export type MePatch = Schemas['MePatch'];
// ---- settings: custom domains, access codes (issue 13) ----
export type Domains = Schemas['Domains'];
export type AccessCodeSummary = Schemas['AccessCodeSummary'];
export type Language = 'en' | 'es';
