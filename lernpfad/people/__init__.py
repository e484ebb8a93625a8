"""Staff administration for HR and administrators: people, departments, roles, invitations."""
