"""``pft-desktop upload``: a run's model, or an export folder, to the Hugging Face Hub
(core.hub_upload). Prints the repository's URL; --json prints it as a result line for the app."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EPILOG = """\
RUN is a run folder or name (exported first into a temporary folder: the merged model, or
the LoRA adapter with --adapter), or a folder an export already wrote. The model card the
export writes becomes the repository's README. The repository is private unless --public.
pft_run.json (which holds this machine's paths) is never uploaded.

The token is huggingface_hub's: `hf auth login` stores it, or set HF_TOKEN. Offline mode
(File > Settings) and HF_HUB_OFFLINE refuse before any network request.

Examples:
  pft-desktop upload runs/first --repo your-name/first-model
  pft-desktop upload 20250101-120000-demo --repo your-name/demo-adapter --adapter
  pft-desktop upload exports/merged --repo your-name/sentiment --public
"""


def add_parser(sub) -> None:
    from pft_desktop.cli_runs import add_runs_root_flag

    parser = sub.add_parser("upload", help="upload a run's model to the Hugging Face Hub "
                            "(private by default)", epilog=EPILOG,
                            description="Upload a run's exported model, with its model card, "
                            "to a Hugging Face Hub repository.",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run_dir", metavar="RUN", help="a run folder or name, or an export "
                        "folder")
    parser.add_argument("--repo", required=True, metavar="USER/NAME", help="the repository "
                        "to create or update")
    parser.add_argument("--public", action="store_true", help="make a new repository public "
                        "(default: private)")
    parser.add_argument("--adapter", action="store_true", help="upload the LoRA adapter "
                        "instead of the merged model (default: merged)")
    parser.add_argument("--token-stdin", action="store_true", help="read the token from the "
                        "first line of stdin instead of huggingface_hub's store (the app's "
                        "pasted token; never on the command line)")
    parser.add_argument("--json", action="store_true", help="print the result as a JSON line")
    add_runs_root_flag(parser)


def run(args) -> int:
    from pft_desktop.core.hub_upload import is_export, upload_run

    source = Path(args.run_dir).expanduser()
    if not is_export(source):
        from pft_desktop.cli_runs import find_run

        source = find_run(args.run_dir).path
    say = lambda text: print(f"· {text}", file=sys.stderr)  # noqa: E731
    token = sys.stdin.readline().strip() or None if args.token_stdin else None
    url = upload_run(source, args.repo, private=not args.public, adapter=args.adapter,
                     token=token, progress=say)
    print(json.dumps({"type": "uploaded", "url": url}) if args.json else f"Uploaded to {url}")
    return 0
