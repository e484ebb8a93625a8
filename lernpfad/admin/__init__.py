"""The operations area for administrators: mail outbox, content versions, settings."""
