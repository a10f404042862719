"""Translation files (Fluent): uz (default), ru, en."""
