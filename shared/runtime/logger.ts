/** Structured JSON logs with fixed keys; never whole events or request bodies. */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  /** A CloudWatch embedded-metric-format record: always written, unless logging is silenced. */
  metric(record: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(service: string, minimum: Level | 'silent' = 'info'): Logger {
  const write = (level: Level) => (message: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < ORDER[minimum]) return;
    const line = JSON.stringify({ level, time: new Date().toISOString(), service, message, ...fields });
    (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
  };
  const metric = (record: Record<string, unknown>) => {
    if (minimum !== 'silent') process.stdout.write(JSON.stringify(record) + '\n');
  };
  return { metric, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
