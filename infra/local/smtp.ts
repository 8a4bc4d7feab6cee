import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface LocalSmtp {
  /** For ALERTS_SMTP_URL: smtp://127.0.0.1:<port>. */
  url: string;
  /** Every message received, one .eml file each, in arrival order by name. */
  inbox: string;
  stop(): Promise<void>;
}

/**
 * A real SMTP server on this machine for alert e-mail under `npm start` and the tests (where AWS uses SES): it
 * accepts every message on loopback and keeps it as an .eml file in `inbox`, which any mail client opens.
 */
export async function startLocalSmtp(options: { port: number; inbox: string }): Promise<LocalSmtp> {
  mkdirSync(options.inbox, { recursive: true });
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    banner: 'Kyoyu local SMTP (alerts)',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(++received).padStart(6, '0')}.eml`;
        writeFileSync(join(options.inbox, name), Buffer.concat(chunks));
        callback();
      });
      void session;
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    inbox: options.inbox,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
