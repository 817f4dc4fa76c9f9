// Charter as an OpenID Connect relying party (openid-client): the authorization code flow with
// PKCE, state and nonce. The provider's metadata is discovered on first use and kept; a failed
// discovery is not kept, so the next sign-in tries again (a provider down at Charter's start does
// not stop Charter, and comes back by itself). The claims are the ID token's, verified by
// openid-client (signature, issuer, audience, expiry, nonce), completed by the UserInfo endpoint
// when the provider has one: many providers put groups and e-mail only there.
import * as oidc from 'openid-client';
import { isLoopback, type OidcSettings } from './settings.js';

/** What a login sent to the provider, and so what its callback must match. */
export interface LoginChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export type Claims = Readonly<Record<string, unknown>>;

export class OidcRelyingParty {
  private configuration: Promise<oidc.Configuration> | null = null;

  constructor(readonly settings: OidcSettings) {}

  /** Fresh random values for one login (state, nonce, PKCE verifier). */
  static newLogin(): LoginChecks {
    return {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
    };
  }

  /** The provider's authorization URL for this login; the browser is sent there. */
  async authorizationUrl(login: LoginChecks): Promise<URL> {
    const config = await this.config();
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      state: login.state,
      nonce: login.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(login.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /**
   * The signed-in person's claims, from the URL the provider sent the browser back to: the code
   * exchanged (with the PKCE verifier), the ID token checked against the login's state and nonce.
   * Throws on any mismatch or provider error; the caller refuses the sign-in.
   */
  async claimsOf(callbackUrl: URL, login: LoginChecks): Promise<Claims> {
    const config = await this.config();
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: login.codeVerifier,
      expectedState: login.state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (idClaims === undefined) throw new Error('the provider answered without an ID token');
    if (config.serverMetadata().userinfo_endpoint === undefined) return idClaims;
    const userInfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    // The ID token's claims are signed and checked: they win where both have a value.
    return { ...userInfo, ...idClaims };
  }

  private config(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    this.configuration ??= oidc
      .discovery(
        issuer,
        clientId,
        undefined,
        oidc.ClientSecretBasic(clientSecret),
        // Plain http only for a provider on this machine; settings.ts refuses it elsewhere.
        issuer.protocol === 'http:' && isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : {},
      )
      .catch((error: unknown) => {
        this.configuration = null;
        throw error;
      });
    return this.configuration;
  }
}
