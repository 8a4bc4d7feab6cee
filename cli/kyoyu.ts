/**
 * `kyoyu`: the command line for tenant admins, members and platform operators. It speaks only HTTP to a Kyoyu
 * endpoint (the admin API and TAXII 2.1), so it works the same against `npm start` and AWS. Node built-ins only.
 * This file is the entry point bin/kyoyu.mjs bundles; main.ts dispatches to the command modules in commands/.
 */
import { CliError } from './errors';
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`kyoyu: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof CliError ? 1 : 2);
  },
);
