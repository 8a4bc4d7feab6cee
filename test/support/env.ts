// Node 20 is supported here; the SDK's advance notice about Node 22 only clutters test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.LOG_LEVEL ??= 'silent';
// Metric lines are silenced with the logs; test/unit/runtime/observability.test.ts turns them on to read them.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
