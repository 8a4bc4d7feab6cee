import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminRoutes, alertLinkRoutes, routes, tables } from '../../infra/topology';

/**
 * Per-tenant request limits (shared/core/policy/tenant-throttle.ts) are enforced in shared/runtime/http.ts on every
 * route a tenant's members call, which then needs the throttle table and the directory. A route that lacked them
 * would run unthrottled (counting fails and the request is let through), so this holds the topology to that rule.
 */
const REPO_ROOT = join(__dirname, '..', '..');
const TAXII_ROUTE = /\btaxii(Read)?Route\(/;
const builtOnTaxiiRoute = (entry: string) => TAXII_ROUTE.test(readFileSync(join(REPO_ROOT, entry), 'utf8'));
// The alert acknowledgement link names no credentials: its tenant is known only once its MAC is verified (one HMAC,
// behind API Gateway's stage throttling), so it is not counted against a tenant's limit.
const memberRoutes = routes.filter((r) => !adminRoutes.includes(r) && !alertLinkRoutes.includes(r));

describe('per-tenant throttling in the topology', () => {
  it('has a throttle table whose counts expire', () => {
    expect(tables.throttle).toEqual({
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      indexes: [],
      timeToLiveAttribute: 'expiresAt',
    });
  });

  it('lets every route outside the admin API count requests and read tenant limits', () => {
    expect(memberRoutes.map((r) => r.entry)).toEqual(
      expect.arrayContaining(['functions/taxii/discovery.ts', 'functions/taxii/get-objects.ts', 'functions/taxii/get-status.ts']),
    );
    for (const r of memberRoutes) {
      expect([r.method, r.path, r.uses.tables?.throttle, r.uses.tables?.directory]).toEqual([
        r.method,
        r.path,
        'write',
        expect.stringMatching(/^(read|write)$/),
      ]);
    }
  });

  it('leaves the admin API unthrottled: operators need it during an incident', () => {
    for (const r of adminRoutes)
      expect([r.method, r.path, builtOnTaxiiRoute(r.entry), r.uses.tables?.throttle]).toEqual([r.method, r.path, false, undefined]);
  });
});
