"""The development stack: a local Kafka broker and PostgreSQL without Docker, the demo,
services as child processes, and the pipeline benchmark. For a developer's machine and CI;
nothing in production imports it.
"""
