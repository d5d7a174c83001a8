"""Tooling for the contracts, kept beside them: the JSON Schema files and the AsyncAPI
document generated from the models, and the backward-compatibility check against the
released schemas. Only the CLI and the tests use it; the services never import it.
"""
