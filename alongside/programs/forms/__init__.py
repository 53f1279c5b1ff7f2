"""The forms of the program settings pages, by topic: setup and the supporters' pipeline."""
