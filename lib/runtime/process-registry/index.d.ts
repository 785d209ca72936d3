/** Store `value` under `name` (undefined clears it). See index.js. */
export function setSlot(name: string, value: unknown): void;
/** The value stored under `name`, or undefined. */
export function getSlot(name: string): unknown;
