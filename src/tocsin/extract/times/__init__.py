"""Times: explicit and relative dates and forecast horizons."""
