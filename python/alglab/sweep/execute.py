"""Running a sweep's points on Dask `distributed`, through the run cache.

One code path for one machine and a cluster: without a scheduler address a `LocalCluster` of
worker processes starts on 127.0.0.1 (one thread each: ns-3 keeps one simulator per process,
and the module runs one simulation at a time anyway); with one, the sweep connects to an
existing scheduler. Only the points the cache lacks are sent; each result is cached the moment
it arrives, so an interrupted sweep loses only the runs in flight. When every point is cached,
no cluster starts at all.
"""

import logging
import os
import sys

from .cache import RunCache, default_directory, file_digest
from .errors import SweepError

# Bounded waits: connecting to a scheduler, and for a worker to join it.
CONNECT_TIMEOUT = 10
WORKER_TIMEOUT = 60


def run_point(scenario, kwargs):
    """Runs one point in a worker process: `alglab.run`, and the source hash it ran with."""
    import alglab

    return alglab.source_hash, alglab.run(scenario, **kwargs)


def _scenario_digests(sweep, alglab):
    """Each scenario's file digest (part of the cache key), checking names as the CLI would."""
    catalog = {entry["name"]: entry["path"] for entry in alglab.list_scenarios()}
    digests = {}
    for p in sweep.points:
        if p.scenario in digests:
            continue
        path = catalog.get(p.scenario)
        if path is None:
            if not os.path.isfile(p.scenario):
                raise SweepError(f"{sweep.source}: unknown scenario '{p.scenario}' (valid: {', '.join(sorted(catalog))},"
                                 " or a scenario file)")
            path = p.scenario
        digests[p.scenario] = file_digest(path)
    return digests


def _check_vendors(sweep, alglab):
    vendors = [v["name"] if isinstance(v, dict) else v for v in alglab.list_vendors()]
    for p in sweep.points:
        if p.vendor not in vendors:
            raise SweepError(f"{sweep.source}: unknown vendor '{p.vendor}' (valid: {', '.join(vendors)})")


class Progress:
    """tqdm's bar on long sweeps when it is installed and wanted, otherwise nothing."""

    def __init__(self, total, enabled, label):
        self._bar = None
        if enabled and total > 0:
            try:
                from tqdm import tqdm
            except ImportError:
                print(f"{label}: {total} runs", file=sys.stderr)
            else:
                self._bar = tqdm(total=total, desc=label, unit="run", file=sys.stderr, dynamic_ncols=True)

    def step(self):
        if self._bar is not None:
            self._bar.update(1)

    def close(self):
        if self._bar is not None:
            self._bar.close()


def _connect(scheduler, workers):
    """A Dask client with workers to run on, and the cluster it owns (None when the scheduler is
    someone else's). Waits a bounded time for workers: a scheduler without any is an error, not
    a sweep that waits forever."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as e:
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise SweepError(f"--scheduler {scheduler}: cannot connect ({reason})") from None
        cluster = None
        wanted = 1
    else:
        try:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None, silence_logs=logging.ERROR)
        except Exception as e:  # noqa: BLE001  (Dask wraps what went wrong in several types)
            # The usual cause: Dask spawns each worker by importing the caller's main script
            # again, and a script that sweeps at import time then starts a sweep in every worker.
            raise SweepError("the local cluster's workers did not start "
                             f"({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}); a script "
                             "that runs a sweep must do so under `if __name__ == \"__main__\":`") from None
        client = Client(cluster)
        wanted = workers
    try:
        client.wait_for_workers(wanted, timeout=WORKER_TIMEOUT)
    except (TimeoutError, OSError):
        client.close()
        if cluster is not None:
            cluster.close()
        where = f"--scheduler {scheduler}" if scheduler else "the local cluster"
        raise SweepError(f"{where}: no worker joined within {WORKER_TIMEOUT:g} s") from None
    return client, cluster


def execute(sweep, cache=None, workers=2, scheduler=None, progress=True):
    """Runs every point the cache lacks. Returns (results in point order, how many ran, how many
    Dask workers ran them).

    `cache` is a RunCache, a directory, None for the default directory, or False for none.
    """
    import alglab

    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= 256:
        raise SweepError(f"workers {workers!r}: expected a whole number from 1 to 256")
    if not isinstance(cache, RunCache):
        cache = RunCache(None if cache is False else (cache if cache is not None else default_directory()),
                         alglab.source_hash)
    _check_vendors(sweep, alglab)
    digests = _scenario_digests(sweep, alglab)

    keys = [cache.key(p, digests[p.scenario]) for p in sweep.points]
    results = [cache.get(k) for k in keys]
    missing = [i for i, r in enumerate(results) if r is None]
    if not missing:
        return results, 0, 0

    from distributed import as_completed

    client, cluster = _connect(scheduler, workers)
    worker_count = len(client.scheduler_info().get("workers", {}))
    bar = Progress(len(missing), progress, f"sweep {sweep.name}")
    futures = {}
    try:
        for i in missing:
            p = sweep.points[i]
            future = client.submit(run_point, p.scenario, p.run_arguments(), key=f"alglab-run-{keys[i]}", pure=False)
            futures[future] = i
        for future in as_completed(list(futures)):
            i = futures[future]
            point = sweep.points[i]
            try:
                worker_hash, result = future.result()
            except alglab.Error as e:
                raise SweepError(f"{sweep.source}: point '{point.describe()}': {e}") from None
            except Exception as e:  # a worker that died, a module missing on a remote worker
                raise SweepError(f"{sweep.source}: point '{point.describe()}' failed on its worker: "
                                 f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}") from None
            if worker_hash != alglab.source_hash:
                raise SweepError(f"a worker runs alglab source {worker_hash}, this sweep {alglab.source_hash}: "
                                 "install the same build on every worker")
            cache.put(keys[i], point, result)
            results[i] = result
            bar.step()
    finally:
        bar.close()
        for future in futures:
            future.cancel()
        client.close()
        if cluster is not None:
            cluster.close()
    return results, len(missing), worker_count
