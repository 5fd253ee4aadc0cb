"""Geography shared by every stage: distances, the offline gazetteer and its index,
areas (countries, regions, towns) and countries by ISO code or name (countries)."""
