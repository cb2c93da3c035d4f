"""The questions, as functions: index first, plain data out (no Rich, no Typer here).

One module per topic: ``line`` (tree, who reports to whom, where lines meet), ``catalogue``
(roles, areas, units, forums, principles), ``authority``, ``detail`` (show) and ``search``.
Every walk is iterative, so a line of any depth answers without a recursion limit, and every
list comes out in a stable order (the file's order).
"""
