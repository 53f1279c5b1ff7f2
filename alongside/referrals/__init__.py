"""The referrer's pages: refer a client with their consent, and follow each referral to its
match and its end, seeing only what the client agreed to. It sits above matches, whose match
and closing summary it shows, and below the entry points (docs/adr/0002)."""
