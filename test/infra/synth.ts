import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildKyoyu, type KyoyuOptions } from '../../infra/aws/kyoyu';
import { TOPOLOGY, type Topology } from '../../infra/aws/topology-input';
import type { FunctionDefinition, PipelineStage } from '../../infra/topology';
import { isAlertRoute } from '../../infra/aws/alerts-flow';

/** Synthesises both stacks without bundling (tests stay fast; the handlers are not what is under test). */
export function synth(topology: Topology = TOPOLOGY, options: KyoyuOptions = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { data, platform } = buildKyoyu(app, topology, options);
  return {
    app,
    data,
    platform,
    dataTemplate: Template.fromStack(data),
    platformTemplate: Template.fromStack(platform),
    /** The audit flow's nested stack (appender, anchor): its own template. */
    auditTemplate: Template.fromStack(platform.audit),
    /** The API's 405 answers (one ANY method per resource): a nested stack of their own. */
    methodNotAllowedTemplate: Template.fromStack(platform.api.methodNotAllowed),
    /** Alarms and the dashboard: their own nested stack. */
    observabilityTemplate: Template.fromStack(platform.observability),
    /** The alerts flow's nested stack (dispatcher, alert route functions), when the topology has one. */
    alertsTemplate: platform.alerts ? Template.fromStack(platform.alerts) : undefined,
  };
}

type Resource = { Type: string; Properties: Record<string, unknown> };
export const resources = (template: Template, type: string): Array<[string, Resource]> =>
  Object.entries(template.findResources(type) as Record<string, Resource>);

/** The audit flow's function definitions (its nested stack: the appender, the scheduled functions). */
export const auditDefinitionsOf = (topology: Topology): FunctionDefinition[] => [topology.auditAppender, ...topology.scheduled];

/** Every distinct function definition of the platform stack itself, by entry, with its uses merged as the stack merges them. */
export function definitionsOf(topology: Topology): FunctionDefinition[] {
  const byEntry = new Map<string, FunctionDefinition>();
  const routes = topology.alertDispatcher ? topology.routes.filter((r) => !isAlertRoute(r)) : topology.routes;
  for (const d of [...topology.stages, topology.authorizer, ...routes]) byEntry.set(d.entry, byEntry.get(d.entry) ?? d);
  return [...byEntry.values()];
}

/** The alerts flow's function definitions (its nested stack: the dispatcher, the alert route functions). */
export function alertsDefinitionsOf(topology: Topology): FunctionDefinition[] {
  if (!topology.alertDispatcher) return [];
  const byEntry = new Map<string, FunctionDefinition>();
  for (const d of [topology.alertDispatcher, ...topology.routes.filter(isAlertRoute)]) byEntry.set(d.entry, byEntry.get(d.entry) ?? d);
  return [...byEntry.values()];
}

export interface SynthesisedFunction {
  entry: string;
  logicalId: string;
  properties: Record<string, unknown>;
  /** Every statement of every policy attached to the function's role. */
  statements: Array<{ Effect: string; Action: string | string[]; Resource: unknown }>;
}

/** The functions of a platform template, by handler entry (their description names it). */
export function functionsOf(template: Template): Map<string, SynthesisedFunction> {
  const policies = resources(template, 'AWS::IAM::Policy');
  const out = new Map<string, SynthesisedFunction>();
  for (const [logicalId, fn] of resources(template, 'AWS::Lambda::Function')) {
    const entry = String(fn.Properties['Description'] ?? '').replace(/^Kyoyu /, '');
    const role = (fn.Properties['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = policies
      .filter(([, p]) => JSON.stringify(p.Properties['Roles']).includes(`"${role}"`))
      .flatMap(([, p]) => (p.Properties['PolicyDocument'] as { Statement: SynthesisedFunction['statements'] }).Statement);
    out.set(entry, { entry, logicalId, properties: fn.Properties, statements });
  }
  return out;
}

export const actionsOf = (statement: { Action: string | string[] }): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** A topology with three stages and a route using the samples bucket, to test what the real one lacks. */
export function syntheticTopology(): Topology {
  const stage = (name: string, next: string | undefined): PipelineStage => ({
    name,
    entry: `functions/pipeline/${['normalize', 'filter', 'commit'][['alpha', 'beta', 'gamma'].indexOf(name)]}.ts`,
    timeoutSeconds: 30,
    memoryMb: 512,
    queue: { visibilityTimeoutSeconds: 180, maxReceiveCount: 3, batchSize: 5, maxConcurrency: 2 },
    uses: { tables: { objects: 'write' }, ...(next ? { queues: [next] } : {}) },
  });
  return {
    ...TOPOLOGY,
    stages: [stage('alpha', 'beta'), stage('beta', 'gamma'), stage('gamma', undefined)],
    routes: [
      {
        method: 'GET',
        path: '/taxii2/',
        entry: 'functions/taxii/discovery.ts',
        timeoutSeconds: 29,
        memoryMb: 1024,
        uses: { tables: { directory: 'read' } },
      },
      {
        method: 'GET',
        path: '/{tenant}/samples/{id}/',
        entry: 'functions/taxii/get-object.ts',
        timeoutSeconds: 29,
        memoryMb: 1024,
        uses: { tables: { directory: 'read' }, buckets: { samples: 'read' } },
      },
      {
        method: 'POST',
        path: '/{tenant}/collections/{collectionId}/objects/',
        entry: 'functions/taxii/add-objects.ts',
        timeoutSeconds: 29,
        memoryMb: 1024,
        uses: { tables: { directory: 'read', statuses: 'write' }, queues: ['alpha'], buckets: { pipeline: 'write' } },
      },
      { method: 'GET', path: '/health', entry: 'functions/admin/openapi.ts', timeoutSeconds: 10, memoryMb: 256, uses: {}, public: true },
    ],
  };
}
