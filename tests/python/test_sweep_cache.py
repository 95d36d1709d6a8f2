"""Sweeps through the run cache on a 2-worker Dask LocalCluster: a repeated sweep runs nothing,
a changed parameter runs only its point, an interrupted sweep resumes, and a new alglab build or
an edited scenario file runs again. Results equal alglab.run's."""

import json
import os
import shutil
from pathlib import Path

import pytest

import alglab
import alglab.sweep as sweep
from alglab.sweep import RunCache, SweepError

# The quickest shipped scenario (a few hundred milliseconds a run) with a knob that changes it.
SCENARIO = "register-past-sip-timer"
KEY = "phones.defaults.register_expiry"


def spec(values, vendors=("none", "cisco-ios"), **extra):
    return {"name": "cache-test", "scenario": SCENARIO, "vendors": list(vendors), "grid": {KEY: list(values)},
            "plot": {"x": KEY}, **extra}


def test_second_sweep_runs_nothing_and_a_changed_parameter_runs_one_point(tmp_path):
    cache = tmp_path / "cache"
    first = sweep.run(spec(["60s", "600s"]), out=tmp_path / "out", cache=cache, workers=2, progress=False)
    assert (first.attrs["ran"], first.attrs["cached"], first.attrs["workers"]) == (4, 0, 2)
    assert len(first) == 4
    # cisco-ios has no SIP timer beyond its 120 s UDP timeout: a 600 s registration loses the calls.
    ios = first[first.vendor == "cisco-ios"].set_index(f"set.{KEY}")
    assert not ios.loc["60s", "symptom.incoming_calls_not_ringing"]
    assert ios.loc["600s", "symptom.incoming_calls_not_ringing"]
    assert not first[first.vendor == "none"]["symptom.incoming_calls_not_ringing"].any()
    for name in ("cache-test.csv", "cache-test.png", "cache-test.svg"):
        assert (tmp_path / "out" / name).stat().st_size > 0

    again = sweep.run(spec(["60s", "600s"]), out=tmp_path / "out2", cache=cache, workers=2, progress=False)
    assert (again.attrs["ran"], again.attrs["cached"], again.attrs["workers"]) == (0, 4, 0)
    assert again.equals(first)
    for name in ("cache-test.csv", "cache-test.png", "cache-test.svg"):  # the same bytes, from the cache
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "out2" / name).read_bytes()

    changed = sweep.run(spec(["60s", "600s"], vendors=("none", "cisco-ios", "draytek")), cache=cache, workers=2,
                        progress=False)
    assert (changed.attrs["ran"], changed.attrs["cached"]) == (2, 4)
    one_more = sweep.run(spec(["60s", "600s", "120s"]), cache=cache, workers=2, progress=False)
    assert (one_more.attrs["ran"], one_more.attrs["cached"]) == (2, 4)
    seed = sweep.run(spec(["60s"], vendors=("none",), seed=2), cache=cache, workers=1, progress=False)
    assert seed.attrs["ran"] == 1


def test_changing_one_points_parameter_runs_that_point_only(tmp_path):
    points = [{"scenario": SCENARIO, "vendor": v, "set": {KEY: "600s"}} for v in ("none", "cisco-ios", "draytek")]
    assert sweep.run(points, cache=tmp_path, workers=2, progress=False).attrs["ran"] == 3
    points[1]["set"][KEY] = "900s"
    again = sweep.run(points, cache=tmp_path, workers=2, progress=False)
    assert (again.attrs["ran"], again.attrs["cached"]) == (1, 2)
    assert list(again[f"set.{KEY}"]) == ["600s", "900s", "600s"]


def test_cached_results_equal_alglab_run(tmp_path):
    frame = sweep.run(spec(["600s"], vendors=("cisco-ios",)), cache=tmp_path, workers=1, progress=False)
    entries = list(tmp_path.glob("*/*.json"))
    assert len(entries) == 1
    stored = json.loads(entries[0].read_text())
    direct = alglab.run(SCENARIO, vendor="cisco-ios", seed=1, set={KEY: "600s"})
    assert stored["result"] == direct
    assert stored["alglab"] == alglab.source_hash
    assert frame["metric.calls_established"].iloc[0] == direct["metrics"]["calls_established"]


def test_interrupted_sweep_resumes_and_bad_entries_run_again(tmp_path):
    cache = tmp_path / "cache"
    sweep.run(spec(["60s", "600s"]), cache=cache, workers=2, progress=False)
    entries = sorted(cache.glob("*/*.json"))
    assert len(entries) == 4
    entries[0].unlink()                       # a sweep killed before this point finished
    entries[1].write_text('{"key": "trunc')   # an entry cut short (a full disk)
    resumed = sweep.run(spec(["60s", "600s"]), cache=cache, workers=2, progress=False)
    assert (resumed.attrs["ran"], resumed.attrs["cached"]) == (2, 2)
    assert not list(cache.glob("*/.partial-*"))


def test_new_build_or_edited_scenario_runs_again(tmp_path):
    points = sweep.from_mapping(spec(["60s"], vendors=("none",)))
    sweep.run(points, cache=tmp_path / "c", workers=1, progress=False)
    other_build = RunCache(tmp_path / "c", "0" * 16)
    assert other_build.get(other_build.key(points.points[0], None)) is None
    # A scenario file: its bytes are part of the key.
    scenario = tmp_path / "mine.yaml"
    shutil.copy(Path(alglab.list_scenarios()[[e["name"] for e in alglab.list_scenarios()].index(SCENARIO)]["path"]),
                scenario)
    mine = {"name": "mine", "scenario": str(scenario), "vendor": "none"}
    assert sweep.run(mine, cache=tmp_path / "c", workers=1, progress=False).attrs["ran"] == 1
    assert sweep.run(mine, cache=tmp_path / "c", workers=1, progress=False).attrs["ran"] == 0
    scenario.write_text(scenario.read_text().replace("duration: 2400s", "duration: 2350s"))
    assert sweep.run(mine, cache=tmp_path / "c", workers=1, progress=False).attrs["ran"] == 1


def test_no_cache_runs_everything(tmp_path):
    frame = sweep.run(spec(["60s"], vendors=("none",)), cache=False, workers=1, progress=False)
    assert frame.attrs["ran"] == 1
    assert sweep.run(spec(["60s"], vendors=("none",)), cache=False, workers=1, progress=False).attrs["ran"] == 1


def test_a_point_alglab_refuses_names_the_point(tmp_path):
    with pytest.raises(SweepError) as e:
        sweep.run(spec(["60s", "fast"], vendors=("none",)), cache=tmp_path, workers=1, progress=False)
    message = str(e.value)
    assert f"point 'register-past-sip-timer none seed 1 {KEY}=fast'" in message
    assert "fast" in message and "\n" not in message
    # The good point finished and stays cached.
    assert len(list(tmp_path.glob("*/*.json"))) <= 1


@pytest.mark.parametrize("bad, message", [
    ({"scenario": "no-such-scenario", "vendor": "none"}, "unknown scenario 'no-such-scenario'"),
    ({"scenario": SCENARIO, "vendor": "no-such-vendor"}, "unknown vendor 'no-such-vendor'"),
    ({"scenario": SCENARIO, "vendor": "none", "plot": {"symptoms": ["hiccups"]}}, "unknown symptom 'hiccups'"),
])
def test_names_are_checked_before_a_cluster_starts(tmp_path, bad, message):
    with pytest.raises(SweepError, match=message):
        sweep.run(bad, cache=tmp_path, workers=1, progress=False)
    assert not list(tmp_path.glob("*/*.json"))
