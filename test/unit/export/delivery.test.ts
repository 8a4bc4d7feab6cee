import fc from 'fast-check';
import { deliverExport, EXPORT_PART_MIN_BYTES, matchesIfNoneMatch, type DeliveryOptions } from '../../../shared/core/export/delivery';
import type { ExportStore } from '../../../shared/core/ports';

/** An in-memory twin of the exports bucket: what was uploaded, part by part, and what was completed or aborted. */
function memoryStore() {
  const uploads: Array<{ key: string; parts: Uint8Array[]; state: 'open' | 'complete' | 'aborted' }> = [];
  const store: ExportStore = {
    begin(key) {
      const upload = { key, parts: [] as Uint8Array[], state: 'open' as 'open' | 'complete' | 'aborted' };
      uploads.push(upload);
      return Promise.resolve({
        part: (bytes) => Promise.resolve(void upload.parts.push(bytes)),
        complete: () => Promise.resolve(void (upload.state = 'complete')),
        abort: () => Promise.resolve(void (upload.state = 'aborted')),
      });
    },
    presignGet: (key, seconds) => Promise.resolve(`https://exports.example/${key}?expires=${seconds}`),
  };
  const text = (i = 0) => Buffer.concat(uploads[i]!.parts).toString('utf8');
  return { store, uploads, text };
}

async function* from(lines: string[]): AsyncGenerator<string> {
  yield* lines;
}

const options = (store: ExportStore, extra: Partial<DeliveryOptions> = {}): DeliveryOptions => ({
  inlineMaxBytes: 1000,
  store,
  key: 'exports/t/m/r.txt',
  contentType: 'text/plain; charset=utf-8',
  fileName: 'kyoyu-all-list-ip.txt',
  urlExpiresSeconds: 900,
  nowMs: () => Date.parse('2026-06-01T00:00:00.000Z'),
  ...extra,
});

describe('export delivery', () => {
  it('answers a small export inline with a strong ETag of its bytes, the same for the same bytes', async () => {
    const { store, uploads } = memoryStore();
    const a = await deliverExport(from(['45.33.1.1\n', '45.33.1.2\n']), options(store));
    const b = await deliverExport(from(['45.33.1.1\n45.33.1.2\n']), options(store));
    const c = await deliverExport(from(['45.33.1.1\n']), options(store));
    expect(a).toMatchObject({ kind: 'inline', body: '45.33.1.1\n45.33.1.2\n', bytes: 20 });
    expect(a.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(b.etag).toBe(a.etag);
    expect(c.etag).not.toBe(a.etag);
    expect(uploads).toEqual([]);
  });

  it('counts the escapes a Lambda response adds: quotes take two bytes', async () => {
    const { store, uploads } = memoryStore();
    const quoted = '"'.repeat(600);
    const out = await deliverExport(from([quoted]), options(store));
    expect(out.kind).toBe('stored');
    expect(uploads).toHaveLength(1);
  });

  it('writes a large export to the store in parts of at least 5 MiB but the last, with exactly its bytes, and answers a URL', async () => {
    const { store, uploads, text } = memoryStore();
    const line = `${'a'.repeat(1023)}\n`;
    const lines = Array.from({ length: 12 * 1024 }, () => line); // 12 MiB
    const out = await deliverExport(from(lines), options(store, { inlineMaxBytes: 4096 }));
    expect(out).toMatchObject({
      kind: 'stored',
      url: 'https://exports.example/exports/t/m/r.txt?expires=900',
      expiresAt: '2026-06-01T00:15:00.000Z',
      bytes: 12 * 1024 * 1024,
    });
    expect(uploads[0]!.state).toBe('complete');
    expect(uploads[0]!.parts.slice(0, -1).every((p) => p.length >= EXPORT_PART_MIN_BYTES)).toBe(true);
    expect(uploads[0]!.parts.map((p) => p.length).reduce((a, b) => a + b)).toBe(12 * 1024 * 1024);
    expect(text()).toBe(lines.join(''));
  });

  it('answers 304 for a matching If-None-Match, inline or stored, and leaves no upload behind', async () => {
    const { store, uploads } = memoryStore();
    const lines = ['x'.repeat(2000), '\n'];
    const { etag } = await deliverExport(from(lines), options(store));
    const again = await deliverExport(from(lines), options(store, { ifNoneMatch: `"other", W/${etag}` }));
    const small = await deliverExport(from(['1.2.3.4\n']), options(store));
    const smallAgain = await deliverExport(from(['1.2.3.4\n']), options(store, { ifNoneMatch: small.etag }));
    expect(again).toEqual({ kind: 'not-modified', etag });
    expect(smallAgain).toEqual({ kind: 'not-modified', etag: small.etag });
    expect(uploads.map((u) => u.state)).toEqual(['complete', 'aborted']);
  });

  it('answers 304 even when aborting the upload fails (the bucket removes incomplete uploads)', async () => {
    const { store } = memoryStore();
    const failingAbort: ExportStore = {
      ...store,
      begin: async (key, delivery) => ({ ...(await store.begin(key, delivery)), abort: () => Promise.reject(new Error('abort refused')) }),
    };
    const { etag } = await deliverExport(from(['y'.repeat(3000)]), options(store));
    expect(await deliverExport(from(['y'.repeat(3000)]), options(failingAbort, { ifNoneMatch: etag }))).toEqual({
      kind: 'not-modified',
      etag,
    });
  });

  it('aborts the upload when the export fails half-way', async () => {
    const { store, uploads } = memoryStore();
    async function* failing(): AsyncGenerator<string> {
      yield 'x'.repeat(5000);
      throw new Error('scan failed');
    }
    await expect(deliverExport(failing(), options(store))).rejects.toThrow('scan failed');
    expect(uploads.map((u) => u.state)).toEqual(['aborted']);
  });

  it('delivers the same bytes whatever the limit and however the lines are cut (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 400 }),
        async (lines, limit) => {
          const { store, text } = memoryStore();
          const out = await deliverExport(from(lines), options(store, { inlineMaxBytes: limit }));
          const got = out.kind === 'inline' ? out.body : out.kind === 'stored' ? text() : '';
          expect(got).toBe(lines.join(''));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('If-None-Match (RFC 9110 §13.1.2)', () => {
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['*', true],
    ['"abcd"', false],
    ['abc', false],
  ])('%s against "abc" → %s', (header, expected) => {
    expect(matchesIfNoneMatch(header, '"abc"')).toBe(expected);
  });
  it('matches nothing when absent', () => expect(matchesIfNoneMatch(undefined, '"abc"')).toBe(false));
});
