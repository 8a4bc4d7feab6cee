import { createUser, deleteUser, listUsers, rotatePassword, updateUser } from '../../shared/core/admin/credentials';
import { adminDeps } from '../../shared/runtime/admin-deps';
import { adminRoute } from '../../shared/runtime/http';

/** …/members/{member}/users, …/users/{username} and …/users/{username}/rotate. Passwords are in the answer once. */
export const handler = adminRoute({
  GET: async ({ caller, pathParameters: { tenant, member } }, c) => ({
    status: 200,
    body: await listUsers(caller, tenant!, member!, adminDeps(c)),
  }),
  POST: async ({ caller, json, pathParameters: { tenant, member, username } }, c) =>
    username
      ? { status: 200, body: await rotatePassword(caller, tenant!, member!, username, json, adminDeps(c)) }
      : { status: 201, body: await createUser(caller, tenant!, member!, json, adminDeps(c)) },
  PATCH: async ({ caller, json, pathParameters: { tenant, member, username } }, c) => ({
    status: 200,
    body: await updateUser(caller, tenant!, member!, username!, json, adminDeps(c)),
  }),
  DELETE: async ({ caller, pathParameters: { tenant, member, username } }, c) => (
    await deleteUser(caller, tenant!, member!, username!, adminDeps(c)), { status: 204 }
  ),
});
