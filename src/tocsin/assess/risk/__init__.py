"""Risk levels per place and category from events and forecasts."""
