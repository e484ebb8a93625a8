"""Role paths and their personalisation."""
