"""The engine: config, models, data, tasks, training recipe, export and events.

Nothing in this package imports Qt; heavy ML libraries are imported inside functions so that
importing ``pft_desktop.core`` stays cheap for the GUI process.
"""
