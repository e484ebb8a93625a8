"""Accounts: login, sessions, invitations, password rules."""
