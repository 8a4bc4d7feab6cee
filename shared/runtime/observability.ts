import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { FUNNEL_COUNTS, type FunnelCount } from '../core/pipeline/funnel';
import { logLevel } from './config';
import { METRICS_NAMESPACE, SERVICE_NAME } from './observability-env';

/**
 * Logs, metrics and traces: Powertools for AWS Lambda, one instance of each per process (Lambda runs one invocation
 * at a time per process; the local platform runs several at once, so there a log line's request id may name a
 * concurrent invocation of the same function). Logs are JSON lines with Powertools' fixed keys plus the fields a call
 * site passes: never events, bodies or secrets (observability-env.ts POWERTOOLS_LOGGER_LOG_EVENT).
 */
export const logger = new Logger({ serviceName: SERVICE_NAME, logLevel: logLevel() });

/**
 * Traced only inside Lambda with active tracing: AWS_EXECUTION_ENV set and POWERTOOLS_TRACE_ENABLED not `false`, as
 * Powertools decides itself. Elsewhere (the local platform, tests: no X-Ray daemon) the X-Ray SDK is not even loaded,
 * because loading it installs a process-wide async hook (cls-hooked) that follows every promise until it is collected:
 * on the local platform that was an eighth of the CPU a search request took. Responses and errors stay out of traces
 * (observability-env.ts).
 */
const tracing = (env: NodeJS.ProcessEnv): boolean => env.AWS_EXECUTION_ENV !== undefined && env.POWERTOOLS_TRACE_ENABLED !== 'false';

export const tracer: Tracer | undefined = tracing(process.env) ? new (powertoolsTracer())({ serviceName: SERVICE_NAME }) : undefined;

function powertoolsTracer(): typeof Tracer {
  return (require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')).Tracer;
}

/** An SDK client whose calls are subsegments of the invocation's trace where tracing is on; elsewhere the client itself. */
export const traced = <T>(client: T): T => (tracer ? tracer.captureAWSv3Client(client) : client);

/**
 * An HTTP function emits no metric of its own but the cold start, and Powertools warns about every invocation that
 * publishes nothing: that one line is demoted to debug, every other Metrics warning stays a warning.
 */
const metricsLog = {
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.info(message),
  error: (message: string) => logger.error(message),
  warn: (message: string) => (message.startsWith('No application metrics to publish') ? logger.debug(message) : logger.warn(message)),
};

/** The function's own metrics: the cold start (dimensions service and function_name). */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, logger: metricsLog });

/**
 * Every handler's middy steps: trace the invocation, add the Lambda context (request id, function name, cold start) to
 * every log line of it, count cold starts and publish metrics at the end, also when the handler fails.
 */
export function observe<E, R>(handler: middy.MiddyfiedHandler<E, R, Error, Context>): middy.MiddyfiedHandler<E, R, Error, Context> {
  return (tracer ? handler.use(captureLambdaHandler(tracer, { captureResponse: false })) : handler)
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}

/** A plain async handler with the steps of `observe`. */
export function observed<E, R>(handler: (event: E, context: Context) => Promise<R>): middy.MiddyfiedHandler<E, R, Error, Context> {
  return observe(middy<E, R, Error, Context>().handler(handler));
}

/**
 * The pipeline funnel of one stage for one tenant, as one CloudWatch embedded-metric-format line: namespace Kyoyu,
 * the counts as metrics, dimension sets [stage] and [stage, tenant] — exactly what the dashboard reads
 * (infra/aws/observability.ts). Published at once, on an instance of its own: a batch holds several tenants, and the
 * function's own instance carries the service dimension the dashboard does not use.
 */
export function publishFunnel(stage: string, tenant: string, counts: Record<FunnelCount, number>): void {
  const funnel = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, logger: metricsLog });
  funnel.clearDefaultDimensions();
  // [stage] for the dashboard's per-stage graphs, [stage, tenant] for one tenant's funnel; no key is given twice.
  funnel.setDefaultDimensions({ stage });
  funnel.addDimensions({});
  funnel.addDimensions({ tenant });
  for (const name of FUNNEL_COUNTS) funnel.addMetric(name, MetricUnit.Count, counts[name]);
  funnel.publishStoredMetrics();
}
