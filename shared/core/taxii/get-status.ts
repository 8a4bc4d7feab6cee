import { NotFoundError } from '../errors';
import type { Principal } from '../directory/model';
import type { StatusStore } from '../ports';
import { assertOwnApiRoot } from './api-root';
import { statusResource, type StatusResource } from './status';

/** TAXII 2.1 §4.3: only the member that POSTed sees its status; anyone else gets the 404 of a missing one. */
export async function getStatus(
  principal: Principal,
  tenantId: string,
  statusId: string,
  deps: { statuses: StatusStore },
): Promise<StatusResource> {
  await assertOwnApiRoot(principal, tenantId);
  const found = await deps.statuses.get(tenantId, statusId);
  if (!found || found.header.memberId !== principal.memberId) throw new NotFoundError(`No status ${statusId} for these credentials`);
  return statusResource(found.header, found.entries);
}
