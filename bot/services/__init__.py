"""Use cases: load, call the pure domain, save, and ask for reminders through a port."""
