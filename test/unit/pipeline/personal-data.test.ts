import fc from 'fast-check';
import { emailAddressesIn, findPersonalData } from '../../../shared/core/pipeline/personal-data';

const none = new Set<string>();

describe('personal data in free text', () => {
  it.each([
    ['a Japanese landline', '被害者の担当者 03-1234-5678 まで連絡'],
    ['a mobile number in full-width digits', '連絡先：０９０－１２３４－５６７８'],
    ['an international number', 'call +81 3 1234 5678 for details'],
    ['a North American number', 'SOC hotline (555) 123-4567'],
  ])('finds %s', (_label, description) => {
    expect(findPersonalData({ description }, none)).toEqual([{ field: 'description', kind: 'phone number' }]);
  });

  it('finds a person e-mail address in a description and in an x_ property', () => {
    const findings = findPersonalData(
      { description: 'Reported by taro.yamada@kanto-power.example.jp', x_contact: { who: 'hanako@example.org' } },
      none,
    );
    expect(findings).toEqual([
      { field: 'description', kind: 'email address' },
      { field: 'x_contact.who', kind: 'email address' },
    ]);
  });

  it('leaves alone an address that is the indicator itself, and technical text', () => {
    const object = {
      description: 'Phishing from billing@evil-invoices.example sent at 2026-05-01 10:00 to 203 staff; C2 45.77.65.211:443; CVE-2024-3400',
      pattern: "[email-message:from_ref.value = 'billing@evil-invoices.example']",
    };
    expect(findPersonalData(object, new Set(['billing@evil-invoices.example']))).toEqual([]);
  });
});

describe('what is not personal data', () => {
  it('ignores STIX identifiers and references, whose digit groups look like phone numbers', () => {
    const object = {
      x_mitre_analytic_refs: ['x-mitre-analytic--3a016ed2-47e0-414b-b90e-a44d1437354e'],
      x_note: 'see x-mitre-analytic--7225a3bd-f235-4c13-a236-3c6b9a3d445c',
    };
    expect(findPersonalData(object, new Set())).toEqual([]);
  });
});

const MiB = 1024 * 1024;
// The expression emailAddressesIn replaces: the same addresses, found in quadratic time.
const EMAIL_EXPRESSION = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

describe('e-mail addresses, found in one scan', () => {
  it('finds exactly what the regular expression finds, on generated text', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'Z', '7', '.', '-', '_', '%', '+', '@', ' ', 'é', 'co', '.jp', '@x.io'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(text, (t) => {
        expect(emailAddressesIn(t)).toEqual(t.match(EMAIL_EXPRESSION) ?? []);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds an address after 1 MiB of local-part characters without an @', () => {
    const text = `${'a'.repeat(MiB)} taro.yamada@kanto-power.example.jp`;

    const found = emailAddressesIn(text);

    expect(found).toEqual(['taro.yamada@kanto-power.example.jp']);
  });

  it('takes a 1 MiB local part whole, and a 1 MiB domain without a top-level label as no address', () => {
    const local = `${'a.'.repeat(MiB / 2)}@example.jp`;
    const domain = `x@${'a.'.repeat(MiB / 2)}1 y@example.org`;

    expect(emailAddressesIn(local)).toEqual([local]);
    expect(emailAddressesIn(domain)).toEqual(['y@example.org']);
  });
});

describe('personal data in crafted text', () => {
  it('finds the phone number and the address at the end of a 1 MiB description of digits', () => {
    const object = { description: `${'0'.repeat(MiB)} call 03-1234-5678`, x_note: `${'9'.repeat(MiB)} hanako@example.org` };

    const findings = findPersonalData(object, none);

    expect(findings).toEqual([
      { field: 'description', kind: 'phone number' },
      { field: 'x_note', kind: 'email address' },
    ]);
  });

  it('names the field under a 512 KiB property name after 64 Ki strings', () => {
    const key = `x_${'k'.repeat(MiB / 2)}`;
    const list = Array.from({ length: 64 * 1024 }, () => 'plain');
    list.push('mail hanako@example.org');

    const findings = findPersonalData({ [key]: list, x_evidence_refs: ['hanako@example.org'] }, none);

    expect(findings).toEqual([{ field: `${key}[${64 * 1024}]`, kind: 'email address' }]);
  });
});
