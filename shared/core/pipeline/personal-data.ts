import { isStixIdentifier } from '../stix/identifier';

/**
 * Personal data in free text (BRIEF, filter): e-mail addresses of people and telephone numbers. Attack technical
 * information flows; who was phoned or mailed at the victim does not. Addresses that are themselves indicators of
 * the object (a phishing sender in its pattern) are not personal data here.
 */

/*
 * E-mail addresses are found by one left-to-right scan, not by the regular expression
 * /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, which finds the same addresses but is quadratic: from each
 * position of a long run of local-part characters without '@' it rescans the whole run. The scan reproduces that
 * expression's matches exactly (the unit test checks it against the expression on generated text):
 * - '@' belongs to neither part, so a local part is the run of local-part characters just before an '@', started
 *   no earlier than the end of the previous address (the leftmost start wins, as with the expression);
 * - the domain is the longest prefix of the domain-character run after the '@' that ends in '.' and two or more
 *   letters, the letters running as far as they go (the expression's greedy backtracking).
 */
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
/** [A-Za-z0-9.-] */
const isDomainChar = (c: number) => isLetter(c) || isDigit(c) || c === 0x2e || c === 0x2d;
/** [A-Za-z0-9._%+-] */
const isLocalChar = (c: number) => isDomainChar(c) || c === 0x5f || c === 0x25 || c === 0x2b;
const AT = 0x40;
const DOT = 0x2e;

/** Where the domain starting at `from` ends (exclusive), or undefined when no `[A-Za-z0-9.-]+\.[A-Za-z]{2,}` starts there. */
function domainEnd(text: string, from: number): number | undefined {
  let runEnd = from;
  while (runEnd < text.length && isDomainChar(text.charCodeAt(runEnd))) runEnd++;
  // The last '.' after at least one domain character that two letters follow.
  for (let dot = runEnd - 1; dot > from; dot--) {
    if (text.charCodeAt(dot) !== DOT || !isLetter(text.charCodeAt(dot + 1)) || !isLetter(text.charCodeAt(dot + 2))) continue;
    let end = dot + 3;
    while (isLetter(text.charCodeAt(end))) end++;
    return end;
  }
  return undefined;
}

/** E-mail addresses in text, in order: what `text.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g)` returns, in linear time. */
export function emailAddressesIn(text: string): string[] {
  const found: string[] = [];
  let runStart = 0; // where the current run of local-part characters began
  let searchFrom = 0; // addresses do not overlap: the next one starts after the previous one
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== AT) {
      if (!isLocalChar(c)) runStart = i + 1;
      continue;
    }
    const start = Math.max(runStart, searchFrom);
    runStart = i + 1;
    if (start === i) continue;
    const end = domainEnd(text, i + 1);
    if (end === undefined) continue;
    found.push(text.slice(start, end));
    searchFrom = end;
  }
  return found;
}

// International (+81 3-1234-5678), Japanese (03-1234-5678, 090-1234-5678, 0120-123-456) and North American
// ((555) 123-4567) forms; full-width digits and hyphens are normalised first. Every quantifier is bounded, so each
// start position costs at most a few dozen steps: linear on any text.
const PHONE =
  /(?:\+\d{1,3}[\s-]?)?(?:\(\d{1,4}\)[\s-]?|\b0\d{1,4}[\s-])\d{1,4}[\s-]\d{3,4}\b|\+\d{1,3}[\s-]\d{1,4}[\s-]\d{2,4}[\s-]\d{3,4}\b/g;

/** Fields whose text is prose written by people, where personal data hides. */
const FREE_TEXT_FIELDS = new Set([
  'name',
  'description',
  'abstract',
  'content',
  'opinion',
  'explanation',
  'labels',
  'aliases',
  'x_comment',
  'x_notes',
]);

function normaliseWidth(text: string): string {
  return text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[－ー‐−]/g, '-')
    .replace(/＋/g, '+');
}

export interface PersonalDataFinding {
  field: string;
  kind: 'email address' | 'phone number';
}

const REFERENCE_KEY = /_refs?(\[\d+\])?$/;

function textsOf(value: unknown, path: string, out: Array<{ path: string; text: string }>): void {
  if (typeof value === 'string') {
    if (!isStixIdentifier(value)) out.push({ path, text: value });
    return;
  }
  // References and identifiers are not prose: their digit groups are not phone numbers. The property name is
  // tested, not the whole path: testing the path re-read (and flattened) the parent's path once per child, which
  // is quadratic in time and memory for a long key over a long list. Elements of a list of references are never
  // reached, as the list's own key stops the descent.
  else if (Array.isArray(value)) value.forEach((v, i) => textsOf(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (!REFERENCE_KEY.test(k)) textsOf(v, `${path}.${k}`, out);
  }
}

/** Free-text fields of an object (its own prose, external reference descriptions, and custom x_ strings). */
export function freeTexts(object: Record<string, unknown>): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  for (const [key, value] of Object.entries(object)) {
    if ((FREE_TEXT_FIELDS.has(key) || key.startsWith('x_')) && !REFERENCE_KEY.test(key)) textsOf(value, key, out);
    if (key === 'external_references' && Array.isArray(value)) {
      value.forEach((ref, i) => textsOf((ref as Record<string, unknown>)?.description, `external_references[${i}].description`, out));
    }
  }
  return out;
}

export function findPersonalData(object: Record<string, unknown>, indicatorValues: ReadonlySet<string>): PersonalDataFinding[] {
  const findings: PersonalDataFinding[] = [];
  for (const { path, text } of freeTexts(object)) {
    const normalised = normaliseWidth(text);
    const emails = emailAddressesIn(normalised).filter((e) => !indicatorValues.has(e.toLowerCase()));
    if (emails.length > 0) findings.push({ field: path, kind: 'email address' });
    if (PHONE.test(normalised)) findings.push({ field: path, kind: 'phone number' });
    PHONE.lastIndex = 0;
  }
  return findings;
}
