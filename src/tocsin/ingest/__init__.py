"""Ingestion: sources (URLs, feeds, files, stdin) into ``Document``s."""
