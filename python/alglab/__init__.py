"""alglab in Python: the CLI's commands in-process, returning what they print with --json.

    >>> import alglab
    >>> alglab.run("office", "none")["symptoms"]

Every function returns plain dicts and lists with exactly the shape of the CLI's ``--json``
output for the same arguments, and the same values: a run is deterministic, in-process or not.
Bad input raises :class:`alglab.Error` (a ``ValueError``) whose message is the one line the CLI
prints after ``alglab:``. One command runs at a time in a process (ns-3 allows one
simulation); the GIL is released while it runs, so other threads keep going.
"""
import os as _os
from pathlib import Path as _Path

# Installed (cmake --install --component python), the package carries a copy of the shipped
# scenarios: use it unless the caller chose a folder, so the module works without the source
# tree. In the build tree there is no copy and the compiled-in source folder applies.
_SCENARIOS = _Path(__file__).resolve().parent / "scenarios"
if not _os.environ.get("ALGLAB_SCENARIO_DIR") and _SCENARIOS.is_dir():
    _os.environ["ALGLAB_SCENARIO_DIR"] = str(_SCENARIOS)

from ._alglab import (  # noqa: E402  (the scenario folder must be set first)
    Error,
    __version__,
    detect,
    diagnose,
    list_knobs,
    list_scenarios,
    list_symptoms,
    list_vendors,
    mangle,
    matrix,
    run,
    source_hash,
)

__all__ = [
    "Error",
    "__version__",
    "detect",
    "diagnose",
    "list_knobs",
    "list_scenarios",
    "list_symptoms",
    "list_vendors",
    "mangle",
    "matrix",
    "run",
    "source_hash",
]
