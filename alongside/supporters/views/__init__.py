"""Supporters' pages, by topic: access, then form, then service, then response."""
