"""The content import: competency model, assessments, paths, modules and exam pool from `content/`."""
