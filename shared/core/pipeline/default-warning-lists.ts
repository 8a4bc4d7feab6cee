import type { WarningList } from './warning-lists';

/**
 * The small set of known-benign values every collection filters by default, written for Kyoyu (MISP's full
 * lists can be loaded per collection in the same format). Sources: IANA special-purpose registries (RFC 6890,
 * RFC 1918, RFC 6598, RFC 5737, RFC 3849, RFC 4193, RFC 4291), the resolvers' own documentation, and the hashes of
 * the empty input.
 */
export const DEFAULT_WARNING_LISTS: WarningList[] = [
  {
    name: 'reserved-ipv4',
    description: 'Private, loopback, link-local, shared, documentation, multicast and reserved IPv4 ranges',
    type: 'cidr',
    matching_attributes: ['ip-src', 'ip-dst', 'domain|ip'],
    list: [
      '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
      '192.0.2.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4',
      '240.0.0.0/4', '255.255.255.255/32',
    ],
  },
  {
    name: 'reserved-ipv6',
    description: 'Loopback, unspecified, link-local, unique-local, documentation and multicast IPv6 ranges',
    type: 'cidr',
    matching_attributes: ['ip-src', 'ip-dst', 'domain|ip'],
    list: ['::1/128', '::/128', 'fe80::/10', 'fc00::/7', '2001:db8::/32', 'ff00::/8'],
  },
  {
    name: 'public-resolvers',
    description: 'Public DNS resolvers that every network talks to',
    type: 'cidr',
    matching_attributes: ['ip-src', 'ip-dst', 'domain|ip'],
    list: [
      '8.8.8.8', '8.8.4.4', '1.1.1.1', '1.0.0.1', '9.9.9.9', '149.112.112.112', '208.67.222.222', '208.67.220.220',
      '2001:4860:4860::8888', '2001:4860:4860::8844', '2606:4700:4700::1111', '2606:4700:4700::1001', '2620:fe::fe', '2620:fe::9',
    ],
  },
  {
    name: 'reserved-domains',
    description: 'Special-use and example domains (RFC 2606, RFC 6761)',
    type: 'hostname',
    matching_attributes: ['domain', 'hostname', 'url', 'email'],
    list: ['example.com', 'example.net', 'example.org', 'example', 'invalid', 'localhost', 'test', 'local', 'in-addr.arpa', 'ip6.arpa'],
  },
  {
    name: 'top-sites',
    description: 'Widely used sites whose domains are never indicators on their own',
    type: 'string',
    matching_attributes: ['domain', 'hostname', 'url'],
    list: [
      'google.com', 'www.google.com', 'youtube.com', 'facebook.com', 'microsoft.com', 'www.microsoft.com', 'windowsupdate.com',
      'apple.com', 'amazon.com', 'wikipedia.org', 'yahoo.co.jp', 'line.me', 'github.com', 'office.com', 'live.com',
      'cloudflare.com', 'akamai.net', 'twitter.com', 'x.com', 'instagram.com', 'linkedin.com',
    ],
  },
  {
    name: 'empty-file-hashes',
    description: 'Hashes of the empty input',
    type: 'string',
    matching_attributes: ['md5', 'sha1', 'sha224', 'sha256', 'sha512'],
    list: [
      'd41d8cd98f00b204e9800998ecf8427e',
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'd14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
    ],
  },
];
