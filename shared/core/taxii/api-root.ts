import { NotFoundError } from '../errors';
import type { Principal } from '../directory/model';
import type { DirectoryStore } from '../ports';
import { TAXII_MEDIA_TYPE } from './media-types';

/**
 * Largest POST body accepted. Lambda takes at most 6 MB per invocation, and the body arrives JSON-escaped inside
 * the API Gateway event, so 4 MiB leaves room for escaping and headers: a POST of exactly this size succeeds
 * (TAXII-CLIENTS #7; MISP chunks to it).
 */
export const MAX_CONTENT_LENGTH = 4 * 1024 * 1024;

/** TAXII 2.1 §4.2.1 API root resource. */
export interface ApiRootResource {
  title: string;
  description?: string;
  versions: string[];
  max_content_length: number;
}

/** Each tenant is one API root; other tenants' roots answer 404, as if they did not exist. */
export async function assertOwnApiRoot(principal: Principal, tenantId: string): Promise<void> {
  if (tenantId !== principal.tenantId) throw new NotFoundError(`No API root ${tenantId}/ for these credentials`);
}

export async function getApiRoot(principal: Principal, tenantId: string, deps: { directory: DirectoryStore }): Promise<ApiRootResource> {
  await assertOwnApiRoot(principal, tenantId);
  const tenant = await deps.directory.getTenant(tenantId);
  if (!tenant) throw new NotFoundError(`No API root ${tenantId}/ for these credentials`);
  return {
    title: `${tenant.nameEn} / ${tenant.nameJa}`,
    description: tenant.description || undefined,
    versions: [TAXII_MEDIA_TYPE],
    max_content_length: MAX_CONTENT_LENGTH,
  };
}
