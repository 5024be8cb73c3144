"""The training child process: ``python -m pft_desktop.runner RUN_DIR [--resume]``.

Reads the run's ``config.toml``, trains, and writes one JSON event per line to stdout (and to
``events.jsonl``). A line ``stop`` on stdin, or SIGTERM, asks it to finish the current step, save
a checkpoint and the model, and exit. Everything else the libraries print goes to stderr, so
stdout carries events only.

With ``resources.processes`` above 1 it runs once per process under accelerate's launcher
(``core.launch``): rank 0 alone writes events and the run folder, the others train their
share of every batch.

``python -m pft_desktop.runner --warm`` is the app's warm runner (``core.launch.WarmRunner``):
it imports the libraries first, then reads its one run folder from stdin (``runner.warm``).
"""
