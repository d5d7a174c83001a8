"""The operator's tools: what a recruiter, an ATS integrator or ops run against a running
pipeline (publish events, read the current recommendations, list and replay dead letters,
the dry run). Each is a function the CLI calls; none starts infrastructure, and the
services never import them.
"""
