"""Reports: exports of events (briefs and digests to come)."""
