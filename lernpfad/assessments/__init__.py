"""The self-assessment: definitions, scoring (pure functions) and results."""
