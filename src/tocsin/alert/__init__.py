"""The alert stage: an organisation's assets, alert rules and their matching, what an alert
says, the outbox's retry rules, the channels (email, webhook) and the Atom feed. Values in,
values out; ``tocsin.app.alerts`` and ``tocsin.app.outbox`` run them over the store."""
