import type { Principal } from '../directory/model';
import type { DirectoryStore } from '../ports';
import { NotFoundError } from '../errors';

/** TAXII 2.1 §4.1.1 discovery resource. */
export interface Discovery {
  title: string;
  description?: string;
  contact?: string;
  default?: string;
  api_roots: string[];
}

/**
 * Lists only the API roots the caller may use: its own tenant's. Each tenant is one API root, so other
 * communities hosted on the same platform stay invisible (TAXII 2.1 §4.1: "may vary by client").
 */
export async function getDiscovery(principal: Principal, baseUrl: string, deps: { directory: DirectoryStore }): Promise<Discovery> {
  const tenant = await deps.directory.getTenant(principal.tenantId);
  if (!tenant) throw new NotFoundError(`Tenant ${principal.tenantId} no longer exists`);
  const apiRoot = `${baseUrl.replace(/\/+$/, '')}/${tenant.id}/`;
  return {
    title: 'Kyoyu TAXII 2.1 server',
    description: `Threat-intelligence sharing for ${tenant.nameEn} (${tenant.nameJa})`,
    default: apiRoot,
    api_roots: [apiRoot],
  };
}
