/**
 * Stable synthetic instrument tokens for instruments that have no broker token (Breeze replays,
 * simulator instruments missing from the Kite instruments dump).
 *
 * Kite instrument tokens are uint32 (< 2^32), so every synthetic token lies at or above 2^32
 * and can never collide with a Kite token. Each source gets its own 2^30-wide range:
 *   simulator: [2^32, 2^32 + 2^30)      breeze: [2^33, 2^33 + 2^30)
 * All values stay far below Number.MAX_SAFE_INTEGER and fit the `bigint` token columns.
 */

/** Base of the simulator's synthetic token range (2^32). */
export const SIMULATOR_TOKEN_BASE = 2 ** 32;
/** Base of the Breeze replay's synthetic token range (2^33). */
export const BREEZE_TOKEN_BASE = 2 ** 33;
/** Width of each synthetic range (2^30). */
export const SYNTHETIC_TOKEN_SPAN = 2 ** 30;

/** 32-bit FNV-1a hash of the UTF-16 code units of `text` (as an unsigned integer). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Synthetic token for `key` (e.g. "BREEZE:NFO:RELIND-FUT") in the range starting at `base`:
 * base + (fnv1a32(key) mod 2^30). Deterministic across runs and machines.
 */
export function syntheticToken(base: number, key: string): number {
  return base + (fnv1a32(key) % SYNTHETIC_TOKEN_SPAN);
}
