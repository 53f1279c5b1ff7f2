"""Supporters' forms, by topic; they validate and never save."""
