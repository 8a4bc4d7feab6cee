/**
 * A decision about one object that throws — data the rules did not foresee — settles that object with a reason
 * instead of failing its whole message: retrying cannot change the data, and a record must never hold its batch
 * (or its POST's status) hostage. I/O stays outside: its errors are transient and go round through SQS.
 */
export function guarded<T>(decide: () => T, refuse: (reason: string) => T): T {
  try {
    return decide();
  } catch (error) {
    return refuse(`the object could not be processed (${error instanceof Error ? error.name : 'error'}); it was not published`);
  }
}
