import { BackoffPolicy } from './refresh-schedule';

export const DISCOVERY_OPTIONS = Symbol('DISCOVERY_OPTIONS');

export interface DiscoveryOptions {
  /** The server's MCP endpoint, as logged and published. */
  serverUrl: string;
  /** Periodic refresh; also how recently the server must have answered for the catalogue to count as fresh. */
  intervalMs: number;
  /** Bound of one listing (all pages), connecting included. */
  requestTimeoutMs: number;
  backoff: BackoffPolicy;
}

/** A listing that takes longer than this counts as failed, whatever the interval. */
export const DEFAULT_DISCOVERY_REQUEST_TIMEOUT_MS = 10_000;
