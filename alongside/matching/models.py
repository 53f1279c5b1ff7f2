# Matching keeps no tables yet: proposals arrive with the matching issue.
