"""Pages that belong to no feature: dashboard, health, language, errors, security headers."""
