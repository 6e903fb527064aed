"""Core of the service hall: domain rules, persistence and use cases. Imports no Qt."""
