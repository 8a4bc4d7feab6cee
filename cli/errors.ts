/** A failure the user can act on: printed as one line `kyoyu: <message>`, exit status 1. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
}

/** The API refused a request: its TAXII/admin error body's `description` becomes the message. */
export class ApiError extends CliError {
  override readonly name = 'ApiError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly description: string,
  ) {
    super(`${method} ${path}: ${status} ${description}`.trim());
  }
}
