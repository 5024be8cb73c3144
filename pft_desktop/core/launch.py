"""Starting a run's training: one runner process, or one per device through accelerate's launcher.

The one seam every launcher uses (the app's Train page, the command line; a cluster-job export
reuses ``accelerate_config``). It imports no torch, transformers or accelerate, because the app
calls it:

- ``runner_command(run_dir, config, resume)``: ``python -m pft_desktop.runner RUN_DIR`` for one
  process; for more, ``python -m accelerate.commands.launch --config_file RUN_DIR/
  accelerate_config.yaml -m pft_desktop.runner RUN_DIR`` (accelerate hands it to torchrun).
- ``runner_environment(config)``: the child's environment; ``resources.devices`` becomes
  CUDA_VISIBLE_DEVICES ('cpu' hides every GPU).
- ``accelerate_config(config) -> dict`` and ``write_accelerate_config(config, path)``: the
  accelerate config (the YAML `accelerate config` writes, keys of accelerate's ClusterConfig)
  for ``[resources]``.
- ``resource_errors(config)`` / ``check_resources(config)``: refusals that need no torch.
- ``start_runner(...)``: all of the above, then the child process (or a warm runner's).
- ``WarmRunner``: a runner started before its run (``warm_runner_command()``): it imports the
  libraries while the person is still in the wizard, then ``start_runner`` hands it the run
  folder instead of starting a new process, when the run fits the process (``misfit``).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from pft_desktop.core import ranks
from pft_desktop.core.errors import UserError

ACCELERATE_CONFIG = "accelerate_config.yaml"
CONSOLE_LOG = "console.log"
DEEPSPEED_INSTALL = "pip install deepspeed"
MACHINES_PORT = 29500  # torchrun's usual port: where the machines of one job meet
# Variables of an enclosing launch that must not leak into the one started here.
DISTRIBUTED_VARIABLES = ("RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "GROUP_RANK",
                         "MASTER_ADDR", "MASTER_PORT", "TORCHELASTIC_RUN_ID")


# -- what [resources] asks for ----------------------------------------------------------------
def gpu_ids(devices: str) -> list[int] | None:
    """``resources.devices`` as GPU indexes: None for automatic (empty), [] for 'cpu'."""
    text = devices.strip().lower()
    if not text:
        return None
    if text == "cpu":
        return []
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not all(part.isdigit() for part in parts) or len(set(parts)) != len(parts):
        raise UserError("bad_devices", f"resources.devices = {devices!r} is not 'cpu' or a "
                        "list of distinct GPU numbers.", "Leave it empty (automatic), write "
                        "'cpu', or list GPUs as in '0' or '0,1'.")
    return [int(part) for part in parts]


def trains_on_cpu(devices: str, environ: dict | None = None) -> bool:
    """Whether a run with these ``resources.devices`` trains on this computer's CPU, told
    without importing torch (for estimates made before a run): 'cpu' does, listed GPUs do not,
    and automatic does unless a GPU shows: an NVIDIA or AMD device node, or nvidia-smi, or
    Apple silicon (the Trainer picks its GPU, MPS, by itself)."""
    try:
        ids = gpu_ids(devices)
    except UserError:
        return False  # not a setting that runs; its refusal is shown elsewhere
    if ids is not None:
        return ids == []
    env = os.environ if environ is None else environ
    if env.get("CUDA_VISIBLE_DEVICES", "unset").strip() in ("", "-1"):
        return True  # every GPU hidden from the run
    return not gpu_shows()


@functools.cache
def gpu_shows() -> bool:
    """Whether this computer shows a GPU (read once: the estimates ask on every change)."""
    if sys.platform == "darwin":
        return platform.machine() == "arm64"
    return bool(Path("/dev/nvidia0").exists() or Path("/dev/kfd").exists()
                or shutil.which("nvidia-smi"))


def resource_errors(config) -> list[UserError]:
    """Every [resources] combination that cannot run, each with its fix. Needs no torch, so
    the Hyperparameters page can show them before a run folder exists."""
    r = config.resources
    try:
        gpus = gpu_ids(r.devices)
    except UserError as error:
        return [error]
    found = []
    if gpus and len(gpus) != r.processes:
        found.append(UserError(
            "devices_and_processes", f"resources.devices lists {len(gpus)} GPU"
            f"{'s' if len(gpus) != 1 else ''} ({r.devices}) but resources.processes is "
            f"{r.processes}: each process trains on one GPU of its own.",
            f"Set processes to {len(gpus)}, or list {r.processes} GPU"
            f"{'s' if r.processes != 1 else ''}."))
    if r.processes > 1 and r.strategy == "deepspeed" and not deepspeed_installed():
        found.append(UserError(
            "no_deepspeed", "The DeepSpeed strategy needs the deepspeed package, which is not "
            "installed.", f"Install it ({DEEPSPEED_INSTALL}; it compiles parts for your GPU), "
            "or choose the 'fsdp' or 'ddp' strategy."))
    if r.processes > 1 and r.strategy in ("fsdp", "deepspeed") and gpus == []:
        found.append(cpu_sharding_error(r.strategy))
    if r.processes > 1 and r.strategy == "fsdp" and config.method.kind.startswith("qlora"):
        found.append(UserError(
            "fsdp_with_qlora", "FSDP cannot shard a QLoRA model here: its quantized weights "
            "are placed on each GPU when loaded.", "Use the 'ddp' strategy with QLoRA (each "
            "GPU holds the small 4-bit model), or LoRA with FSDP."))
    return found


def cpu_sharding_error(strategy: str) -> UserError:
    """FSDP and DeepSpeed need GPUs. accelerate (1.15) runs several CPU processes as plain
    data parallel and silently ignores FSDP there (measured: ACCELERATE_USE_FSDP set, the
    Trainer's state MULTI_CPU, every process holding the whole model)."""
    name = "FSDP" if strategy == "fsdp" else "DeepSpeed"
    return UserError(f"{strategy}_on_cpu", f"The {name} strategy shards the model across GPUs; "
                     "accelerate does not support it for processes on the CPU (it would "
                     "silently train with a whole copy of the model in each process).",
                     "Choose the 'ddp' strategy to train with several processes on the CPU, "
                     "or run on GPUs.")


def resource_problems(config) -> list[str]:
    """The same refusals as sentences, for a wizard page's list of problems."""
    return [f"{error.message} {error.fix}" for error in resource_errors(config)]


def check_resources(config) -> None:
    found = resource_errors(config)
    if found:
        raise found[0]


def deepspeed_installed() -> bool:
    return importlib.util.find_spec("deepspeed") is not None


# -- the accelerate config --------------------------------------------------------------------
def accelerate_config(config, layer_classes: list[str] | None = None,
                      machines: int = 1) -> dict:
    """The accelerate config for ``config.resources``: the keys of accelerate's ClusterConfig
    (what `accelerate config` writes), for one machine unless ``machines`` says more.
    Built as a plain dict because accelerate's own config classes import torch, and the app
    calls this.

    - ddp: ``MULTI_GPU`` (on the CPU with ``use_cpu: true``: accelerate then starts the
      processes through torchrun and each trains on the CPU with gloo; its ``MULTI_CPU`` type
      would start only one process here, without mpirun).
    - fsdp: ``FSDP`` version 2, full shard (``reshard_after_forward``), each transformer
      layer wrapped; the layer class is ``resources.fsdp_layer``, else ``layer_classes``,
      else the runner guesses it from the model's ``_no_split_modules`` once loaded (as
      accelerate itself does). Checkpoints are sharded; the saved model is gathered whole.
    - deepspeed: ``DEEPSPEED`` with ``resources.zero_stage``; accumulation and clipping as
      the Trainer uses them (DeepSpeed refuses a config that disagrees).

    ``main_process_port: 0`` lets accelerate pick a free port, so runs never collide.
    ``machines`` above 1 is a job over several machines (``core.cluster_job``):
    ``resources.processes`` is then the total, shared equally; every machine must meet on one
    fixed port (MACHINES_PORT, overridden at launch with the main machine's address and
    ``machine_rank``); DeepSpeed starts through torchrun on each machine (its "standard"
    launcher) instead of reaching the others over pdsh/ssh.
    Mixed precision stays "no" here: the Trainer sets it from ``method.precision``.
    """
    from pft_desktop.core.estimate import batch_plan

    r = config.resources
    gpus = gpu_ids(r.devices)
    on_cpu = gpus == []
    result = {
        "compute_environment": "LOCAL_MACHINE", "debug": False,
        "distributed_type": {"ddp": "MULTI_GPU", "fsdp": "FSDP",
                             "deepspeed": "DEEPSPEED"}[r.strategy],
        "num_processes": r.processes, "num_machines": 1, "machine_rank": 0,
        "main_process_port": 0, "rdzv_backend": "static", "same_network": True,
        "gpu_ids": ",".join(map(str, gpus)) if gpus else "all", "use_cpu": on_cpu,
        "mixed_precision": "no", "downcast_bf16": "no", "main_training_function": "main",
        "enable_cpu_affinity": False,
    }
    if r.processes <= 1:
        result["distributed_type"] = "NO"
    elif r.strategy == "fsdp":
        fsdp = {"fsdp_version": 2, "fsdp_reshard_after_forward": True,
                "fsdp_auto_wrap_policy": "TRANSFORMER_BASED_WRAP",
                "fsdp_state_dict_type": "SHARDED_STATE_DICT", "fsdp_offload_params": False,
                "fsdp_cpu_ram_efficient_loading": False,
                "fsdp_activation_checkpointing": False}
        layers = [r.fsdp_layer.strip()] if r.fsdp_layer.strip() else list(layer_classes or [])
        if layers:
            fsdp["fsdp_transformer_layer_cls_to_wrap"] = ",".join(layers)
        result["fsdp_config"] = fsdp
    elif r.strategy == "deepspeed":
        t = config.training
        plan = batch_plan(t.batch_size, t.gradient_accumulation, r.processes,
                          r.keep_global_batch)
        deepspeed = {"zero_stage": r.zero_stage, "offload_optimizer_device": "none",
                     "offload_param_device": "none", "zero3_init_flag": False,
                     "gradient_accumulation_steps": plan.accumulation,
                     "gradient_clipping": float(t.max_grad_norm or 1.0)}
        if r.zero_stage == 3:
            deepspeed["zero3_save_16bit_model"] = True  # the saved model is gathered whole
        result["deepspeed_config"] = deepspeed
    if machines > 1:
        result.update(num_machines=machines, main_process_port=MACHINES_PORT)
        if "deepspeed_config" in result:
            result["deepspeed_config"]["deepspeed_multinode_launcher"] = "standard"
    return result


def write_accelerate_config(config, path, layer_classes: list[str] | None = None,
                            machines: int = 1) -> Path:
    """Write ``accelerate_config(config)`` as YAML (``accelerate launch --config_file PATH``
    reads it; so does accelerate's ClusterConfig.from_yaml_file)."""
    import yaml

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(yaml.safe_dump(accelerate_config(config, layer_classes, machines),
                                  sort_keys=True), encoding="utf-8")
    tmp.replace(path)
    return path


def guess_fsdp_layers(model) -> list[str]:
    """The layer classes FSDP wraps one by one: the model's ``_no_split_modules`` (the blocks
    transformers never splits across devices), or [] when it names none."""
    return [str(name) for name in (getattr(model, "_no_split_modules", None) or [])]


# -- the command and its environment ----------------------------------------------------------
def runner_command(run_dir, config, resume: bool = False) -> list[str]:
    runner = ["-m", "pft_desktop.runner", str(run_dir)] + (["--resume"] if resume else [])
    if config.resources.processes <= 1:
        return [sys.executable, *runner]
    return [sys.executable, "-m", "accelerate.commands.launch", "--config_file",
            str(Path(run_dir) / ACCELERATE_CONFIG), *runner]


def runner_environment(config, base: dict | None = None) -> dict:
    """The child's environment: the GPUs it may see, the hub settings (offline mode, cache),
    and nothing of an enclosing launch."""
    from pft_desktop.core.hub_env import child_environment

    env = child_environment(base)
    for name in DISTRIBUTED_VARIABLES:
        env.pop(name, None)
    env.update(device_environment(config))
    return env


def device_environment(config) -> dict:
    """CUDA_VISIBLE_DEVICES for ``resources.devices`` ({} for automatic, or no config: a
    warm runner's). Visible GPUs are renumbered from 0, so each process's LOCAL_RANK picks its
    own among the chosen ones."""
    gpus = gpu_ids(config.resources.devices) if config is not None else None
    if gpus is None:
        return {}
    return {"CUDA_VISIBLE_DEVICES": ",".join(map(str, gpus))}


def start_runner(run_dir, resume: bool = False, config=None, stdout=subprocess.DEVNULL,
                 stderr=None, warm: "WarmRunner | None" = None) -> subprocess.Popen:
    """Check the resources, write the accelerate config when several processes train, and
    start the runner in a session of its own (a terminal's Ctrl+C or a closed window does not
    end it; it stops when asked). Its stdin takes "stop"; with several processes every rank
    shares it, and the ranks agree on the stop at the next step end.

    With ``warm``, the run goes to that process when it fits (``WarmRunner.misfit``); it then
    writes its stderr to the run's console.log itself, whatever ``stderr`` is. Otherwise, or
    when the warm process is gone, a new process starts as usual."""
    from pft_desktop.core.rundir import RunFolder

    folder = RunFolder(run_dir)
    config = config if config is not None else folder.load_config()
    check_resources(config)
    ranks.clear_failures(folder.path)
    if config.resources.processes > 1:
        write_accelerate_config(config, folder.path / ACCELERATE_CONFIG)
    if warm is not None and not warm.misfit(config):
        try:
            return warm.hand_over(folder.path, resume, events=stdout == subprocess.PIPE)
        except OSError:
            pass  # it ended meanwhile: start one as usual
    return subprocess.Popen(runner_command(folder.path, config, resume),
                            env=runner_environment(config), stdin=subprocess.PIPE,
                            stdout=stdout, stderr=stderr, start_new_session=True)


def settle_failed_launch(run_dir) -> dict | None:
    """After the launcher exits: when the run's rank 0 ended without its final word (killed
    before it could write, say 30 s after another rank failed) and some rank recorded why it
    failed, write that error into the run folder as rank 0 would have, and return it."""
    from pft_desktop.core import events
    from pft_desktop.core.rundir import RunFolder

    folder = RunFolder(run_dir)
    recorded = ranks.failures(folder.path)
    if not recorded or folder.state() not in ("interrupted", "unknown"):
        return None
    error = ranks.named_failure(recorded[0])
    with open(folder.events_file, "a", encoding="utf-8") as handle:
        for event in (events.make_event(events.ERROR, **error.to_dict()),
                      events.make_event(events.FINISHED, status="failed", metrics={})):
            handle.write(events.dumps(event) + "\n")
    folder.set_status("failed", error=error.to_dict())
    return error.to_dict()


# -- the warm runner --------------------------------------------------------------------------
WARM_FLAG = "--warm"


def warm_runner_command() -> list[str]:
    return [sys.executable, "-m", "pft_desktop.runner", WARM_FLAG]


class WarmRunner:
    """A runner process started before its run: it imports torch, transformers, peft and
    datasets (5 to 12 s on 2 cores) while the person is still in the wizard, then waits on its
    stdin for one run and becomes that run's runner (``start_runner(..., warm=)``): the same
    pid, events, log and status, stopped by a "stop" line or SIGTERM. One run per process, so
    nothing leaks from one run to the next. It does not touch CUDA before its run, so it holds
    no GPU while it waits, and it exits when its stdin closes (the app quit or crashed)."""

    def __init__(self, env: dict | None = None):
        self.command = warm_runner_command()
        self.env = runner_environment(None) if env is None else dict(env)
        self.process = subprocess.Popen(self.command, env=self.env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        self.ready_report: dict = {}  # its first line: import seconds, whether CUDA is set up
        self.handed_over = False
        self._first_line = threading.Event()
        self._decided = threading.Event()
        self._keep_stdout = False
        threading.Thread(target=self._read_stdout, name="warm-runner-stdout",
                         daemon=True).start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def is_alive(self) -> bool:
        """Still waiting for a run (not handed one, not ended)."""
        return not self.handed_over and self.process.poll() is None

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Whether its libraries are imported, waiting up to ``timeout`` seconds. Only
        benchmarks and tests need this: a run handed over sooner starts once they are."""
        return self._first_line.wait(timeout) and bool(self.ready_report)

    def misfit(self, config) -> str:
        """Why this run cannot go to this process, or "" when it can. A process started with
        another environment is no use: devices are fixed for it, and the libraries read the
        hub settings when they are imported."""
        if not self.is_alive():
            return "the warm runner has ended"
        if config.resources.processes > 1:
            return "the run trains in several processes, through accelerate's launcher"
        if runner_command("RUN", config)[0] != self.command[0]:
            return "the run uses another Python"
        wanted = runner_environment(config)
        differ = sorted(name for name in set(wanted) | set(self.env)
                        if wanted.get(name) != self.env.get(name))
        if differ:
            return f"the run's environment differs ({', '.join(differ)})"
        return ""

    def hand_over(self, run_dir, resume: bool = False, events: bool = False):
        """Give it the run: it trains it as ``python -m pft_desktop.runner RUN_DIR`` would, and
        this returns its Popen. With ``events`` its stdout carries the run's events (as a
        runner started with stdout=PIPE); else they go to the run folder only. Raises OSError
        when the process has ended."""
        if not self.is_alive():
            raise OSError("the warm runner has ended")
        request = {"run_dir": str(Path(run_dir).resolve()), "resume": bool(resume),
                   "events": bool(events)}
        self.process.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
        self.process.stdin.flush()
        self.handed_over, self._keep_stdout = True, bool(events)
        self._decided.set()
        if events:
            self._first_line.wait()  # the caller reads on from after the ready line
        return self.process

    def close(self) -> None:
        """End it, unless it was handed a run (that run goes on as any other)."""
        if self.handed_over:
            return
        self._decided.set()
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        try:
            self.process.stdin.close()
        except OSError:
            pass

    def _read_stdout(self) -> None:
        """Read the ready line; then leave stdout to the caller that wants the events, or
        read it to the end (an unread pipe would fill and block the run)."""
        out = self.process.stdout
        try:
            line = out.readline()
            report = json.loads(line) if line.strip() else {}
            self.ready_report = report if isinstance(report, dict) else {}
        except (OSError, ValueError):
            pass
        self._first_line.set()
        self._decided.wait()
        if self._keep_stdout:
            return
        try:
            for _ in out:
                pass
            out.close()
        except (OSError, ValueError):
            pass
