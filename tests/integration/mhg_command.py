"""The `mhg` command run inside the test's process.

For a test about what a command finds (a verdict, a replay), not about the command as a
process: the same parser and handlers, without paying a new interpreter's imports for
each call (a second or two on the test machine). `test_cli.py` runs the command as a
real process, and shows that its exit code and output are these.
"""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from unittest import mock

from mhg_cli.main import main
from tests.conftest import SECRET


@dataclass(frozen=True)
class Finished:
    """What the command said and how it ended, as `subprocess.CompletedProcess` holds it."""

    returncode: int
    stdout: str
    stderr: str


def mhg_in_process(*args: str) -> Finished:
    """`mhg *args` with the environment a test's process gives it, its output captured."""
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.dict(os.environ, {"MHG_AUTH_SECRET": SECRET}),
        redirect_stdout(out),
        redirect_stderr(err),
    ):
        try:
            code = main(list(args))
        except SystemExit as stopped:  # argparse refusing the arguments
            code = stopped.code if isinstance(stopped.code, int) else 2
    return Finished(code, out.getvalue(), err.getvalue())
