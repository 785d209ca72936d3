/**
 * The process-wide slot store behind lib/runtime/registry.ts (read that file first).
 *
 * Why a package: Next.js bundles the route handlers separately from the custom server
 * (worker/host.ts, lib/runtime/web-server.ts), so a project module imported by both exists twice
 * in one process. A package listed in next.config.mjs `serverExternalPackages` is not bundled:
 * both sides load this one file from node_modules and share its Map. It is installed as a copy
 * (`install-links=true` in .npmrc), because Turbopack bundles a symlinked local package. After
 * editing this file run `npm install` so node_modules gets the new copy.
 */
const slots = new Map();

/** Store `value` under `name` (undefined clears it). */
export function setSlot(name, value) {
  if (value === undefined) slots.delete(name);
  else slots.set(name, value);
}

/** The value stored under `name`, or undefined. */
export function getSlot(name) {
  return slots.get(name);
}
