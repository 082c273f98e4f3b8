import { hello } from './x.mjs';
import { decodeJwt, SignJWT, generateKeyPair } from 'jose';
import { WorkloadIdentityCredential } from '@azure/identity';
import selfsigned from 'selfsigned';
describe('probe', () => {
  it('works', async () => {
    expect(hello()).toBe('hi');
    const { privateKey } = await generateKeyPair('RS256');
    const jwt = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    expect(decodeJwt(jwt).a).toBe(1);
    expect(typeof WorkloadIdentityCredential).toBe('function');
    expect(typeof selfsigned.generate).toBe('function');
  });
});
