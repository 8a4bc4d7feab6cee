import type { APIGatewayProxyResult } from 'aws-lambda';
import { KyoyuError, MethodNotAllowedError, TooManyRequestsError, UnauthorizedError } from '../../core/errors';
import { TAXII_MEDIA_TYPE } from '../../core/taxii/media-types';
import { logger } from '../observability';

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = TAXII_MEDIA_TYPE,
): APIGatewayProxyResult {
  return { statusCode: status, headers: { 'Content-Type': contentType, ...headers }, body: JSON.stringify(body) };
}

function headersOf(error: KyoyuError): Record<string, string> {
  if (error instanceof UnauthorizedError) return { 'WWW-Authenticate': 'Basic realm="kyoyu", charset="UTF-8"' };
  if (error instanceof TooManyRequestsError) return { 'Retry-After': String(error.retryAfterSeconds) };
  // RFC 9110 §15.5.6: a 405 lists the methods the resource has.
  if (error instanceof MethodNotAllowedError) return { Allow: error.allow.join(', ') };
  return {};
}

/**
 * TAXII 2.1 §3.6.1 error message (the admin API answers the same shape as application/json). Unexpected errors
 * name only the error_id, never internals. It needs no container: a function whose container cannot be built (a
 * configuration error) still answers a TAXII error that names its error_id.
 */
export function errorResponse(error: unknown, requestId: string, contentType = TAXII_MEDIA_TYPE): APIGatewayProxyResult {
  if (error instanceof KyoyuError) {
    logger.info('request refused', { requestId, status: error.httpStatus, reason: error.description });
    return json(
      error.httpStatus,
      { title: error.title, description: error.description, error_id: requestId, http_status: String(error.httpStatus) },
      headersOf(error),
      contentType,
    );
  }
  logger.error('unexpected error', { requestId, error: error instanceof Error ? error.stack : String(error) });
  return json(
    500,
    {
      title: 'Internal error',
      description: `The server failed to answer; quote error_id ${requestId} to the platform operator`,
      error_id: requestId,
      http_status: '500',
    },
    {},
    contentType,
  );
}
