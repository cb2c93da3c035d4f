"""The questions, as functions: index first, plain data out (no Rich, no Typer here).

No language either: answers hold ids, numbers, flags and the model's bilingual texts
(``LangText``), and ``orgroles.render`` picks every word a person reads (``render.labels``).

One module per topic: ``line`` (tree, who reports to whom, where lines meet), ``catalogue``
(roles, areas, units, forums, principles), ``authority``, ``detail`` (show) and ``search``.
Every walk is iterative, so a line of any depth answers without a recursion limit, and every
list comes out in a stable order (the file's order).
"""
