"""The dashboard's and the funder report's figures, one module per topic.

Each figure is a function taking keyword arguments (`programs`: the programs the reader may see,
`period`, and `now` where the figure is about the present) and returning a small frozen
dataclass of plain numbers. All counting happens in the database (aggregates grouped by month or
by day, never a loop over a program's rows), so a figure costs one or two queries whatever the
size of the program. Days and months are read in each program's own time zone (`scope`).
"""
