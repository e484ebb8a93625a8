"""In-app notices (the bell), and each person's choice of reminders and digests."""
