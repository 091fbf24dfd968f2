"""The real servers for tests live in scripts/_servers.py (the benchmarks start them too); kept importable here."""

from scripts._servers import free_port, production_server, redis_server

__all__ = ["free_port", "production_server", "redis_server"]
