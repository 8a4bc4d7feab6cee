import { validateStix21 } from '../normalize/validate';

/**
 * What a moderator may do to an item before publishing it (issue #14: "a moderator may only remove or mask, never add
 * or widen scope"; the design guide's requirement 25: further redaction only with the provider's agreement). A
 * redacted version is accepted only if every difference from the proposed version is one of:
 * - a property removed (at any depth), or an entry removed from a list;
 * - part of a string replaced by the mask `[REDACTED]` (the text around it kept, in order).
 * Never: a property or list entry added, a value changed, a marking removed (markings only ever narrow who may read,
 * so removing one widens the scope), or the object's identity and version changed. The result must still be valid
 * STIX 2.1 — a redaction that removes a required property is refused by the same validation as a provider's POST.
 */
export const MASK = '[REDACTED]';

/** Properties a redaction leaves exactly as they are: the object's identity, version and scope. */
const FIXED = new Set(['type', 'id', 'spec_version', 'created', 'modified', 'object_marking_refs', 'granular_markings', 'pattern']);

const WHY_FIXED: Record<string, string> = {
  object_marking_refs: 'markings stay as proposed: removing one would widen who may read it',
  granular_markings: 'markings stay as proposed: removing one would widen who may read it',
  pattern:
    'a pattern is published as proposed or not at all (reject the item instead): a masked pattern still parses and would detect nothing',
};

export interface RedactionProblem {
  /** The property, as validation names it: `external_references[0].url`. */
  path: string;
  problem: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `redacted` is `proposed` with some parts replaced by the mask (and nothing else changed). */
export function isMaskedString(proposed: string, redacted: string): boolean {
  if (proposed === redacted) return true;
  const kept = redacted.split(MASK);
  if (kept.length === 1) return false;
  // The kept parts must appear in order, the first at the start and the last at the end; each mask stands for a
  // non-empty part of the original (else "[REDACTED]" would be text added where nothing was removed).
  const first = kept[0]!;
  const last = kept.at(-1)!;
  if (!proposed.startsWith(first)) return false;
  let at = first.length;
  for (const part of kept.slice(1, -1)) {
    const found = proposed.indexOf(part, at + 1);
    if (found < 0) return false;
    at = found + part.length;
  }
  const lastAt = proposed.length - last.length;
  return lastAt > at && proposed.endsWith(last);
}

function compare(proposed: unknown, redacted: unknown, path: string, problems: RedactionProblem[]): void {
  if (typeof proposed === 'string' && typeof redacted === 'string') {
    if (!isMaskedString(proposed, redacted)) problems.push({ path, problem: `may only be masked with ${MASK}, not rewritten` });
    return;
  }
  if (Array.isArray(proposed) && Array.isArray(redacted)) {
    compareList(proposed, redacted, path, problems);
    return;
  }
  if (isRecord(proposed) && isRecord(redacted)) {
    for (const [name, value] of Object.entries(redacted)) {
      const here = path === '' ? name : `${path}.${name}`;
      if (!(name in proposed)) problems.push({ path: here, problem: 'was added; a redaction may only remove or mask' });
      else compare(proposed[name], value, here, problems);
    }
    return;
  }
  if (JSON.stringify(proposed) !== JSON.stringify(redacted))
    problems.push({ path, problem: 'was changed; a redaction may only remove or mask' });
}

/**
 * Entries kept in order: each redacted entry is matched to the first remaining proposed entry it redacts. Greedy
 * matching is enough because an entry that redacts a later proposed entry could also be taken as removing the ones
 * before it — only order and "nothing added" matter.
 */
function compareList(proposed: readonly unknown[], redacted: readonly unknown[], path: string, problems: RedactionProblem[]): void {
  let next = 0;
  redacted.forEach((entry, index) => {
    for (let k = next; k < proposed.length; k += 1) {
      const trial: RedactionProblem[] = [];
      compare(proposed[k], entry, `${path}[${k}]`, trial);
      if (trial.length === 0) {
        next = k + 1;
        return;
      }
    }
    problems.push({ path: `${path}[${index}]`, problem: 'is not one of the proposed entries (in their order), masked or as it was' });
    next = proposed.length;
  });
}

/** The problems that make `redacted` more than a redaction of `proposed`; empty when it is one. */
export function redactionProblems(proposed: Record<string, unknown>, redacted: Record<string, unknown>): RedactionProblem[] {
  const problems: RedactionProblem[] = [];
  for (const name of FIXED) {
    if (JSON.stringify(proposed[name]) !== JSON.stringify(redacted[name])) {
      problems.push({ path: name, problem: WHY_FIXED[name] ?? 'stays as proposed' });
    }
  }
  const rest = (object: Record<string, unknown>) => Object.fromEntries(Object.entries(object).filter(([name]) => !FIXED.has(name)));
  compare(rest(proposed), rest(redacted), '', problems);
  if (problems.length > 0) return problems;
  return validateStix21(redacted).map((issue) => ({ path: issue.path, problem: `leaves invalid STIX 2.1: ${issue.message}` }));
}
