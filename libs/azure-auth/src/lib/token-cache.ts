import type { AccessToken, TokenCredential } from '@azure/identity';
import { TOKEN_CACHE_DEFAULTS, TokenCacheOptions } from './azure-auth.options';
import { TokenAcquisitionError } from './token-acquisition.error';
import { TokenCacheMetrics } from './token-cache.metrics';
import { TokenProvider, TokenProviderMode } from './token-provider';

/** The tightest retry pace, even right before expiry. */
const MIN_RETRY_DELAY_MS = 100;
/** The loosest retry pace once no valid token is left. */
const MAX_RETRY_DELAY_WITHOUT_TOKEN_MS = 5_000;

interface CacheEntry {
  readonly scopes: string[];
  readonly key: string;
  token?: AccessToken;
  /** When the current token arrived: lifetimes are measured from here. */
  obtainedAt: number;
  inFlight?: Promise<AccessToken>;
  refreshTimer?: NodeJS.Timeout;
  consecutiveFailures: number;
  lastError?: TokenAcquisitionError;
  /** After a failure, callers without a valid token fail fast until then instead of asking Entra again. */
  retryNotBefore: number;
}

/**
 * Tokens per scope set around one credential, fixing what @azure/identity 4.14 was measured to do:
 * - single-flight: concurrent callers on an empty or expired entry share one token request;
 * - the token is refreshed in the background before it expires (at Entra's `refresh_in`, else at a
 *   share of its lifetime), so callers never wait for a refresh;
 * - while refreshes fail the still-valid token is served, and retries back off (bounded, jittered);
 * - a caller fails only when no valid token is left, with the AADSTS reason;
 * - after a failed request the next one goes through a fresh credential (when a factory is given):
 *   MSAL refuses every request for 60 s after a 5xx or 429 (its throttling cache lives in the
 *   credential instance), which would outlast a short outage; this cache's own bounded backoff
 *   paces the retries instead.
 */
export class TokenCache extends TokenProvider {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly options: Required<TokenCacheOptions>;
  private closed = false;
  private credential: TokenCredential;
  private readonly createCredential?: () => TokenCredential;
  private replaceCredential = false;

  constructor(
    credential: TokenCredential | (() => TokenCredential),
    readonly mode: TokenProviderMode,
    options: TokenCacheOptions = {},
    private readonly metrics = new TokenCacheMetrics(),
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.options = { ...TOKEN_CACHE_DEFAULTS, ...options };
    this.createCredential = typeof credential === 'function' ? credential : undefined;
    this.credential = typeof credential === 'function' ? credential() : credential;
  }


  async getToken(scopes: string[], options: { abortSignal?: AbortSignal } = {}): Promise<AccessToken> {
    const entry = this.entryFor(scopes);
    if (entry.token && this.isUsable(entry)) {
      this.metrics.lookups.inc({ result: 'hit' });
      return entry.token;
    }
    this.metrics.lookups.inc({ result: 'miss' });
    if (!entry.inFlight && entry.lastError && this.now() < entry.retryNotBefore) throw entry.lastError;
    const pending = entry.inFlight ?? this.refresh(entry);
    return options.abortSignal ? abortable(pending, options.abortSignal) : pending;
  }

  /** Stops background refreshes (module shutdown). */
  close(): void {
    this.closed = true;
    for (const entry of this.entries.values()) clearTimeout(entry.refreshTimer);
  }

  private entryFor(scopes: string[]): CacheEntry {
    const key = [...scopes].sort().join(' ');
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { scopes: [...scopes], key, obtainedAt: 0, consecutiveFailures: 0, retryNotBefore: 0 };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private isUsable(entry: CacheEntry): boolean {
    return entry.token !== undefined && this.now() < this.usableUntil(entry.token, entry.obtainedAt);
  }

  /** Expiry less the skew; the skew is at most a tenth of the lifetime, so short-lived tokens stay usable. */
  private usableUntil(token: AccessToken, obtainedAt: number): number {
    const lifetime = token.expiresOnTimestamp - obtainedAt;
    return token.expiresOnTimestamp - Math.min(this.options.expirySkewMs, lifetime / 10);
  }

  private refresh(entry: CacheEntry): Promise<AccessToken> {
    clearTimeout(entry.refreshTimer);
    const attempt = this.requestToken(entry).finally(() => {
      entry.inFlight = undefined;
    });
    entry.inFlight = attempt;
    // A background refresh has no caller waiting: its failure is recorded on the entry, not thrown.
    attempt.catch(() => undefined);
    return attempt;
  }

  private async requestToken(entry: CacheEntry): Promise<AccessToken> {
    try {
      if (this.replaceCredential && this.createCredential) {
        this.credential = this.createCredential();
        this.replaceCredential = false;
      }
      const token = await this.credential.getToken(entry.scopes);
      if (!token) throw new Error('the credential returned no token');
      entry.token = token;
      entry.obtainedAt = this.now();
      entry.consecutiveFailures = 0;
      entry.lastError = undefined;
      entry.retryNotBefore = 0;
      this.metrics.refreshes.inc({ outcome: 'success' });
      this.metrics.tokenExpiresAt(entry.key, token.expiresOnTimestamp);
      this.scheduleRefresh(entry, this.refreshTime(token, entry.obtainedAt));
      return token;
    } catch (error) {
      entry.consecutiveFailures += 1;
      this.replaceCredential = true;
      entry.lastError = new TokenAcquisitionError(entry.scopes, error);
      const retryAt = this.now() + this.retryDelay(entry);
      entry.retryNotBefore = retryAt;
      this.metrics.refreshes.inc({ outcome: 'failure' });
      this.scheduleRefresh(entry, retryAt);
      throw entry.lastError;
    }
  }

  private refreshTime(token: AccessToken, obtainedAt: number): number {
    const latest = this.usableUntil(token, obtainedAt);
    const byShare = obtainedAt + (token.expiresOnTimestamp - obtainedAt) * this.options.refreshAtLifetimeShare;
    return Math.min(token.refreshAfterTimestamp ?? byShare, latest);
  }

  /**
   * Exponential backoff with equal jitter (half the step fixed, half random), capped; but while a
   * still-valid token is being served, never longer than a quarter of its remaining usable life,
   * so an outage that ends before expiry is always followed by a retry in time; and once none is
   * left, at most 5 s.
   */
  private retryDelay(entry: CacheEntry): number {
    const step = Math.min(this.options.retryMaxDelayMs, this.options.retryInitialDelayMs * 2 ** (entry.consecutiveFailures - 1));
    const backoff = step / 2 + Math.random() * (step / 2);
    // With no valid token every caller is failing: keep the pace up so recovery is quick.
    if (!entry.token || !this.isUsable(entry)) return Math.min(backoff, MAX_RETRY_DELAY_WITHOUT_TOKEN_MS);
    const remaining = this.usableUntil(entry.token, entry.obtainedAt) - this.now();
    return Math.min(backoff, Math.max(MIN_RETRY_DELAY_MS, remaining / 4));
  }

  private scheduleRefresh(entry: CacheEntry, at: number): void {
    clearTimeout(entry.refreshTimer);
    if (this.closed) return;
    entry.refreshTimer = setTimeout(() => {
      if (!entry.inFlight) void this.refresh(entry).catch(() => undefined);
    }, Math.max(0, at - this.now()));
    entry.refreshTimer.unref();
  }
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
