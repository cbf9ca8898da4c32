/** The tenant's branding, applied to the page as CSS custom properties. */
import { ApiError } from './api/client';
import * as api from './api/endpoints';
import type { Branding, BrandingColors, BrandingInput } from './api/types';
import { i18n } from './i18n/index.svelte';

export const DEFAULT_COLORS: BrandingColors = {
	primary: '#1f4e79',
	secondary: '#3d6b8f',
	accent: '#e0892b',
	background: '#f5f7fa',
	text: '#1c2430'
};

export function defaultBranding(slug: string): Branding {
	return {
		company: { name: slug, display_name: '', support_email: '', support_phone: '', support_hours: '', website: '' },
		colors: { ...DEFAULT_COLORS },
		logo_url: '',
		portal: { welcome_message: '', footer_text: '' }
	};
}

/** A branding answer with every field present (defaults for what the server left out). */
export function completeBranding(slug: string, b: BrandingInput): Branding {
	const base = defaultBranding(slug);
	return {
		company: { ...base.company, ...b.company },
		colors: { ...base.colors, ...b.colors },
		logo_url: b.logo_url ?? '',
		portal: { ...base.portal, ...b.portal }
	};
}

class BrandingState {
	slug = $state('');
	value = $state<Branding | null>(null);
	/** 'unknown' when the tenant does not exist (404). */
	status = $state<'idle' | 'loading' | 'ready' | 'unknown' | 'error'>('idle');

	get name(): string {
		const c = this.value?.company;
		return c?.display_name || c?.name || this.slug;
	}

	async load(slug: string, force = false) {
		if (!force && slug === this.slug && (this.status === 'ready' || this.status === 'loading')) return;
		this.slug = slug;
		this.status = 'loading';
		try {
			const b = await api.branding(slug);
			if (this.slug !== slug) return;
			this.value = completeBranding(slug, b);
			this.status = 'ready';
			i18n.adoptTenantDefault(b.default_language); // for users and browsers without a language (issue 13)
		} catch (err) {
			if (this.slug !== slug) return;
			this.value = defaultBranding(slug);
			this.status = err instanceof ApiError && err.status === 404 ? 'unknown' : 'error';
		}
		applyColors(this.value?.colors ?? DEFAULT_COLORS);
	}

	/** Show a changed branding at once (settings page). */
	preview(b: Branding) {
		this.value = b;
		applyColors(b.colors);
	}
}

export const brand = new BrandingState();

const HEX = /^#[0-9a-f]{6}$/i;

export function isHex(value: string): boolean {
	return HEX.test(value);
}

function rgb(hex: string): [number, number, number] {
	const n = parseInt(hex.slice(1), 16);
	return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** WCAG relative luminance. */
export function luminance(hex: string): number {
	const [r, g, b] = rgb(hex).map((v) => {
		const c = v / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two #rrggbb colours (1..21). */
export function contrast(a: string, b: string): number {
	if (!isHex(a) || !isHex(b)) return 21;
	const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
	return (x + 0.05) / (y + 0.05);
}

/** Black or white, whichever reads better on `bg`. */
export function onColor(bg: string): string {
	if (!isHex(bg)) return '#ffffff';
	return contrast(bg, '#ffffff') >= contrast(bg, '#111111') ? '#ffffff' : '#111111';
}

export function applyColors(colors: BrandingColors) {
	if (typeof document === 'undefined') return;
	const s = document.documentElement.style;
	const c = { ...DEFAULT_COLORS, ...colors };
	for (const key of Object.keys(DEFAULT_COLORS) as (keyof BrandingColors)[]) {
		s.setProperty(`--color-${key}`, isHex(c[key]) ? c[key] : DEFAULT_COLORS[key]);
	}
	s.setProperty('--color-on-primary', onColor(c.primary));
	s.setProperty('--color-on-secondary', onColor(c.secondary));
	s.setProperty('--color-on-accent', onColor(c.accent));
	// A dark background gets light surfaces computed from it in CSS as well.
	s.setProperty('--scheme-dark', luminance(isHex(c.background) ? c.background : '#ffffff') < 0.2 ? '1' : '0');
}
