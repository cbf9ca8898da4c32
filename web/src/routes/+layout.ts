// Pure SPA: nothing is rendered on the server or prerendered.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'ignore';
