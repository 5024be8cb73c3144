import errno

from pft_desktop.core.errors import UserError, explain_exception


def test_out_of_memory_becomes_advice():
    error = explain_exception(RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB"))
    assert error.kind == "out_of_memory"
    for advice in ("batch size", "sequence length", "gradient checkpointing", "QLoRA"):
        assert advice in error.fix


def test_full_disk_says_so():
    error = explain_exception(OSError(errno.ENOSPC, "No space left on device"))
    assert error.kind == "no_disk_space" and "resume" in error.fix


def test_unexpected_errors_point_to_the_log():
    error = explain_exception(ValueError("shape mismatch"))
    assert error.kind == "internal" and "ValueError: shape mismatch" in error.message
    assert "train.log" in error.fix


def test_user_errors_pass_through():
    original = UserError("missing_file", "gone", "find it")
    assert explain_exception(original) is original
    assert str(original) == "gone find it"
