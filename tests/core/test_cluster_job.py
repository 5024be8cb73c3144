"""A run config exported as a job for several machines: the folder's files, its accelerate config
read back by accelerate, the Slurm script's header and what its srun starts on each node, the
run folder each machine prepares, the command line, and the job itself run for real as two
"machines" on this computer (two launch.sh, machine ranks 0 and 1, CPU processes over gloo)."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import classification_config, fails_cleanly
from pft_desktop.core import cluster_job, events, launch
from pft_desktop.core.config import RunConfig
from pft_desktop.core.errors import UserError
from pft_desktop.core.rundir import RunFolder

RUN_TIMEOUT_S = 240  # the two-machine run here takes about 15 s; a hang must not hang the suite


def cpu_config(model, data, **training):
    config = classification_config(model, data, **training)
    config.resources.devices = "cpu"
    return config


def sbatch_header(text: str) -> dict:
    return dict(line[len("#SBATCH --"):].split("=", 1) for line in text.splitlines()
                if line.startswith("#SBATCH --"))


# -- the folder -------------------------------------------------------------------------------
def test_the_job_folder_has_its_files_and_scripts_that_parse(tmp_path, tiny_encoder,
                                                             sentiment_csv):
    job = cluster_job.export_cluster_job(cpu_config(tiny_encoder, sentiment_csv),
                                         tmp_path / "job", machines=3)
    assert sorted(p.name for p in job.folder.iterdir()) == sorted(
        ["config.toml", "accelerate_config.yaml", "launch.sh", "job.sbatch", "README.md"])
    for script in ("launch.sh", "job.sbatch"):
        path = job.folder / script
        assert os.access(path, os.X_OK), script
        checked = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
    # Nothing points outside the folder but the model and the data, so it can be moved.
    for name in ("launch.sh", "job.sbatch", "accelerate_config.yaml"):
        assert str(tmp_path) not in (job.folder / name).read_text(), name
    launch_sh = (job.folder / "launch.sh").read_text()
    assert 'JOB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"' in launch_sh
    assert '--config_file "$JOB_DIR/accelerate_config.yaml"' in launch_sh
    assert "-m pft_desktop.runner" in launch_sh

    written = RunConfig.load(job.folder / "config.toml")  # the note is a TOML comment
    assert written.resources.processes == 3  # 3 machines x the config's 1 process
    assert written.data.train_file == str(sentiment_csv.resolve())
    assert written.model.name_or_path == str(tiny_encoder.resolve())
    header = (job.folder / "config.toml").read_text().split("\n\n")[0]
    assert "same\n# path on every machine" in header and str(sentiment_csv.resolve()) in header
    readme = (job.folder / "README.md").read_text()
    for needle in ("sbatch job.sbatch", "./launch.sh 0 MAIN_ADDRESS", "shared storage",
                   "File > Open run folder", "pft-desktop runs --runs-root",
                   f"runs/{job.run_name}"):
        assert needle in readme, needle


def test_the_accelerate_config_is_one_for_several_machines_that_accelerate_reads(
        tmp_path, tiny_encoder, sentiment_csv):
    from accelerate.commands.config.config_args import ClusterConfig

    cpu = cluster_job.export_cluster_job(cpu_config(tiny_encoder, sentiment_csv),
                                         tmp_path / "cpu", machines=2, processes_per_machine=2)
    read = ClusterConfig.from_yaml_file(str(cpu.folder / launch.ACCELERATE_CONFIG))
    assert (read.num_machines, read.num_processes) == (2, 4)  # the total: 2 per machine
    assert read.distributed_type == "MULTI_GPU" and read.use_cpu  # torchrun, gloo on the CPU
    assert read.same_network and read.rdzv_backend == "static"
    assert read.main_process_port == launch.MACHINES_PORT  # fixed: every machine meets there
    assert read.main_process_ip is None  # given by launch.sh, with the machine rank

    gpus = cpu_config(tiny_encoder, sentiment_csv)
    gpus.resources.devices, gpus.resources.processes = "0,1", 2  # this computer's two GPUs
    job = cluster_job.export_cluster_job(gpus, tmp_path / "gpu", machines=4)
    read = ClusterConfig.from_yaml_file(str(job.folder / launch.ACCELERATE_CONFIG))
    assert (read.num_machines, read.num_processes, read.gpu_ids) == (4, 8, "all")
    assert not read.use_cpu
    assert RunConfig.load(job.folder / "config.toml").resources.devices == ""  # each node's own
    assert "CUDA_VISIBLE_DEVICES" not in (job.folder / "launch.sh").read_text()
    assert "export CUDA_VISIBLE_DEVICES=''" in (cpu.folder / "launch.sh").read_text()

    # DeepSpeed starts through torchrun on each machine (pdsh would ssh to the others).
    gpus.resources.devices, gpus.resources.processes = "", 4
    gpus.resources.strategy = "deepspeed"
    config = launch.accelerate_config(gpus, machines=2)
    assert config["deepspeed_config"]["deepspeed_multinode_launcher"] == "standard"
    assert launch.accelerate_config(gpus)["num_machines"] == 1  # one machine: as before
    assert launch.accelerate_config(gpus)["main_process_port"] == 0


def test_the_sbatch_header_and_what_srun_starts_on_each_node(tmp_path, tiny_encoder,
                                                              sentiment_csv):
    gpus = cpu_config(tiny_encoder, sentiment_csv)
    gpus.resources.devices = ""
    gpus.resources.processes = 4
    job = cluster_job.export_cluster_job(gpus, tmp_path / "job", machines=2)
    text = (job.folder / "job.sbatch").read_text()
    header = sbatch_header(text)
    assert header["nodes"] == "2" and header["ntasks-per-node"] == "1"
    assert header["gpus-per-node"] == "4"
    assert header["job-name"] == f"pft-{job.run_name}"
    cpu = cluster_job.export_cluster_job(cpu_config(tiny_encoder, sentiment_csv),
                                         tmp_path / "cpu-job", machines=3)
    cpu_header = sbatch_header((cpu.folder / "job.sbatch").read_text())
    assert cpu_header["nodes"] == "3" and "gpus-per-node" not in cpu_header

    # Slurm is not here: stand-ins for srun and scontrol that do what Slurm documents (one
    # task per node, each with its SLURM_NODEID; the allocation's host names in order), and
    # a launch.sh that records its arguments. The sbatch script itself runs for real.
    moved = tmp_path / "elsewhere" / "job"
    shutil.copytree(job.folder, moved)
    record = tmp_path / "started.txt"
    (moved / "launch.sh").write_text(f'#!/usr/bin/env bash\necho "$*" >> {record}\n')
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "scontrol").write_text('#!/usr/bin/env bash\n[ "$1 $2 $3" = "show hostnames '
                                   'gpu[07-08]" ] && printf "gpu07\\ngpu08\\n"\n')
    (fake / "srun").write_text(
        '#!/usr/bin/env bash\nnodes=1\necho "srun $1 $2" >> ' + str(record) + '\n'
        'while [[ "$1" == --* ]]; do [[ "$1" == --nodes=* ]] && nodes="${1#--nodes=}"; '
        'shift; done\nfor ((i = 0; i < nodes; i++)); do SLURM_NODEID=$i "$@"; done\n')
    for name in ("scontrol", "srun"):
        (fake / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}", "SLURM_SUBMIT_DIR": str(moved),
           "SLURM_JOB_NODELIST": "gpu[07-08]"}
    done = subprocess.run(["bash", str(moved / "job.sbatch")], cwd=tmp_path / "elsewhere",
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert record.read_text().splitlines() == [
        "srun --nodes=2 --ntasks-per-node=1", f"0 gpu07 {launch.MACHINES_PORT}",
        f"1 gpu07 {launch.MACHINES_PORT}"]


# -- the config a job gets, and what it refuses ------------------------------------------------
def test_a_job_refuses_what_cannot_run_on_several_machines(tmp_path, tiny_encoder,
                                                           sentiment_csv):
    config = cpu_config(tiny_encoder, sentiment_csv)
    config.resources.strategy = "fsdp"
    with pytest.raises(UserError) as refused:  # FSDP on CPU processes: accelerate ignores it
        cluster_job.export_cluster_job(config, tmp_path / "a", machines=2)
    assert refused.value.kind == "fsdp_on_cpu"
    with pytest.raises(UserError) as refused:
        cluster_job.export_cluster_job(RunConfig(), tmp_path / "b")
    assert refused.value.kind == "invalid_config" and "train_file" in refused.value.message
    with pytest.raises(UserError) as refused:
        cluster_job.export_cluster_job(cpu_config(tiny_encoder, sentiment_csv), tmp_path / "c",
                                       machines=0)
    assert refused.value.kind == "bad_cluster_shape"
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "mine.txt").write_text("keep")
    with pytest.raises(UserError) as refused:
        cluster_job.export_cluster_job(cpu_config(tiny_encoder, sentiment_csv), tmp_path / "d")
    assert refused.value.kind == "job_exists"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers


def test_notes_say_what_is_not_on_this_computer_and_what_the_batch_becomes(
        tmp_path, tiny_encoder, sentiment_csv):
    config = cpu_config(tiny_encoder, sentiment_csv)
    config.data.validation_file = "/cluster/data/validation.csv"  # only on the cluster
    config.data.validation_split = 0.0
    job = cluster_job.export_cluster_job(config, tmp_path / "job", machines=2)
    assert any("/cluster/data/validation.csv" in note and "every machine" in note
               for note in job.notes)
    assert any("global batch is 16" in note for note in job.notes)  # 8 x 1 x 2 processes


# -- the run folder each machine prepares -----------------------------------------------------
def test_each_machine_prepares_the_run_folder_or_accepts_the_one_another_made(
        tmp_path, tiny_encoder, sentiment_csv):
    job = cluster_job.export_cluster_job(cpu_config(tiny_encoder, sentiment_csv),
                                         tmp_path / "job", machines=2)
    config_file = job.folder / "config.toml"
    run = tmp_path / "shared" / "run"
    # Shared storage: machine 1 may come first; then machine 0 takes the folder it made.
    made = cluster_job.prepare_run(config_file, run, machine_rank=1)
    assert made.status()["status"] == "pending"
    assert cluster_job.prepare_run(config_file, run, machine_rank=0).path == made.path
    # Once rank 0 trains in it, a late machine 1 still joins; machine 0 again would mix runs.
    made.set_status("failed")
    assert cluster_job.prepare_run(config_file, run, machine_rank=1).path == made.path
    with pytest.raises(UserError) as refused:
        cluster_job.prepare_run(config_file, run, machine_rank=0)
    assert refused.value.kind == "run_started" and "RESUME=1" in refused.value.fix
    assert cluster_job.prepare_run(config_file, run, 0, resume=True).path == made.path
    with pytest.raises(UserError) as refused:
        cluster_job.prepare_run(config_file, tmp_path / "none", 0, resume=True)
    assert refused.value.kind == "no_run_to_resume"

    other = RunConfig.load(config_file)
    other.training.learning_rate = 0.5
    RunFolder.create(tmp_path / "other", other)
    with pytest.raises(UserError) as refused:
        cluster_job.prepare_run(config_file, tmp_path / "other", machine_rank=1)
    assert refused.value.kind == "other_run"

    missing = tmp_path / "missing.toml"
    gone = RunConfig.load(config_file)
    gone.data.train_file = str(tmp_path / "not-here.csv")
    gone.save(missing)
    with pytest.raises(UserError) as refused:
        cluster_job.prepare_run(missing, tmp_path / "run2", machine_rank=1)
    assert refused.value.kind == "missing_on_machine"
    assert "machine 1" in refused.value.message and "not-here.csv" in refused.value.message
    assert not (tmp_path / "run2").exists()


# -- the command line -------------------------------------------------------------------------
def test_the_command_writes_the_job_from_a_config_or_a_run_folder(tmp_path, capsys,
                                                                  tiny_encoder, sentiment_csv):
    from pft_desktop.cli import main

    config_file = cpu_config(tiny_encoder, sentiment_csv).save(tmp_path / "run.toml")
    assert main(["cluster-job", str(config_file), "--output", str(tmp_path / "job"),
                 "--machines", "3", "--processes-per-machine", "2"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == str((tmp_path / "job").resolve())
    assert "3 machines x 2 processes" in err and "sbatch job.sbatch" in err
    assert RunConfig.load(tmp_path / "job" / "config.toml").resources.processes == 6
    assert sbatch_header((tmp_path / "job" / "job.sbatch").read_text())["nodes"] == "3"

    run = RunFolder.create(tmp_path / "a-run", RunConfig.load(config_file))
    assert main(["cluster-job", str(run.path), "-o", str(tmp_path / "job2")]) == 0
    assert "2 machines x 1 process" in capsys.readouterr().err
    fails_cleanly(capsys, ["cluster-job", str(config_file)], "--output")
    fails_cleanly(capsys, ["cluster-job", str(config_file), "-o", str(tmp_path / "job")],
                  "not empty")


# -- the job, run for real ---------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_machine(job_dir: Path, rank: int, port: int, run_dir: Path | None, log: Path):
    env = {**os.environ, "PYTHON": sys.executable, "OMP_NUM_THREADS": "1"}  # 2 cores here
    if run_dir is not None:
        env["RUN_DIR"] = str(run_dir)
    with open(log, "w") as errors:
        return subprocess.Popen(["bash", str(job_dir / "launch.sh"), str(rank), "127.0.0.1",
                                 str(port)], env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=errors, start_new_session=True)


# own disks is the harder case (the checkpoint reaches the second machine through the job);
# a shared folder runs with the slow tests
@pytest.mark.parametrize("storage", [pytest.param("shared", marks=pytest.mark.slow),
                                     "own disks"])
def test_two_machines_train_one_run_through_launch_sh(tmp_path, tiny_encoder, sentiment_csv,
                                                      storage):
    exported = cluster_job.export_cluster_job(cpu_config(tiny_encoder, sentiment_csv,
                                                         max_steps=3),
                                              tmp_path / "exported", machines=2)
    job_dir = tmp_path / "moved" / "job"  # the folder works wherever it is copied
    shutil.move(exported.folder, job_dir)
    run_dir = job_dir / "runs" / exported.run_name
    second_dir = None if storage == "shared" else tmp_path / "machine-1-disk" / "run"
    port = free_port()
    began = time.monotonic()
    machines = [start_machine(job_dir, 0, port, None, tmp_path / "machine-0.log"),
                start_machine(job_dir, 1, port, second_dir, tmp_path / "machine-1.log")]
    outputs = []
    try:
        for machine in machines:
            outputs.append(machine.communicate(timeout=RUN_TIMEOUT_S)[0].decode())
    except subprocess.TimeoutExpired:
        for machine in machines:
            os.killpg(machine.pid, 9)
        pytest.fail(f"the job did not end within {RUN_TIMEOUT_S} s:\n"
                    + (tmp_path / "machine-0.log").read_text()[-3000:])
    seconds = time.monotonic() - began
    print(f"two machines ({storage}), 3 steps: {seconds:.1f} s")
    logs = [(tmp_path / f"machine-{i}.log").read_text()[-3000:] for i in (0, 1)]
    assert [m.returncode for m in machines] == [0, 0], "\n".join(logs)

    folder = RunFolder(run_dir)
    assert folder.state() == "finished"
    written = list(events.read_events(folder.events_file))
    assert [e["step"] for e in written if e["type"] == "step"] == [1, 2, 3]  # each step once
    assert events.last_of(written, "started")["processes"] == 2  # one world over both
    assert (folder.model_dir / "model.safetensors").is_file()
    streamed = [e for e in map(events.parse_line, outputs[0].splitlines()) if e]
    assert [e["type"] for e in streamed] == [e["type"] for e in written]
    assert not [line for line in outputs[1].splitlines() if events.parse_line(line)]  # rank 1
    if second_dir is not None:  # machine 1 kept a copy of the config and wrote no results
        copy = RunFolder(second_dir)
        assert copy.load_config().to_dict() == folder.load_config().to_dict()
        assert copy.status()["status"] == "pending"
        assert not copy.events_file.exists() and not copy.model_dir.exists()
