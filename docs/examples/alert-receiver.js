// A Kyoyu alert receiver in Node.js (no dependencies): verifies the Standard Webhooks signature, refuses replays,
// de-duplicates by webhook-id, answers 2xx quickly. Run: KYOYU_WEBHOOK_SECRET=whsec_... node alert-receiver.js
// test/integration/alerts.test.ts verifies every delivery of the tests with `verify` below.

const { createHmac, timingSafeEqual } = require('node:crypto');
const http = require('node:http');

/** True when one of the `v1,` signatures is ours and the timestamp is within five minutes. */
function verify(secret, headers, rawBody, nowSeconds = Math.floor(Date.now() / 1000)) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = Buffer.from(`v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest('base64')}`);
  return signatures.split(' ').some((s) => {
    const given = Buffer.from(s);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

module.exports = { verify };

if (require.main === module) {
  const secret = process.env.KYOYU_WEBHOOK_SECRET;
  const seen = new Set(); // keep this in a database in production: retries reuse the webhook-id
  http
    .createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8'); // verify the bytes as received, before parsing
        if (!verify(secret, req.headers, body)) return res.writeHead(401).end();
        if (!seen.has(req.headers['webhook-id'])) {
          seen.add(req.headers['webhook-id']);
          const alert = JSON.parse(body).data;
          console.log(`[${alert.tlp}] ${alert.title} → ${alert.taxii_url} (acknowledge: ${alert.acknowledge.url})`);
        }
        res.writeHead(204).end();
      });
    })
    .listen(Number(process.env.PORT ?? 8080));
}
