import { createHash } from 'node:crypto';

/**
 * Signature ids for generated Suricata and Snort rules.
 *
 * 1. Stable: a rule's sid is derived from the object id and what the rule matches (its key), never from its
 *    position in a file, so the same indicator keeps its sid across exports and versions and a device's alert
 *    history and suppressions stay attached to it; `rev` tells versions apart.
 * 2. Private range: [SID_MIN, SID_MAX] = 1,000,000,000 … 3,147,483,647 (2^31 values). Snort reserves sids up to
 *    999,999 for its distribution and leaves 1,000,000 and above to local rules; the rulesets that publish sid
 *    blocks (Emerging Threats 2,000,000–2,999,999 and the others on sidallocation.org) live below 1e9, and
 *    Suricata and Snort both read sid as an unsigned 32-bit number, which the range stays inside.
 * 3. Unique in a file: a device refuses (Suricata: "duplicate signature") or silently replaces a second rule with
 *    the same sid, which would drop an indicator. Hashing 100,000 rules into 2^31 values collides about twice
 *    (birthday bound n²/2N), so a collision takes the next hash of the same key (probe 1, 2, …). Which sids
 *    were given is remembered in a fixed 1 MiB Bloom filter, so memory does not grow with the export: a false
 *    positive (about 1 in 200,000 at 100,000 rules, 2% at 1,000,000) only moves a rule to its next probe, never
 *    gives one sid twice. Only a probed rule's sid depends on what else is exported.
 */

export const SID_MIN = 1_000_000_000;
export const SID_SPAN = 2 ** 31;
export const SID_MAX = SID_MIN + SID_SPAN - 1;

/** The sid a rule gets when nothing collides with it (probe 0), or its `probe`-th alternative. */
export function stableSid(objectId: string, ruleKey: string, probe = 0): number {
  const digest = createHash('sha256').update(`${objectId}\n${ruleKey}\n${probe}`).digest();
  return SID_MIN + (digest.readUInt32BE(0) & 0x7fffffff);
}

const FILTER_BITS = 2 ** 23;
const SEEDS = [0x9e3779b1, 0x85ebca77, 0xc2b2ae3d, 0x27d4eb2f];

export class SidAllocator {
  private readonly bits = new Uint8Array(FILTER_BITS / 8);
  /** Rules that did not get their probe-0 sid. */
  probed = 0;

  private positions(sid: number): number[] {
    return SEEDS.map((seed) => Math.imul((sid - SID_MIN) ^ seed, 0x01000193) >>> (32 - 23));
  }

  private mightHave(sid: number): boolean {
    return this.positions(sid).every((p) => (this.bits[p >>> 3]! & (1 << (p & 7))) !== 0);
  }

  allocate(objectId: string, ruleKey: string): number {
    for (let probe = 0; ; probe++) {
      const sid = stableSid(objectId, ruleKey, probe);
      if (this.mightHave(sid)) continue;
      for (const p of this.positions(sid)) this.bits[p >>> 3]! |= 1 << (p & 7);
      if (probe > 0) this.probed++;
      return sid;
    }
  }
}
