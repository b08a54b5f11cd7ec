"""Indicator figures for display (:mod:`.display`). The figures themselves are computed in
SQL by :mod:`tracker.analysis`."""
