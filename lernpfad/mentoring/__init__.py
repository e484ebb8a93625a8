"""Mentoring: champions look after departments and review the practical tasks handed in there."""
