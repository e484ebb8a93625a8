"""The verifiable certificate: the public verification page, the PDF with its QR code, and the
Open Badges 3.0 credential signed as VC-JWT with the platform's key (its public part published
as a JWKS)."""
