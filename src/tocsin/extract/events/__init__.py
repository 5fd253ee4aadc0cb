"""Event reports coded the ACLED way: type, sides, place, date and fatalities."""
