import { GenerateMacCommand, KMSInvalidMacException, VerifyMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { AuditMac } from '../../core/ports';

/**
 * The audit MAC on AWS: a KMS HMAC_256 key (GENERATE_VERIFY_MAC). The key never leaves KMS; IAM decides who may
 * GenerateMac (the appenders) and who may only VerifyMac (the verifier, the anchor function).
 */
export class KmsAuditMac implements AuditMac {
  constructor(
    private readonly client: KMSClient,
    private readonly keyId: string,
  ) {}

  async sign(data: string): Promise<string> {
    const answer = await this.client.send(
      new GenerateMacCommand({ KeyId: this.keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(data, 'utf8') }),
    );
    if (!answer.Mac) throw new Error('KMS GenerateMac answered no MAC');
    return Buffer.from(answer.Mac).toString('base64');
  }

  async verify(data: string, mac: string): Promise<boolean> {
    try {
      const answer = await this.client.send(
        new VerifyMacCommand({
          KeyId: this.keyId,
          MacAlgorithm: 'HMAC_SHA_256',
          Message: Buffer.from(data, 'utf8'),
          Mac: Buffer.from(mac, 'base64'),
        }),
      );
      return answer.MacValid === true;
    } catch (error) {
      // KMS answers a MAC that does not verify with this exception, not with MacValid false.
      if (error instanceof KMSInvalidMacException) return false;
      throw error;
    }
  }
}
