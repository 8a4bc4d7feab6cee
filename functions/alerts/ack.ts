import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { acknowledgeByLink } from '../../shared/core/alerts/ledger-views';
import { KyoyuError } from '../../shared/core/errors';
import { ledgerDeps } from '../../shared/runtime/alert-deps';
import { container } from '../../shared/runtime/composition-root';
import { observed } from '../../shared/runtime/observability';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const page = (status: number, body: string): APIGatewayProxyResult => ({
  statusCode: status,
  headers: {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': "default-src 'none'; form-action 'self'",
  },
  body: `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>Kyoyu 注意喚起 / alert</title></head><body>${body}</body></html>`,
});

/**
 * The acknowledgement link of an alert (public: the signed token is the credential, core/alerts/ack-token.ts).
 * GET only shows a button: mail scanners and link previews fetch links, and must not acknowledge for the member.
 * POST (the button, or any client) acknowledges, once; again, it says when it was.
 */
export const handler = observed(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const c = container();
  const token = event.pathParameters?.token ?? '';
  if (event.httpMethod.toUpperCase() === 'GET') {
    return page(
      200,
      `<p>注意喚起を確認しましたか？ / Acknowledge this alert?</p><form method="post"><button type="submit">確認しました / Acknowledge</button></form>`,
    );
  }
  try {
    const result = await acknowledgeByLink(token, ledgerDeps(c));
    const accept = (event.headers?.accept ?? event.headers?.Accept ?? '').toLowerCase();
    if (accept.includes('application/json'))
      return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(result) };
    return page(
      200,
      `<p>${result.first ? '確認を記録しました / Acknowledged' : '確認済みです / Already acknowledged'}: ${escapeHtml(result.acknowledged.at)}</p>`,
    );
  } catch (error) {
    if (error instanceof KyoyuError) return page(error.httpStatus, `<p>${escapeHtml(error.description)}</p>`);
    c.logger.error('acknowledgement failed', { error: error instanceof Error ? error.stack : String(error) });
    return page(500, '<p>The acknowledgement could not be recorded; try again or use the API.</p>');
  }
});
