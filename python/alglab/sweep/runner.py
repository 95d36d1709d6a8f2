"""One call from a sweep to its DataFrame, table file and plot."""

import os
import tempfile

from . import libraries
from .errors import SweepError
from .execute import execute
from .frame import to_frame
from .plot import plot_rates
from .spec import Sweep, from_mapping, from_points, load

FORMATS = ("csv", "parquet")


def _as_sweep(sweep):
    if isinstance(sweep, Sweep):
        return sweep
    if isinstance(sweep, (str, os.PathLike)):
        return load(sweep)
    if isinstance(sweep, dict):
        return from_mapping(sweep)
    if isinstance(sweep, (list, tuple)):
        return from_points(sweep)
    raise SweepError(f"sweep: expected a file, a mapping or a list of points, got {type(sweep).__name__}")


def _write_table(frame, path, table_format):
    folder = os.path.dirname(path) or "."
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".partial-")
    os.close(fd)
    try:
        if table_format == "parquet":
            frame.to_parquet(temporary, index=False)
        else:
            frame.to_csv(temporary, index=False)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def _parquet_engine():
    import importlib.util

    return any(importlib.util.find_spec(m) is not None for m in ("pyarrow", "fastparquet"))


def prepare_out(out, table_format):
    """Refuses an output directory or format that cannot work before any point runs."""
    if table_format not in FORMATS:
        raise SweepError(f"format {table_format!r}: expected one of {', '.join(FORMATS)}")
    if table_format == "parquet" and not _parquet_engine():
        raise SweepError("--format parquet needs pyarrow or fastparquet, which this machine lacks; use csv")
    out = os.fspath(out)
    if not out:
        raise SweepError("--out '': empty directory name")
    if os.path.exists(out) and not os.path.isdir(out):
        raise SweepError(f"--out {out}: exists and is not a directory")
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise SweepError(f"--out {out}: cannot create the directory ({e.strerror})") from None
    if not os.access(out, os.W_OK):
        raise SweepError(f"--out {out}: not writable")
    return out


def write_outputs(sweep, frame, out, table_format="csv"):
    """Writes `<out>/<name>.<format>` and, when the sweep has one axis to plot, `<out>/<name>.png`
    and `.svg`. Returns the paths written."""
    out = prepare_out(out, table_format)
    table = os.path.join(out, f"{sweep.name}.{table_format}")
    _write_table(frame, table, table_format)
    paths = [table]
    swept = sweep.swept_keys()
    x = sweep.plot_x or (swept[0] if len(swept) == 1 else None)
    if x is not None:
        title = f"{sweep.name}: symptom rate against {x}"
        paths += plot_rates(frame, x, sweep.plot_symptoms, os.path.join(out, sweep.name), title)
    return paths


def _check_libraries():
    """pandas and Dask are imported only when a sweep runs; without them, one line, not a
    traceback from the middle of a sweep."""
    import sys

    absent = libraries.missing()
    if absent:
        raise SweepError(f"a sweep needs {', '.join(absent)}, which {sys.executable} lacks "
                         "(Debian: python3-pandas python3-distributed python3-matplotlib python3-yaml)")


def _check_plot_symptoms(sweep):
    """A plot's symptoms are checked before anything runs, not after the sweep."""
    if not sweep.plot_symptoms:
        return
    import alglab

    known = [s["name"] if isinstance(s, dict) else s for s in alglab.list_symptoms()]
    for s in sweep.plot_symptoms:
        if s not in known:
            raise SweepError(f"{sweep.source}: plot.symptoms: unknown symptom '{s}' (valid: {', '.join(known)})")


def run(sweep, out=None, cache=None, workers=2, scheduler=None, progress=True, table_format="csv"):
    """Runs a sweep (a file, a mapping, a list of points or a Sweep) and returns its DataFrame.

    `cache`: a directory, None for the default ($ALGLAB_CACHE_DIR/runs or ~/.cache/alglab/runs),
    or False to run every point. `workers`: LocalCluster worker processes; `scheduler`: the
    address of an existing Dask scheduler instead (same code path). With `out`, the table and plot
    are written there. `frame.attrs` holds `ran` and `cached` (how many points ran and how many
    came from the cache) and `files` (what was written) and
    `workers` (how many Dask workers the cluster had; 0 when everything came from the cache)."""
    _check_libraries()
    sweep = _as_sweep(sweep)
    if out is not None:
        prepare_out(out, table_format)
    _check_plot_symptoms(sweep)
    results, ran, workers_used = execute(sweep, cache=cache, workers=workers, scheduler=scheduler, progress=progress)
    frame = to_frame(sweep, results)
    files = write_outputs(sweep, frame, out, table_format) if out is not None else []
    frame.attrs.update({"ran": ran, "cached": len(sweep.points) - ran, "files": files, "name": sweep.name,
                        "workers": workers_used})
    return frame
