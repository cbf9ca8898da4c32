/**
 * Shop operations (issue 12): shop settings, service types, availability, appointments, the calendar feed,
 * parts and the board order. Types come from the generated schema like the rest of the API layer.
 */
import { del, get, patch, post, put, type Query } from './client';
import type { components } from './schema';
import type { Id, Page, Repair } from './types';
import { i18n } from '$lib/i18n/index.svelte';

type Schemas = components['schemas'];
export type ShopSettings = Schemas['ShopSettings'];
export type ServiceType = Schemas['ServiceType'];
export type Slot = Schemas['Slot'];
export type Appointment = Schemas['Appointment'];
export type AppointmentStatus = Schemas['AppointmentStatus'];
export type NewAppointment = Schemas['NewAppointment'];
export type Part = Schemas['Part'];
export type PartMovement = Schemas['PartMovement'];
export type NewPartMovement = Schemas['NewPartMovement'];
export type NewPart = Schemas['NewPart'];

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const shopSettings = () => get<ShopSettings>('/settings/shop');
export const saveShopSettings = (body: ShopSettings) => put<ShopSettings>('/settings/shop', body);
export const serviceTypes = () => get<Page<ServiceType>>('/service-types', { page_size: 200 });
export const createServiceType = (body: Schemas['NewServiceType']) => post<ServiceType>('/service-types', body);
export const updateServiceType = (id: Id, body: Schemas['ServiceTypePatch']) => patch<ServiceType>(`/service-types/${id}`, body);
export const availability = (serviceType: Id, date: string, days = 7) =>
	get<Slot[]>('/availability', { service_type: serviceType, date, days });

export const appointments = (query?: Query) => get<Page<Appointment>>('/appointments', { page_size: 200, ...query });
export const bookAppointment = (body: NewAppointment) => post<Appointment>('/appointments', body);
export const confirmAppointment = (id: Id) => post<Appointment>(`/appointments/${id}/confirm`);
export const rescheduleAppointment = (id: Id, starts_at: string) => post<Appointment>(`/appointments/${id}/reschedule`, { starts_at });
export const cancelAppointment = (id: Id, reason = '') => post<Appointment>(`/appointments/${id}/cancel`, { reason });
export const completeAppointment = (id: Id) => post<Appointment>(`/appointments/${id}/complete`);
export const noShowAppointment = (id: Id) => post<Appointment>(`/appointments/${id}/no-show`);
export const calendarToken = () => post<{ url: string }>('/me/calendar-token');
export const revokeCalendarToken = () => del('/me/calendar-token');

export const parts = (query?: Query) => get<Page<Part>>('/parts', { page_size: 200, ...query });
export const createPart = (body: NewPart) => post<Part>('/parts', body);
export const partMovements = (id: Id) => get<PartMovement[]>(`/parts/${id}/movements`);
export const addPartMovement = (id: Id, body: NewPartMovement) => post<PartMovement>(`/parts/${id}/movements`, body);

export const positionRepair = (id: Id, after_id: Id | null, before_id: Id | null) =>
	post<Repair>(`/repairs/${id}/position`, { after_id, before_id });

/** "2031-05-02T09:30" -> "09:30". */
export const localTime = (localStart: string) => localStart.slice(11, 16);
/** "2031-05-02T09:30" -> "2031-05-02". */
export const localDate = (localStart: string) => localStart.slice(0, 10);
/** YYYY-MM-DD plus n days (calendar arithmetic on the date only, no time zone involved). */
export function addDays(date: string, n: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}
/** A weekday label of a YYYY-MM-DD date ("Mon, May 4"; "lun, 4 may") in the page's language, independent of the browser's zone. */
export function dayLabel(date: string): string {
	return new Intl.DateTimeFormat(i18n.lang, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
		new Date(`${date}T00:00:00Z`)
	);
}
