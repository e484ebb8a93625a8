"""KI-Champion certification: requirements, exam, projects, certifier approval, certificates."""
