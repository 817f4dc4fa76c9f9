// A real OpenID Connect provider for tests: `oidc-provider` on 127.0.0.1 (an ephemeral port), with
// its development login and consent pages, accounts whose claims carry an e-mail address and
// groups, and one confidential client registered for an API's callback. `enableSingleSignOn`
// configures a running API harness against it through the same CHARTER_OIDC_* variables
// `charter serve` reads. `BrowserLike` drives the flow over HTTP the way a browser does: a cookie
// jar (by host, like browsers, whatever the port), redirects followed by hand, forms submitted.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import { apiConfig } from '../../api/config.js';
import { OidcRelyingParty } from '../../api/oidc/relying-party.js';
import { CALLBACK_PATH, oidcSettingsOf } from '../../api/oidc/settings.js';
import type { ApiHarness } from './api.js';

export interface TestAccount {
  /** What is typed into the provider's login form. */
  login: string;
  email: string;
  /** Absent: the claim is left out (the provider vouches for its addresses). */
  emailVerified?: boolean;
  groups: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/** Starts the provider with `accounts`, its client allowed to return to `redirectUris`. */
export async function startOidcProvider(
  accounts: readonly TestAccount[],
  redirectUris: readonly string[],
): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'charter';
  const clientSecret = randomBytes(24).toString('base64url');
  const byLogin = new Map(accounts.map((a) => [a.login, a]));
  // A key of its own: the library's built-in development key comes with a warning on every start.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [...redirectUris],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], groups: ['groups'] },
    pkce: { required: () => true },
    // Set, so that the library does not print a notice for each default it uses.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
      Grant: 600,
    },
    findAccount: (_ctx, sub) => {
      const account = byLogin.get(sub);
      if (account === undefined) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: account.email,
          ...(account.emailVerified === undefined ? {} : { email_verified: account.emailVerified }),
          groups: account.groups,
        }),
      };
    },
  };
  const provider = new Provider(issuer, configuration);
  const handle = provider.callback();
  server.on('request', (req, res) => {
    void handle(req, res);
  });
  return {
    issuer,
    clientId,
    clientSecret,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Turns single sign-on on for a running API (as if `charter serve` had started with these
 * variables): `roles` is CHARTER_OIDC_ROLES, `env` any other variable to set.
 */
export function enableSingleSignOn(
  api: ApiHarness,
  provider: TestProvider,
  roles: string,
  env: Record<string, string> = {},
): void {
  const settings = oidcSettingsOf(
    apiConfig({
      CHARTER_OIDC_ISSUER: provider.issuer,
      CHARTER_OIDC_CLIENT_ID: provider.clientId,
      CHARTER_OIDC_CLIENT_SECRET: provider.clientSecret,
      CHARTER_OIDC_NAME: 'Halden ID',
      CHARTER_OIDC_SCOPES: 'openid email groups',
      CHARTER_OIDC_ROLES: roles,
      CHARTER_PUBLIC_URL: api.base,
      ...env,
    }),
  );
  if (settings === null) throw new Error('single sign-on settings expected');
  api.deps.singleSignOn = new OidcRelyingParty(settings);
}

export const callbackOf = (apiBase: string): string => `${apiBase}${CALLBACK_PATH}`;

interface Cookie {
  name: string;
  value: string;
  path: string;
}

/** A browser as far as a login needs one: cookies by host (not port), redirects by hand. */
export class BrowserLike {
  private readonly jar = new Map<string, Cookie[]>();

  /** The cookie `name` this browser holds for `url`'s host, if any. */
  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).hostname)?.find((c) => c.name === name)?.value;
  }

  /** One request, its cookies sent and kept; no redirect followed. */
  async request(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const target = new URL(url);
    const cookies = (this.jar.get(target.hostname) ?? []).filter((c) => target.pathname.startsWith(c.path));
    const headers: Record<string, string> = {};
    if (cookies.length > 0) headers['cookie'] = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) this.keep(target, line);
    return response;
  }

  /**
   * Goes to `url` and on, through redirects and the provider's login and consent forms (typing
   * `login`), until an answer of the API's that is not a redirect into the provider: answers the
   * last Location the API gave (where the console would open), or the answer itself.
   */
  async signIn(
    url: string,
    login: string,
    apiBase: string,
  ): Promise<{ location: string | null; response: Response }> {
    let response = await this.request(url);
    let at = url;
    for (let hop = 0; hop < 20; hop++) {
      const location = response.headers.get('location');
      if (location !== null) {
        const next = new URL(location, at).href;
        // The API sending the browser to the console (or the sign-in page): the login is over.
        if (at.startsWith(apiBase) && next.startsWith(apiBase) && !next.startsWith(`${apiBase}/v1/`)) {
          return { location: next.slice(apiBase.length), response };
        }
        at = next;
        response = await this.request(at);
        continue;
      }
      const page = await response.text();
      const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(page);
      const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
      if (form?.[1] === undefined || prompt === undefined) return { location: null, response };
      const fields: Record<string, string> =
        prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt };
      at = new URL(form[1].replace(/&amp;/g, '&'), at).href;
      response = await this.request(at, { method: 'POST', form: fields });
    }
    throw new Error(`no end to the redirects after 20 hops, at ${at}`);
  }

  private keep(url: URL, line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((p) => p.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const attribute = (key: string) =>
      attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const path = attribute('path') ?? '/';
    const expires = attribute('expires');
    const gone =
      value === '' ||
      attribute('max-age') === '0' ||
      (expires !== undefined && Date.parse(expires) <= Date.now());
    const kept = (this.jar.get(url.hostname) ?? []).filter((c) => !(c.name === name && c.path === path));
    if (!gone) kept.push({ name, value: decodeURIComponent(value), path });
    this.jar.set(url.hostname, kept);
  }
}
