"""The shipped legends: installed as package data of speerpunt_map (``speerpunt_map.shipped_legends``).

Not code: this file only makes the folder importable, so that ``importlib.resources`` finds it
in an installed wheel and in an editable install alike (see ``speerpunt_map.resources``).
"""
