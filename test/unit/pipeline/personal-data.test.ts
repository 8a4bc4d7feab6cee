import { findPersonalData } from '../../../shared/core/pipeline/personal-data';

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
    const findings = findPersonalData({ description: 'Reported by taro.yamada@kanto-power.example.jp', x_contact: { who: 'hanako@example.org' } }, none);
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
    const object = { x_mitre_analytic_refs: ['x-mitre-analytic--3a016ed2-47e0-414b-b90e-a44d1437354e'], x_note: 'see x-mitre-analytic--7225a3bd-f235-4c13-a236-3c6b9a3d445c' };
    expect(findPersonalData(object, new Set())).toEqual([]);
  });
});
