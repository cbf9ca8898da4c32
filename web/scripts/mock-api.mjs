#!/usr/bin/env node
// A small in-memory stand-in for the Portico API (API.md), for developing and
// looking at the portals before/without the C++ server. Not the product: it
// checks roles and the workflow only roughly. Serves web/build with the SPA
// fallback like the real server.
//
//   node scripts/mock-api.mjs [--port 8099]
//   users (password "demo"): admin@demo.test manager@demo.test tech@demo.test
//   tech2@demo.test approver@demo.test requester@demo.test viewer@demo.test
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 8099;

// ---------------------------------------------------------------- data
let seq = 1000;
const nextId = () => ++seq;
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const tenants = {
	demo: {
		company: { name: 'Demo Glass Ltd', display_name: 'Demo Glass', support_email: 'help@demo.test', support_phone: '+1 555 0100', support_hours: 'Mon–Fri 8–17', website: 'https://demo.test' },
		colors: { primary: '#1f4e79', secondary: '#3d6b8f', accent: '#e0892b', background: '#f5f7fa', text: '#1c2430' },
		logo_url: null,
		portal: { welcome_message: 'Windshield repair for fleets. Sign in to follow your repairs.', footer_text: '© Demo Glass Ltd' }
	},
	acme: {
		company: { name: 'Acme Fleet Repair', display_name: 'Acme Fleet', support_email: 'support@acme.test', support_phone: '+1 555 0199', support_hours: '24/7', website: 'https://acme.test' },
		colors: { primary: '#7a1f3d', secondary: '#a34d6a', accent: '#2b9e8f', background: '#fbf7f4', text: '#2a1d22' },
		logo_url: null,
		portal: { welcome_message: 'Welcome to the Acme customer portal.', footer_text: 'Acme Fleet Repair · since 1987' }
	}
};
const customers = [
	{ id: 1, name: 'Cincinnati Metro Fleet', address: '1 Main St', phone: '555-1000', email: 'fleet@metro.test', is_active: true },
	{ id: 2, name: 'Riverside Logistics', address: '22 River Rd', phone: '555-2000', email: 'ops@riverside.test', is_active: true },
	{ id: 3, name: 'Old Quarry Co', address: '', phone: '', email: 'quarry@old.test', is_active: false }
].map((c) => ({ ...c, created_at: '2023-02-01T09:00:00Z', updated_at: '2024-01-01T09:00:00Z' }));
const users = [
	{ id: 1, email: 'admin@demo.test', name: 'Ada Admin', role: 'admin', customers: [] },
	{ id: 2, email: 'manager@demo.test', name: 'Mona Manager', role: 'manager', customers: [] },
	{ id: 3, email: 'tech@demo.test', name: 'Theo Tech', role: 'technician', customers: [] },
	{ id: 4, email: 'tech2@demo.test', name: 'Tara Tech', role: 'technician', customers: [] },
	{ id: 5, email: 'approver@demo.test', name: 'Alice Approver', role: 'customer', customers: [{ id: 1, access: 'approver' }, { id: 2, access: 'requester' }] },
	{ id: 6, email: 'requester@demo.test', name: 'Ray Requester', role: 'customer', customers: [{ id: 1, access: 'requester' }] },
	{ id: 7, email: 'viewer@demo.test', name: 'Vic Viewer', role: 'customer', customers: [{ id: 1, access: 'viewer' }] }
];
const prefs = {};
const units = [];
const tiers = ['50.00', '40.00', '35.00', '30.00', '25.00'];
const tier = (n) => tiers[Math.min(Math.max(n, 1), 5) - 1];
for (const [cid, nums] of [[1, ['MF-101', 'MF-102', 'MF-103', 'MF-205', 'MF-310', 'MF-311']], [2, ['RL-7', 'RL-8', 'RL-12']]])
	for (const n of nums) units.push({ id: units.length + 1, customer_id: cid, unit_number: n, description: `Truck ${n}`, repair_count: 0 });
const repairs = [];
const logs = {};
const materials = {};
const notes = {};
const schedules = { 3: [], 4: [] };
const events = [];
let eventId = 0;
const pushEvent = (type, r) => events.push({ id: ++eventId, type, occurred_at: now(), repair_id: r.id, data: { status: r.status, customer_id: r.customer_id } });

function cents(s) {
	const [a, b = '0'] = String(s).split('.');
	return Number(a) * 100 + Number(b.padEnd(2, '0').slice(0, 2));
}
const money = (c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
function matTotal(id) {
	return (materials[id] ?? []).reduce((n, m) => n + Math.round(m.quantity * cents(m.unit_cost)), 0);
}
function view(r) {
	const u = units.find((x) => x.id === r.unit_id);
	const labour = r.price_override ? cents(r.price_override) : cents(tier((u?.repair_count ?? 0) + 1));
	return { ...r, unit_number: u?.unit_number ?? '?', materials_total: money(matTotal(r.id)), estimated_cost: money(labour + matTotal(r.id)) };
}
const DAMAGE = ['Chip', 'Crack', 'Star break', 'Bullseye'];
const STATUSES = ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'IN_PROGRESS', 'APPROVED', 'REQUESTED', 'PENDING', 'DENIED', 'CANCELLED', 'COMPLETED', 'APPROVED'];
for (let i = 0; i < 70; i++) {
	const u = units[i % units.length];
	const status = STATUSES[i % STATUSES.length];
	const created = new Date(Date.now() - (70 - i) * 5.2 * 86400e3);
	const id = i + 1;
	const r = {
		id, customer_id: u.customer_id, unit_id: u.id, technician_id: ['IN_PROGRESS', 'COMPLETED'].includes(status) ? 3 + (i % 2) : status === 'APPROVED' && i % 3 === 0 ? 4 : null,
		status, description: `${DAMAGE[i % 4]} on the ${i % 2 ? 'driver' : 'passenger'} side, ${5 + (i % 20)} mm`, damage_type: DAMAGE[i % 4], priority: 1 + (i % 4),
		repair_date: created.toISOString().slice(0, 10), drilled_before_repair: i % 5 === 0, windshield_temperature: i % 3 ? 12.5 + (i % 10) : null, resin_viscosity: i % 3 ? 'Medium' : null,
		cost: '0.00', price_override: null, approval: null, version: 1, created_at: created.toISOString().replace(/\.\d+Z$/, 'Z'), updated_at: created.toISOString().replace(/\.\d+Z$/, 'Z')
	};
	if (status === 'COMPLETED') {
		u.repair_count++;
		r.cost = tier(u.repair_count);
	}
	repairs.push(r);
	logs[id] = [{ id: nextId(), previous_status: null, new_status: status === 'REQUESTED' ? 'REQUESTED' : 'PENDING', changed_by: { id: 2, name: 'Mona Manager' }, timestamp: r.created_at, notes: '' }];
	if (!['REQUESTED', 'PENDING'].includes(status)) logs[id].push({ id: nextId(), previous_status: 'PENDING', new_status: status, changed_by: { id: 3, name: 'Theo Tech' }, timestamp: r.updated_at, notes: '' });
	materials[id] = i % 4 === 0 ? [{ id: nextId(), material_type: 'Resin', quantity: 1, unit_cost: '7.50' }] : [];
	notes[id] = i % 3 === 0 ? [{ id: nextId(), body: 'Customer says it is getting bigger.', visibility: 'customer', author: { id: 5, name: 'Alice Approver' }, created_at: r.created_at }, { id: nextId(), body: 'Check the edge before filling.', visibility: 'internal', author: { id: 3, name: 'Theo Tech' }, created_at: r.created_at }] : [];
}
const monday = new Date();
monday.setDate(monday.getDate() - ((monday.getDay() + 6) % 7));
for (let d = 0; d < 5; d++) {
	const date = new Date(monday.getTime() + d * 86400e3).toISOString().slice(0, 10);
	schedules[3].push({ id: nextId(), date, start_time: '08:00', end_time: '16:00', is_available: d !== 2, notes: d === 2 ? 'Training' : '' });
}

// ---------------------------------------------------------------- http
const sessions = new Map(); // sid -> {userId, tenant, csrf}
function problem(res, status, detail, errors) {
	res.writeHead(status, { 'Content-Type': 'application/problem+json' });
	res.end(JSON.stringify({ type: 'about:blank', title: { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' }[status] ?? 'Error', status, detail, ...(errors ? { errors } : {}) }));
}
function json(res, status, body) {
	if (status === 204) {
		res.writeHead(204);
		return res.end();
	}
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(body));
}
function paginate(url, list) {
	const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
	const size = Math.min(200, Number(url.searchParams.get('page_size') ?? 50));
	const results = list.slice((page - 1) * size, page * size);
	const link = (p) => { const u = new URL(url); u.searchParams.set('page', p); return u.pathname + u.search; };
	return { count: list.length, next: page * size < list.length ? link(page + 1) : null, previous: page > 1 ? link(page - 1) : null, results };
}
function me(u, tenant) {
	return { id: u.id, email: u.email, name: u.name, role: u.role, tenant: { slug: tenant, name: tenants[tenant].company.name }, customers: u.customers.map((c) => ({ ...c, name: customers.find((x) => x.id === c.id).name })) };
}
const staff = (u) => u.role !== 'customer';
const manager = (u) => u.role === 'admin' || u.role === 'manager';
const access = (u, cid) => u.customers.find((c) => c.id === cid)?.access ?? null;
const visible = (u, r) => staff(u) || access(u, r.customer_id) !== null;

async function body(req) {
	let data = '';
	for await (const chunk of req) data += chunk;
	return data ? JSON.parse(data) : {};
}

function move(u, r, to, notesText) {
	const from = r.status;
	const edges = { REQUESTED: ['APPROVED', 'DENIED', 'CANCELLED'], PENDING: ['APPROVED', 'DENIED', 'CANCELLED'], APPROVED: ['IN_PROGRESS', 'CANCELLED'], IN_PROGRESS: ['APPROVED', 'COMPLETED', 'CANCELLED'] };
	if (!(edges[from] ?? []).includes(to)) return [409, `A repair cannot go from ${from} to ${to}.`];
	let ok = false;
	if (u.role === 'customer') ok = to === 'CANCELLED' && ['REQUESTED', 'PENDING'].includes(from) && ['approver', 'requester'].includes(access(u, r.customer_id));
	else if (to === 'CANCELLED') ok = manager(u);
	else if (from === 'REQUESTED') ok = manager(u);
	else if (from === 'APPROVED') ok = manager(u) || (u.role === 'technician' && (r.technician_id == null || r.technician_id === u.id));
	else if (from === 'IN_PROGRESS') ok = manager(u) || r.technician_id === u.id;
	if (!ok) return [403, 'You may not make this move.'];
	if (from === 'REQUESTED' && to === 'DENIED' && !notesText) return [400, 'A reason is required.', { notes: ['A reason is required when denying a request.'] }];
	if (from === 'APPROVED' && to === 'IN_PROGRESS' && r.technician_id == null && u.role === 'technician') r.technician_id = u.id;
	if (to === 'COMPLETED') {
		const unit = units.find((x) => x.id === r.unit_id);
		unit.repair_count++;
		r.cost = money((r.price_override ? cents(r.price_override) : cents(tier(unit.repair_count))) + matTotal(r.id));
		r.repair_date = now().slice(0, 10);
	}
	if (from === 'REQUESTED' && to === 'APPROVED') r.approval = { approved: true, decided_by: { id: u.id, name: u.name }, decided_at: now(), notes: notesText ?? '' };
	r.status = to;
	r.version++;
	r.updated_at = now();
	logs[r.id].push({ id: nextId(), previous_status: from, new_status: to, changed_by: { id: u.id, name: u.name }, timestamp: now(), notes: notesText ?? '' });
	pushEvent('repair.status_changed', r);
	return null;
}

async function api(req, res, url) {
	const path = url.pathname.replace(/^\/api\/v1/, '');
	const m = (re) => re.exec(path);
	const method = req.method;
	let mm;
	if (path === '/config') return json(res, 200, { default_tenant: 'demo' });
	if ((mm = m(/^\/tenants\/([^/]+)\/branding$/))) {
		const t = tenants[mm[1]];
		if (!t) return problem(res, 404, 'No such tenant.');
		if (method === 'GET') return json(res, 200, t);
	}
	if (path === '/auth/login' && method === 'POST') {
		const b = await body(req);
		const u = users.find((x) => x.email === String(b.email).toLowerCase());
		if (!tenants[b.tenant] || !u || b.password !== 'demo') return problem(res, 401, 'Wrong tenant, email or password.');
		const sid = randomBytes(16).toString('hex');
		const csrf = randomBytes(16).toString('hex');
		sessions.set(sid, { userId: u.id, tenant: b.tenant, csrf });
		res.setHeader('Set-Cookie', `portico_session=${sid}; Path=/; HttpOnly; SameSite=Lax`);
		return json(res, 200, { user: me(u, b.tenant), csrf_token: csrf });
	}
	const sid = /portico_session=([a-f0-9]+)/.exec(req.headers.cookie ?? '')?.[1];
	const sess = sid && sessions.get(sid);
	if (!sess) return problem(res, 401, 'Not signed in.');
	if (!['GET', 'HEAD'].includes(method) && req.headers['x-csrf-token'] !== sess.csrf) return problem(res, 403, 'Missing or wrong CSRF token.');
	const u = users.find((x) => x.id === sess.userId);
	const b = ['POST', 'PUT', 'PATCH'].includes(method) ? await body(req) : {};

	if (path === '/auth/logout') {
		sessions.delete(sid);
		return json(res, 204);
	}
	if (path === '/me') return json(res, 200, { ...me(u, sess.tenant), csrf_token: sess.csrf });
	if ((mm = m(/^\/tenants\/([^/]+)\/branding$/)) && method === 'PUT') {
		if (u.role !== 'admin') return problem(res, 403, 'Admins only.');
		const errors = {};
		for (const [k, v] of Object.entries(b.colors ?? {})) if (!/^#[0-9a-fA-F]{6}$/.test(v)) errors[`colors.${k}`] = ['Must be #rrggbb.'];
		if (Object.keys(errors).length) return problem(res, 400, 'Invalid branding.', errors);
		tenants[mm[1]] = b;
		return json(res, 200, b);
	}
	if (path === '/customers') {
		if (method === 'POST') {
			if (!manager(u)) return problem(res, 403, 'Managers only.');
			const errors = {};
			if (!b.name) errors.name = ['Required.'];
			if (!/@/.test(b.email ?? '')) errors.email = ['Not an email address.'];
			if (Object.keys(errors).length) return problem(res, 400, 'Invalid customer.', errors);
			const c = { id: nextId(), address: '', phone: '', ...b, is_active: true, created_at: now(), updated_at: now() };
			customers.push(c);
			return json(res, 201, c);
		}
		return json(res, 200, paginate(url, customers.filter((c) => staff(u) || access(u, c.id))));
	}
	if ((mm = m(/^\/customers\/(\d+)(\/preferences)?$/))) {
		const c = customers.find((x) => x.id === Number(mm[1]));
		if (!c || (!staff(u) && !access(u, c.id))) return problem(res, 404, 'No such customer.');
		if (mm[2]) {
			if (method === 'PUT') {
				if (!(manager(u) || access(u, c.id) === 'approver')) return problem(res, 403, 'Not allowed.');
				prefs[c.id] = b;
			}
			return json(res, 200, prefs[c.id] ?? { receive_email_notifications: true, receive_sms_notifications: false, default_view: 'DASHBOARD' });
		}
		if (method === 'PATCH') Object.assign(c, b, { updated_at: now() });
		return json(res, 200, c);
	}
	if (path === '/units') {
		if (method === 'POST') {
			if (units.some((x) => x.customer_id === b.customer_id && x.unit_number === b.unit_number)) return problem(res, 409, 'Duplicate unit number.');
			const nu = { id: nextId(), repair_count: 0, ...b };
			units.push(nu);
			return json(res, 201, { ...nu, next_price: tier(1) });
		}
		const cid = Number(url.searchParams.get('customer') ?? 0);
		const q = (url.searchParams.get('q') ?? '').toLowerCase();
		const list = units.filter((x) => (staff(u) || access(u, x.customer_id)) && (!cid || x.customer_id === cid) && (!q || `${x.unit_number} ${x.description}`.toLowerCase().includes(q)));
		return json(res, 200, paginate(url, list.map((x) => ({ ...x, next_price: tier(x.repair_count + 1) }))));
	}
	if ((mm = m(/^\/units\/(\d+)(\/replace)?$/))) {
		const x = units.find((y) => y.id === Number(mm[1]));
		if (!x || (!staff(u) && !access(u, x.customer_id))) return problem(res, 404, 'No such unit.');
		if (mm[2]) x.repair_count = 0;
		return json(res, 200, { ...x, next_price: tier(x.repair_count + 1) });
	}
	if (path === '/repairs') {
		if (method === 'POST') {
			const errors = {};
			if (!b.customer_id || (!staff(u) && !['approver', 'requester'].includes(access(u, b.customer_id)))) errors.customer_id = ['Choose one of your customers.'];
			if (!b.description || b.description.length < 5) errors.description = ['Describe the damage in at least 5 characters.'];
			if (!b.unit_number && !b.unit_id) errors.unit_number = ['Required.'];
			if (![1, 2, 3, 4].includes(b.priority)) errors.priority = ['1 to 4.'];
			if (Object.keys(errors).length) return problem(res, 400, 'The request has invalid fields.', errors);
			let unit = b.unit_id ? units.find((x) => x.id === b.unit_id) : units.find((x) => x.customer_id === b.customer_id && x.unit_number === b.unit_number);
			if (!unit) units.push((unit = { id: nextId(), customer_id: b.customer_id, unit_number: b.unit_number, description: '', repair_count: 0 }));
			const r = { id: nextId(), customer_id: b.customer_id, unit_id: unit.id, technician_id: null, status: staff(u) ? 'PENDING' : 'REQUESTED', description: b.description, damage_type: b.damage_type ?? '', priority: b.priority, repair_date: now().slice(0, 10), drilled_before_repair: false, windshield_temperature: null, resin_viscosity: null, cost: '0.00', price_override: null, approval: null, version: 1, created_at: now(), updated_at: now() };
			repairs.push(r);
			logs[r.id] = [{ id: nextId(), previous_status: null, new_status: r.status, changed_by: { id: u.id, name: u.name }, timestamp: now(), notes: '' }];
			materials[r.id] = [];
			notes[r.id] = [];
			pushEvent('repair.created', r);
			return json(res, 201, view(r));
		}
		const p = url.searchParams;
		const statuses = (p.get('status') ?? '').split(',').filter(Boolean);
		const q = (p.get('q') ?? '').toLowerCase();
		let list = repairs.filter((r) => visible(u, r)).map(view)
			.filter((r) => !statuses.length || statuses.includes(r.status))
			.filter((r) => !p.get('customer') || r.customer_id === Number(p.get('customer')))
			.filter((r) => !p.get('unit') || r.unit_id === Number(p.get('unit')))
			.filter((r) => !p.get('technician') || r.technician_id === Number(p.get('technician')))
			.filter((r) => !q || `${r.description} ${r.unit_number} ${r.damage_type}`.toLowerCase().includes(q));
		const ord = p.get('ordering') ?? '-created_at';
		const key = ord.replace('-', '');
		list.sort((a, b2) => (a[key] < b2[key] ? -1 : a[key] > b2[key] ? 1 : 0) * (ord.startsWith('-') ? -1 : 1));
		return json(res, 200, paginate(url, list));
	}
	if ((mm = m(/^\/repairs\/(\d+)(?:\/(\w+))?(?:\/(\d+))?$/))) {
		const r = repairs.find((x) => x.id === Number(mm[1]));
		if (!r || !visible(u, r)) return problem(res, 404, 'No such repair.');
		const sub = mm[2];
		if (!sub && method === 'GET') return json(res, 200, view(r));
		if (!sub && method === 'PATCH') {
			if (['COMPLETED', 'DENIED', 'CANCELLED'].includes(r.status)) return problem(res, 409, 'Final repairs cannot be edited.');
			if (b.version !== undefined && b.version !== r.version) return problem(res, 409, 'The repair was changed by someone else.');
			const { version, ...rest } = b;
			Object.assign(r, rest, { version: r.version + 1, updated_at: now() });
			pushEvent('repair.updated', r);
			return json(res, 200, view(r));
		}
		if (sub === 'status') {
			const err = move(u, r, b.status, b.notes);
			if (err) return problem(res, err[0], err[1], err[2]);
			return json(res, 200, view(r));
		}
		if (sub === 'approval') {
			if (r.status !== 'PENDING') return problem(res, 409, 'Only a pending repair can be decided.');
			if (access(u, r.customer_id) !== 'approver') return problem(res, 403, 'Approvers only.');
			const from = r.status;
			r.status = b.approved ? 'APPROVED' : 'DENIED';
			r.approval = { approved: !!b.approved, decided_by: { id: u.id, name: u.name }, decided_at: now(), notes: b.notes ?? '' };
			r.version++;
			logs[r.id].push({ id: nextId(), previous_status: from, new_status: r.status, changed_by: { id: u.id, name: u.name }, timestamp: now(), notes: b.notes ?? '' });
			pushEvent('repair.approval', r);
			return json(res, 200, view(r));
		}
		if (sub === 'log') return json(res, 200, logs[r.id]);
		if (sub === 'materials') {
			if (method === 'POST') {
				if (!staff(u)) return problem(res, 403, 'Staff only.');
				if (!(b.quantity > 0)) return problem(res, 400, 'Invalid material.', { quantity: ['Must be more than 0.'] });
				const mat = { id: nextId(), ...b };
				materials[r.id].push(mat);
				pushEvent('repair.material_added', r);
				return json(res, 201, mat);
			}
			if (method === 'DELETE') {
				materials[r.id] = materials[r.id].filter((x) => x.id !== Number(mm[3]));
				return json(res, 204);
			}
			return json(res, 200, paginate(url, materials[r.id]));
		}
		if (sub === 'notes') {
			if (method === 'POST') {
				if (!b.body) return problem(res, 400, 'Invalid note.', { body: ['Write something.'] });
				const n = { id: nextId(), body: b.body, visibility: staff(u) ? b.visibility : 'customer', author: { id: u.id, name: u.name }, created_at: now() };
				notes[r.id].push(n);
				pushEvent('repair.note_added', r);
				return json(res, 201, n);
			}
			return json(res, 200, paginate(url, notes[r.id].filter((n) => staff(u) || n.visibility === 'customer')));
		}
	}
	if (path === '/technicians') {
		if (!staff(u)) return problem(res, 403, 'Staff only.');
		return json(res, 200, paginate(url, users.filter((x) => x.role === 'technician').map((t) => ({ id: t.id, name: t.name, email: t.email, role: t.role, open_repairs: repairs.filter((r) => r.technician_id === t.id && ['APPROVED', 'IN_PROGRESS'].includes(r.status)).length }))));
	}
	if ((mm = m(/^\/technicians\/(\d+)\/schedule$/))) {
		const tid = Number(mm[1]);
		const list = (schedules[tid] ??= []);
		if (method === 'POST') {
			if (!(manager(u) || u.id === tid)) return problem(res, 403, 'Not allowed.');
			if (b.end_time <= b.start_time) return problem(res, 400, 'Invalid shift.', { end_time: ['The end is before the start.'] });
			if (list.some((s) => s.date === b.date && s.start_time === b.start_time)) return problem(res, 409, 'A shift at this date and time exists.');
			const s = { id: nextId(), ...b };
			list.push(s);
			return json(res, 201, s);
		}
		const from = url.searchParams.get('from') ?? '';
		const to = url.searchParams.get('to') ?? '9999';
		return json(res, 200, paginate(url, list.filter((s) => s.date >= from && s.date <= to)));
	}
	if (path === '/stats/units') {
		const cid = Number(url.searchParams.get('customer') ?? 0);
		return json(res, 200, units.filter((x) => (!cid || x.customer_id === cid) && (staff(u) || access(u, x.customer_id))).map((x) => ({ unit_id: x.id, unit_number: x.unit_number, repair_count: x.repair_count, total_cost: money(repairs.filter((r) => r.unit_id === x.id).reduce((n, r) => n + cents(r.cost), 0)) })));
	}
	if (path === '/stats/repairs') {
		const cid = Number(url.searchParams.get('customer') ?? 0);
		const from = url.searchParams.get('from') ?? '';
		const groups = {};
		for (const r of repairs.filter((x) => visible(u, x) && (!cid || x.customer_id === cid) && x.repair_date >= from)) {
			const g = (groups[r.repair_date.slice(0, 7)] ??= { period: r.repair_date.slice(0, 7), count: 0, completed: 0, cost: 0 });
			g.count++;
			if (r.status === 'COMPLETED') g.completed++;
			g.cost += cents(r.cost);
		}
		return json(res, 200, Object.values(groups).sort((a, b2) => a.period.localeCompare(b2.period)).map((g) => ({ ...g, cost: money(g.cost) })));
	}
	if (path === '/stats/status') {
		const out = {};
		const cid = Number(url.searchParams.get('customer') ?? 0);
		for (const r of repairs.filter((x) => visible(u, x) && (!cid || x.customer_id === cid))) out[r.status] = (out[r.status] ?? 0) + 1;
		return json(res, 200, out);
	}
	if (path === '/events') {
		if (!url.searchParams.has('after')) return json(res, 200, { events: [], last_id: eventId });
		const after = Number(url.searchParams.get('after') ?? 0);
		const wait = Math.min(30, Number(url.searchParams.get('wait') ?? 0));
		const end = Date.now() + wait * 1000;
		while (Date.now() < end && !events.some((e) => e.id > after)) await new Promise((r) => setTimeout(r, 300));
		const list = events.filter((e) => e.id > after && visible(u, repairs.find((r) => r.id === e.repair_id) ?? {})).slice(0, 100);
		return json(res, 200, { events: list, last_id: list.length ? list[list.length - 1].id : Math.max(after, eventId) });
	}
	if (path === '/notifications') return json(res, 200, paginate(url, []));
	if (path === '/notifications/unread_count' || path === '/notifications/read_all') return json(res, 200, { unread: 0 });
	return problem(res, 404, 'No such endpoint.');
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };
createServer(async (req, res) => {
	const url = new URL(req.url, `http://${req.headers.host}`);
	try {
		if (url.pathname.startsWith('/api/')) return await api(req, res, url);
		let file = join(root, decodeURIComponent(url.pathname));
		if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
		res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
		res.end(readFileSync(file));
	} catch (err) {
		console.error(err);
		if (!res.headersSent) problem(res, 500, 'Mock server error.');
	}
}).listen(port, '127.0.0.1', () => console.log(`mock Portico on http://127.0.0.1:${port}/`));
