"""One person's training record for HR, audited."""
