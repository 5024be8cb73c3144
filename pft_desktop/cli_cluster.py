"""``pft-desktop cluster-job``: a run config as a job for several machines (core.cluster_job),
and the step its launch.sh runs on each machine before training (--prepare-run)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pft_desktop.core.errors import UserError

EPILOG = """\
The folder holds config.toml, accelerate_config.yaml, launch.sh, job.sbatch and a README.md
that says how to run it and how to bring the run back into the app. Start it with
`sbatch job.sbatch` from that folder under Slurm, or on each machine with
`./launch.sh MACHINE_RANK MAIN_ADDRESS [PORT]`. Processes per machine default to the config's
resources.processes; config.toml gets their total. Paths are made absolute: the model and the
data must be at those paths on every machine.

--prepare-run is what launch.sh runs on each machine before it launches: it makes the run
folder from the job's config.toml, or accepts the one another machine made (shared storage).

Examples:
  pft-desktop cluster-job run.toml --output cluster-job --machines 4 --processes-per-machine 8
  pft-desktop cluster-job runs/first/config.toml -o job --machines 2
"""


def add_parser(sub) -> None:
    parser = sub.add_parser("cluster-job", help="export a run config as a job for several "
                            "machines (accelerate launch, Slurm)", epilog=EPILOG,
                            description="Write a folder that trains RUN_CONFIG on several "
                            "machines through accelerate's launcher, by hand or with Slurm.",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", metavar="RUN_CONFIG", help="a run config (TOML or JSON: "
                        "saved by the app, or a run folder's config.toml)")
    parser.add_argument("--output", "-o", metavar="DIR", help="the job folder to write; it "
                        "must be new or empty")
    parser.add_argument("--machines", type=int, default=2, metavar="N",
                        help="how many machines train together (default: 2)")
    parser.add_argument("--processes-per-machine", type=int, metavar="N",
                        help="training processes on each machine, one per GPU (default: the "
                        "config's resources.processes)")
    parser.add_argument("--prepare-run", metavar="RUN_DIR", help="instead of writing a job: "
                        "make or check the run folder RUN_DIR from RUN_CONFIG on this machine "
                        "(what launch.sh runs first)")
    parser.add_argument("--machine-rank", type=int, default=0, metavar="N", help="with "
                        "--prepare-run: this machine's rank; 0, the main machine, refuses a "
                        "run folder that already trained (default: 0)")
    parser.add_argument("--resume", action="store_true", help="with --prepare-run: the run "
                        "is resumed, so its folder must exist (default: off)")


def run(args) -> int:
    from pft_desktop.core import cluster_job
    from pft_desktop.core.config import RunConfig

    if args.prepare_run:
        folder = cluster_job.prepare_run(args.config, args.prepare_run, args.machine_rank,
                                         resume=args.resume)
        print(f"· Machine {args.machine_rank}: run folder {folder.path}", file=sys.stderr)
        return 0
    if not args.output:
        raise UserError("no_output", "pft-desktop cluster-job needs the folder to write.",
                        "Add --output DIR (a new folder).")
    config_path = Path(args.config)
    if config_path.is_dir() and (config_path / "config.toml").is_file():
        config_path = config_path / "config.toml"  # a run folder: its config
    job = cluster_job.export_cluster_job(RunConfig.load(config_path), args.output,
                                         args.machines, args.processes_per_machine)
    for note in job.notes:
        print(f"Note: {note}", file=sys.stderr)
    print(f"Wrote {job}\nStart it with `sbatch {cluster_job.SBATCH}` in that folder, or "
          f"`./{cluster_job.LAUNCH} MACHINE_RANK MAIN_ADDRESS` on each machine; its "
          f"{cluster_job.README} says more.", file=sys.stderr)
    print(job.folder)
    return 0
