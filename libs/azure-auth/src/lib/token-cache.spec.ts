import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { TokenAcquisitionError } from './token-acquisition.error';
import { TokenCache } from './token-cache';

const SCOPES = ['api://backend/.default'];

/** A credential under the test's control: each request waits until the test answers it. */
class ScriptedCredential implements TokenCredential {
  readonly requests: Array<{ scopes: string[]; resolve: (token: AccessToken) => void; reject: (error: Error) => void }> = [];

  getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken | null> {
    return new Promise((resolve, reject) => this.requests.push({ scopes: [scopes].flat(), resolve, reject }));
  }

  answer(token: AccessToken): void {
    this.pending().resolve(token);
  }

  fail(message: string): void {
    this.pending().reject(new Error(message));
  }

  private pending() {
    const request = this.requests.at(-1);
    if (!request) throw new Error('no token request is pending');
    return request;
  }
}

function token(name: string, lifetimeMs: number, refreshInMs?: number): AccessToken {
  return {
    token: name,
    tokenType: 'Bearer',
    expiresOnTimestamp: Date.now() + lifetimeMs,
    ...(refreshInMs === undefined ? {} : { refreshAfterTimestamp: Date.now() + refreshInMs }),
  };
}

describe('TokenCache', () => {
  let credential: ScriptedCredential;
  let cache: TokenCache;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-29T12:00:00Z') });
    credential = new ScriptedCredential();
    cache = new TokenCache(credential, 'workload-identity', { expirySkewMs: 1_000, retryInitialDelayMs: 1_000, retryMaxDelayMs: 8_000 });
  });

  afterEach(() => {
    cache.close();
    jest.useRealTimers();
  });

  it('asks once for 1000 concurrent callers on an empty cache', async () => {
    const callers = Array.from({ length: 1000 }, () => cache.getToken(SCOPES));
    expect(credential.requests).toHaveLength(1);
    credential.answer(token('first', 60_000));
    const tokens = await Promise.all(callers);
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(['first']));
    expect((await cache.getToken(SCOPES)).token).toBe('first');
    expect(credential.requests).toHaveLength(1);
  });

  it('keys entries by scope set, whatever the order', async () => {
    const a = cache.getToken(['b', 'a']);
    credential.answer(token('ab', 60_000));
    await a;
    expect((await cache.getToken(['a', 'b'])).token).toBe('ab');
    const other = cache.getToken(['c']);
    expect(credential.requests).toHaveLength(2);
    credential.answer(token('c', 60_000));
    expect((await other).token).toBe('c');
  });

  it("refreshes in the background at Entra's refresh_in, while callers keep the current token", async () => {
    const first = cache.getToken(SCOPES);
    credential.answer(token('first', 60_000, 20_000));
    await first;
    await jest.advanceTimersByTimeAsync(20_000);
    expect(credential.requests).toHaveLength(2);
    expect((await cache.getToken(SCOPES)).token).toBe('first');
    credential.answer(token('second', 60_000, 20_000));
    await jest.advanceTimersByTimeAsync(0);
    expect((await cache.getToken(SCOPES)).token).toBe('second');
  });

  it('refreshes at half the lifetime when Entra gives no refresh_in', async () => {
    const first = cache.getToken(SCOPES);
    credential.answer(token('first', 60_000));
    await first;
    await jest.advanceTimersByTimeAsync(29_000);
    expect(credential.requests).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(credential.requests).toHaveLength(2);
  });

  it('serves the valid token while refreshes fail, backs off, and fails with the AADSTS reason only after expiry', async () => {
    const first = cache.getToken(SCOPES);
    credential.answer(token('first', 10_000, 2_000));
    await first;

    await jest.advanceTimersByTimeAsync(2_000);
    credential.fail('AADSTS700213: No matching federated identity record found for presented assertion subject. Trace ID: abc');
    await jest.advanceTimersByTimeAsync(0);
    expect((await cache.getToken(SCOPES)).token).toBe('first');

    // Retries come with growing, bounded delays rather than at once.
    const denial = 'AADSTS700213: No matching federated identity record found for presented assertion subject.';
    let answered = credential.requests.length;
    await jest.advanceTimersByTimeAsync(400);
    expect(credential.requests).toHaveLength(answered);
    while (Date.now() < new Date('2026-11-29T12:00:08.500Z').getTime()) {
      await jest.advanceTimersByTimeAsync(100);
      for (; answered < credential.requests.length; answered += 1) credential.requests[answered].reject(new Error(denial));
    }
    // Bounded: the backoff, or a quarter of the token's remaining life near expiry, and never below 100 ms.
    expect(credential.requests.length).toBeLessThan(20);
    expect((await cache.getToken(SCOPES)).token).toBe('first');

    await jest.advanceTimersByTimeAsync(1_500);
    for (; answered < credential.requests.length; answered += 1) credential.requests[answered].reject(new Error(denial));
    await expect(cache.getToken(SCOPES)).rejects.toThrow(TokenAcquisitionError);
    await expect(cache.getToken(SCOPES)).rejects.toMatchObject({
      code: 'AADSTS700213',
      message: 'no token for api://backend/.default: AADSTS700213: No matching federated identity record found for presented assertion subject.',
    });
  });

  it('retries often enough near expiry that an outage ending before it costs no failed call', async () => {
    const first = cache.getToken(SCOPES);
    credential.answer(token('first', 10_000, 1_000));
    await first;
    let answered = credential.requests.length;
    // Entra fails every refresh from 1 s until 8.5 s; the token is usable until 9 s.
    while (Date.now() < new Date('2026-11-29T12:00:08.500Z').getTime()) {
      await jest.advanceTimersByTimeAsync(50);
      for (; answered < credential.requests.length; answered += 1) credential.requests[answered].reject(new Error('AADSTS50196: throttled'));
    }
    await jest.advanceTimersByTimeAsync(450);
    expect(credential.requests.length).toBeGreaterThan(answered);
    credential.requests[credential.requests.length - 1].resolve(token('second', 60_000));
    await jest.advanceTimersByTimeAsync(0);
    expect((await cache.getToken(SCOPES)).token).toBe('second');
  });

  it('fails fast during the backoff instead of asking Entra for every caller, then recovers', async () => {
    const first = cache.getToken(SCOPES);
    credential.fail('AADSTS90002: Tenant not found');
    await expect(first).rejects.toMatchObject({ code: 'AADSTS90002' });
    await expect(cache.getToken(SCOPES)).rejects.toMatchObject({ code: 'AADSTS90002' });
    expect(credential.requests).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(1_000);
    expect(credential.requests).toHaveLength(2);
    credential.answer(token('recovered', 60_000));
    await jest.advanceTimersByTimeAsync(0);
    expect((await cache.getToken(SCOPES)).token).toBe('recovered');
  });

  it('goes through a fresh credential after a failure, escaping the old one\'s throttling', async () => {
    const instances: ScriptedCredential[] = [];
    const factoryCache = new TokenCache(() => {
      instances.push(new ScriptedCredential());
      return instances[instances.length - 1];
    }, 'workload-identity', { retryInitialDelayMs: 1_000 });
    const first = factoryCache.getToken(SCOPES);
    instances[0].fail('Request throttled');
    await expect(first).rejects.toThrow(TokenAcquisitionError);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(instances).toHaveLength(2);
    instances[1].answer(token('fresh', 60_000));
    await jest.advanceTimersByTimeAsync(0);
    expect((await factoryCache.getToken(SCOPES)).token).toBe('fresh');
    factoryCache.close();
  });

  it('lets a caller stop waiting without cancelling the shared request', async () => {
    const abort = new AbortController();
    const impatient = cache.getToken(SCOPES, { abortSignal: abort.signal });
    const patient = cache.getToken(SCOPES);
    abort.abort(new Error('caller gone'));
    await expect(impatient).rejects.toThrow('caller gone');
    credential.answer(token('shared', 60_000));
    expect((await patient).token).toBe('shared');
  });
});
