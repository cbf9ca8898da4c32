import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// During `npm run dev` the API lives on the C++ server (default 127.0.0.1:8080);
// PORTICO_API overrides it.
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const api = env.PORTICO_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
	plugins: [sveltekit()],
	build: { manifest: true, target: 'es2022', chunkSizeWarningLimit: 400 },
	server: {
		proxy: {
			'/api': { target: api, ws: true },
			'/healthz': api,
			'/readyz': api
		}
	}
});
