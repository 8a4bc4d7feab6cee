import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { build } from 'esbuild';
import { repoRoot } from '../../../infra/local/repo-root';
import { FUNNEL_METRICS, FUNNEL_NAMESPACE } from '../../../infra/aws/observability';
import { logger, observed, publishFunnel, tracer } from '../../../shared/runtime/observability';
import { POWERTOOLS_ENV } from '../../../shared/runtime/observability-env';

/** Every line the code writes to stdout while `act` runs, parsed as JSON (the Powertools consoles write there). */
async function linesWritten(act: () => unknown): Promise<Array<Record<string, unknown>>> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const context = (requestId: string): Context =>
  ({
    functionName: 'kyoyu-test-function',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:kyoyu-test-function',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => 10_000,
  }) as Context;

describe('funnel metrics', () => {
  const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
  beforeAll(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  });
  afterAll(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = disabled;
  });

  it('emits the names, namespace and dimensions the CloudWatch dashboard reads', async () => {
    // Prepare
    const counts = { received: 7, forwarded: 4, dropped: 2, failed: 1, committed: 0 };

    // Act
    const lines = await linesWritten(() => publishFunnel('dedupe', 'tenant-a', counts));

    // Assess: one embedded-metric-format line, the dashboard's namespace and metric names (infra/aws/observability.ts),
    // dimension sets [stage] (what its graphs select) and [stage, tenant], and no service dimension besides.
    expect(lines).toHaveLength(1);
    const emf = lines[0]!;
    const [directive] = (
      emf['_aws'] as {
        CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }>;
      }
    ).CloudWatchMetrics;
    expect(directive!.Namespace).toBe(FUNNEL_NAMESPACE);
    expect(directive!.Dimensions).toEqual([['stage'], ['stage', 'tenant']]);
    expect(directive!.Metrics).toEqual(FUNNEL_METRICS.map((Name) => ({ Name, Unit: 'Count' })));
    expect({ stage: emf['stage'], tenant: emf['tenant'], service: emf['service'] }).toEqual({
      stage: 'dedupe',
      tenant: 'tenant-a',
      service: undefined,
    });
    expect(Object.fromEntries(FUNNEL_METRICS.map((name) => [name, emf[name]]))).toEqual(counts);
  });

  it('keeps each tenant of a batch apart', async () => {
    // Act
    const lines = await linesWritten(() => {
      publishFunnel('filter', 'tenant-a', { received: 3, forwarded: 3, dropped: 0, failed: 0, committed: 0 });
      publishFunnel('filter', 'tenant-b', { received: 5, forwarded: 1, dropped: 4, failed: 0, committed: 0 });
    });

    // Assess
    expect(lines.map((l) => [l['tenant'], l['received'], l['dropped']])).toEqual([
      ['tenant-a', 3, 0],
      ['tenant-b', 5, 4],
    ]);
  });
});

describe('observed handlers', () => {
  const level = logger.getLevelName();
  afterEach(() => logger.setLogLevel(level));

  it('log JSON lines with the invocation request id and function name, never the event', async () => {
    // Prepare
    logger.setLogLevel('INFO');
    const secretText = 'member-submitted indicator 198.51.100.7 password=hunter2';
    const handler = observed(async (event: { body: string }) => {
      logger.info('handled', { bytes: event.body.length });
      return { ok: true };
    });

    // Act
    let result: unknown;
    const lines = await linesWritten(async () => {
      result = await handler({ body: secretText }, context('req-1'));
    });

    // Assess
    expect(result).toEqual({ ok: true });
    const handled = lines.filter((l) => l['message'] === 'handled');
    expect(handled).toEqual([
      expect.objectContaining({
        level: 'INFO',
        service: 'kyoyu',
        function_name: 'kyoyu-test-function',
        function_request_id: 'req-1',
        bytes: secretText.length,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });

  it('run without an X-Ray daemon: tracing is off outside Lambda, and the handler still answers and fails as it would', async () => {
    // Prepare
    const failing = observed(async () => {
      throw new Error('use case failed');
    });

    // Act
    const outcome = await failing({}, context('req-2')).then(
      () => 'resolved',
      (error: Error) => error.message,
    );

    // Assess
    expect(tracer).toBeUndefined();
    expect(outcome).toBe('use case failed');
  });

  it('load the X-Ray SDK, and its process-wide async hook, only inside Lambda with tracing on', async () => {
    // A fresh process each, bundled as Lambda runs it: the hook is process-wide, so this jest worker cannot tell.
    const { outputFiles } = await build({
      stdin: {
        contents: `const o = require('./observability');
          console.log(JSON.stringify({ namespaces: Object.keys(process.namespaces ?? {}), tracing: o.tracer?.isTracingEnabled() ?? null }));`,
        resolveDir: join(repoRoot(), 'shared', 'runtime'),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      packages: 'external',
      write: false,
      logLevel: 'silent',
    });
    const { AWS_EXECUTION_ENV: _unset, POWERTOOLS_TRACE_ENABLED: _unsetToo, ...outsideLambda } = process.env;
    const load = (env: NodeJS.ProcessEnv) =>
      JSON.parse(execFileSync(process.execPath, ['-'], { input: outputFiles[0]!.text, cwd: repoRoot(), env, encoding: 'utf8' }));

    expect(load(outsideLambda)).toEqual({ namespaces: [], tracing: null });
    expect(load({ ...outsideLambda, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'false' })).toEqual({
      namespaces: [],
      tracing: null,
    });
    expect(load({ ...outsideLambda, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toEqual({ namespaces: ['AWSXRay'], tracing: true });
  });

  it('ask AWS for no events in logs and no responses or errors in traces', () => {
    expect(POWERTOOLS_ENV).toEqual(
      expect.objectContaining({
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
      }),
    );
  });
});
