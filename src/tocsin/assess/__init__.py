"""Assessment, the assess stage: claims across sources (claims/), event reports merged into
events (merge/), risk levels (risk/), Admiralty grades, forecasts and their scores, and
Tocsin's events against a reference layer. Values in, values out; ``tocsin.app`` runs
them over the store."""
