"""The bottom layer: what every other layer may import, importing nothing of ours.

URLs and their parameters, the UI's two languages, the Vietnam time offset,
roles and the Scope a caller reads with (docs/ARCHITECTURE.md).
"""
