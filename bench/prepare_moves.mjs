// Creates N repairs of the POLICE customer as manager@bench.test and has police@bench.test approve them
// (APPROVED: ready for claim/release moves), CONCURRENCY requests at a time: the batched setup of the
// status-move benchmarks (one curl per request was the slow part of bench/run.sh on PostgreSQL).
// node bench/prepare_moves.mjs URL POLICE_CUSTOMER_ID [N] [CONCURRENCY]  -> prints "FIRST_ID LAST_ID"
// The ids are contiguous when nothing else creates repairs meanwhile (checked; exit 1 otherwise).
const [url, police, nArg, concArg] = process.argv.slice(2);
const N = Number(nArg ?? 200);
const CONC = Number(concArg ?? 8);

async function login(email) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'bench', email, password: 'bench-password-1' }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  const { csrf_token: csrf } = await res.json();
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async (path, json) => {
    const r = await fetch(`${url}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf }, body: JSON.stringify(json),
    });
    return { status: r.status, body: await r.json() };
  };
}

const manager = await login('manager@bench.test');
const customer = await login('police@bench.test');
// Create them in order (contiguous ids), approve them concurrently.
const ids = [];
for (let i = 0; i < N; i++) {
  const r = await manager('/api/v1/repairs', { customer_id: Number(police), unit_number: `BENCH-${i % 20}`, description: `bench ${i}` });
  if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
  ids.push(r.body.id);
}
let next = 0;
await Promise.all(Array.from({ length: CONC }, async () => {
  while (next < ids.length) {
    const id = ids[next++];
    const a = await customer(`/api/v1/repairs/${id}/approval`, { approved: true });
    if (a.status !== 200) throw new Error(`approve ${id}: ${a.status}`);
  }
}));
const first = Math.min(...ids);
const last = Math.max(...ids);
if (last - first + 1 !== N) { console.error(`ids not contiguous: ${first}..${last} for ${N}`); process.exit(1); }
console.log(`${first} ${last}`);
