import { rmSync } from 'node:fs';
import type { Emulator } from '../../infra/local/emulators';

export default async function globalTeardown(): Promise<void> {
  const emulators = (globalThis as { kyoyuEmulators?: Emulator[] }).kyoyuEmulators ?? [];
  await Promise.all(emulators.map((e) => e.stop()));
  if (process.env.KYOYU_TEST_DIR) rmSync(process.env.KYOYU_TEST_DIR, { recursive: true, force: true });
}
