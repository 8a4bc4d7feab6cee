import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildKyoyu } from '../../infra/aws/kyoyu';
import { TOPOLOGY } from '../../infra/aws/topology-input';
import { syntheticTopology } from './synth';

/**
 * cdk-nag 3 is a CDK policy-validation plugin (no Aspect, no Annotations): `validateScope` runs the
 * AwsSolutions pack over the tree, honouring `Validations.of(x).acknowledge(...)`, as `cdk synth` does.
 */
describe.each([
  ['the topology', TOPOLOGY],
  ['a synthetic topology', syntheticTopology()],
])('cdk-nag AwsSolutions on %s', (_name, topology) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  buildKyoyu(app, topology, {
    alarmEmail: 'soc@example.org',
    alertMailFrom: 'alerts@example.org',
    domain: { domainName: 'taxii.example.org', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' },
  });
  const report = new AwsSolutionsChecks(app).validateScope(app);

  it('finds no unacknowledged error', () => {
    const errors = report.violations
      .filter((v) => v.severity === 'error')
      .map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(errors).toEqual([]);
  });

  it('finds no unacknowledged warning either', () => {
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('acknowledges every rule with a reason', () => {
    const acknowledged = app.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === 'aws:cdk:acknowledged-rules' || /acknowledg/i.test(m.type))
      .flatMap((m) => Object.values(m.data as Record<string, unknown>));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const entry of acknowledged) expect(JSON.stringify(entry)).toMatch(/.{40,}/);
  });
});
