"""Every change to safety, by topic: escalations, the on-call rota, time to match, crisis."""
