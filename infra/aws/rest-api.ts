import { Duration, NestedStack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  BasePathMapping,
  ContentHandling,
  DomainName,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  MockIntegration,
  PassthroughBehavior,
  RequestAuthorizer,
  Resource,
  ResponseType,
  type IResource,
  RestApi,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { Topology } from './topology-input';
import { API_BINARY_MEDIA_TYPES, methodNotAllowed, methodsOf } from '../topology';

export interface KyoyuApiProps {
  topology: Topology;
  /** The function serving each handler entry. */
  functions: Map<string, IFunction>;
  authorizerFunction: IFunction;
  throttlingRateLimit: number;
  throttlingBurstLimit: number;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
  domain?: { domainName: string; certificateArn: string };
}

const TAXII_CONTENT_TYPE = 'application/taxii+json;version=2.1';

/**
 * The request content types the 405 mock answers (API Gateway picks a mapping template by Content-Type, and takes
 * application/json when there is none); a request with any other type and a wrong method gets API Gateway's 415,
 * still a TAXII error (DEFAULT_4XX).
 */
const MOCK_REQUEST_TYPES = ['application/json', 'application/taxii+json', TAXII_CONTENT_TYPE];

/** A header value as API Gateway wants it in a gateway response: a static string, single-quoted. */
function staticHeader(value: string): string {
  if (value.includes("'")) throw new Error(`Gateway response header values cannot contain a single quote: ${value}`);
  return `'${value}'`;
}

/** API Gateway matches a resource with or without the trailing slash TAXII URLs carry. */
const apiPathOf = (path: string): string => path.replace(/\/+$/, '') || '/';

/**
 * One ANY method per resource, which the declared methods outrank, with a mock integration answering 405 and the
 * resource's methods in Allow: no authorizer, no function runs (infra/local/gateway.ts answers the same). In a nested
 * stack of its own, as these methods would take the platform stack past CloudFormation's 500 resources.
 */
export class MethodNotAllowedAnswers extends NestedStack {
  constructor(scope: Construct, id: string, props: { api: RestApi; resources: Array<{ resource: IResource; allow: string[] }> }) {
    super(scope, id);
    props.resources.forEach(({ resource, allow }, i) => {
      const refusal = methodNotAllowed(allow);
      const here = Resource.fromResourceAttributes(this, `Resource${i}`, {
        resourceId: resource.resourceId,
        restApi: props.api,
        path: resource.path,
      });
      const method = here.addMethod(
        'ANY',
        new MockIntegration({
          passthroughBehavior: PassthroughBehavior.NEVER,
          // Every body arrives as bytes (binaryMediaTypes */*); as text, the template below applies to it.
          contentHandling: ContentHandling.CONVERT_TO_TEXT,
          requestTemplates: Object.fromEntries(MOCK_REQUEST_TYPES.map((type) => [type, '{"statusCode": 405}'])),
          integrationResponses: [
            {
              statusCode: '405',
              responseParameters: {
                'method.response.header.Allow': staticHeader(refusal.headers.Allow),
                'method.response.header.Content-Type': staticHeader(TAXII_CONTENT_TYPE),
              },
              responseTemplates: { 'application/json': JSON.stringify(refusal.body) },
            },
          ],
        }),
        {
          authorizationType: AuthorizationType.NONE,
          methodResponses: [
            {
              statusCode: '405',
              responseParameters: { 'method.response.header.Allow': true, 'method.response.header.Content-Type': true },
            },
          ],
        },
      );
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `ANY ${resource.path} only answers 405 with the resource's methods (a mock integration): it reaches no function and no data.`,
      });
    });
  }
}

/**
 * The REST API: every route of the topology on its function, the REQUEST authorizer in front of every
 * non-public one, and API Gateway's own answers shaped as TAXII errors — as infra/local/gateway.ts emulates.
 */
export class KyoyuApi extends Construct {
  readonly api: RestApi;
  readonly accessLogs: LogGroup;
  readonly domain?: DomainName;
  /** The 405 answers' nested stack. */
  readonly methodNotAllowed: MethodNotAllowedAnswers;

  constructor(scope: Construct, id: string, props: KyoyuApiProps) {
    super(scope, id);
    const { topology } = props;
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });

    this.api = new RestApi(this, 'Api', {
      restApiName: 'kyoyu',
      description: 'Kyoyu TAXII 2.1 and admin API',
      endpointTypes: [EndpointType.REGIONAL],
      binaryMediaTypes: [...API_BINARY_MEDIA_TYPES],
      // Execution logging (errors only) needs the account-level CloudWatch role.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: props.removalPolicy,
      deployOptions: {
        stageName: 'prod',
        // Access logs name the caller, never the body: shared intelligence stays out of logs.
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
      },
    });

    const authorizer = new RequestAuthorizer(this, 'Authorizer', {
      handler: props.authorizerFunction,
      identitySources: [IdentitySource.header(topology.authorizer.identityHeader)],
      resultsCacheTtl: Duration.seconds(topology.authorizer.resultTtlSeconds),
    });

    const integrations = new Map<string, LambdaIntegration>();
    for (const route of topology.routes) {
      const fn = props.functions.get(route.entry);
      if (!fn) throw new Error(`No function for ${route.entry}`);
      let integration = integrations.get(route.entry);
      if (!integration) {
        // One invoke permission per function for this API (any of its methods): a permission per method would be 90
        // resources, and every function routes its own methods anyway.
        integration = new LambdaIntegration(fn, { proxy: true, scopePermissionToMethod: false });
        integrations.set(route.entry, integration);
      }
      // API Gateway matches a resource with or without the trailing slash TAXII URLs carry.
      const resource = this.api.root.resourceForPath(apiPathOf(route.path));
      const method = resource.addMethod(
        route.method,
        integration,
        route.public ? { authorizationType: AuthorizationType.NONE } : { authorizer, authorizationType: AuthorizationType.CUSTOM },
      );
      if (route.public) {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is declared public in the topology: it answers without credentials by design.`,
        });
      }
    }

    // RFC 9110 §15.5.6: a method a resource does not have is a 405 naming those it has, answered by API Gateway itself.
    this.methodNotAllowed = new MethodNotAllowedAnswers(this, 'MethodNotAllowed', {
      api: this.api,
      resources: [...new Set(topology.routes.map((r) => r.path))].map((path) => ({
        resource: this.api.root.resourceForPath(apiPathOf(path)),
        allow: methodsOf(path, topology.routes),
      })),
    });

    for (const [kind, response] of Object.entries(topology.gatewayResponses)) {
      this.api.addGatewayResponse(`Response${kind}`, {
        type: ResponseType.of(kind),
        statusCode: String(response.status),
        responseHeaders: Object.fromEntries(
          Object.entries({ 'Content-Type': TAXII_CONTENT_TYPE, ...response.headers }).map(([name, value]) => [name, staticHeader(value)]),
        ),
        templates: { 'application/json': JSON.stringify(response.body) },
      });
    }

    for (const [kind, template] of Object.entries(topology.defaultGatewayResponses)) {
      this.api.addGatewayResponse(`Response${kind}`, {
        type: ResponseType.of(kind),
        responseHeaders: { 'Content-Type': staticHeader(TAXII_CONTENT_TYPE) },
        templates: { 'application/json': template },
      });
    }

    const acknowledge = (id: string, reason: string) => Validations.of(this).acknowledge({ id: `AwsSolutions-${id}`, reason });
    acknowledge(
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'The account-level role API Gateway assumes to write execution logs; AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for it.',
    );
    acknowledge(
      'APIG2',
      'Every handler validates path, query and body with zod and answers with a TAXII error message (STYLE.md); API Gateway request validation would answer in its own, non-TAXII format.',
    );
    acknowledge(
      'COG4',
      'TAXII clients authenticate with HTTP Basic credentials or API keys (TAXII 2.1 §1.6.9), checked against the directory table by the REQUEST authorizer on every method; a Cognito user pool authorizer accepts only Cognito tokens.',
    );
    acknowledge(
      'APIG3',
      'No WAFv2 web ACL in this deployment: every method requires the authorizer and the stage is throttled; an ACL can be associated with the stage without changing the stack.',
    );

    if (props.domain) {
      this.domain = new DomainName(this, 'Domain', {
        domainName: props.domain.domainName,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
        endpointType: EndpointType.REGIONAL,
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      // At the domain's root: TAXII URLs carry no stage prefix, as locally.
      new BasePathMapping(this, 'Mapping', { domainName: this.domain, restApi: this.api, stage: this.api.deploymentStage });
    }
  }
}
