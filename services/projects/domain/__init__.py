"""projects' domain: rules about projects, calls, applications, search and matchmaking."""
