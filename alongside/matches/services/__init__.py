"""Every change to a match, by topic: its life, contacts, check-ins, goals and closure."""
