// A real OpenID provider (panva's oidc-provider) for Lernpfad's SSO tests (tests/sso).
// Environment: PORT, ISSUER (default http://127.0.0.1:$PORT), REDIRECT_URIS (comma-separated),
// CLIENT_ID, CLIENT_SECRET, POST_LOGOUT_REDIRECT_URIS. The login page is the provider's
// devInteractions page (any password); consent is granted without asking (a first-party app).
import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 3000);
const issuer = process.env.ISSUER || `http://127.0.0.1:${port}`;
const split = (value) => (value || '').split(',').filter(Boolean);

// Accounts by login name; "unverified" has an address the provider does not vouch for.
const accounts = {
  anna: { email: 'anna@muster.example', email_verified: true, name: 'Anna Schmidt', department: 'Vertrieb' },
  unverified: { email: 'anna@muster.example', email_verified: false, name: 'Nicht Bestätigt' },
  neu: { email: 'neu.sso@muster.example', email_verified: true, name: 'Nora Neu', department: 'Vertrieb' },
  zweitkonto: { email: 'anna@muster.example', email_verified: true, name: 'Zweites Konto' },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID || 'lernpfad',
      client_secret: process.env.CLIENT_SECRET || 'lernpfad-secret',
      redirect_uris: split(process.env.REDIRECT_URIS),
      post_logout_redirect_uris: split(process.env.POST_LOGOUT_REDIRECT_URIS),
      response_types: ['code'],
      grant_types: ['authorization_code'],
    },
  ],
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'department'] },
  conformIdTokenClaims: false, // the scopes' claims in the ID token (as Entra ID and Keycloak do)
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ['lernpfad-test-provider'] },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
const server = provider.listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
