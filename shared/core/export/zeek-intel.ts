import { tlpLabel, type ExportItem, type ItemSource } from './items';
import { canonicalUrl } from './values';

/**
 * Zeek Intelligence Framework files (Zeek docs, "Intelligence Framework" and `Intel::Type`): a `#fields` header,
 * then one tab-separated line per value; `-` for an empty field.
 *
 * - indicator_type: Intel::ADDR for an address, Intel::SUBNET for a network, Intel::DOMAIN, Intel::URL,
 *   Intel::EMAIL, Intel::FILE_HASH.
 * - Intel::URL values carry no scheme: Zeek matches them against `host/path` as it sees HTTP requests.
 * - meta.source is "Kyoyu" (never the provider); meta.desc the TLP and object id; meta.url is left empty.
 * - A tab or line break in a field would shift columns or split a line; canonical values never hold one
 *   (values.ts) and the other fields are written here, so a field is only checked, not escaped.
 */

export const ZEEK_HEADER = '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n';

function indicator(item: ExportItem): [string, string] | undefined {
  switch (item.type) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      return [item.value, item.value.includes('/') ? 'Intel::SUBNET' : 'Intel::ADDR'];
    case 'domain-name':
      return [item.value, 'Intel::DOMAIN'];
    case 'email-addr':
      return [item.value, 'Intel::EMAIL'];
    case 'file-hash':
      return [item.value, 'Intel::FILE_HASH'];
    case 'url': {
      const url = canonicalUrl(item.value);
      return url && [`${url.host.includes(':') ? `[${url.host}]` : url.host}${url.port}${url.pathAndQuery}`, 'Intel::URL'];
    }
  }
}

export async function* zeekIntel(items: ItemSource): AsyncGenerator<string> {
  yield ZEEK_HEADER;
  for await (const item of items) {
    const fields = indicator(item);
    if (!fields) continue;
    const line = [...fields, 'Kyoyu', `${tlpLabel(item.tlp)} ${item.objectId}`, '-'];
    if (line.some((f) => f === '' || /[\t\r\n]/.test(f))) continue;
    yield `${line.join('\t')}\n`;
  }
}
