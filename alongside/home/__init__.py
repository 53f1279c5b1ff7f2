"""The pages that know every role: the home page that sends each person to their work, and the
navigation that shows only the places they may go. It sits above the domains so that core knows
none of them (docs/architecture.md)."""
