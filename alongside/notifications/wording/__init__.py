"""The wording of messages: every kind the apps send, their default texts in each language, and
a program's own wording of them, edited by its coordinators on the wording pages."""
