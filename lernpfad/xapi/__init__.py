"""xAPI 1.0.3 statements of the learning events: exports and the Learning Record Store outbox."""
