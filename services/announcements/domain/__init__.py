"""announcements' rules: publishing, audiences, registrations, feeds and reminders."""
