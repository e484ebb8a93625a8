"""Privacy: a person's own data, downloadable in full (GDPR Art. 15 and 20)."""
