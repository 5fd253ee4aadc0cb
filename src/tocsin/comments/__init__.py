"""Comment sections, the information environment: toxicity, hate (with the groups aimed
at) and incitement per comment (``classify.classify_texts``), named narratives, stance
towards actors, and summaries built from values (the store-reading half is
``tocsin.app.comments``)."""
