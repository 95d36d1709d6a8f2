"""Scenario sweeps: many `alglab.run` points as one pandas DataFrame, cached, on Dask.

    import alglab.sweep
    frame = alglab.sweep.run("scenarios/sweeps/register-interval.yaml", out="out/")

A sweep is a file (`scenarios/sweeps/*.yaml`: scenario(s), vendor(s), seeds, fixed `set`
values, a `grid` of swept keys, remediation, explicit `points`, and what to `plot`) or the same
mapping in Python, or a list of points. `scripts/sweep.py` is the command line around `run`.
"""

from . import libraries
from .cache import RunCache, default_directory
from .errors import SweepError
from .execute import execute
from .frame import as_number, to_frame
from .plot import plot_rates
from .runner import run, write_outputs
from .spec import Point, Sweep, from_mapping, from_points, load

__all__ = [
    "Point", "RunCache", "Sweep", "SweepError", "as_number", "default_directory", "execute", "from_mapping",
    "from_points", "load", "plot_rates", "run", "to_frame", "write_outputs",
]
