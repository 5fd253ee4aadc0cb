"""Reports: what Tocsin writes for people, from values (never from the store): analysts'
briefs (brief/), the weekly digest (digest/), event exports, JSON records for the CLI
and the API, and the highlights of annotated text."""
