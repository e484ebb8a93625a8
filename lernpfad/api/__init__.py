"""JSON API /api/v1 for HR systems: tokens, endpoints, the generated OpenAPI document."""
