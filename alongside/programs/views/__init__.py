"""The program settings pages, by topic: setup and the supporters' pipeline."""
