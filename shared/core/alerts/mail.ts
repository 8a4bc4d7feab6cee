/**
 * Alert e-mail (issue #16 §5), Japanese or English. Mail is read on the way (relays, archives, scanners), so:
 * - the subject always carries the TLP, and nothing else of the content unless the alert is TLP:CLEAR;
 * - a plain-text body carries content above TLP:CLEAR (title, object ids) only when the member opted in
 *   (`plainTextAboveClear`); otherwise it carries the TLP, the alert id and the links: the member reads the rest over
 *   TAXII with its own credentials, where the read rules apply again.
 */
export interface AlertMailInput {
  alert_id: string;
  kind: string;
  urgent: boolean;
  title: string;
  tlp: string;
  objects: Array<{ id: string; type: string }>;
  taxii_url: string;
  acknowledge: { url: string; api: string; deadline: string };
}

const KIND = {
  ja: { new: '新規', correction: '訂正', revocation: '取消' } as Record<string, string>,
  en: { new: 'new', correction: 'correction', revocation: 'revocation' } as Record<string, string>,
};

export function alertMail(
  data: AlertMailInput,
  language: 'ja' | 'en',
  plainTextAboveClear: boolean,
  escalation: boolean,
): { subject: string; text: string } {
  const tlp = `TLP:${data.tlp.toUpperCase()}`;
  const content = data.tlp === 'clear' || plainTextAboveClear;
  const ja = language === 'ja';
  const kind = KIND[language][data.kind] ?? data.kind;
  const head = ja
    ? `${escalation ? '【未確認・再通知】' : ''}注意喚起（${kind}）`
    : `${escalation ? '[UNACKNOWLEDGED] ' : ''}Kyoyu alert (${kind})`;
  const subject = `[${tlp}] ${head}${content ? `: ${data.title}` : ''}`.slice(0, 250);
  const lines = ja
    ? [
        `${tlp} の注意喚起です。${data.urgent ? '緊急の対応が求められています。' : ''}`,
        ...(content
          ? [`件名: ${data.title}`, `対象: ${data.objects.map((o) => o.id).join(', ')}`]
          : ['内容は TLP によりメール本文に記載していません。TAXII で取得してください。']),
        `取得 (TAXII): ${data.taxii_url}`,
        `確認期限: ${data.acknowledge.deadline}`,
        `確認する: ${data.acknowledge.url}`,
        `API: ${data.acknowledge.api}`,
        `アラートID: ${data.alert_id}`,
      ]
    : [
        `A ${tlp} alert.${data.urgent ? ' It is marked urgent.' : ''}`,
        ...(content
          ? [`Title: ${data.title}`, `Objects: ${data.objects.map((o) => o.id).join(', ')}`]
          : ['Its content is not in this mail because of its TLP: fetch it over TAXII.']),
        `Fetch (TAXII): ${data.taxii_url}`,
        `Acknowledge by: ${data.acknowledge.deadline}`,
        `Acknowledge: ${data.acknowledge.url}`,
        `API: ${data.acknowledge.api}`,
        `Alert id: ${data.alert_id}`,
      ];
  return { subject, text: `${lines.join('\n')}\n` };
}
