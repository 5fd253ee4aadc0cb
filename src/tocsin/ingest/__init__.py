"""Ingestion, the ingest stage: inputs (URLs, feeds, files, folders, stdin) read and parsed
(read.py), built into ``Document``s (documents.py) with their comments (comments/),
copies recognised (dedup.py); HTTP only through fetch.py and its limits."""
