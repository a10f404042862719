"""Neutral ground: settings and translation, importable from handlers, services, db migrations and bot alike."""
