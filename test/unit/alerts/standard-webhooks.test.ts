import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookHeaders,
  WEBHOOK_TOLERANCE_SECONDS,
} from '../../../shared/core/alerts/standard-webhooks';

const NOW = 1_764_547_200;

describe('Standard Webhooks signing', () => {
  it('signs HMAC-SHA256 over id.timestamp.body keyed with the decoded secret bytes', () => {
    // Prepare: a secret whose key bytes are known
    const key = Buffer.alloc(32, 7);
    const secret = `whsec_${key.toString('base64')}`;
    // Act
    const signature = signWebhook(secret, 'msg_1', NOW, '{"a":1}');
    // Assess: computed independently of the module
    expect(signature).toBe(`v1,${createHmac('sha256', key).update(`msg_1.${NOW}.{"a":1}`).digest('base64')}`);
  });

  it('accepts what it signed, with either secret during a rotation', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[a-z0-9_]{1,40}$/), (body, id) => {
        const [newer, older] = [generateWebhookSecret(), generateWebhookSecret()];
        const headers = webhookHeaders([newer, older], id, NOW, body);
        expect(verifyWebhook(newer, headers, body, NOW)).toEqual({ ok: true, id });
        expect(verifyWebhook(older, headers, body, NOW + 60)).toEqual({ ok: true, id });
      }),
    );
  });

  it('refuses another body, another id, another secret, and a stale timestamp', () => {
    const secret = generateWebhookSecret();
    const headers = webhookHeaders([secret], 'msg_1', NOW, 'body');
    expect(verifyWebhook(secret, headers, 'body!', NOW).ok).toBe(false);
    expect(verifyWebhook(secret, { ...headers, 'webhook-id': 'msg_2' }, 'body', NOW).ok).toBe(false);
    expect(verifyWebhook(generateWebhookSecret(), headers, 'body', NOW).ok).toBe(false);
    expect(verifyWebhook(secret, headers, 'body', NOW + WEBHOOK_TOLERANCE_SECONDS + 1)).toEqual({
      ok: false,
      reason: 'webhook-timestamp is outside the tolerance',
    });
  });

  it('generates whsec_ secrets of 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});

describe('the Python receiver docs/alerts.md gives members', () => {
  // The snippet as the documentation shows it, run by the machine's python3 (installed by .ci/run when missing).
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'alerts.md'), 'utf8');
  const snippet = /### Receiver, Python[\s\S]*?```python\n([\s\S]*?)```/.exec(doc)?.[1];

  it('accepts what Kyoyu signs (a UTF-8 body, two secrets during a rotation) and refuses a changed body', () => {
    // Prepare
    expect(snippet).toBeDefined();
    const [newer, older] = [generateWebhookSecret(), generateWebhookSecret()];
    const body = JSON.stringify({ type: 'kyoyu.alert', data: { title: '注意喚起: do not switch PCs on' } });
    const headers = webhookHeaders([newer, older], 'alert_1~sub_1', NOW, body);
    const cases = [
      { secret: newer, body },
      { secret: older, body },
      { secret: newer, body: body.replace('PCs', 'pcs') },
      { secret: generateWebhookSecret(), body },
    ];
    const program = `${snippet}
import json, sys
given = json.load(sys.stdin)
print(json.dumps([verify(c["secret"], given["headers"], c["body"].encode("utf-8"), given["now"]) for c in given["cases"]]))
`;
    // Act
    const run = spawnSync('python3', ['-c', program], { input: JSON.stringify({ headers, now: NOW, cases }), encoding: 'utf8' });
    // Assess
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([true, true, false, false]);
  });
});
