/**
 * Placing instruments on connections under the broker's caps (Kite: 3,000 instruments per
 * connection, 3 connections per API key; kite.trade/docs/connect/v3/websocket). Pure.
 *
 * New tokens fill existing connections first (in order), then open new connections of up to
 * `perConnection` each. A request that does not fit the connections the key has left is
 * refused as a whole with a message giving the numbers: never a partial, silent subscription.
 */
import { CollectorError } from './errors';

export interface PlacementInput {
  /** Tokens already on each existing connection, by connection id. */
  existing: ReadonlyMap<number, number>;
  /** Tokens to place (not yet subscribed anywhere). */
  tokens: readonly number[];
  perConnection: number;
  /** New connections this collector may still open (key budget minus all collectors' use). */
  newConnectionsAllowed: number;
  /** For the error message: the key's limit and the collector's name. */
  connectionsPerKey: number;
  collector: string;
}

export interface Placement {
  /** Tokens added to existing connections. */
  onExisting: Map<number, number[]>;
  /** Token lists of new connections to open. */
  onNew: number[][];
}

/** Place `tokens`; throws CollectorError('subscription_cap') when they do not fit. */
export function placeTokens(input: PlacementInput): Placement {
  const { perConnection } = input;
  const onExisting = new Map<number, number[]>();
  let at = 0;
  for (const [id, count] of input.existing) {
    const room = Math.max(0, perConnection - count);
    if (room === 0 || at >= input.tokens.length) continue;
    onExisting.set(id, input.tokens.slice(at, at + room));
    at += room;
  }
  const rest = input.tokens.length - Math.min(at, input.tokens.length);
  const needed = Math.ceil(rest / perConnection);
  if (needed > input.newConnectionsAllowed) {
    const held = [...input.existing.values()].reduce((a, b) => a + b, 0);
    throw new CollectorError(
      'subscription_cap',
      `${input.collector}: ${held + input.tokens.length} instruments need ${input.existing.size + needed} connections ` +
        `(${perConnection} instruments each) but only ${input.existing.size + input.newConnectionsAllowed} are available ` +
        `(${input.connectionsPerKey} per API key, shared by every collector using the key); nothing was subscribed`,
    );
  }
  const onNew: number[][] = [];
  for (let i = at; i < input.tokens.length; i += perConnection) onNew.push(input.tokens.slice(i, i + perConnection));
  return { onExisting, onNew };
}
