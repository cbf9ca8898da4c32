/**
 * The one door to the server: same-origin fetch with the session cookie,
 * JSON in and out, the CSRF header on every non-GET, problem+json errors
 * turned into a typed ApiError, and 401 sent to one handler (back to the
 * tenant's login page).
 */
import { t } from '../i18n/index.svelte';
import type { Problem } from './types';

export const API_BASE = '/api/v1';

/** Thrown for every non-2xx answer and for network failures (status 0). */
export class ApiError extends Error {
	readonly status: number;
	readonly problem: Problem;

	constructor(status: number, problem: Problem) {
		super(problem.detail || problem.title || t('error.other', { status }));
		this.name = 'ApiError';
		this.status = status;
		this.problem = problem;
	}

	/** Per-field validation messages (`errors` of the problem), never undefined. */
	get fieldErrors(): Record<string, string[]> {
		return this.problem.errors ?? {};
	}

	/** Message for one field, joined; '' when there is none. */
	field(name: string): string {
		return (this.problem.errors?.[name] ?? []).join(' ');
	}

	/** Human text for a banner: detail, else title, else a status-based default. */
	get detail(): string {
		return this.problem.detail || this.problem.title || defaultMessage(this.status);
	}
}

function defaultMessage(status: number): string {
	switch (status) {
		case 0:
			return t('error.network');
		case 401:
			return t('error.401');
		case 403:
			return t('error.403');
		case 404:
			return t('error.404');
		case 409:
			return t('error.409');
		case 413:
			return t('error.413');
		case 429:
			return t('error.429');
		default:
			return status >= 500 ? t('error.5xx') : t('error.other', { status });
	}
}

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | null | undefined): void {
	csrfToken = token ?? null;
}

export function getCsrfToken(): string | null {
	return csrfToken;
}

/** Called on any 401 (except requests made with `allow401`). */
export function onUnauthorized(handler: (() => void) | null): void {
	unauthorizedHandler = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

export interface RequestOptions {
	query?: Query;
	body?: unknown;
	signal?: AbortSignal;
	/** Do not run the 401 handler (login form, the initial /me probe). */
	allow401?: boolean;
}

export function buildQuery(query?: Query): string {
	if (!query) return '';
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined || value === null || value === '') continue;
		params.set(key, Array.isArray(value) ? value.join(',') : String(value));
	}
	const text = params.toString();
	return text ? `?${text}` : '';
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
	const url = (path.startsWith('/api/') ? path : API_BASE + path) + buildQuery(options.query);
	const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
	if (options.body !== undefined) headers['Content-Type'] = 'application/json';
	if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

	let response: Response;
	try {
		response = await fetch(url, {
			method,
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
			credentials: 'same-origin',
			signal: options.signal
		});
	} catch (err) {
		if (err instanceof DOMException && err.name === 'AbortError') throw err;
		throw new ApiError(0, { title: t('error.network') });
	}

	if (response.status === 204) return undefined as T;

	const type = response.headers.get('Content-Type') ?? '';
	const isJson = type.includes('json');
	let payload: unknown = undefined;
	if (isJson) {
		try {
			payload = await response.json();
		} catch {
			payload = undefined;
		}
	}

	if (!response.ok) {
		const problem: Problem =
			payload && typeof payload === 'object' ? (payload as Problem) : { status: response.status, title: response.statusText };
		if (response.status === 401 && !options.allow401) unauthorizedHandler?.();
		throw new ApiError(response.status, problem);
	}
	if (!isJson && response.status === 202) return undefined as T; // accepted, no body (sign-up, reset)
	if (!isJson) {
		throw new ApiError(response.status, { title: t('error.unexpected'), detail: t('error.notJson') });
	}
	return payload as T;
}

export const get = <T>(path: string, query?: Query, options: Omit<RequestOptions, 'query' | 'body'> = {}) =>
	request<T>('GET', path, { ...options, query });
export const post = <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) =>
	request<T>('POST', path, { ...options, body });
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body });
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });
export const del = (path: string) => request<void>('DELETE', path);

/**
 * Sends one file (or several: a message takes up to 10) as multipart/form-data (parts `file`, plus text
 * `fields`) with XMLHttpRequest, so the caller sees upload progress (0..1). Resolves the JSON answer;
 * rejects with ApiError like request().
 */
export function upload<T>(
	method: 'POST' | 'PUT',
	path: string,
	file: File | File[],
	fields: Record<string, string> = {},
	onProgress?: (fraction: number) => void
): Promise<T> {
	const form = new FormData();
	for (const f of Array.isArray(file) ? file : [file]) form.append('file', f, f.name);
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	return new Promise<T>((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open(method, path.startsWith('/api/') ? path : API_BASE + path);
		xhr.withCredentials = true;
		xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
		if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
		};
		xhr.onerror = () => reject(new ApiError(0, { title: t('error.network') }));
		xhr.onload = () => {
			let payload: unknown = undefined;
			try {
				payload = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
			} catch {
				payload = undefined;
			}
			if (xhr.status >= 200 && xhr.status < 300) return resolve(payload as T);
			if (xhr.status === 401) unauthorizedHandler?.();
			const problem: Problem =
				payload && typeof payload === 'object' ? (payload as Problem) : { status: xhr.status, title: xhr.statusText };
			reject(new ApiError(xhr.status, problem));
		};
		xhr.send(form);
	});
}

/** Text for any caught error. */
export function errorText(err: unknown): string {
	if (err instanceof ApiError) return err.detail;
	if (err instanceof Error) return err.message;
	return String(err);
}
