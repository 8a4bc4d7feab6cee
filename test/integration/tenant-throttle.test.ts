import { adminClient, type AdminClient, type AdminResponse } from '../support/admin-client';
import { startSeededPlatform, type SeededPlatform } from '../support/platform';
import { taxiiClient, type TaxiiResponse } from '../support/taxii-client';

const LIMIT = 5;
const MINUTE_MS = 60_000;

let env: SeededPlatform;
let operator: AdminClient;
let icsAdmin: AdminClient;

/** Everything that must fall in one throttle window, sent in a burst: the assertions below read these. */
let allowed: Array<TaxiiResponse>;
let refused: TaxiiResponse<{ title: string; description: string; http_status: string; error_id: string }>;
let refusedOtherUser: TaxiiResponse;
let otherTenant: TaxiiResponse;
let adminAnswers: AdminResponse[];
/** When the refusal was asked for and answered, and the end of the minute it fell in. */
let refusal: { sentAt: number; answeredAt: number; windowEnd: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the next UTC minute if fewer than `headroomMs` are left in this one, so a burst never spans two windows. */
async function freshWindow(headroomMs: number): Promise<void> {
  const left = MINUTE_MS - (Date.now() % MINUTE_MS);
  if (left < headroomMs) await sleep(left + 100);
}

beforeAll(async () => {
  env = await startSeededPlatform('throttle');
  operator = adminClient(env, 'operator');
  icsAdmin = adminClient(env, 'ics-admin');
  // Before any TAXII request of ics-isac: warm containers cache a tenant's limit for up to a minute.
  const patched = await operator.patch('/admin/tenants/ics-isac', { requestsPerMinute: LIMIT });
  if (patched.status !== 200) throw new Error(`PATCH limit: HTTP ${patched.status} ${JSON.stringify(patched.body)}`);

  const consumer = taxiiClient(env, 'ics-consumer');
  const provider = taxiiClient(env, 'ics-provider');
  const fin = taxiiClient(env, 'fin-consumer');
  const objects = `/ics-isac/collections/${env.demo.tenants[0]!.collections[0]!.id}/objects/`;
  // Load every handler of the burst through another tenant first, so that the burst takes a second, not several.
  for (const path of [
    '/taxii2/',
    '/fin-isac/',
    '/fin-isac/collections/',
    `/fin-isac/collections/${env.demo.tenants[1]!.collections[0]!.id}/objects/`,
  ])
    await fin.get(path);
  await freshWindow(20_000);
  const windowEnd = (Math.floor(Date.now() / MINUTE_MS) + 1) * MINUTE_MS;

  allowed = [];
  for (const path of ['/taxii2/', '/ics-isac/', '/ics-isac/collections/', objects, '/ics-isac/']) allowed.push(await consumer.get(path));
  const sentAt = Date.now();
  refused = await consumer.get('/ics-isac/collections/');
  refusal = { sentAt, answeredAt: Date.now(), windowEnd };
  refusedOtherUser = await provider.get(objects);
  otherTenant = await fin.get('/fin-isac/collections/');
  adminAnswers = [];
  for (let i = 0; i < LIMIT + 2; i++) adminAnswers.push(await icsAdmin.get('/admin/tenants/ics-isac'));
  adminAnswers.push(await icsAdmin.get('/admin/whoami'), await operator.get('/admin/tenants'));
  if (Date.now() >= refusal.windowEnd) throw new Error('The burst spanned two throttle windows; freshWindow should have prevented that');
}, 90_000);
afterAll(async () => env?.platform.stop());

describe('per-tenant request limit', () => {
  it('answers the requests up to the limit, whatever the endpoint', () => {
    expect(allowed.map((r) => r.status)).toEqual(Array(LIMIT).fill(200));
  });

  it('refuses the next request of the minute with 429, a numeric Retry-After and a TAXII error message', () => {
    const retryAfter = refused.headers.get('retry-after') ?? '';

    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/taxii+json;version=2.1');
    expect(retryAfter).toMatch(/^[1-9]\d*$/);
    // Until the end of the minute the refusal fell in.
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(Math.floor((refusal.windowEnd - refusal.answeredAt) / 1000));
    expect(Number(retryAfter)).toBeLessThanOrEqual(Math.ceil((refusal.windowEnd - refusal.sentAt) / 1000));
    expect(refused.body).toEqual({
      title: 'Too many requests',
      description: `Tenant ics-isac is limited to ${LIMIT} TAXII requests per minute and has used them; retry in ${retryAfter} second${retryAfter === '1' ? '' : 's'}`,
      http_status: '429',
      error_id: expect.stringMatching(/.+/),
    });
  });

  it('limits the tenant as a whole: its other users are refused too', () => {
    expect([refusedOtherUser.status, refusedOtherUser.headers.get('retry-after')]).toEqual([429, expect.stringMatching(/^\d+$/)]);
  });

  it('leaves another tenant alone in the same minute', () => {
    expect(otherTenant.status).toBe(200);
  });

  it('never throttles the admin API, which operators and tenant admins need during an incident', () => {
    expect(adminAnswers.map((r) => r.status)).toEqual(Array(LIMIT + 4).fill(200));
    expect(adminAnswers[0]!.body).toMatchObject({ id: 'ics-isac', requestsPerMinute: LIMIT });
  });
});

describe('who sets the limit', () => {
  it('refuses a tenant admin that tries to change its own limit, and changes nothing', async () => {
    const raised = await icsAdmin.patch<{ description: string }>('/admin/tenants/ics-isac', { requestsPerMinute: 100_000 });
    const cleared = await icsAdmin.patch<{ description: string }>('/admin/tenants/ics-isac', { requestsPerMinute: null });
    const renamed = await icsAdmin.patch<{ nameEn: string; requestsPerMinute: number }>('/admin/tenants/ics-isac', {
      nameEn: 'ICS ISAC (renamed)',
    });

    expect([raised.status, raised.body.description]).toEqual([403, "Only platform operators may change a tenant's request limit"]);
    expect(cleared.status).toBe(403);
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ nameEn: 'ICS ISAC (renamed)', requestsPerMinute: LIMIT });
  });

  it('takes positive integers from operators, and null to return to the default', async () => {
    const invalid = await Promise.all(
      [0, -1, 2.5, '60'].map((value) => operator.patch<{ description: string }>('/admin/tenants/fin-isac', { requestsPerMinute: value })),
    );
    const set = await operator.patch('/admin/tenants/fin-isac', { requestsPerMinute: 900 });
    const reset = await operator.patch('/admin/tenants/fin-isac', { requestsPerMinute: null });

    expect(invalid.map((r) => [r.status, r.body.description.startsWith('requestsPerMinute: ')])).toEqual(Array(4).fill([400, true]));
    expect([set.status, set.body.requestsPerMinute]).toEqual([200, 900]);
    expect(reset.status).toBe(200);
    expect(reset.body).not.toHaveProperty('requestsPerMinute');
  });
});
