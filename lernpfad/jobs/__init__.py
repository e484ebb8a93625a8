"""Scheduled work and the mail outbox."""
