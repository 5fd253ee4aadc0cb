"""Synthetic inputs for tests, built from a few sentences written for the project."""

from __future__ import annotations

import random

SENTENCES_FR = [
    "Les camions-citernes en provenance de Dakar restent bloqués à la frontière de Diboli.",
    "Selon une source sécuritaire qui a requis l'anonymat, l'escorte a été prise à partie.",
    "Les prix du carburant ont triplé à Bamako depuis le début du mois.",
    "Le gouvernement de transition a annoncé la fermeture des écoles pour deux semaines.",
    "Des hommes armés ont incendié plusieurs véhicules sur l'axe Kati-Kolokani.",
    "Les Forces armées maliennes affirment avoir sécurisé la route nationale 3.",
    "Les transporteurs réclament des escortes plus nombreuses et mieux équipées.",
    "Dans les stations-service de la capitale, les files d'attente s'allongent chaque nuit.",
]
SENTENCES_EN = [
    "Fuel tankers travelling from Senegal were stopped near the border town of Diboli.",
    "A security source who asked not to be named said the escort came under fire.",
    "Fuel prices in Bamako have tripled since the start of the month.",
    "The transitional government closed schools for two weeks.",
    "Armed men set several vehicles on fire on the Kati-Kolokani road.",
    "The Malian armed forces say they have secured national road 3.",
    "Hauliers are asking for more and better-equipped escorts.",
    "Queues at petrol stations in the capital grow longer every night.",
]


PLACES = [
    "Kati",
    "Kayes",
    "Diboli",
    "Ségou",
    "Markala",
    "Sikasso",
    "Nioro",
    "Diéma",
    "Kolokani",
    "Bougouni",
    "Kita",
    "Koutiala",
    "San",
    "Mopti",
    "Gao",
    "Tombouctou",
]
WORDS = [
    "convoi",
    "citerne",
    "escorte",
    "pont",
    "marché",
    "route",
    "poste",
    "village",
    "école",
    "station",
    "dépôt",
    "frontière",
    "camion",
    "garnison",
    "péage",
    "barrage",
    "puits",
]


def article_text(seed: int, *, lang: str = "fr", paragraphs: int = 4) -> str:
    rng = random.Random(seed)
    pool = SENTENCES_FR if lang == "fr" else SENTENCES_EN
    paras = []
    for _ in range(paragraphs):
        local = " ".join(
            f"{rng.choice(WORDS).capitalize()} de {rng.choice(PLACES)}, {rng.randint(2, 90)} "
            f"{rng.choice(WORDS)}s près de {rng.choice(PLACES)}."
            for _ in range(3)
        )
        paras.append(" ".join(rng.sample(pool, 3)) + " " + local + f" (réf. {seed})")
    return "\n\n".join(paras)


def article_html(
    seed: int,
    *,
    lang: str = "fr",
    title: str | None = None,
    date_meta: str | None = "2025-11-04T09:00:00+00:00",
    byline: str = "Par Awa Traoré",
    site: str = "Le Sahel Libre",
    url: str | None = None,
    comments_html: str = "",
    charset: str = "utf-8",
) -> str:
    body = "".join(f"<p>{p}</p>" for p in article_text(seed, lang=lang).split("\n\n"))
    title = title or f"Blocus de Bamako : point de situation n°{seed}"
    meta = f'<meta property="article:published_time" content="{date_meta}">' if date_meta else ""
    canonical = f'<link rel="canonical" href="{url}">' if url else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="{charset}"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">{meta}{canonical}</head>
<body><header><nav><a href="/">Accueil</a> <a href="/politique">Politique</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">{byline}</p>{body}</article>
{comments_html}</main>
<aside><h3>Articles similaires</h3><ul><li><a href="/x">Autre article</a></li></ul></aside>
<footer>© {site} — tous droits réservés</footer></body></html>"""
