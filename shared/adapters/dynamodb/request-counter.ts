import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestCounter } from '../../core/ports';
import type { ThrottleWindow } from '../../core/policy/tenant-throttle';
import { throttleKeys } from './keys';

/** Windows outlive their minute a little: enough for a late request to still find its count, no more. */
const EXPIRY_AFTER_WINDOW_SECONDS = 300;

/**
 * One item per tenant and window in the throttle table; one UpdateItem per request (one write request unit: the
 * item stays far below 1 KB). ADD is atomic, so concurrent instances of every function never lose a count.
 */
export class DynamoRequestCounter implements RequestCounter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async count(tenantId: string, window: ThrottleWindow): Promise<number> {
    const out = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: throttleKeys.window(tenantId, window.startMs),
        UpdateExpression: 'ADD requests :one SET expiresAt = :expiresAt',
        ExpressionAttributeValues: { ':one': 1, ':expiresAt': Math.ceil(window.endMs / 1000) + EXPIRY_AFTER_WINDOW_SECONDS },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const requests: unknown = out.Attributes?.['requests'];
    if (typeof requests !== 'number') throw new Error(`The throttle table answered no count for ${tenantId}`);
    return requests;
  }
}
