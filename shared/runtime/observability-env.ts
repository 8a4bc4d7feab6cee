/**
 * The names under which Kyoyu's logs, metrics and traces appear, and the Powertools settings every function runs
 * with: infra/aws sets them on each Lambda, infra/local on the process that runs the handlers. No imports, so the CDK
 * app and the dashboard read the same names the code emits (test/unit/runtime/observability.test.ts).
 */
export const SERVICE_NAME = 'kyoyu';
/** The CloudWatch namespace of the funnel metrics (infra/aws/observability.ts reads them from here). */
export const METRICS_NAMESPACE = 'Kyoyu';

export const POWERTOOLS_ENV = {
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  // Never whole events: they hold members' submissions and credentials (STYLE: no request bodies in logs).
  POWERTOOLS_LOGGER_LOG_EVENT: 'false',
  // Nor responses or error messages in traces: both can quote member text (an object, a refused pattern).
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
  POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
} as const;
