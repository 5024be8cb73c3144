"""A run config as a job for several machines: a folder to copy to a cluster and start with
accelerate's own launcher on each machine, by hand or through Slurm.

``export_cluster_job(config, output, machines, processes_per_machine)`` writes::

    config.toml             the run config: explicit paths (with a note), processes = the total
    accelerate_config.yaml  launch.accelerate_config for several machines (the one writer)
    launch.sh               one machine's share: MACHINE_RANK MAIN_ADDRESS [PORT]
    job.sbatch              Slurm: one launch.sh per node, the first node the main one
    README.md               how to run it either way, and how the run comes back

The runner reads its run's config from the run folder on every machine, so ``launch.sh`` first
runs ``prepare_run`` on each (``pft-desktop cluster-job config.toml --prepare-run RUN_DIR
--machine-rank N``): it makes the folder from config.toml, or accepts the one another machine
made on shared storage. Rank 0 alone writes events, the log and the model into it.
Imports no torch: the app's Hyperparameters page calls it.
"""

from __future__ import annotations

import re
import shlex
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from pft_desktop.core import launch
from pft_desktop.core.config import RunConfig
from pft_desktop.core.errors import UserError
from pft_desktop.core.rundir import RunFolder, check_new_folder, ordinary_permissions

CONFIG, LAUNCH, SBATCH, README = "config.toml", "launch.sh", "job.sbatch", "README.md"
RUNS = "runs"  # the run folder's default parent, inside the job folder


@dataclass
class ClusterJob:
    """What was written: the folder, its shape, and what the person should check."""

    folder: Path
    run_name: str
    machines: int
    processes_per_machine: int
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"A job for {shape(self.machines, self.processes_per_machine)} in {self.folder}."


# -- the job's config -------------------------------------------------------------------------
def job_config(config: RunConfig, machines: int, processes_per_machine: int) -> RunConfig:
    """The run config every machine reads: absolute paths (a relative one would mean another
    folder on each machine), ``resources.processes`` the total the runner plans the batch by,
    and devices 'cpu' or automatic (GPU numbers picked on this computer mean nothing on a
    cluster node; each node trains on its own first GPUs)."""
    from pft_desktop.core.recipe import with_absolute_paths

    if machines < 1 or processes_per_machine < 1:
        raise UserError("bad_cluster_shape", f"A job needs at least one machine and one process "
                        f"on each (got {machines} machines x {processes_per_machine}).",
                        "Give --machines and --processes-per-machine as whole numbers of 1 or "
                        "more.")
    job = with_absolute_paths(config)
    job.resources.processes = machines * processes_per_machine
    if launch.gpu_ids(job.resources.devices) != []:
        job.resources.devices = ""
    job.validate()
    launch.check_resources(job)
    return job


def input_paths(config: RunConfig) -> dict[str, str]:
    """The files every machine reads, by config field: data files, and the model or the run
    it starts from when they are folders (a hub id is downloaded, or read from the cache)."""
    found = {"data.train_file": config.data.train_file,
             "data.validation_file": config.data.validation_file,
             "model.name_or_path": config.model.name_or_path,
             "model.start_from": config.model.start_from}
    return {name: value for name, value in found.items()
            if value and Path(value).expanduser().is_absolute()}


def _config_text(config: RunConfig, name: str, machines: int, per: int) -> str:
    """config.toml with a header that says which paths every machine must have."""
    with tempfile.TemporaryDirectory() as scratch:
        body = config.save(Path(scratch) / CONFIG).read_text(encoding="utf-8")
    paths = "".join(f"#   {key} = {value}\n" for key, value in input_paths(config).items())
    return (f"# The run config of the cluster job {name!r}, written by pft-desktop "
            f"cluster-job.\n# resources.processes is the total: {shape(machines, per)}.\n"
            "# Every machine reads the model and the data at these paths: they must be at the "
            "same\n# path on every machine (shared storage, or copied there), or be edited "
            "here before launching.\n" + (paths or "#   (none: a hub model and no local files)\n")
            + "\n" + body)


# -- the scripts ------------------------------------------------------------------------------
LAUNCH_TEMPLATE = r"""#!/usr/bin/env bash
# One machine's share of a pft-desktop job: @SHAPE@.
# Run it on every machine at about the same time (job.sbatch does this under Slurm):
#
#   ./launch.sh MACHINE_RANK MAIN_ADDRESS [PORT]
#
#   MACHINE_RANK  0 on the main machine, @OTHERS@
#   MAIN_ADDRESS  the main machine's host name or IP address, as the others reach it
#   PORT          a free TCP port on the main machine, the same everywhere (default @PORT@)
#
# Environment:
#   PYTHON   the Python with pft-desktop installed (default: python)
#   RUN_DIR  the run folder, the same path on every machine (default, beside this script:
#            @RUNS@/@NAME@)
#   RESUME=1 continues the run from its last checkpoint
set -euo pipefail

JOB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MACHINES=@MACHINES@
if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
    echo "usage: $0 MACHINE_RANK MAIN_ADDRESS [PORT]" >&2
    exit 2
fi
MACHINE_RANK="$1"
MAIN_ADDRESS="$2"
PORT="${3:-@PORT@}"
case "$MACHINE_RANK" in
    ''|*[!0-9]*) MACHINE_RANK="$MACHINES" ;;
esac
if [ "$MACHINE_RANK" -ge "$MACHINES" ]; then
    echo "launch.sh: MACHINE_RANK must be a number from 0 to $((MACHINES - 1)), not '$1'" >&2
    exit 2
fi
PYTHON="${PYTHON:-python}"
RUN_DIR="${RUN_DIR:-$JOB_DIR/@RUNS@/@NAME@}"
RESUME_FLAG=""
if [ "${RESUME:-0}" = "1" ]; then
    RESUME_FLAG="--resume"
fi

cd "$JOB_DIR"  # a relative path in config.toml is relative to this folder
# Variables of an enclosing launch must not reach this one; the devices config.toml asks for.
unset @UNSET@
@DEVICES@
# The runner reads the run's config from its folder on every machine: make it, or check the
# one another machine made (shared storage).
"$PYTHON" -m pft_desktop cluster-job "$JOB_DIR/@CONFIG@" --prepare-run "$RUN_DIR" \
    --machine-rank "$MACHINE_RANK" $RESUME_FLAG
exec "$PYTHON" -m accelerate.commands.launch --config_file "$JOB_DIR/@ACCELERATE@" \
    --machine_rank "$MACHINE_RANK" --main_process_ip "$MAIN_ADDRESS" \
    --main_process_port "$PORT" -m pft_desktop.runner "$RUN_DIR" $RESUME_FLAG
"""

SBATCH_TEMPLATE = r"""#!/usr/bin/env bash
#SBATCH --job-name=pft-@NAME@
#SBATCH --nodes=@MACHINES@
#SBATCH --ntasks-per-node=1
@GPUS@#SBATCH --output=pft-%j.out
# Add what your cluster asks for: --partition, --account, --time, --cpus-per-task, --mem.
#
# Submit it from this folder (with the environment that has pft-desktop active, or set
# PYTHON):  sbatch job.sbatch
# One task per node runs launch.sh; the allocation's first node is the main machine (rank 0).
set -euo pipefail

# Slurm runs a copy of this script, so its own path is not the job folder: the folder it was
# submitted from is (or set JOB_DIR).
JOB_DIR="${JOB_DIR:-${SLURM_SUBMIT_DIR:-$PWD}}"
if [ ! -f "$JOB_DIR/launch.sh" ]; then
    echo "job.sbatch: no launch.sh in $JOB_DIR: submit from the job folder, or set JOB_DIR" >&2
    exit 2
fi
# The first host name (sed reads them all: `head -n 1` would close the pipe early, and under
# pipefail scontrol's SIGPIPE would fail the job).
MAIN_ADDRESS="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | sed -n 1p)"
PORT="${PORT:-@PORT@}"
srun --nodes=@MACHINES@ --ntasks-per-node=1 \
    bash -c 'exec bash "$1/launch.sh" "$SLURM_NODEID" "$2" "$3"' launch \
    "$JOB_DIR" "$MAIN_ADDRESS" "$PORT"
"""


def shape(machines: int, per: int) -> str:
    """'2 machines x 4 processes (8 in all)', for the scripts, the README and messages."""
    return (f"{machines} machine{'s' if machines != 1 else ''} x {per} process"
            f"{'es' if per != 1 else ''}" + (f" ({machines * per} in all)" if machines > 1
                                             else ""))


def _fill(template: str, values: dict) -> str:
    for key, value in values.items():
        template = template.replace(f"@{key}@", str(value))
    left = re.findall(r"@[A-Z_]+@", template)
    if left:  # a template and its values out of step: a bug here, not the user's
        raise RuntimeError(f"unfilled placeholders: {left}")
    return template


def launch_script(config: RunConfig, run_name: str, machines: int) -> str:
    """launch.sh for the job's config (its devices become the same environment the app's
    launcher gives its runner: ``launch.device_environment``)."""
    exports = "".join(f"export {name}={shlex.quote(value)}\n"
                      for name, value in launch.device_environment(config).items())
    return _fill(LAUNCH_TEMPLATE, {
        "NAME": run_name, "MACHINES": machines,
        "SHAPE": shape(machines, config.resources.processes // machines),
        "OTHERS": "1 on the other" if machines == 2 else
        f"1 to {machines - 1} on the others, each rank once" if machines > 2 else "the only one",
        "PORT": launch.MACHINES_PORT, "RUNS": RUNS, "CONFIG": CONFIG,
        "ACCELERATE": launch.ACCELERATE_CONFIG, "UNSET": " ".join(launch.DISTRIBUTED_VARIABLES),
        "DEVICES": exports.rstrip("\n")})


def sbatch_script(config: RunConfig, run_name: str, machines: int) -> str:
    """job.sbatch: one task per node, each node's GPUs for its processes (none on the CPU)."""
    per = config.resources.processes // machines
    on_cpu = launch.gpu_ids(config.resources.devices) == []
    gpus = "" if on_cpu else f"#SBATCH --gpus-per-node={per}\n"
    return _fill(SBATCH_TEMPLATE, {"NAME": run_name, "MACHINES": machines, "GPUS": gpus,
                                   "PORT": launch.MACHINES_PORT})


README_TEMPLATE = """# Cluster job @NAME@

A pft-desktop run on @SHAPE@, started with accelerate's launcher
(`accelerate launch`, which hands it to torchrun) on every machine. Written by
`pft-desktop cluster-job` (pft-desktop @VERSION@) on @DATE@.

- `config.toml`: the run config; `resources.processes` is the total (@TOTAL@).
- `accelerate_config.yaml`: accelerate's config for @MACHINES@ machines and @TOTAL@ processes;
  `launch.sh` gives it each machine's rank and the main machine's address and port.
- `launch.sh`: one machine's share, `./launch.sh MACHINE_RANK MAIN_ADDRESS [PORT]`.
- `job.sbatch`: the same under Slurm, one `launch.sh` per node.

The folder can be moved or copied: the scripts find their files beside themselves.

## Before you start

- Install pft-desktop (this version: @VERSION@) in a Python environment on every machine.
  `launch.sh` runs `python`; set `PYTHON=/path/to/env/bin/python` for another one.
- Every machine reads the model and the data itself, at the paths `config.toml` names:
@PATHS@

  Put them on storage every machine sees, or copy them to the same path on each, or edit
  `config.toml` (the same edit on every machine).
- Copy this folder to the cluster, best onto storage every machine sees (your home or
  project folder usually is).

## Run it with Slurm

Edit the `#SBATCH` lines for your cluster first (partition, account, time), then, from this
folder:

    sbatch job.sbatch

Slurm starts `launch.sh` once on each of @MACHINES@ nodes (`SLURM_NODEID` is its machine
rank; the first node of the allocation, from `scontrol show hostnames`, is the main address).
The output goes to `pft-JOBID.out`. Another port: `PORT=29600 sbatch job.sbatch`.

## Run it by hand

On each machine, at about the same time, with the main machine's host name or IP address
(one every machine can reach) and a port open between them (default @PORT@):

@BY_HAND@

## What the machines share

Before training, `launch.sh` makes the run folder on its machine from `config.toml` (default
`@RUNS@/@NAME@` in this folder; set `RUN_DIR` for another place, the same on every
machine).
The training process of rank 0, on the main machine, alone writes into it: the events (one
line per step in `events.jsonl`), `train.log`, checkpoints and the trained model in `model/`.
The others read only its config, and write their share of each checkpoint (their
random-number state; with FSDP or DeepSpeed their shards).

- Run folder on shared storage (the default when this folder is): one folder has it all.
- Run folder on each machine's own disk: the main machine's folder has the results.

`RESUME=1 ./launch.sh ...` (or `RESUME=1 sbatch job.sbatch`) continues from the last
checkpoint. Every machine loads that checkpoint, so resuming needs the run folder on shared
storage (or the main machine's `checkpoints/` copied to the others first).

While it trains, the main machine's `launch.sh` prints the events; `pft-desktop stop RUN_DIR`
on the main machine asks it to stop after the current step and save.

## Bring the run back into the app

Copy the main machine's run folder (`@RUNS@/@NAME@`) to your computer, then either

- copy it into your runs root (the folder the app's Settings name; `pft-desktop runs` lists
  it), or
- in the app choose File > Open run folder… and pick it: it joins the library where it is, or
- list the runs of a folder without moving them: `pft-desktop runs --runs-root FOLDER`.

Its charts, metrics and `model/` folder come with it. The paths in its `config.toml` are
still the cluster's: a LoRA adapter finds its base model by that path (a hub id works
anywhere), so trying, merging or exporting it on your computer needs the base model there.
"""


def readme_text(config: RunConfig, run_name: str, machines: int) -> str:
    from pft_desktop import __version__

    total = config.resources.processes
    lines = [f"  - `{key}` = `{value}`" for key, value in input_paths(config).items()]
    model = config.model.name_or_path
    if model and "model.name_or_path" not in input_paths(config):
        lines.append(f"  - the model `{model}` comes from the hub: each machine downloads it "
                     "(or reads it from a cache every machine shares, HF_HOME)")
    hand = "\n".join(f"    ./launch.sh {rank} MAIN_ADDRESS" + ("    # on the main machine"
                                                             if rank == 0 else "")
                     for rank in range(min(machines, 4)))
    if machines > 4:
        hand += f"\n    ...\n    ./launch.sh {machines - 1} MAIN_ADDRESS"
    return _fill(README_TEMPLATE, {
        "NAME": run_name, "MACHINES": machines, "SHAPE": shape(machines, total // machines),
        "TOTAL": total,
        "VERSION": __version__, "DATE": time.strftime("%Y-%m-%d %H:%M"), "PORT":
        launch.MACHINES_PORT, "RUNS": RUNS, "BY_HAND": hand,
        "PATHS": "\n".join(lines)})


# -- writing the folder -----------------------------------------------------------------------
def export_cluster_job(config: RunConfig, output, machines: int = 2,
                       processes_per_machine: int | None = None) -> ClusterJob:
    """Write the job folder ``output`` (new, or empty) in one rename. Processes per machine
    default to the config's own ``resources.processes``: what it was set up for on one
    computer, now on each machine."""
    from pft_desktop.core.estimate import batch_plan
    from pft_desktop.core.models import display_name

    per = config.resources.processes if processes_per_machine is None \
        else processes_per_machine
    job = job_config(config, machines, per)
    target = check_new_folder(output, "job folder")
    if target.is_dir() and any(target.iterdir()):
        raise UserError("job_exists", f"The folder {target} already exists and is not empty.",
                        "Choose a new folder for the cluster job.")
    label = display_name(job.model.name_or_path) if job.model.name_or_path else \
        f"new-{job.pretrain.from_scratch}"
    name = f"{time.strftime('%Y%m%d-%H%M%S')}-" + (
        re.sub(r"[^A-Za-z0-9._-]+", "-", label)[:40].strip("-.") or "run")
    notes = [f"{key} = {value} is not on this computer: it must be at that path on every "
             "machine of the cluster." for key, value in input_paths(job).items()
             if not Path(value).expanduser().exists()]
    t, r = job.training, job.resources
    plan = batch_plan(t.batch_size, t.gradient_accumulation, r.processes, r.keep_global_batch)
    notes += [plan.note()] if plan.note() else []
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        (staging / CONFIG).write_text(_config_text(job, name, machines, per), encoding="utf-8")
        launch.write_accelerate_config(job, staging / launch.ACCELERATE_CONFIG,
                                       machines=machines)
        for file, text in ((LAUNCH, launch_script(job, name, machines)),
                           (SBATCH, sbatch_script(job, name, machines)),
                           (README, readme_text(job, name, machines))):
            (staging / file).write_text(text, encoding="utf-8", newline="\n")
        ordinary_permissions(staging)
        for script in (LAUNCH, SBATCH):  # executable by whoever may read it
            path = staging / script
            mode = path.stat().st_mode
            path.chmod(mode | (mode & 0o444) >> 2)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ClusterJob(target, name, machines, per, notes)


# -- on each machine, before it launches ------------------------------------------------------
def prepare_run(config_file, run_dir, machine_rank: int, resume: bool = False) -> RunFolder:
    """Make the run folder from the job's config.toml on this machine, or accept the one
    already there: on shared storage another machine may have made it a moment ago (or rank
    0 may be training in it already). The main machine refuses a run that was started before:
    training again into it would mix two runs' events; RESUME continues it instead."""
    from pft_desktop.core.recipe import with_absolute_paths

    config = with_absolute_paths(RunConfig.load(config_file))
    where = f"machine {machine_rank} ({socket.gethostname()})"
    missing = [f"{key} = {value}" for key, value in input_paths(config).items()
               if not Path(value).expanduser().exists()]
    if missing:
        raise UserError("missing_on_machine", f"On {where} there is no {'; no '.join(missing)}.",
                        "Every machine reads the model and data at the paths config.toml "
                        "names: put them on shared storage or copy them there, or edit "
                        f"{config_file} on every machine.")
    folder = RunFolder(run_dir)
    if resume:
        if not folder.exists():
            raise UserError("no_run_to_resume", f"On {where} there is no run folder "
                            f"{folder.path} to resume.", "Resuming needs the run folder on "
                            "every machine (shared storage); or start a new run without RESUME.")
        return folder
    if not folder.exists():
        try:
            return RunFolder.create(folder.path, config)
        except (UserError, OSError):
            if not folder.exists():  # not another machine's folder: a real failure
                raise
    if folder.load_config().to_dict() != config.to_dict():
        raise UserError("other_run", f"{folder.path} holds another run: its config.toml differs "
                        f"from {config_file}.", "Set RUN_DIR to a new folder, or remove that "
                        "one.")
    if machine_rank == 0 and folder.status().get("status") != "pending":
        raise UserError("run_started", f"The run in {folder.path} was started before (it is "
                        f"{folder.state()}).", "Continue it from its last checkpoint with "
                        "RESUME=1 and the same command, or set RUN_DIR to a new folder.")
    return folder
