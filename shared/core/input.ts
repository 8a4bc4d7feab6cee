import type { z } from 'zod';
import { BadRequestError } from './errors';

/** `members[2].name`, as a person reads a path into their JSON. */
function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)),
    '',
  );
}

/** Parses a request body (or query) with its schema; every problem becomes part of one 400 a person can act on. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new BadRequestError(parsed.error.issues.map((issue) => `${pathOf(issue.path) || what}: ${issue.message}`).join('; '));
}

/** Keeps only the fields the caller sent: zod fills absent ones with their defaults, which a patch must not apply. */
export function sentFields<T extends object>(parsed: T, sent: unknown): Partial<T> {
  const keys = sent !== null && typeof sent === 'object' ? Object.keys(sent) : [];
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => keys.includes(key))) as Partial<T>;
}

/** A partial update (PATCH): validated with its schema, and only what was sent. */
export function parsePatch<S extends z.ZodType<object>>(schema: S, input: unknown): Partial<z.output<S>> {
  return sentFields(parseInput(schema, input), input);
}
