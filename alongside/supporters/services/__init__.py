"""Every change to supporters, by topic: applications, the pipeline, expiry, wellbeing."""
