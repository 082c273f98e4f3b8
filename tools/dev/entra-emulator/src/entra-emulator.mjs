// A local stand-in for Microsoft Entra ID plus the AKS OIDC issuer, for development and tests
// only (never shipped in an image). The real @azure/identity WorkloadIdentityCredential gets
// tokens from it over HTTPS: it serves the Entra discovery, JWKS and token endpoints, checks the
// federated client assertion (a projected service-account token minted by the built-in cluster
// issuer) the way Entra matches federated identity credentials, and answers errors in Entra's
// JSON shape with the real AADSTS codes. Keys and certificates are made fresh at every start.
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { compactVerify, createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, exportJWK, generateKeyPair, importPKCS8, SignJWT } from 'jose';
import selfsigned from 'selfsigned';

/** The audience the Azure Workload Identity webhook puts in projected tokens. */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * @typedef {{ name?: string, issuer?: string, subject: string, audiences?: string[] }} FederatedCredential
 *   As `az identity federated-identity-credential create --issuer --subject --audience` defines
 *   it; `issuer` defaults to the emulator's cluster issuer, `audiences` to api://AzureADTokenExchange.
 * @typedef {{ clientId: string, name?: string, objectId?: string, resourceId?: string, federatedCredentials?: FederatedCredential[] }} Identity
 *   An app registration or user-assigned managed identity (`objectId` = its principal id).
 * @typedef {{ appIdUri: string, appId?: string, name?: string, audience?: 'appIdUri' | 'appId', grants?: Record<string, string[]> }} Resource
 *   A resource API; `grants` maps a client id to the app roles granted to it. Access tokens carry
 *   `aud` = the app ID URI unless `audience: 'appId'` (what real v2.0 tokens carry).
 * @typedef {{ tenants?: string[], identities?: Identity[], resources?: Resource[], tokenLifetimeSeconds?: number,
 *   refreshInSeconds?: number, assertionClockSkewSeconds?: number, strictTenantDiscovery?: boolean }} EmulatorConfig
 *   `strictTenantDiscovery`: answer discovery for unknown tenants with AADSTS90002 as Entra's
 *   discovery endpoint does (MSAL then fails with endpoints_resolution_error); by default unknown
 *   tenants are rejected at the token endpoint, which is what MSAL sees against the real cloud.
 * @typedef {'ok' | 'latency' | 'error' | 'throttle' | 'down'} FaultMode
 * @typedef {'token' | 'keys' | 'discovery'} FaultEndpoint
 * @typedef {{ mode: FaultMode, latencyMs?: number, statusCode?: number, retryAfterSeconds?: number, endpoints?: FaultEndpoint[] }} Faults
 * @typedef {EmulatorConfig & { port?: number, host?: string, extraHosts?: string[], hostname?: string, stateDir?: string,
 *   log?: (line: object) => void }} EntraEmulatorOptions
 *   `host`: the address to listen on (127.0.0.1); `extraHosts`: more addresses, on the same port (a
 *   cluster's bridge, so that pods reach it); `hostname`: the host put in URLs (127.0.0.1).
 * @typedef {{ namespace: string, serviceAccount: string, audience?: string | string[], expiresInSeconds?: number,
 *   issuer?: string, podName?: string, issuedAt?: number, foreignKey?: boolean, kid?: string }} ServiceAccountTokenOptions
 *   `issuer` forges another issuer; `foreignKey` signs with a key the cluster issuer does not publish
 *   (header kid = that key's own, or `kid`); `issuedAt` in epoch seconds (default now).
 * @typedef {{ tenant?: string, clientId?: string, resource?: string, roles?: string[], expiresInSeconds?: number,
 *   issuedAt?: number, claims?: Record<string, unknown>, foreignKey?: boolean, kid?: string }} AccessTokenOptions
 */

/** Starts the emulator; resolves once it listens on HTTPS. */
export async function startEntraEmulator(/** @type {EntraEmulatorOptions} */ options = {}) {
  const log = options.log ?? ((line) => process.stdout.write(`${JSON.stringify(line)}\n`));
  const createdStateDir = !options.stateDir;
  const stateDir = options.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'entra-emulator-'));
  fs.mkdirSync(stateDir, { recursive: true });
  const hostname = options.hostname ?? '127.0.0.1';

  const tls = await makeTlsMaterial(hostname);
  const caCertPath = path.join(stateDir, 'ca.pem');
  fs.writeFileSync(caCertPath, tls.caCert);
  const entraKey = await makeEntraSigningKey();
  const clusterKey = await makeClusterKey();
  /** @type {ReturnType<typeof makeClusterKey> | undefined} a key nobody publishes, made on first use */
  let foreignKey;
  const getForeignKey = () => (foreignKey ??= makeClusterKey());

  /** @type {Faults} */
  let faults = { mode: 'ok' };
  let stats = emptyStats();
  /** @type {Map<string, ServiceAccountTokenOptions>} token files written, for rotation */
  const tokenFiles = new Map();
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set();

  const makeServer = () => {
    const created = https.createServer({ key: tls.serverKey, cert: tls.serverCert }, (req, res) => {
      handle(req, res).catch((error) => {
        log({ msg: 'entra-emulator internal error', error: String(error?.stack ?? error) });
        if (!res.headersSent) sendJson(res, 500, entraErrorBody(50000, 'server_error', 'There was an error issuing a token or an issue with our sign-in service.', req));
        else res.destroy();
      });
    });
    created.keepAliveTimeout = 65_000;
    return created;
  };
  /** @param {import('node:https').Server} target */
  const listen = (target, /** @type {number} */ listenPort, /** @type {string} */ host) =>
    new Promise((resolve, reject) => {
      target.once('error', reject);
      target.listen(listenPort, host, () => resolve(undefined));
    });
  const server = makeServer();
  /** Every server this emulator listens with: `host`, then each of `extraHosts` on the same port. */
  const servers = [server];
  try {
    await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
    const boundPort = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
    for (const extraHost of options.extraHosts ?? []) {
      const extra = makeServer();
      servers.push(extra);
      await listen(extra, boundPort, extraHost);
    }
  } catch (error) {
    for (const started of servers) started.close();
    if (createdStateDir) fs.rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const authorityHost = `https://${formatHost(hostname)}:${port}`;
  // AKS issuer URLs end with a slash (https://<region>.oic.prod-aks.azure.com/<tenant>/<guid>/) and
  // Entra compares the federated credential's issuer with the token's `iss` exactly.
  const clusterIssuer = `${authorityHost}/cluster-issuer/`;

  const config = normalizeConfig(options, clusterIssuer);
  const issuer = (/** @type {string} */ tenant) => `${authorityHost}/${tenant}/v2.0`;
  const jwksUri = (/** @type {string} */ tenant) => `${authorityHost}/${tenant}/discovery/v2.0/keys`;
  const clusterJwks = { keys: [clusterKey.publicJwk] };

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function handle(req, res) {
    const url = new URL(req.url ?? '/', authorityHost);
    const segments = url.pathname.split('/').filter(Boolean);

    if (segments[0] === '_control') return handleControl(req, res, segments[1]);

    if (segments[0] === 'cluster-issuer') {
      const rest = segments.slice(1).join('/');
      if (rest === '.well-known/openid-configuration') {
        stats.hits.clusterDiscovery += 1;
        return sendJson(res, 200, {
          issuer: clusterIssuer,
          jwks_uri: `${clusterIssuer}openid/v1/jwks`,
          response_types_supported: ['id_token'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      }
      if (rest === 'openid/v1/jwks') {
        stats.hits.clusterKeys += 1;
        return sendJson(res, 200, clusterJwks);
      }
      return sendJson(res, 404, { error: 'not found' });
    }

    const tenant = segments[0] ?? '';
    const rest = segments.slice(1).join('/');
    /** @type {FaultEndpoint | undefined} */
    const endpoint =
      rest === 'v2.0/.well-known/openid-configuration' || rest === '.well-known/openid-configuration'
        ? 'discovery'
        : rest === 'discovery/v2.0/keys' || rest === 'discovery/keys'
          ? 'keys'
          : rest === 'oauth2/v2.0/token' || rest === 'oauth2/token'
            ? 'token'
            : undefined;
    if (!endpoint) {
      stats.hits.other += 1;
      return sendJson(res, 404, { error: 'not found' });
    }
    stats.hits[endpoint] += 1;
    if (endpoint === 'token') stats.tokenRequests += 1;
    log({ msg: 'request', method: req.method, path: url.pathname });

    if (await applyFaults(req, res, endpoint)) {
      if (endpoint === 'token') stats.tokenErrors += 1;
      return;
    }

    const multiTenant = tenant === 'common' || tenant === 'organizations';
    const known = config.tenants.includes(tenant);
    if (endpoint === 'keys') {
      if (!known && !multiTenant) return sendEntraError(req, res, 400, 90002, 'invalid_tenant', tenantNotFound(tenant));
      return sendJson(res, 200, { keys: [{ ...entraKey.publicJwk, issuer: issuer(known ? tenant : '{tenantid}') }] });
    }
    if (endpoint === 'discovery') {
      // Against login.microsoftonline.com MSAL never asks for this document (it has the endpoints
      // hard-coded) and learns of an unknown tenant from the token endpoint's AADSTS90002. So, to
      // give callers the same outcome, unknown tenants get a document unless strictTenantDiscovery.
      if (!known && !multiTenant && config.strictTenantDiscovery) return sendEntraError(req, res, 400, 90002, 'invalid_tenant', tenantNotFound(tenant));
      const v2 = rest.startsWith('v2.0/');
      return sendJson(res, 200, discoveryDocument(authorityHost, tenant, multiTenant ? '{tenantid}' : tenant, v2));
    }
    return handleToken(req, res, tenant, rest);
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {FaultEndpoint} endpoint
   * @returns {Promise<boolean>} whether the fault answered (or dropped) the request
   */
  async function applyFaults(req, res, endpoint) {
    const current = faults;
    if (current.mode === 'ok' || !(current.endpoints ?? ['token', 'keys', 'discovery']).includes(endpoint)) return false;
    stats.faultsInjected += 1;
    if (current.mode === 'latency') {
      await delay(current.latencyMs ?? 1_000);
      return false;
    }
    if (current.mode === 'down') {
      req.socket.destroy();
      return true;
    }
    if (current.mode === 'throttle') {
      const retryAfter = current.retryAfterSeconds ?? 5;
      await drain(req);
      sendEntraError(
        req,
        res,
        current.statusCode ?? 429,
        50196,
        'temporarily_unavailable',
        'The server terminated an operation because it encountered a client request loop. Please contact your app vendor.',
        { 'retry-after': String(retryAfter) },
      );
      return true;
    }
    if (current.mode === 'error') {
      const status = current.statusCode ?? 500;
      await drain(req);
      const headers = current.retryAfterSeconds !== undefined ? { 'retry-after': String(current.retryAfterSeconds) } : {};
      if (status === 503) sendEntraError(req, res, status, 90033, 'temporarily_unavailable', 'A transient error has occurred. Please try again.', headers);
      else sendEntraError(req, res, status, 50000, 'server_error', 'There was an error issuing a token or an issue with our sign-in service.', headers);
      return true;
    }
    return false;
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} tenant
   * @param {string} rest
   */
  async function handleToken(req, res, tenant, rest) {
    const fail = (/** @type {number} */ status, /** @type {number} */ code, /** @type {string} */ error, /** @type {string} */ description) => {
      stats.tokenErrors += 1;
      stats.errorCodes[code] = (stats.errorCodes[code] ?? 0) + 1;
      log({ msg: 'token request rejected', code: `AADSTS${code}`, description });
      return sendEntraError(req, res, status, code, error, description);
    };
    if (req.method !== 'POST') {
      await drain(req);
      return fail(400, 900561, 'invalid_request', `The endpoint only accepts POST requests. Received a ${req.method} request.`);
    }
    const body = await readBody(req);
    if (tenant === 'common' || tenant === 'organizations') {
      return fail(400, 50059, 'invalid_request', 'No tenant-identifying information found in either the request or implied by any provided credentials.');
    }
    if (!config.tenants.includes(tenant)) return fail(400, 90002, 'invalid_request', tenantNotFound(tenant));
    if (rest !== 'oauth2/v2.0/token') {
      return fail(400, 900144, 'invalid_request', "The request body must contain the following parameter: 'resource'. This emulator serves the v2.0 endpoint only.");
    }
    const contentType = String(req.headers['content-type'] ?? '');
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      return fail(400, 900144, 'invalid_request', "The request body must contain the following parameter: 'grant_type'.");
    }
    const params = new URLSearchParams(body);
    const grantType = params.get('grant_type');
    if (!grantType) return fail(400, 900144, 'invalid_request', "The request body must contain the following parameter: 'grant_type'.");
    if (grantType !== 'client_credentials') {
      return fail(400, 70003, 'unsupported_grant_type', `The app requested an unsupported grant type '${grantType}'.`);
    }
    const clientId = params.get('client_id');
    if (!clientId) return fail(400, 900144, 'invalid_request', "The request body must contain the following parameter: 'client_id'.");
    const scopeParam = params.get('scope');
    if (!scopeParam) return fail(400, 900144, 'invalid_request', "The request body must contain the following parameter: 'scope'.");

    const identity = config.identities.find((candidate) => candidate.clientId.toLowerCase() === clientId.toLowerCase());
    if (!identity) {
      return fail(
        400,
        700016,
        'unauthorized_client',
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }

    const assertion = params.get('client_assertion');
    if (!assertion) {
      return fail(401, 7000218, 'invalid_client', "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    if (params.get('client_assertion_type') !== JWT_BEARER) {
      return fail(400, 900144, 'invalid_request', `The request body must contain the following parameter: 'client_assertion_type' with the value '${JWT_BEARER}'.`);
    }

    // The presented assertion: parsed, then matched against the identity's federated credentials.
    /** @type {import('jose').JWTPayload} */
    let claims;
    /** @type {import('jose').ProtectedHeaderParameters} */
    let header;
    try {
      header = decodeProtectedHeader(assertion);
      claims = decodeJwt(assertion);
    } catch {
      return fail(400, 50027, 'invalid_request', 'JWT token is invalid or malformed.');
    }
    const presentedIssuer = String(claims.iss ?? '');
    const presentedSubject = String(claims.sub ?? '');
    const presentedAudiences = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
    const help = 'Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation';
    const byIssuer = identity.federatedCredentials.filter((credential) => credential.issuer === presentedIssuer);
    if (byIssuer.length === 0) {
      return fail(401, 700211, 'invalid_client', `No matching federated identity record found for presented assertion issuer '${presentedIssuer}'. Please note that the matching is done using a case-sensitive comparison. ${help}`);
    }
    const bySubject = byIssuer.filter((credential) => credential.subject === presentedSubject);
    if (bySubject.length === 0) {
      return fail(401, 700213, 'invalid_client', `No matching federated identity record found for presented assertion subject '${presentedSubject}'. Please note that the matching is done using a case-sensitive comparison. ${help}`);
    }
    const matched = bySubject.find((credential) => credential.audiences.some((audience) => presentedAudiences.includes(audience)));
    if (!matched) {
      return fail(401, 700212, 'invalid_client', `No matching federated identity record found for presented assertion audience '${presentedAudiences.join(',')}'. ${help}`);
    }

    // Signature, against the keys the issuer publishes: the built-in cluster issuer's, or those of an
    // external issuer (a real cluster's), found through its OIDC discovery document as Entra does.
    try {
      if (header.alg !== 'RS256') throw new joseErrors.JOSEAlgNotAllowed('only RS256');
      const keys = presentedIssuer === clusterIssuer ? createLocalJWKSet(clusterJwks) : await externalIssuerKeys(presentedIssuer);
      await compactVerify(assertion, keys, { algorithms: ['RS256'] });
    } catch (error) {
      if (error instanceof IssuerMetadataError) {
        log({ msg: 'issuer metadata unavailable', issuer: presentedIssuer, reason: error.message });
      }
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys || error instanceof IssuerMetadataError) {
        return fail(
          401,
          7000272,
          'invalid_client',
          `The certificate with identifier ${header.kid ?? '(none)'} used to sign the federated credential could not be found in the metadata of identity provider ${presentedIssuer}. Please validate that your Identity Provider's metadata exposes the key used to sign the incoming token.`,
        );
      }
      return fail(401, 700027, 'invalid_client', 'Client assertion failed signature validation.');
    }

    // Lifetime.
    const now = Date.now() / 1000;
    const skew = config.assertionClockSkewSeconds;
    const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
    const nbf = typeof claims.nbf === 'number' ? claims.nbf : typeof claims.iat === 'number' ? claims.iat : 0;
    if (exp === undefined || exp + skew < now || nbf - skew > now) {
      return fail(
        401,
        700024,
        'invalid_client',
        `Client assertion is not within its valid time range. Current time: ${entraTime(now)}, assertion valid from ${entraTime(nbf)}, expiry time of assertion ${entraTime(exp ?? 0)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
      );
    }

    // The resource, from the scope: client credentials take exactly one `<resource>/.default`.
    const scopes = scopeParam.split(/\s+/).filter((scope) => scope && !OIDC_SCOPES.has(scope.toLowerCase()));
    const scope = scopes[0] ?? '';
    if (scopes.length !== 1 || !scope.toLowerCase().endsWith('/.default')) {
      return fail(
        400,
        1002012,
        'invalid_scope',
        `The provided value for scope ${scopeParam} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const resourceId = scope.slice(0, -'/.default'.length);
    const resource = findResource(config.resources, resourceId);
    if (!resource) {
      return fail(
        400,
        500011,
        'invalid_resource',
        `The resource principal named ${resourceId} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      );
    }

    const lifetime = config.tokenLifetimeSeconds;
    const accessToken = await signAccessToken({ tenant, identity, resource, expiresInSeconds: lifetime });
    stats.tokensIssued += 1;
    log({ msg: 'token issued', clientId: identity.clientId, resource: resource.appIdUri, federatedCredential: matched.name, subject: presentedSubject });
    /** @type {Record<string, unknown>} */
    const response = { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken };
    if (config.refreshInSeconds !== undefined) response.refresh_in = config.refreshInSeconds;
    return sendJson(res, 200, response, entraHeaders(req));
  }

  /**
   * @param {{ tenant: string, identity: ReturnType<typeof normalizeConfig>['identities'][number],
   *   resource: ReturnType<typeof normalizeConfig>['resources'][number], expiresInSeconds: number, roles?: string[],
   *   issuedAt?: number, claims?: Record<string, unknown>, foreignKey?: boolean, kid?: string }} input
   */
  async function signAccessToken(input) {
    const iat = input.issuedAt ?? Math.floor(Date.now() / 1000);
    const roles = input.roles ?? input.resource.grants[input.identity.clientId] ?? [];
    /** @type {Record<string, unknown>} */
    const payload = {
      aud: input.resource.audience === 'appId' ? input.resource.appId : input.resource.appIdUri,
      iss: issuer(input.tenant),
      iat,
      nbf: iat,
      exp: iat + input.expiresInSeconds,
      aio: randomId(),
      azp: input.identity.clientId,
      azpacr: '2',
      appid: input.identity.clientId,
      appidacr: '2',
      idp: `${authorityHost}/${input.tenant}/`,
      idtyp: 'app',
      oid: input.identity.objectId,
      rh: randomId(),
      ...(roles.length > 0 ? { roles } : {}),
      sub: input.identity.objectId,
      tid: input.tenant,
      uti: randomId(),
      ver: '2.0',
      ...(input.identity.resourceId ? { xms_mirid: input.identity.resourceId } : {}),
      ...input.claims,
    };
    const key = input.foreignKey ? await getForeignKey() : entraKey;
    return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: input.kid ?? key.kid }).sign(key.privateKey);
  }

  /** Mints a projected service-account token as the kubelet does (signed by the cluster issuer). */
  async function mintServiceAccountToken(/** @type {ServiceAccountTokenOptions} */ sa) {
    const iat = sa.issuedAt ?? Math.floor(Date.now() / 1000);
    const podName = sa.podName ?? randomPodName(sa.serviceAccount);
    const key = sa.foreignKey ? await getForeignKey() : clusterKey;
    return new SignJWT({
      aud: sa.audience === undefined ? [TOKEN_EXCHANGE_AUDIENCE] : Array.isArray(sa.audience) ? sa.audience : [sa.audience],
      exp: iat + (sa.expiresInSeconds ?? 3600),
      iat,
      iss: sa.issuer ?? clusterIssuer,
      jti: crypto.randomUUID(),
      'kubernetes.io': {
        namespace: sa.namespace,
        node: { name: 'aks-nodepool1-00000000-vmss000000', uid: stableGuid(`node:${sa.namespace}`) },
        pod: { name: podName, uid: stableGuid(`pod:${sa.namespace}:${podName}`) },
        serviceaccount: { name: sa.serviceAccount, uid: stableGuid(`sa:${sa.namespace}:${sa.serviceAccount}`) },
      },
      nbf: iat,
      sub: `system:serviceaccount:${sa.namespace}:${sa.serviceAccount}`,
    })
      .setProtectedHeader({ alg: 'RS256', kid: sa.kid ?? key.kid })
      .sign(key.privateKey);
  }

  /** Writes a fresh projected token to `filePath` atomically (temp file + rename); returns the token. */
  async function writeServiceAccountToken(/** @type {string} */ filePath, /** @type {ServiceAccountTokenOptions} */ sa) {
    // One pod per file: rotations keep its name, as the kubelet refreshes the same pod's token.
    const stored = { ...sa, podName: sa.podName ?? randomPodName(sa.serviceAccount) };
    const token = await mintServiceAccountToken(stored);
    const target = path.resolve(filePath);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
    fs.writeFileSync(temp, token, { mode: 0o644 });
    fs.renameSync(temp, target);
    tokenFiles.set(target, { ...stored, issuedAt: undefined });
    return token;
  }

  /** Re-writes every token file written so far with a fresh token every `intervalMs`; returns a stop function. */
  function rotateServiceAccountTokens(/** @type {number} */ intervalMs) {
    const timer = setInterval(() => {
      for (const [filePath, sa] of tokenFiles) {
        writeServiceAccountToken(filePath, sa).then(
          () => log({ msg: 'service account token rotated', file: filePath }),
          (error) => log({ msg: 'service account token rotation failed', file: filePath, error: String(error) }),
        );
      }
    }, intervalMs);
    timer.unref();
    timers.add(timer);
    return () => {
      clearInterval(timer);
      timers.delete(timer);
    };
  }

  /** Signs an access token with the emulator's real Entra key (or a foreign one), for tests of token validation. */
  async function mintAccessToken(/** @type {AccessTokenOptions} */ request = {}) {
    const tenant = request.tenant ?? config.tenants[0];
    const clientId = request.clientId ?? config.identities[0]?.clientId ?? crypto.randomUUID();
    const identity = config.identities.find((candidate) => candidate.clientId === clientId) ?? normalizeIdentity({ clientId }, clusterIssuer);
    const resource = (request.resource ? findResource(config.resources, request.resource) : config.resources[0]) ?? normalizeResource({ appIdUri: request.resource ?? 'api://unknown' });
    return signAccessToken({
      tenant,
      identity,
      resource,
      expiresInSeconds: request.expiresInSeconds ?? config.tokenLifetimeSeconds,
      roles: request.roles,
      issuedAt: request.issuedAt,
      claims: request.claims,
      foreignKey: request.foreignKey,
      kid: request.kid,
    });
  }

  /** Signs any payload with a key nobody publishes; the header kid defaults to the real Entra kid. */
  async function signWithForeignKey(/** @type {Record<string, unknown>} */ payload, /** @type {{ kid?: string }} */ header = {}) {
    const key = await getForeignKey();
    return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: header.kid ?? entraKey.kid }).sign(key.privateKey);
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string | undefined} action
   */
  /** Key sets of external issuers, by issuer; an issuer is only ever one a federated credential names. */
  const externalKeySets = new Map();
  async function externalIssuerKeys(/** @type {string} */ issuerUrl) {
    const known = externalKeySets.get(issuerUrl);
    if (known) return known;
    const discoveryUrl = `${issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let document;
    try {
      const response = await fetch(discoveryUrl, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`GET ${discoveryUrl}: HTTP ${response.status}`);
      document = await response.json();
    } catch (error) {
      throw new IssuerMetadataError(error instanceof Error ? error.message : String(error));
    }
    if (document?.issuer !== issuerUrl || typeof document.jwks_uri !== 'string' || !/^https:\/\//.test(document.jwks_uri)) {
      throw new IssuerMetadataError(`${discoveryUrl} names issuer ${JSON.stringify(document?.issuer)} and jwks_uri ${JSON.stringify(document?.jwks_uri)}`);
    }
    const keySet = createRemoteJWKSet(new URL(document.jwks_uri), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    externalKeySets.set(issuerUrl, keySet);
    return keySet;
  }

  /**
   * Adds a federated credential to an identity, or replaces the one of the same name:
   * `az identity federated-credential create` against the emulator.
   */
  function putFederatedCredential(/** @type {{ identity: string } & FederatedCredential} */ input) {
    const identity = config.identities.find((candidate) => candidate.clientId === input.identity || candidate.name === input.identity);
    if (!identity) throw new ControlInputError(`no identity with client id or name '${input.identity}'`);
    const problems = federatedCredentialProblems(input);
    if (problems.length > 0) throw new ControlInputError(problems.join('; '));
    const credential = {
      name: /** @type {string} */ (input.name),
      issuer: /** @type {string} */ (input.issuer),
      subject: input.subject,
      audiences: input.audiences ?? ['api://AzureADTokenExchange'],
    };
    identity.federatedCredentials = [...identity.federatedCredentials.filter((existing) => existing.name !== credential.name), credential];
    externalKeySets.delete(credential.issuer);
    log({ msg: 'federated credential set', identity: identity.name, ...credential });
    return { identity: identity.name, clientId: identity.clientId, ...credential };
  }

  const listFederatedCredentials = () =>
    config.identities.flatMap((identity) =>
      identity.federatedCredentials.map((credential) => ({ identity: identity.name, clientId: identity.clientId, ...credential })),
    );

  async function handleControl(req, res, action) {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return sendJson(res, 403, { error: 'control endpoints answer loopback clients only' });
    if (action === 'faults' && req.method === 'POST') {
      const next = parseJson(await readBody(req));
      if (!next || !['ok', 'latency', 'error', 'throttle', 'down'].includes(next.mode)) {
        return sendJson(res, 400, { error: "body must be { mode: 'ok' | 'latency' | 'error' | 'throttle' | 'down', ... }" });
      }
      setFaults(next);
      return sendJson(res, 200, { faults });
    }
    if (action === 'faults' && req.method === 'GET') return sendJson(res, 200, { faults });
    if (action === 'access-token' && req.method === 'POST') {
      // For other processes' tests: mintAccessToken() over HTTP (forgeries with foreignKey / kid).
      const body = parseJson(await readBody(req));
      if (!body || typeof body !== 'object') return sendJson(res, 400, { error: 'body must be a JSON object' });
      const token = await mintAccessToken(body);
      return sendJson(res, 200, { token, claims: decodeJwt(token) });
    }
    if (action === 'service-account-token' && req.method === 'POST') {
      // mintServiceAccountToken() over HTTP; with `file` (inside the state dir) also writes it.
      const body = parseJson(await readBody(req));
      if (!body || typeof body.namespace !== 'string' || typeof body.serviceAccount !== 'string') {
        return sendJson(res, 400, { error: 'body must be { namespace, serviceAccount, file?, audience?, expiresInSeconds?, issuer?, issuedAt?, foreignKey?, kid? }' });
      }
      const { file, ...sa } = body;
      if (file === undefined) {
        const token = await mintServiceAccountToken(sa);
        return sendJson(res, 200, { token, claims: decodeJwt(token) });
      }
      const target = path.resolve(stateDir, String(file));
      if (path.relative(stateDir, target).startsWith('..')) return sendJson(res, 400, { error: `file must be inside ${stateDir}` });
      const token = await writeServiceAccountToken(target, sa);
      return sendJson(res, 200, { token, claims: decodeJwt(token), file: target });
    }
    if (action === 'federated-credentials' && req.method === 'GET') return sendJson(res, 200, { value: listFederatedCredentials() });
    if (action === 'federated-credentials' && req.method === 'POST') {
      const body = parseJson(await readBody(req));
      if (!body || typeof body !== 'object') return sendJson(res, 400, { error: 'body must be { identity, name, issuer, subject, audiences? }' });
      try {
        return sendJson(res, 200, putFederatedCredential(body));
      } catch (error) {
        if (error instanceof ControlInputError) return sendJson(res, 400, { error: error.message });
        throw error;
      }
    }
    if (action === 'stats' && req.method === 'GET') return sendJson(res, 200, snapshot());
    if (action === 'reset' && req.method === 'POST') {
      await drain(req);
      reset();
      return sendJson(res, 200, { faults, stats: snapshot() });
    }
    return sendJson(res, 404, { error: 'not found' });
  }

  const setFaults = (/** @type {Faults} */ next) => {
    faults = { ...next };
    log({ msg: 'faults set', faults });
    return faults;
  };
  const snapshot = () => structuredClone(stats);
  const reset = () => {
    faults = { mode: 'ok' };
    stats = emptyStats();
  };

  return {
    port,
    authorityHost,
    caCertPath,
    caCert: tls.caCert,
    stateDir,
    clusterIssuer,
    tenantId: config.tenants[0],
    config,
    issuer,
    jwksUri,
    clusterJwksUri: `${clusterIssuer}openid/v1/jwks`,
    mintServiceAccountToken,
    writeServiceAccountToken,
    rotateServiceAccountTokens,
    mintAccessToken,
    signWithForeignKey,
    putFederatedCredential,
    listFederatedCredentials,
    setFaults,
    stats: snapshot,
    reset,
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearInterval(timer);
        timers.clear();
        let open = servers.length;
        for (const listening of servers) {
          listening.close(() => {
            open -= 1;
            if (open > 0) return;
            if (createdStateDir) fs.rmSync(stateDir, { recursive: true, force: true });
            resolve(undefined);
          });
          listening.closeAllConnections();
        }
      }),
  };
}

/** An external issuer's discovery document or keys could not be had. */
class IssuerMetadataError extends Error {}
/** A control request named something that does not exist or is malformed. */
class ControlInputError extends Error {}

/** What Entra refuses in a federated identity credential, as readable reasons (none: valid). */
export function federatedCredentialProblems(/** @type {Partial<FederatedCredential>} */ credential) {
  const problems = [];
  if (typeof credential.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/.test(credential.name)) {
    problems.push('name must be 3-120 letters, digits, dashes or underscores, starting with a letter or digit');
  }
  let issuerUrl;
  try {
    issuerUrl = new URL(String(credential.issuer));
  } catch {
    issuerUrl = undefined;
  }
  if (!issuerUrl || issuerUrl.protocol !== 'https:') problems.push('issuer must be an https URL');
  if (typeof credential.subject !== 'string' || credential.subject.length === 0 || credential.subject.length > 600) {
    problems.push('subject must be a non-empty string of at most 600 characters');
  }
  if (credential.audiences !== undefined && (!Array.isArray(credential.audiences) || credential.audiences.length !== 1 || typeof credential.audiences[0] !== 'string')) {
    problems.push('audiences must hold exactly one audience');
  }
  return problems;
}

/** Reads the JSON configuration file form (see config/local-stack.json). */
export function loadConfig(/** @type {string} */ filePath) {
  return /** @type {EmulatorConfig & Record<string, unknown>} */ (JSON.parse(fs.readFileSync(filePath, 'utf8')));
}

function emptyStats() {
  return {
    hits: { discovery: 0, keys: 0, token: 0, clusterDiscovery: 0, clusterKeys: 0, other: 0 },
    tokenRequests: 0,
    tokensIssued: 0,
    tokenErrors: 0,
    faultsInjected: 0,
    /** @type {Record<string, number>} rejected token requests by AADSTS code */
    errorCodes: {},
  };
}

function normalizeConfig(/** @type {EmulatorConfig} */ options, /** @type {string} */ clusterIssuer) {
  const tenants = options.tenants?.length ? options.tenants : ['00000000-0000-0000-0000-000000000001'];
  return {
    tenants,
    identities: (options.identities ?? []).map((identity) => normalizeIdentity(identity, clusterIssuer)),
    resources: (options.resources ?? []).map(normalizeResource),
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    refreshInSeconds: options.refreshInSeconds,
    assertionClockSkewSeconds: options.assertionClockSkewSeconds ?? 300,
    strictTenantDiscovery: options.strictTenantDiscovery ?? false,
  };
}

function normalizeIdentity(/** @type {Identity} */ identity, /** @type {string} */ clusterIssuer) {
  return {
    clientId: identity.clientId,
    name: identity.name ?? identity.clientId,
    objectId: identity.objectId ?? stableGuid(`oid:${identity.clientId}`),
    resourceId: identity.resourceId,
    federatedCredentials: (identity.federatedCredentials ?? []).map((credential, index) => ({
      name: credential.name ?? `credential-${index + 1}`,
      issuer: credential.issuer ?? clusterIssuer,
      subject: credential.subject,
      audiences: credential.audiences?.length ? credential.audiences : [TOKEN_EXCHANGE_AUDIENCE],
    })),
  };
}

function normalizeResource(/** @type {Resource} */ resource) {
  return {
    appIdUri: resource.appIdUri,
    appId: resource.appId ?? stableGuid(`app:${resource.appIdUri}`),
    name: resource.name ?? resource.appIdUri,
    audience: resource.audience ?? 'appIdUri',
    grants: resource.grants ?? {},
  };
}

function findResource(/** @type {ReturnType<typeof normalizeResource>[]} */ resources, /** @type {string} */ id) {
  const wanted = id.replace(/\/+$/, '').toLowerCase();
  return resources.find((resource) => resource.appIdUri.replace(/\/+$/, '').toLowerCase() === wanted || resource.appId.toLowerCase() === wanted);
}

function discoveryDocument(/** @type {string} */ base, /** @type {string} */ tenant, /** @type {string} */ issuerTenant, /** @type {boolean} */ v2) {
  if (!v2) {
    return {
      token_endpoint: `${base}/${tenant}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/${tenant}/discovery/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
      scopes_supported: ['openid'],
      issuer: `${base}/${issuerTenant}/`,
      microsoft_multi_refresh_token: true,
      authorization_endpoint: `${base}/${tenant}/oauth2/authorize`,
      device_authorization_endpoint: `${base}/${tenant}/oauth2/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${tenant}/oauth2/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'oid', 'tid', 'appid', 'roles', 'ver'],
      tenant_region_scope: null,
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    };
  }
  return {
    token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'oid', 'tid', 'azp', 'roles', 'ver'],
    kerberos_endpoint: `${base}/${tenant}/kerberos`,
    tenant_region_scope: null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

const tenantNotFound = (/** @type {string} */ tenant) =>
  `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`;

/** Entra's error body: `error`, `error_description` ("AADSTSnnnn: ... Trace ID ... Correlation ID ... Timestamp ..."), `error_codes`, ids. */
function entraErrorBody(/** @type {number} */ code, /** @type {string} */ error, /** @type {string} */ message, /** @type {import('node:http').IncomingMessage} */ req) {
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const traceId = crypto.randomUUID();
  const correlationId = correlationIdOf(req);
  return {
    error,
    error_description: `AADSTS${code}: ${message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
}

function sendEntraError(
  /** @type {import('node:http').IncomingMessage} */ req,
  /** @type {import('node:http').ServerResponse} */ res,
  /** @type {number} */ status,
  /** @type {number} */ code,
  /** @type {string} */ error,
  /** @type {string} */ message,
  /** @type {Record<string, string>} */ headers = {},
) {
  return sendJson(res, status, entraErrorBody(code, error, message, req), { ...entraHeaders(req), ...headers });
}

function correlationIdOf(/** @type {import('node:http').IncomingMessage} */ req) {
  const fromClient = req.headers['client-request-id'];
  return typeof fromClient === 'string' && fromClient ? fromClient : crypto.randomUUID();
}

function entraHeaders(/** @type {import('node:http').IncomingMessage} */ req) {
  return { 'x-ms-request-id': crypto.randomUUID(), 'client-request-id': correlationIdOf(req), 'x-ms-ests-server': 'entra-emulator', 'cache-control': 'no-store, no-cache' };
}

function sendJson(/** @type {import('node:http').ServerResponse} */ res, /** @type {number} */ status, /** @type {unknown} */ body, /** @type {Record<string, string>} */ headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(/** @type {import('node:http').IncomingMessage} */ req, limit = 1_000_000) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      data += chunk;
      if (data.length > limit) req.destroy(new Error('request body too large'));
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

const drain = (/** @type {import('node:http').IncomingMessage} */ req) => readBody(req).catch(() => '');
const delay = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

function parseJson(/** @type {string} */ text) {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return undefined;
  }
}

/** "2024-06-04T11:40:28.3451933Z", the 7-digit form Entra prints in AADSTS700024. */
function entraTime(/** @type {number} */ epochSeconds) {
  return new Date(Math.floor(epochSeconds * 1000)).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

const randomId = () => crypto.randomBytes(16).toString('base64url');
const randomPodName = (/** @type {string} */ serviceAccount) => `${serviceAccount}-${crypto.randomBytes(5).toString('hex').slice(0, 9)}-${crypto.randomBytes(3).toString('hex').slice(0, 5)}`;

/** A GUID derived from a name, so configured objects get stable ids without configuring them. */
function stableGuid(/** @type {string} */ name) {
  const hex = crypto.createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const formatHost = (/** @type {string} */ host) => (host.includes(':') ? `[${host}]` : host);

/** A throwaway CA and a server certificate it signs, for localhost, 127.0.0.1, ::1 and `hostname`. */
async function makeTlsMaterial(/** @type {string} */ hostname) {
  const now = new Date();
  const notAfter = new Date(now.getTime() + 30 * 24 * 3600 * 1000);
  const notBefore = new Date(now.getTime() - 60_000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: `entra-emulator local CA ${crypto.randomBytes(4).toString('hex')}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const altNames = [
    { type: /** @type {const} */ (2), value: 'localhost' },
    { type: /** @type {const} */ (7), ip: '127.0.0.1' },
    { type: /** @type {const} */ (7), ip: '::1' },
  ];
  if (!['localhost', '127.0.0.1', '::1'].includes(hostname)) {
    altNames.push(/^[\d.]+$|:/.test(hostname) ? { type: 7, ip: hostname } : { type: 2, value: hostname });
  }
  const server = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyAgreement: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  const pem = (/** @type {string} */ text) => `${text.trim()}\n`;
  return { caCert: pem(ca.cert), serverKey: server.private, serverCert: `${pem(server.cert)}${pem(ca.cert)}` };
}

/** Entra's token signing key: RSA 2048 with a certificate, published like Entra (kid = x5t, x5c). */
async function makeEntraSigningKey() {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'accounts.accesscontrol.windows.net' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 365 * 24 * 3600 * 1000),
  });
  const der = new crypto.X509Certificate(pems.cert).raw;
  const x5t = crypto.createHash('sha1').update(der).digest('base64url');
  const privateKey = await importPKCS8(pems.private, 'RS256');
  const publicJwk = crypto.createPublicKey(pems.public).export({ format: 'jwk' });
  return { kid: x5t, privateKey, publicJwk: { kty: 'RSA', use: 'sig', kid: x5t, x5t, n: publicJwk.n, e: publicJwk.e, x5c: [der.toString('base64')], cloud_instance_name: 'microsoftonline.com' } };
}

/** A cluster service-account signing key; kid as Kubernetes computes it (SHA-256 of the DER public key). */
async function makeClusterKey() {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(publicKey);
  const der = crypto.createPublicKey({ key: /** @type {import('node:crypto').JsonWebKey} */ (jwk), format: 'jwk' }).export({ type: 'spki', format: 'der' });
  const kid = crypto.createHash('sha256').update(der).digest('base64url');
  return { kid, privateKey, publicJwk: { use: 'sig', kty: 'RSA', kid, alg: 'RS256', n: jwk.n, e: jwk.e } };
}
