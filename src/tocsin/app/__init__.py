"""The application layer: the library's verbs (ingest, extract, update events, risk and
alerts, review, briefs, digest, users, watch, the demo), each composing the stages with
the store. Only this package and the shells (``cli``, ``web``) hold a store."""
