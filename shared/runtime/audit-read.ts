import { randomUUID } from 'node:crypto';
import { readEvent } from '../core/audit/record';
import type { Container } from './composition-root';
import type { HttpRequest } from './http';

function countOf(body: unknown): number {
  if (body === null || typeof body !== 'object') return 0;
  const { objects, versions } = body as { objects?: unknown; versions?: unknown };
  return Array.isArray(objects) ? objects.length : Array.isArray(versions) ? versions.length : 0;
}

/**
 * Records a member's read of a collection (which one, through which endpoint, how many objects): one message on the
 * audit queue, which the appender seals into the tenant's chain with the batch it arrives in (core/audit/events.ts).
 * A poll waits for one SendMessage, never for the tenant's chain or KMS. A read is still answered if the event cannot
 * be sent: a failed poll costs TAXII clients their window (TAXII-CLIENTS #26); the error log line names what was not
 * recorded.
 */
export async function auditRead(request: HttpRequest, c: Container, endpoint: string, body: unknown): Promise<void> {
  await sendReadEvent(request, c, { collectionId: request.pathParameters.collectionId ?? '', endpoint, objects: countOf(body) });
}

/** An export reads several collections: one read event each, with the objects it took from that collection. */
export async function auditReads(
  request: HttpRequest,
  c: Container,
  endpoint: string,
  reads: ReadonlyArray<{ collectionId: string; objects: number }>,
): Promise<void> {
  await Promise.all(reads.map((read) => sendReadEvent(request, c, { ...read, endpoint })));
}

async function sendReadEvent(
  request: HttpRequest,
  c: Container,
  read: { collectionId: string; endpoint: string; objects: number },
): Promise<void> {
  await c.auditEvents.send(readEvent(request.principal, read, { id: randomUUID(), nowMs: Date.now() })).catch((error: unknown) =>
    c.logger.error('audit event not sent', {
      requestId: request.requestId,
      ...read,
      error: error instanceof Error ? error.message : String(error),
    }),
  );
}
