/**
 * `kyoyu export`: what a member's firewall or IDS would fetch (docs/exports.md), to standard output or a file. Large
 * exports are fetched from the storage URL the API answers with (303); the body is streamed, never held.
 */
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { one, type Command } from '../command';
import { CliError } from '../errors';
import { errorDescription } from '../http-client';
import { collectionId, tenantOf } from '../scope';

/** Bytes so far, on a terminal's stderr only (a pipe or a file gets nothing). */
function counter(): Transform {
  let bytes = 0;
  let last = 0;
  const show = (done: boolean) => process.stderr.write(`\r${(bytes / 1024 / 1024).toFixed(1)} MiB${done ? '\n' : ''}`);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (process.stderr.isTTY && Date.now() - last > 200) {
        last = Date.now();
        show(false);
      }
      callback(null, chunk);
    },
    flush(callback) {
      if (process.stderr.isTTY) show(true);
      callback();
    },
  });
}

async function refusal(response: Response): Promise<string> {
  const text = await response.text();
  try {
    return errorDescription(JSON.parse(text)) || text;
  } catch {
    return text;
  }
}

export const exportCommand: Command = {
  usage: 'export --format FORMAT [--collection ID|TITLE] [--include revoked,expired,flagged] [--output FILE] [--force]',
  help:
    'Export what you may read as a block list, firewall feed, IDS/YARA rules, CSV, JSON or a STIX bundle (formats: docs/exports.md), ' +
    'from one collection or every one you may read; to standard output, or FILE (not overwritten without --force).',
  run: async (ctx) => {
    const format = one(ctx.values.format === undefined ? undefined : [ctx.values.format], 'format');
    const c = await ctx.connect();
    const tenant = await tenantOf(c);
    const query = new URLSearchParams();
    if (ctx.values.collection) query.set('collection', await collectionId(c, tenant, ctx.values.collection));
    if (ctx.values.include) query.set('include', ctx.values.include);
    const path = `/${encodeURIComponent(tenant)}/exports/${encodeURIComponent(format)}/${query.size ? `?${query}` : ''}`;
    let response = await c.client.download(path, { redirect: 'manual' });
    if (response.status === 303) {
      const location = response.headers.get('location');
      await response.arrayBuffer();
      if (!location) throw new CliError(`GET ${path}: 303 without a Location`);
      // A presigned storage URL: no Authorization header.
      response = await fetch(location);
      if (!response.ok) throw new CliError(`Download from storage failed: ${response.status}`);
    } else if (!response.ok) {
      throw new CliError(`GET ${path}: ${response.status} ${await refusal(response)}`);
    }
    const body = Readable.fromWeb((response.body ?? new Blob([]).stream()) as WebReadableStream<Uint8Array>);
    const output = ctx.values.output;
    const sink = output ? createWriteStream(output, { flags: ctx.values.force ? 'w' : 'wx' }) : process.stdout;
    try {
      await pipeline(body, counter(), sink, { end: output !== undefined });
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      if (output && code?.startsWith('E'))
        throw new CliError(`Cannot write ${output}: ${message ?? code}${code === 'EEXIST' ? ' (use --force to overwrite)' : ''}`);
      throw error;
    }
  },
};
