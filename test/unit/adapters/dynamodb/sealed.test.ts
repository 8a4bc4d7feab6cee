import fc from 'fast-check';
import { Sealer, type SealBinding } from '../../../../shared/adapters/dynamodb/sealed';

const NEW_SECRET = 'n'.repeat(48);
const OLD_SECRET = 'o'.repeat(48);
const ORIGINAL = JSON.stringify({
  type: 'indicator',
  name: 'C2 at kanto-hidden.example',
  pattern: "[domain-name:value = 'kanto-hidden.example']",
});
const HERE: SealBinding = { pk: 'ORIG#ics-isac#c1#indicator--1', sk: 'V#2026-01-01T00:00:00.000Z', owner: 'kanto-power' };

/** The error `act` throws, or a failure if it opens. */
function refusal(act: () => string): string {
  try {
    act();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the sealed record to stay shut');
}

describe('Sealer', () => {
  it('opens what it sealed, for the same item and owner', () => {
    const sealer = new Sealer([NEW_SECRET]);

    const sealed = sealer.seal(ORIGINAL, HERE);

    expect(sealer.open(sealed, HERE)).toBe(ORIGINAL);
    expect(sealed).not.toContain('kanto');
  });

  it.each([
    ['another object', { ...HERE, pk: 'ORIG#ics-isac#c1#indicator--2' }],
    ['another tenant', { ...HERE, pk: 'ORIG#rail-isac#c1#indicator--1' }],
    ['another version of the object', { ...HERE, sk: 'V#2026-02-01T00:00:00.000Z' }],
    ['another owner (the item rewritten to name the reader)', { ...HERE, owner: 'control-vendor' }],
    ['a held item of the same collection', { pk: 'HELD#ics-isac#c1', sk: 'status-1#indicator--1', owner: 'kanto-power' }],
  ])('refuses a blob moved to %s', (_place, elsewhere) => {
    const sealer = new Sealer([NEW_SECRET]);
    const sealed = sealer.seal(ORIGINAL, HERE);

    expect(refusal(() => sealer.open(sealed, elsewhere))).toMatch(/does not open .* for this item and owner/);
  });

  it('refuses a blob under any binding but its own, however the parts are split', () => {
    const sealer = new Sealer([NEW_SECRET]);
    const sealed = sealer.seal(ORIGINAL, HERE);
    const part = fc.string({ maxLength: 40 });

    fc.assert(
      fc.property(fc.record({ pk: part, sk: part, owner: part }), (other) => {
        fc.pre(other.pk !== HERE.pk || other.sk !== HERE.sk || other.owner !== HERE.owner);
        expect(() => sealer.open(sealed, other)).toThrow();
      }),
      { numRuns: 200 },
    );
    // Separators inside a part do not let one binding pass for another.
    const shifted = new Sealer([NEW_SECRET]).seal(ORIGINAL, { pk: 'a#b', sk: 'c', owner: 'd' });
    expect(() => sealer.open(shifted, { pk: 'a', sk: 'b#c', owner: 'd' })).toThrow();
  });

  it('still opens a record sealed with an older secret while that secret is in the list, and seals with the newest', () => {
    const sealedBefore = new Sealer([OLD_SECRET]).seal(ORIGINAL, HERE);
    const rotated = new Sealer([NEW_SECRET, OLD_SECRET]);

    const sealedAfter = rotated.seal(ORIGINAL, HERE);

    expect(rotated.open(sealedBefore, HERE)).toBe(ORIGINAL);
    expect(new Sealer([NEW_SECRET]).open(sealedAfter, HERE)).toBe(ORIGINAL);
    expect(refusal(() => new Sealer([OLD_SECRET]).open(sealedAfter, HERE))).toMatch(/does not open/);
  });

  it('no longer opens a record once its secret has left the list', () => {
    const sealedBefore = new Sealer([OLD_SECRET]).seal(ORIGINAL, HERE);

    expect(refusal(() => new Sealer([NEW_SECRET]).open(sealedBefore, HERE))).toMatch(/does not open/);
  });

  it('refuses unbound blobs of the first format and garbled ones', () => {
    const sealer = new Sealer([NEW_SECRET]);
    const [, iv, tag, body] = sealer.seal(ORIGINAL, HERE).split('.');

    expect(refusal(() => sealer.open([iv, tag, body].join('.'), HERE))).toMatch(/not of format v2/);
    expect(refusal(() => sealer.open(`v2.${iv}.${tag}`, HERE))).toMatch(/not of format v2/);
    expect(refusal(() => sealer.open(`v2.${iv}.${tag}.${body!.slice(0, -4)}AAAA`, HERE))).toMatch(/does not open/);
  });
});
