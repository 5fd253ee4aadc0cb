"""Assessment: claims across sources, grades, forecasts and their scores."""
