"""Single sign-on with OpenID Connect (authorisation code flow with PKCE)."""
