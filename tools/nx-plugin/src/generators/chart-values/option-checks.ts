import { GeneratorOptionError } from '../../utils/generator-option-error';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const NIL_GUID = '00000000-0000-0000-0000-000000000000';
/** Azure Container Registry names: 5-50 letters and digits. */
const ACR_NAME = /^[A-Za-z0-9]{5,50}$/;
/** A registry host (with a dot, or a port) and an optional lower-case repository path. */
const REGISTRY_HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?::[0-9]{1,5})?|localhost:[0-9]{1,5})(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

export function checkGuid(option: string, value: string, hint: string): string {
  const trimmed = value.trim();
  if (!GUID.test(trimmed)) {
    throw new GeneratorOptionError(`--${option} must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47 (${hint}); got "${value}".`);
  }
  if (trimmed === NIL_GUID) throw new GeneratorOptionError(`--${option} is the nil GUID, a placeholder: give the real ${hint}.`);
  return trimmed.toLowerCase();
}

/** An http(s) URL without credentials: a values file is committed, so it must hold no secret. */
export function checkHttpUrl(option: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new GeneratorOptionError(`--${option} must be an http(s) URL such as https://api.contoso.com; got "${value}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GeneratorOptionError(`--${option} must be an http(s) URL; got "${value}" (${url.protocol.slice(0, -1)}).`);
  }
  if (url.username || url.password) {
    throw new GeneratorOptionError(`--${option} must not carry credentials (user:password@): the values file is committed.`);
  }
  return value.trim();
}

/** `contosomcp` -> `contosomcp.azurecr.io/<app>`; `registry.gitlab.com/team` -> `registry.gitlab.com/team/<app>`. */
export function imageRepository(registry: string, app: string): string {
  const trimmed = registry.trim().replace(/\/+$/, '');
  if (ACR_NAME.test(trimmed)) return `${trimmed.toLowerCase()}.azurecr.io/${app}`;
  if (REGISTRY_HOST.test(trimmed)) return `${trimmed}/${app}`;
  throw new GeneratorOptionError(
    `--registry "${registry}" is neither an Azure Container Registry name (5-50 letters and digits, e.g. contosomcp) ` +
      `nor a registry host with an optional lower-case path (e.g. contosomcp.azurecr.io or registry.gitlab.com/team).`,
  );
}
