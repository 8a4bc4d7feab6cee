import { deliverExport } from '../core/export/delivery';
import { exportFormat } from '../core/export/formats';
import { prepareExport } from '../core/export/export-use-case';
import type { ExportStats } from '../core/export/items';
import { assertAccepts } from '../core/taxii/media-types';
import { auditReads } from './audit-read';
import { exportConfig } from './config';
import { memberDownloadRoute } from './http';

/** `objects=120 items=118 revoked=1 …`: what the export left out and why, for the member's tooling and the CLI. */
function statsHeader(stats: ExportStats): string {
  return Object.entries(stats)
    .map(([name, count]) => `${name}=${count}`)
    .join(' ');
}

/**
 * GET /{tenant}/exports/{format}/ and GET /{tenant}/collections/{collectionId}/exports/{format}/ (issue #15,
 * docs/exports.md): negotiate, prepare the export (core/export/export-use-case.ts), deliver it inline or through the
 * exports bucket (core/export/delivery.ts), audit one read per collection.
 */
export function exportRoute() {
  return memberDownloadRoute(async (request, c) => {
    const { tenant, collectionId, format: formatName } = request.pathParameters;
    // The format's media type decides what Accept must allow; an unknown format is a 400 before anything is read.
    const format = exportFormat(formatName ?? '');
    assertAccepts(request.headers['accept'], format.mediaType);
    const prepared = await prepareExport(
      {
        principal: request.principal,
        tenantId: tenant!,
        ...(collectionId ? { collectionId } : {}),
        format: format.name,
        query: request.query,
      },
      {
        directory: c.directory,
        objects: c.objects,
        cursorKeys: await c.secretList('cursor'),
        feedback: c.feedback,
        warningLists: c.warningLists,
      },
    );
    const settings = exportConfig();
    const delivery = await deliverExport(prepared.lines, {
      inlineMaxBytes: settings.EXPORT_INLINE_MAX_BYTES,
      ifNoneMatch: request.headers['if-none-match'],
      store: c.exportStore,
      key: `exports/${tenant}/${request.principal.memberId}/${request.requestId}.${format.extension}`,
      contentType: format.mediaType,
      fileName: prepared.fileName,
      urlExpiresSeconds: settings.EXPORT_URL_EXPIRES_SECONDS,
      nowMs: Date.now,
    });
    await auditReads(request, c, `export:${format.name}`, prepared.reads);
    // Private: each member's export is its own. no-cache: keep it, but ask again (with If-None-Match) before using it.
    const headers = { ETag: delivery.etag, 'Cache-Control': 'private, no-cache', 'X-Kyoyu-Export-Stats': statsHeader(prepared.stats) };
    switch (delivery.kind) {
      case 'not-modified':
        return { status: 304, headers };
      case 'inline':
        return { status: 200, headers: { ...headers, 'Content-Type': format.mediaType }, text: delivery.body };
      case 'stored':
        return {
          status: 303,
          headers: { ...headers, Location: delivery.url, 'Content-Type': 'application/json' },
          text: JSON.stringify({
            url: delivery.url,
            expires_at: delivery.expiresAt,
            bytes: delivery.bytes,
            media_type: format.mediaType,
            file_name: prepared.fileName,
          }),
        };
    }
  });
}
