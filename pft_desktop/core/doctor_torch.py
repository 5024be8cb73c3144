"""The doctor's checks that need torch: the build and its GPU support, the devices and their free
memory, accelerate's default config, and a real 4-bit bitsandbytes run.

The 4-bit run happens in a child process (``python -m pft_desktop.core.doctor_torch four-bit``)
with a timeout: a native crash or a hang in bitsandbytes must not take the doctor down.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from pft_desktop.core.doctor import GIB, Check, gib, pip_install, read_pins

FOUR_BIT_TIMEOUT_S = 120.0   # the probe takes 3-5 s on an idle CPU; CUDA's start adds more
LOW_RAM = 4 * GIB
FOUR_BIT_TOLERANCE = 1e-2    # relative; a broken kernel is off by tens of percent


def _pin(constraints: Path | None, name: str) -> str:
    pin = read_pins(constraints).get(name) if constraints and constraints.is_file() else None
    return f"{name}=={pin}" if pin else name


# -- torch --------------------------------------------------------------------------------------
def check_torch(constraints: Path | None = None) -> Check:
    try:
        import torch
    except Exception as exc:  # noqa: BLE001 - a broken install raises anything
        return Check("", "problem", f"torch cannot be imported ({type(exc).__name__}: "
                     f"{str(exc)[:200]}).", pip_install([_pin(constraints, "torch")],
                                                        constraints))
    cuda, hip = torch.version.cuda, getattr(torch.version, "hip", None)
    mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    facts = {"version": torch.__version__, "cuda": cuda, "rocm": hip,
             "cuda_available": torch.cuda.is_available(), "gpus": torch.cuda.device_count(),
             "mps_available": mps, "cpu_capability": torch.backends.cpu.get_cpu_capability(),
             "threads": torch.get_num_threads(),
             "CUDA_VISIBLE_DEVICES": os.environ.get("CUDA_VISIBLE_DEVICES")}
    name = f"torch {torch.__version__}"
    if facts["cuda_available"]:
        kind = f"ROCm {hip}" if hip else f"CUDA {cuda}"
        return Check("", "ok", f"{name}: {kind} with {facts['gpus']} GPU"
                     f"{'s' if facts['gpus'] != 1 else ''}.", None, facts)
    if mps:
        return Check("", "ok", f"{name}: the Apple GPU (MPS) is available.", None, facts)
    if cuda or hip:
        hidden = (f" CUDA_VISIBLE_DEVICES={facts['CUDA_VISIBLE_DEVICES']!r} may hide them."
                  if facts["CUDA_VISIBLE_DEVICES"] is not None else "")
        built = f"ROCm {hip}" if hip else f"CUDA {cuda}"
        return Check("", "warning", f"{name} is built for {built} but sees no GPU: training "
                     "runs on the CPU.", f"Check the GPU and its driver with "
                     f"`{'rocm-smi' if hip else 'nvidia-smi'}` (the driver must support "
                     f"{built}).{hidden}", facts)
    if shutil.which("nvidia-smi"):
        base = torch.__version__.split("+")[0]
        return Check("", "warning", f"{name} is a CPU-only build, but an NVIDIA driver is "
                     "installed (nvidia-smi): the GPU is not used.", "Install a CUDA build of "
                     "torch; pick the index for your driver's CUDA version at "
                     "https://pytorch.org/get-started/locally/, e.g. " + pip_install(
                         [f"torch=={base}", "--index-url",
                          "https://download.pytorch.org/whl/cu128"]), facts)
    return Check("", "ok", f"{name}: CPU only ({facts['cpu_capability']} kernels, "
                 f"{facts['threads']} threads); no GPU support in this build.", None, facts)


# -- devices ------------------------------------------------------------------------------------
def cpu_facts() -> dict:
    import psutil

    memory = psutil.virtual_memory()
    facts = {"name": platform.processor() or platform.machine(), "cores": os.cpu_count(),
             "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
             else os.cpu_count(), "physical_cores": psutil.cpu_count(logical=False),
             "ram_total_bytes": memory.total, "ram_available_bytes": memory.available}
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return facts
    for line in info.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            facts["name"] = value.strip()
        elif key.strip() == "flags":
            flags = value.split()
            facts["flags"] = [f for f in ("avx2", "avx512f", "avx512_bf16", "amx_bf16")
                              if f in flags]
            break
    return facts


def check_devices() -> Check:
    """CPU cores and free RAM; each GPU's free memory (torch.cuda.mem_get_info)."""
    import torch

    cpu = cpu_facts()
    gpus = []
    for index in range(torch.cuda.device_count() if torch.cuda.is_available() else 0):
        props = torch.cuda.get_device_properties(index)
        free, total = torch.cuda.mem_get_info(index)
        gpus.append({"index": index, "name": props.name, "free_bytes": free,
                     "total_bytes": total, "capability": f"{props.major}.{props.minor}"})
    if not gpus and getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        gpus.append({"index": 0, "name": "Apple GPU (MPS, memory shared with the CPU)"})
    facts = {"cpu": cpu, "gpus": gpus}
    parts = [f"CPU {cpu['name']}: {cpu['cores']} cores ({cpu['usable_cores']} usable), "
             f"{gib(cpu['ram_available_bytes'])} of {gib(cpu['ram_total_bytes'])} RAM free"]
    parts += [f"GPU {g['index']} {g['name']}" + (f": {gib(g['free_bytes'])} of "
              f"{gib(g['total_bytes'])} free" if "free_bytes" in g else "") for g in gpus]
    finding = "; ".join(parts) + ("" if gpus else "; no GPU") + "."
    busy = [g for g in gpus if "free_bytes" in g
            and g["free_bytes"] < min(GIB, 0.1 * g["total_bytes"])]
    if busy:
        tool = "rocm-smi" if getattr(torch.version, "hip", None) else "nvidia-smi"
        return Check("", "warning", finding + f" GPU {busy[0]['index']} is nearly full: another "
                     "process holds its memory.", f"See which process with `{tool}` and end "
                     "it, or train on another GPU.", facts)
    if cpu["ram_available_bytes"] < LOW_RAM:
        return Check("", "warning", finding + " Little RAM is free: loading a model may fail.",
                     "Close other programs, or choose a smaller model, LoRA and a smaller "
                     "batch.", facts)
    return Check("", "ok", finding, None, facts)


# -- accelerate ---------------------------------------------------------------------------------
def check_accelerate() -> Check:
    """accelerate's own default config file (what `accelerate launch` uses without
    --config_file): where it is, and what it says, or none."""
    try:
        from accelerate.commands.config.config_args import default_config_file
    except Exception as exc:  # noqa: BLE001
        return Check("", "problem", f"accelerate cannot be imported ({type(exc).__name__}: "
                     f"{str(exc)[:200]}).", pip_install(["accelerate"]))
    path = Path(default_config_file)
    facts = {"version": metadata.version("accelerate"), "config_file": str(path),
             "exists": path.is_file(), "config": None}
    name = f"accelerate {facts['version']}"
    if not path.is_file():
        return Check("", "ok", f"{name}; default config: none ({path} does not exist).", None,
                     facts)
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        config = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        if not isinstance(config, dict):
            raise ValueError("not a mapping of settings")
    except (OSError, ValueError, yaml.YAMLError) as exc:
        return Check("", "warning", f"{name}; its default config {path} cannot be read "
                     f"({str(exc)[:150]}).", f"Write it again with `accelerate config`, or "
                     f"remove it: rm {shlex.quote(str(path))}", facts)
    facts["config"] = config
    shown = ", ".join(f"{key} {config[key]}" for key in
                      ("distributed_type", "num_processes", "mixed_precision", "gpu_ids",
                       "use_cpu") if key in config)
    import torch

    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    wants = int(config.get("num_processes") or 1)
    if "GPU" in str(config.get("distributed_type", "")).upper() and wants > gpus:
        return Check("", "warning", f"{name}; default config {path}: {shown}; it asks for "
                     f"{wants} processes but {gpus} GPU{'s are' if gpus != 1 else ' is'} "
                     "visible.", f"Write it again with `accelerate config`, or remove it: "
                     f"rm {shlex.quote(str(path))}", facts)
    return Check("", "ok", f"{name}; default config {path}: {shown or 'empty'}.", None, facts)


# -- bitsandbytes -------------------------------------------------------------------------------
def four_bit_command() -> list[str]:
    """The child that runs the probe (a function, so tests can give a crashing one)."""
    return [sys.executable, "-m", "pft_desktop.core.doctor_torch", "four-bit"]


def check_bitsandbytes(constraints: Path | None = None,
                       timeout: float = FOUR_BIT_TIMEOUT_S) -> Check:
    """Quantize a small Linear to 4-bit NF4 and train through it, in a child process; its
    outcome, crash or hang is the finding."""
    if platform.system() == "Darwin":
        return Check("", "skipped", "bitsandbytes has no kernels for macOS: QLoRA is not "
                     "offered; LoRA works.")
    try:
        version = metadata.version("bitsandbytes")
    except metadata.PackageNotFoundError:
        return Check("", "warning", "bitsandbytes is not installed: QLoRA (4-bit and 8-bit) is "
                     "not available; LoRA works.",
                     pip_install([_pin(constraints, "bitsandbytes")], constraints))
    reinstall = pip_install(["--force-reinstall", "--no-deps", _pin(constraints, "bitsandbytes")])
    fix = f"Choose LoRA rather than QLoRA here; to reinstall the tested bitsandbytes: {reinstall}"
    facts = {"version": version, "command": four_bit_command(), "timeout_s": timeout}
    started = time.monotonic()
    try:
        child = subprocess.run(facts["command"], capture_output=True, text=True,
                               timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return Check("", "problem", f"The 4-bit check (bitsandbytes {version}) hung: no answer "
                     f"within {timeout:g} s, so it was stopped.", fix, facts)
    facts["seconds"] = round(time.monotonic() - started, 1)
    facts["exit_code"] = child.returncode
    lines = child.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1]) if lines else {}
    except ValueError:
        result = {}
    facts.update(result)
    if "ok" not in result:  # no verdict: the child died before it could give one
        how = (f"crashed ({_signal_name(-child.returncode)})" if child.returncode < 0
               else f"exited with code {child.returncode} without a result")
        last = [line for line in child.stderr.strip().splitlines() if line.strip()][-1:]
        facts["stderr_tail"] = child.stderr[-2000:]
        return Check("", "problem", f"The 4-bit check (bitsandbytes {version}) {how}"
                     f"{': ' + last[0][:200] if last else ''}.", fix, facts)
    device = {"cpu": "the CPU", "cuda": "the GPU"}.get(result.get("device"), "?")
    where = f"on {device} (bitsandbytes {version}, {result.get('backend', '?')} backend)"
    if result.get("error"):
        return Check("", "problem", f"4-bit NF4 fails {where} while {result.get('stage')}: "
                     f"{result['error'][:200]}.", fix, facts)
    if not result.get("ok"):
        return Check("", "problem", f"4-bit NF4 runs {where} but gives wrong results (forward "
                     f"error {result.get('forward_error'):.2g}, gradient error "
                     f"{result.get('gradient_error'):.2g}).", fix, facts)
    return Check("", "ok", f"4-bit NF4 works {where}: a quantized Linear's forward and "
                 f"backward match its dequantized weights ({facts['seconds']} s).", None, facts)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _relative(a, b) -> float:
    a, b = a.detach().float(), b.detach().float()
    return float((a - b).abs().max() / b.abs().max().clamp_min(1e-12))


def four_bit_probe() -> dict:
    """Run in the child: quantize, forward, backward, eval forward, backward again, each
    compared with the dequantized weights in fp32. Repacking stays off on CPU, as pft-desktop trains
    (methods.disable_cpu_4bit_repacking; STACK_NOTES explains why)."""
    result, stage = {"ok": False}, "importing bitsandbytes"
    try:
        import torch
        import bitsandbytes as bnb
        from bitsandbytes import cextension

        from pft_desktop.core.methods import disable_cpu_4bit_repacking

        device = "cuda" if torch.cuda.is_available() else "cpu"  # ROCm is "cuda" too
        native = getattr(getattr(cextension, "lib", None), "_lib", None)
        result.update(device=device, backend=cextension.BNB_BACKEND,
                      native_library=Path(native._name).name if native is not None else None)
        if device == "cpu":
            result["avx512bf16"] = bool(bnb.functional.has_avx512bf16())
        stage = "quantizing"
        torch.manual_seed(0)
        dense = torch.nn.Linear(64, 32)
        layer = bnb.nn.Linear4bit(64, 32, compute_dtype=torch.float32, quant_type="nf4")
        layer.weight = bnb.nn.Params4bit(dense.weight.data.clone(), requires_grad=False,
                                         quant_type="nf4")
        layer.bias = torch.nn.Parameter(dense.bias.data.clone())
        layer = layer.to(device)
        disable_cpu_4bit_repacking(layer)
        weight = bnb.functional.dequantize_4bit(layer.weight.data,
                                                layer.weight.quant_state).float()
        result["quantization_error"] = _relative(weight, dense.weight.to(device))
        stage = "running a forward pass"
        x = torch.randn(4, 64, device=device, requires_grad=True)
        out = layer(x)
        expected = x @ weight.t() + layer.bias
        result["forward_error"] = _relative(out, expected)
        stage = "running a backward pass"
        out.sum().backward()
        result["gradient_error"] = _relative(x.grad, torch.ones_like(out) @ weight)
        stage = "running an eval forward pass"
        layer.eval()
        with torch.no_grad():
            result["eval_error"] = _relative(layer(x.detach()), expected)
        stage = "training again after the eval pass"  # where CPU repacking used to break it
        layer.train()
        x.grad = None
        layer(x).sum().backward()
        result["gradient_after_eval_error"] = _relative(x.grad, torch.ones_like(out) @ weight)
        result["ok"] = (max(result["forward_error"], result["gradient_error"],
                            result["eval_error"], result["gradient_after_eval_error"])
                        < FOUR_BIT_TOLERANCE
                        and result["quantization_error"] < 0.5)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as the finding
        result.update(stage=stage, error=f"{type(exc).__name__}: {exc}")
    return result


if __name__ == "__main__" and sys.argv[1:] == ["four-bit"]:
    if hasattr(signal, "alarm"):  # orphaned (the doctor was killed) and hung: end anyway
        signal.alarm(int(FOUR_BIT_TIMEOUT_S) + 10)
    outcome = four_bit_probe()
    print(json.dumps(outcome), flush=True)
    raise SystemExit(0 if outcome["ok"] else 1)
