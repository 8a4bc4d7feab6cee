import fc from 'fast-check';
import { alertMail, type AlertMailInput } from '../../../shared/core/alerts/mail';

const data = (tlp: string, title: string): AlertMailInput => ({
  alert_id: 'alert--1',
  kind: 'new',
  urgent: true,
  title,
  tlp,
  objects: [{ id: 'indicator--1', type: 'indicator' }],
  taxii_url: 'https://kyoyu.example/t/collections/c/objects/indicator--1/',
  acknowledge: {
    url: 'https://kyoyu.example/alerts/tok',
    api: 'POST https://kyoyu.example/admin/tenants/t/alerts/alert--1',
    deadline: '2026-12-01T00:30:00.000Z',
  },
});

describe('alert e-mail', () => {
  it('never puts the title of an alert above TLP:CLEAR in subject or body without the opt-in, in either language', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('green', 'amber', 'amber+strict', 'red'),
        fc.constantFrom('ja' as const, 'en' as const),
        fc.boolean(),
        fc.stringMatching(/^[A-Za-z]{12,30}$/),
        (tlp, language, escalation, title) => {
          const mail = alertMail(data(tlp, title), language, false, escalation);
          expect(`${mail.subject}\n${mail.text}`).not.toContain(title);
          expect(mail.subject).toContain(`[TLP:${tlp.toUpperCase()}]`);
          expect(mail.text).toContain('https://kyoyu.example/alerts/tok');
        },
      ),
    );
  });

  it('carries the content at TLP:CLEAR, or with the opt-in', () => {
    expect(alertMail(data('clear', 'Do not switch PCs on'), 'en', false, false).subject).toBe(
      '[TLP:CLEAR] Kyoyu alert (new): Do not switch PCs on',
    );
    expect(alertMail(data('amber', 'PCを起動しないでください'), 'ja', true, true)).toMatchObject({
      subject: '[TLP:AMBER] 【未確認・再通知】注意喚起（新規）: PCを起動しないでください',
    });
  });
});
