"""HR, department and leadership views, exports, the audit log, privacy rules."""
