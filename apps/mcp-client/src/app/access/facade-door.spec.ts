import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import pino from 'pino';
import { hostAllowListCheck } from '@mcp-platform/service-runtime';
import { CallerRefusedError } from '../tools/api-errors';
import { bearerChallenge } from './bearer-challenge';
import { CallerPrincipal, principalOf } from './caller-principal';
import type { FacadeBearerAuth } from './facade-bearer-auth';
import { FacadeDoor } from './facade-door';

const caller: CallerPrincipal = { clientId: 'app-1', objectId: 'oid-1', roles: ['Tools.Call'], scopes: [], claims: { sub: 'x' }, token: 'header.payload.signature' };

function request(url: string, headers: Record<string, string>): { req: IncomingMessage; res: ServerResponse; answered: Promise<number> } {
  const req = new IncomingMessage(new Socket());
  req.url = url;
  req.method = 'GET';
  req.headers = headers;
  const res = new ServerResponse(req);
  const answered = new Promise<number>((resolve) => (res.end = (() => resolve(res.statusCode)) as unknown as ServerResponse['end']));
  return { req, res, answered };
}

describe('FacadeDoor', () => {
  const foreignHostOrOrigin = hostAllowListCheck(['localhost']);
  const auth = {
    authenticate: async (req: IncomingMessage) => {
      if (req.headers.authorization === 'Bearer good') return caller;
      throw new CallerRefusedError('invalid_token', 'no', 'Bearer error="invalid_token"');
    },
  } as unknown as FacadeBearerAuth;
  const door = new FacadeDoor({ foreignHostOrOrigin, auth }, pino({ level: 'silent' }));

  it('hands the verified caller to the route on the request, for on-behalf-of', async () => {
    const { req, res } = request('/tools', { host: 'localhost', authorization: 'Bearer good' });
    const seen = await new Promise<CallerPrincipal | undefined>((resolve) => door.pass(req, res, (passed) => resolve(principalOf(passed))));
    expect(seen).toBe(caller);
  });

  it('answers a refused caller itself and never calls the route', async () => {
    const { req, res, answered } = request('/tools', { host: 'localhost', authorization: 'Bearer bad' });
    const next = jest.fn();
    door.pass(req, res, next);
    expect(await answered).toBe(401);
    expect(next).not.toHaveBeenCalled();
    expect(principalOf(req)).toBeUndefined();
  });

  it('lets the probes through synchronously, whatever the Host, with no caller', () => {
    const { req, res } = request('/health/ready?verbose', { host: '10.244.1.17:8000' });
    const next = jest.fn();
    door.pass(req, res, next);
    expect(next).toHaveBeenCalledWith(req, res);
    expect(principalOf(req)).toBeUndefined();
  });
});

describe('bearerChallenge', () => {
  it('escapes what would end a quoted string early', () => {
    expect(bearerChallenge('invalid_token', 'the "aud" claim \\ is wrong', 'http://localhost/.well-known/oauth-protected-resource/tools')).toBe(
      'Bearer error="invalid_token", error_description="the \\"aud\\" claim \\\\ is wrong", resource_metadata="http://localhost/.well-known/oauth-protected-resource/tools"',
    );
  });
});
