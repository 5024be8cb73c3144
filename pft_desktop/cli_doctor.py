"""``pft-desktop doctor``: check this machine's setup (core.doctor) and print the report, as text
or as one JSON object for bug reports. Exit code 0 when nothing is a problem, 1 otherwise."""

from __future__ import annotations

import argparse
import json
import sys

from pft_desktop.core.errors import UserError

EPILOG = """\
Each check is ok, warning, problem or skipped, with a one-line finding and, when something is
wrong, the fix. The 4-bit check quantizes a small layer with bitsandbytes in a child process
(a few seconds; --skip bitsandbytes leaves it out).

Examples:
  pft-desktop doctor
  pft-desktop doctor --json > doctor.json
  pft-desktop doctor --constraints packaging/constraints.txt --skip hub
"""


def add_parser(sub) -> None:
    from pft_desktop.cli_runs import add_runs_root_flag
    from pft_desktop.core.doctor import CHECKS

    parser = sub.add_parser("doctor", help="check this machine's setup: versions, devices, "
                            "4-bit, disk, network, Qt", epilog=EPILOG,
                            description="Check whether this machine is set up to fine-tune, "
                            "and say how to fix what is not.",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the report as one JSON "
                        "object (for bug reports)")
    parser.add_argument("--constraints", metavar="FILE", help="the tested versions to compare "
                        "with (default: $PFT_CONSTRAINTS, else packaging/constraints.txt of the "
                        "checkout, else the copy in the installed package)")
    parser.add_argument("--skip", metavar="CHECK", action="append", default=[],
                        help=f"leave a check out; repeat it or separate with commas "
                        f"({', '.join(CHECKS)})")
    add_runs_root_flag(parser)


def run(args) -> int:
    from pft_desktop.core.doctor import CHECKS, exit_code, report_text, run_doctor

    skip = {name.strip() for value in args.skip for name in value.split(",") if name.strip()}
    unknown = sorted(skip - set(CHECKS))
    if unknown:
        raise UserError("unknown_check", f"--skip {', '.join(unknown)}: no such check.",
                        f"The checks are: {', '.join(CHECKS)}.")
    report = run_doctor(args.constraints, skip,
                        progress=lambda text: print(f"· {text}", file=sys.stderr, flush=True))
    print(json.dumps(report) if args.json else report_text(report), flush=True)
    return exit_code(report)
