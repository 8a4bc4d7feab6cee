import { z } from 'zod';
import type { AdminDeps } from '../admin/deps';
import { parseInput } from '../input';
import { recordChange } from '../audit/record';
import type { Member, Principal } from '../directory/model';
import { assertModeratorOf, existingMember } from '../policy/admin-access';

export const PostingInput = z.discriminatedUnion('suspended', [
  z.object({ suspended: z.literal(true), reason: z.string().min(1).max(1000) }).strict(),
  z.object({ suspended: z.literal(false) }).strict(),
]);

/**
 * PUT …/members/{member}/posting (issue #14): moderators suspend a member's posting — TAXII POSTs, indicator lists,
 * attachments and samples are refused with the reason — or lift it. The member keeps reading. Audited.
 */
export async function setPosting(
  principal: Principal,
  tenantId: string,
  memberId: string,
  input: unknown,
  deps: AdminDeps,
): Promise<Member> {
  assertModeratorOf(principal, tenantId, "suspend a member's posting");
  const parsed = parseInput(PostingInput, input);
  const before = await existingMember(tenantId, memberId, deps);
  const { postingSuspended: _lifted, ...rest } = before;
  const after: Member = parsed.suspended
    ? { ...rest, postingSuspended: { at: new Date(deps.now()).toISOString(), by: principal.username, reason: parsed.reason } }
    : rest;
  await deps.directory.putMember(after);
  await recordChange(
    principal,
    { chain: tenantId, action: 'member.posting', target: { type: 'member', id: memberId }, before, after },
    deps,
  );
  return after;
}
