import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// A pure single-page app: the C++ server answers index.html for every
		// path outside /api, /healthz, /readyz and /metrics.
		adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: false }),
		prerender: { entries: [] },
		alias: { $api: 'src/lib/api' },
		version: { pollInterval: 0 }
	}
};

export default config;
