/** `kyoyu ingest`: share files of STIX or indicator values, wait for the pipeline, summarise the TAXII statuses. */
import type { Command } from '../command';
import { CliError } from '../errors';
import { readShareable } from '../ingest-input';
import { print, progress } from '../output';
import { collectionId, tenantOf } from '../scope';
import { WAITING_FOR_MODERATION } from '../../shared/core/taxii/status';

/** Objects and bytes per POST: within the API's body limit, few enough requests for a large bundle. */
const CHUNK_OBJECTS = 500;
const CHUNK_BYTES = 3 * 1024 * 1024;

interface StatusResource {
  id: string;
  status: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  failures?: Array<{ id: string; message?: string }>;
  pendings?: Array<{ id: string; message?: string }>;
}

/** Done as far as the pipeline goes: complete, or what is pending waits for a moderator (and says so). */
const settled = (status: StatusResource) =>
  status.status === 'complete' || (status.pendings ?? []).every((p) => p.message?.startsWith(WAITING_FOR_MODERATION));

export function chunks(objects: unknown[]): unknown[][] {
  const out: unknown[][] = [];
  let current: unknown[] = [];
  let bytes = 0;
  for (const object of objects) {
    const size = Buffer.byteLength(JSON.stringify(object));
    if (current.length && (current.length >= CHUNK_OBJECTS || bytes + size > CHUNK_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(object);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

export const ingest: Command = {
  usage: 'ingest FILE… --collection ID|TITLE [--wait SECONDS]',
  help:
    'Share STIX (bundles, TAXII envelopes, single objects, JSON arrays of objects or JSON Lines; STIX 2.0 or 2.1), ' +
    'plain indicator lists (one value per line) or CSV (with a value column), then wait for the pipeline and summarise the TAXII statuses.',
  run: async (ctx) => {
    if (ctx.args.length === 0) throw new CliError('Missing FILE; see --help');
    // Every file is read before anything is sent, so a bad file does not leave the others half shared.
    const files = ctx.args.map((file) => ({ file, content: readShareable(file) }));
    const c = await ctx.connect();
    const tenant = await tenantOf(c);
    const collection = await collectionId(c, tenant, ctx.values.collection ?? '');
    const total = files.reduce((n, f) => n + (f.content.kind === 'stix' ? f.content.objects.length : f.content.parts.length), 0);
    const statusIds: string[] = [];
    let sent = 0;
    progress(0, total, 'sent');
    for (const { content } of files) {
      if (content.kind === 'list') {
        for (const part of content.parts) {
          const status = await c.taxii<StatusResource>('POST', `/${tenant}/collections/${collection}/indicators/`, part, content.format);
          statusIds.push(status.id);
          progress(++sent, total, 'sent');
        }
        continue;
      }
      for (const batch of chunks(content.objects)) {
        const status = await c.taxii<StatusResource>('POST', `/${tenant}/collections/${collection}/objects/`, { objects: batch });
        statusIds.push(status.id);
        sent += batch.length;
        progress(sent, total, 'sent');
      }
    }
    const deadline = Date.now() + 1000 * Number(ctx.values.wait ?? 60);
    const statuses: StatusResource[] = [];
    for (const id of statusIds) {
      let status = await c.taxii<StatusResource>('GET', `/${tenant}/status/${id}/`);
      while (!settled(status) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        status = await c.taxii<StatusResource>('GET', `/${tenant}/status/${id}/`);
      }
      statuses.push(status);
    }
    const sum = (k: 'total_count' | 'success_count' | 'failure_count' | 'pending_count') => statuses.reduce((n, s) => n + s[k], 0);
    const summary = {
      files: files.length,
      collection,
      statuses: statusIds,
      total: sum('total_count'),
      succeeded: sum('success_count'),
      failed: sum('failure_count'),
      pending: sum('pending_count'),
      failures: statuses.flatMap((s) => s.failures ?? []).slice(0, 20),
      moderated: statuses.flatMap((s) => s.pendings ?? []).filter((p) => p.message?.startsWith(WAITING_FOR_MODERATION)).length,
    };
    if (ctx.json) print(ctx, summary);
    else {
      const { total: n, succeeded, failed, pending } = summary;
      const moderated = summary.moderated > 0 ? ` (${summary.moderated} waiting for moderation)` : '';
      process.stdout.write(
        `${n} objects in ${summary.files} file(s): ${succeeded} succeeded, ${failed} failed, ${pending} pending${moderated}\n`,
      );
      for (const f of summary.failures) process.stdout.write(`  ${f.id}: ${f.message ?? ''}\n`);
    }
    // Waiting for a moderator is an outcome, not a failure: only what the pipeline failed or left unfinished is.
    if (summary.failed > 0 || summary.pending > summary.moderated) process.exitCode = 1;
  },
};
