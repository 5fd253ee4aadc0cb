"""Knowledge is data: the bundled files of this folder (actors, outlets, lexicons per
language, the event taxonomy, horizons, risk parameters, the words of alerts and briefs,
the gazetteer) and the loaders that read them with the user's own files on top
(:mod:`tocsin.knowledge.files`, the one loader)."""
