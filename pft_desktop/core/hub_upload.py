"""Upload an export (merged model or adapter, with the model card the export wrote) to the
Hugging Face Hub, into a private repository unless asked otherwise.

Everything a user can meet becomes a UserError with the fix: the app's offline mode, the
HF_HUB_OFFLINE switch, no stored token, a refused token, an unreachable hub. The token comes
from huggingface_hub's own store (``hf auth login``) or HF_TOKEN, and is never printed or
written anywhere by this module.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from pft_desktop.core.errors import UserError

LOGIN = "run `hf auth login` in a terminal, or paste a token (a write token from " \
        "https://huggingface.co/settings/tokens)"
# Never uploaded: pft_run.json holds this machine's paths (the base model's and the data's
# folders); hidden files are staging leftovers. huggingface_hub adds its own (.git, caches).
IGNORED = ["pft_run.json", ".*", "**/.*"]
EXPORT_MARKERS = ("config.json", "adapter_config.json")


def check_can_upload(token: str | None = None) -> str:
    """The token to upload with, or the reason there is none. Needs no network."""
    from pft_desktop.core.settings import load_settings

    if load_settings().get("offline"):
        raise UserError("offline_mode", "Offline mode is on, so the app does not contact the "
                        "Hugging Face Hub.", "Turn offline mode off in File > Settings, then "
                        "upload again.")
    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE or os.environ.get("HF_HUB_OFFLINE", "").lower() in (
            "1", "true", "yes", "on"):
        raise UserError("hub_offline", "HF_HUB_OFFLINE is set, so huggingface_hub makes no "
                        "network requests and cannot upload.", "Unset HF_HUB_OFFLINE (or set "
                        "it to 0) where the app is started, then upload again.")
    if token:
        return token
    from huggingface_hub import get_token

    found = get_token()
    if not found:
        raise UserError("no_token", "No Hugging Face token is stored on this machine, so the "
                        "upload cannot sign in.", f"To upload, {LOGIN}.")
    return found


def check_repo_id(repo_id: str) -> str:
    """``user/name`` (or ``name``, in the token's own namespace), as the Hub accepts it."""
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id

    repo_id = repo_id.strip()
    try:
        if not repo_id:
            raise HFValidationError("empty")
        validate_repo_id(repo_id)
    except HFValidationError:
        raise UserError("bad_repo_id", f"'{repo_id}' is not a Hugging Face repository id.",
                        "Write it as your-user-name/model-name: letters, digits, '-', '_' or "
                        "'.', at most 96 characters.") from None
    return repo_id


def is_export(folder: Path) -> bool:
    """A folder written by an adapter or merged export (a model and its card), not a run."""
    return (folder / "README.md").is_file() and any((folder / name).is_file()
                                                     for name in EXPORT_MARKERS)


def files_to_upload(folder: str | Path) -> list[str]:
    """The files an upload of ``folder`` sends, relative and sorted: the same filter
    huggingface_hub's upload_folder applies, with the same patterns."""
    from huggingface_hub.utils import DEFAULT_IGNORE_PATTERNS, filter_repo_objects

    folder = Path(folder)
    names = sorted(path.relative_to(folder).as_posix() for path in folder.glob("**/*")
                   if path.is_file())
    return list(filter_repo_objects(names, ignore_patterns=IGNORED + DEFAULT_IGNORE_PATTERNS))


def upload_folder(folder: str | Path, repo_id: str, private: bool = True,
                  token: str | None = None,
                  progress: Callable[[str], None] = lambda text: None) -> str:
    """Create the repository if needed (private by default) and upload ``folder`` as one
    commit; returns the repository's URL."""
    folder = Path(folder)
    if not is_export(folder):
        raise UserError("not_an_export", f"{folder} is not an exported model (it has no "
                        "README.md beside a config.json or adapter_config.json).",
                        "Export the run first (merged or adapter), or give the run itself.")
    repo_id = check_repo_id(repo_id)
    token = check_can_upload(token)
    from huggingface_hub import HfApi

    api = HfApi(token=token)
    try:
        progress(f"Creating {repo_id} on the Hub ({'private' if private else 'public'})")
        url = api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
        progress(f"Uploading {len(files_to_upload(folder))} files")
        api.upload_folder(repo_id=repo_id, folder_path=folder, ignore_patterns=list(IGNORED),
                          commit_message="Upload a model fine-tuned with pft-desktop")
    except Exception as exc:  # noqa: BLE001 - each way the hub can fail, named below
        raise hub_error(exc, repo_id) from None
    return str(url)


def upload_run(run_dir: str | Path, repo_id: str, private: bool = True,
               adapter: bool = False, token: str | None = None,
               progress: Callable[[str], None] = lambda text: None) -> str:
    """Upload a run's model: an export folder as it is, or a run exported first (merged, or
    the adapter) into a temporary folder inside the run, removed afterwards."""
    from pft_desktop.core.export import export_run

    source = Path(run_dir)
    if is_export(source):
        return upload_folder(source, repo_id, private, token, progress)
    check_repo_id(repo_id)
    token = check_can_upload(token)  # before the export, which can take minutes
    work = Path(tempfile.mkdtemp(prefix=".upload-", dir=source))
    try:
        export = export_run(source, work / "export", "adapter" if adapter else "merged",
                            progress=progress)
        return upload_folder(export, repo_id, private, token, progress)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def hub_error(exc: BaseException, repo_id: str) -> UserError:
    """What went wrong talking to the Hub, in words, with the fix (the token never shown)."""
    from huggingface_hub import constants
    from huggingface_hub.errors import HfHubHTTPError, HTTPError, OfflineModeIsEnabled

    if isinstance(exc, UserError):
        return exc
    if isinstance(exc, OfflineModeIsEnabled):
        return UserError("hub_offline", "huggingface_hub is in offline mode (HF_HUB_OFFLINE), "
                         "so it cannot upload.", "Unset HF_HUB_OFFLINE, then upload again.")
    if isinstance(exc, HfHubHTTPError):
        status = getattr(exc.response, "status_code", None)
        if status == 401:
            return UserError("bad_token", "The Hub refused the stored token (it is invalid or "
                             "expired).", f"To sign in again, {LOGIN}.")
        if status == 403:
            return UserError("no_permission", f"The token may not write to {repo_id}.",
                             "Use a token with write access (a fine-grained token needs "
                             "'write' on that namespace), or a repository of your own.")
        detail = (getattr(exc, "server_message", "") or str(exc)).splitlines()[0][:300]
        return UserError("hub_refused", f"The Hub refused the upload to {repo_id} "
                         f"(HTTP {status}: {detail}).", "Check the repository id and your "
                         "account, then upload again.")
    if isinstance(exc, (HTTPError, OSError, TimeoutError)):
        return UserError("hub_unreachable", f"The Hugging Face Hub at {constants.ENDPOINT} "
                         f"could not be reached ({type(exc).__name__}: {str(exc)[:200]}).",
                         "Check the internet connection (and a proxy, HTTPS_PROXY), then "
                         "upload again; or copy the exported folder by other means.")
    raise exc
