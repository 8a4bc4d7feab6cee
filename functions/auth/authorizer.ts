import { randomUUID } from 'node:crypto';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authenticate } from '../../shared/core/auth/authenticate';
import { isOperator } from '../../shared/core/directory/model';
import { authFailureEvent } from '../../shared/core/audit/record';
import { AuthenticationFailedError, KyoyuError } from '../../shared/core/errors';
import { container } from '../../shared/runtime/composition-root';
import { observed } from '../../shared/runtime/observability';

/**
 * API Gateway REQUEST authorizer for HTTP Basic and API keys (Bearer/Token); failures go to the audit log. Its answer is cached per Authorization header, so the policy
 * allows every method of the stage and the route handlers decide what the principal may do.
 */
export const handler = observed(async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const c = container();
  const header = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  try {
    const principal = await authenticate(header, { directory: c.directory });
    const [arnPrefix] = event.methodArn.split('/');
    const stage = event.methodArn.split('/')[1] ?? '*';
    return {
      principalId: `${isOperator(principal) ? 'operator' : principal.tenantId}/${principal.username}`,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arnPrefix}/${stage}/*` }],
      },
      context: { ...principal },
    };
  } catch (error) {
    if (error instanceof KyoyuError) {
      const sourceIp = event.requestContext?.identity?.sourceIp;
      c.logger.warn('authentication failed', { reason: error.description, sourceIp });
      const attempt = error instanceof AuthenticationFailedError ? error.attempt : {};
      // One message on the audit queue, for the tenant's auth chain: a flood of bad passwords costs a send each and
      // cannot contend the tenant's main chain. The refusal stands even if it cannot be sent; the log line above stays.
      await c.auditEvents
        .send(authFailureEvent(attempt, error.description, { ip: sourceIp }, { id: randomUUID(), nowMs: Date.now() }))
        .catch((auditError: unknown) =>
          c.logger.error('audit event not sent', { error: auditError instanceof Error ? auditError.message : String(auditError) }),
        );
      // API Gateway turns exactly this message into its UNAUTHORIZED gateway response (401).
      throw new Error('Unauthorized');
    }
    throw error;
  }
});
