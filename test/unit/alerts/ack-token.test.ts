import { ackToken, openAckToken } from '../../../shared/core/alerts/ack-token';
import { T } from './fixtures';

describe('acknowledgement tokens', () => {
  const secrets = ['s'.repeat(40)];
  const claim = { tenantId: T, alertId: 'alert--1', memberId: 'amber-reader' };
  it('open to their claim, with an older secret after rotation', () => {
    expect(openAckToken(secrets, ackToken(secrets, claim))).toEqual(claim);
    expect(openAckToken(['n'.repeat(40), ...secrets], ackToken(secrets, claim))).toEqual(claim);
  });
  it('refuse any change to the claim or the MAC', () => {
    const token = ackToken(secrets, claim);
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify([T, 'alert--1', 'green-reader'])).toString('base64url');
    expect(openAckToken(secrets, `${forged}.${mac}`)).toBeUndefined();
    expect(openAckToken(secrets, `${payload}.${mac.slice(0, -1)}A`)).toBeUndefined();
    expect(openAckToken(['o'.repeat(40)], token)).toBeUndefined();
  });
});
