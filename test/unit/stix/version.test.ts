import fc from 'fast-check';
import { versionOf } from '../../../shared/core/stix/version';
import { parseEnvelope } from '../../../shared/core/taxii/envelope';

const MODIFIED = '2026-02-01T00:00:00.000Z';
const CREATED = '2026-01-01T00:00:00Z';
const SUBMITTED = '2026-03-01T00:00:00.000Z';

describe('the version of an object (STIX 2.1 §3.6, TAXII 2.1 §3.4.1)', () => {
  it.each([
    ['modified, when there is one', { modified: MODIFIED, created: CREATED }, MODIFIED],
    ['created, without modified', { created: CREATED }, CREATED],
    ['the fallback, without either (an SCO)', { value: '198.51.100.7' }, SUBMITTED],
    ['created, when modified is not a STIX timestamp', { modified: 'yesterday', created: CREATED }, CREATED],
    ['created, when modified is not a string', { modified: 20260201, created: CREATED }, CREATED],
    ['the fallback, when neither is a real date', { modified: '2026-02-30T00:00:00Z', created: '2026-01-01 00:00:00' }, SUBMITTED],
  ])('is %s', (_what, object, expected) => {
    expect(versionOf(object, SUBMITTED)).toBe(expected);
  });

  it('is what a refused object of a POSTed envelope is reported under', () => {
    const stamp = fc.oneof(
      fc.constantFrom(MODIFIED, CREATED, 'not a time', '2026-13-01T00:00:00Z', 17, null),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(fc.option(stamp, { nil: undefined }), fc.option(stamp, { nil: undefined }), (modified, created) => {
        // No type: refused at the envelope, with the version it names.
        const object = {
          id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
          ...(modified !== undefined ? { modified } : {}),
          ...(created !== undefined ? { created } : {}),
        };

        const [item] = parseEnvelope(JSON.stringify({ objects: [object] }), 1_000_000);

        expect(item).toMatchObject({ ok: false, version: versionOf(object, '') });
      }),
    );
  });
});
