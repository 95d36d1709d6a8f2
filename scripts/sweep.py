#!/usr/bin/env python3
"""alglab sweeps from the command line: run a sweep file's points (cached, on Dask) and write
its DataFrame and plot.

    python3 scripts/sweep.py scenarios/sweeps/register-interval.yaml --out sweep-out
    python3 scripts/sweep.py SWEEP --scheduler tcp://10.0.0.5:8786   # an existing Dask cluster

Bad input (the sweep file, an option, a point alglab refuses) prints one line and exits 2.
"""

import argparse
import os
import sys


def _import_alglab():
    """This checkout's build of the module when there is one (build/python), else the installed
    one. Dask's local worker processes inherit the choice through PYTHONPATH."""
    build = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "build", "python")
    if os.path.isdir(os.path.join(build, "alglab")):
        sys.path.insert(0, build)
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (build, os.environ.get("PYTHONPATH")) if p)
    try:
        import alglab
        import alglab.sweep  # noqa: F401
    except ImportError as e:
        print(f"sweep: cannot import the alglab module ({e}); run scripts/build.sh first", file=sys.stderr)
        sys.exit(2)
    return alglab


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        print(f"sweep: {message}", file=sys.stderr)
        sys.exit(2)


def _positive(text):
    try:
        n = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number from 1 to 256") from None
    if not 1 <= n <= 256:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number from 1 to 256")
    return n


def main(argv=None):
    parser = _Parser(description=__doc__.splitlines()[0])
    parser.add_argument("sweep", help="a sweep file (.yaml or .json; see scenarios/sweeps/)")
    parser.add_argument("--out", default=None, help="where the table and plot go (default: sweep-<name>/)")
    parser.add_argument("--workers", type=_positive, default=os.cpu_count() or 1,
                        help="LocalCluster worker processes (default: the CPUs)")
    parser.add_argument("--scheduler", default=None, help="an existing Dask scheduler's address instead")
    parser.add_argument("--cache", default=None, help="run cache directory (default: $ALGLAB_CACHE_DIR/runs "
                                                      "or ~/.cache/alglab/runs)")
    parser.add_argument("--no-cache", action="store_true", help="run every point, keep nothing")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", help="the table's format")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.no_cache and args.cache:
        parser.error("--cache and --no-cache exclude each other")

    alglab = _import_alglab()
    absent = alglab.sweep.libraries.rerun_with_debian_python(__file__, sys.argv[1:] if argv is None else argv)
    if absent:
        print(f"sweep: {sys.executable} lacks {', '.join(absent)} (Debian: scripts/setup.sh installs them)",
              file=sys.stderr)
        return 2
    try:
        sweep = alglab.sweep.load(args.sweep)
        out = args.out if args.out is not None else f"sweep-{sweep.name}"
        frame = alglab.sweep.run(sweep, out=out, cache=False if args.no_cache else args.cache, workers=args.workers,
                                 scheduler=args.scheduler, progress=not args.quiet, table_format=args.format)
    except alglab.sweep.SweepError as e:
        print("sweep: " + str(e).replace("\n", " "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sweep: interrupted; finished points are cached, run again to resume", file=sys.stderr)
        return 130
    print(f"sweep {sweep.name}: {len(frame)} points, {frame.attrs['ran']} ran, {frame.attrs['cached']} from the cache")
    for path in frame.attrs["files"]:
        print(f"  wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
