"""Insight: the coordinator's dashboard, lists' exports and funder reports. It only reads.

Reports sit above every domain (layer 1 with the home page and the API) and nothing imports
them: a domain page links to a report by its URL name, never by importing it.
"""
