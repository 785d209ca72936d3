#!/usr/bin/env node
/**
 * Adds lock entries for optional platform packages the npm registry mirror of this workplace
 * does not serve (e.g. @next/swc-darwin-arm64). `npm install` leaves them out of
 * package-lock.json, and `npm ci` then refuses the lock ("Missing: … from lock file"). With an
 * entry marked optional, `npm ci` accepts the lock and skips the package on this platform.
 * Run after `npm install` changes the lock: `node scripts/complete-lockfile.mjs`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [location, meta] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = location ? `${location}/node_modules/` : 'node_modules/';
    if (packages[`${base}${name}`] || packages[`node_modules/${name}`]) continue;
    packages[`node_modules/${name}`] = { version: String(spec).replace(/^[\^~=]/, ''), optional: true };
    added++;
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform entries`);
