import { appendAudit } from '../audit/chain';
import { actorOf, type AuditDeps } from '../audit/record';
import type { AuditEntry } from '../audit/entry';
import type { Principal } from '../directory/model';
import type { StoredFile } from './model';

/** A member's act on a file (`attachment.download`, `sample.reject`, …), in the tenant's chain, with the file's facts. */
export function recordFileEvent(
  principal: Principal,
  file: StoredFile,
  verb: 'upload' | 'reject' | 'download' | 'delete',
  details: Record<string, unknown>,
  deps: AuditDeps,
): Promise<AuditEntry> {
  return appendAudit(
    file.tenantId,
    {
      actor: actorOf(principal),
      memberId: principal.memberId,
      action: `${file.kind}.${verb}`,
      target: { type: file.kind, id: file.id },
      details: {
        collectionId: file.collectionId,
        fileName: file.fileName,
        sha256: file.sha256,
        size: file.size,
        tlp: file.access.tlp,
        ...details,
      },
    },
    deps,
  );
}
