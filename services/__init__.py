"""The platform's services: each its own Flask app, database, queue and worker."""
