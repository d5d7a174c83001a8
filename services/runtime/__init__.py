"""Plumbing every service needs and no domain code: logs, health, metrics, dead letters,
migrations, settings helpers.

Deliberately not in `schemas/`: that package holds the contracts between the services.
Neither service imports the other; both import this and `schemas`.
"""
