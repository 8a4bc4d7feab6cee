import * as topology from '../topology';
import type { BucketDefinition, FunctionDefinition, PipelineStage, RouteDefinition, ScheduledFunction, TableDefinition } from '../topology';

/**
 * What the stacks are built from: the shape of infra/topology.ts, as a parameter, so tests can build the stacks
 * from a synthetic topology (more stages, a function that uses the samples bucket) as well as the real one.
 */
export interface Topology {
  tables: Record<string, TableDefinition>;
  buckets: Record<string, BucketDefinition>;
  secrets: Record<string, { minLength: number }>;
  stages: PipelineStage[];
  /** The audit appender: a queue-fed function built like a stage, outside the pipeline's chain. */
  auditAppender: PipelineStage;
  /** The alerts queue's consumer (issue #16): built like a stage, before every function that raises alerts. */
  alertDispatcher?: PipelineStage;
  /** Consumes SES's bounce and complaint events when the deployment sends alert e-mail (`alertMailFrom`). */
  alertMailEvents?: FunctionDefinition;
  /** Functions run on a schedule (EventBridge rules). */
  scheduled: ScheduledFunction[];
  auditMacKey: { keyIdEnvVar: string; secretEnvVar: string };
  routes: RouteDefinition[];
  authorizer: FunctionDefinition & { identityHeader: string; resultTtlSeconds: number };
  gatewayResponses: Record<string, { status: number; headers: Record<string, string>; body: Record<string, string> }>;
  /** Catch-all responses: kind → body template (the status stays API Gateway's). */
  defaultGatewayResponses: Record<string, string>;
}

export const TOPOLOGY: Topology = {
  tables: topology.tables,
  buckets: topology.buckets,
  secrets: topology.secrets,
  stages: topology.stages,
  auditAppender: topology.auditAppender,
  alertDispatcher: topology.alertDispatcher,
  alertMailEvents: topology.alertMailEvents,
  scheduled: topology.scheduled,
  auditMacKey: topology.auditMacKey,
  routes: topology.routes,
  authorizer: topology.authorizer,
  gatewayResponses: topology.gatewayResponses,
  defaultGatewayResponses: topology.defaultGatewayResponses,
};
