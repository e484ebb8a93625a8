"""The audit log: who did what to whose record, chained by hashes so that a changed or deleted
entry is found (rules.first_break), readable by HR and the data-protection officer."""
