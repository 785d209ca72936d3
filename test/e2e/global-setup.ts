/**
 * Vitest globalSetup for the e2e project: make sure the production build exists (the host
 * refuses to start without .next/BUILD_ID). The test command normally builds first; this only
 * builds when that did not happen.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export default function setup(): void {
  if (existsSync(path.join(ROOT, process.env.NEXT_DIST_DIR || '.next', 'BUILD_ID'))) return;
  console.log('[e2e] .next/BUILD_ID missing: running `next build`…');
  const result = spawnSync('npx', ['next', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
}
