"""Signal receivers of the insight app (none yet)."""
