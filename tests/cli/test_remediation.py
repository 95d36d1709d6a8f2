"""`alglab run --remediate`: the vendor's runbook applied in the simulation through its knobs,
symptoms measured from the remediation time, compared with the same run without it."""
import json

import pytest

from conftest import run_alglab, run_json

SCENARIO = "shared-rtp-port"  # 100 s; the kernel helper breaks the calls at 10 s and 60 s


def symptoms_present(result):
    return [name for name, s in result["symptoms"].items() if s["present"]]


def remediated(scenario, vendor, *args):
    return run_json("run", scenario, "--vendor", vendor, "--remediate", *args)


def test_remediated_run_records_each_change_and_what_it_fixed():
    plain = run_json("run", SCENARIO, "--vendor", "linux-netfilter")
    result = remediated(SCENARIO, "linux-netfilter")
    assert plain["remediated"] is False and result["remediated"] is True
    r = result["remediation"]
    assert r["at"] == 0 and r["runbook"] == "alg-models/linux-netfilter/runbook.yaml"
    # Every step records the knobs it changed, from what to what, and when such a change applies.
    changes = [c for step in r["steps"] for c in step["changes"]]
    assert changes, r["steps"]
    for c in changes:
        assert c["knob"].startswith("router.") and c["from"] != c["to"], c
        assert c["applies"] in ("immediate", "new-sessions", "after-reboot")
    # Before = the same run without remediation; after = this run.
    assert r["before"]["present"] == symptoms_present(plain) != []
    assert r["after"]["present"] == symptoms_present(result) == []
    assert r["removed"] == r["before"]["present"] and r["remaining"] == [] and r["exposed"] == []
    assert [a["verdict"] for a in r["advice"]] == ["fixed"] * len(r["removed"])


def test_symptoms_are_measured_from_the_remediation_time():
    # The inbound call at 10 s leaves one handset in a silent call (one_way_audio); remediating at
    # 65 s, after both broken calls, that is before the window in both runs compared.
    whole = run_json("run", SCENARIO, "--vendor", "linux-netfilter")
    assert "one_way_audio" in symptoms_present(whole)
    late = remediated(SCENARIO, "linux-netfilter", "--remediate-at", "65s")
    assert late["remediation"]["measured_from"] == 65
    assert "one_way_audio" not in late["remediation"]["before"]["present"]
    assert "calls_not_connecting" not in late["remediation"]["before"]["present"]  # the 60 s call
    # The metrics still cover the whole run.
    assert late["metrics"]["simulated_seconds"] == whole["metrics"]["simulated_seconds"]


def test_remediated_runs_are_deterministic():
    args = ("run", SCENARIO, "--vendor", "linux-netfilter", "--remediate", "--remediate-at", "30s", "--json")
    first, second = run_alglab(*args), run_alglab(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout


@pytest.mark.parametrize("args, message", [
    (["--vendor", "linux-netfilter", "--remediate-at", "30s"], "--remediate-at needs --remediate"),
    (["--vendor", "linux-netfilter", "--remediate-steps", "1"], "--remediate-steps needs --remediate"),
    (["--vendor", "linux-netfilter", "--remediate", "--remediate-steps", "99"], "no step 99"),
    (["--vendor", "linux-netfilter", "--remediate", "--remediate-steps", "1,x"], "'x' is not a step number"),
    (["--vendor", "linux-netfilter", "--remediate", "--remediate-steps", "1,1"], "named twice"),
    (["--vendor", "linux-netfilter", "--remediate", "--remediate-at", "500s"], "outside the run"),
    (["--vendor", "linux-netfilter", "--remediate", "--remediate-at", "soon"], "--remediate-at soon"),
    (["--vendor", "none", "--remediate"], "nothing to turn off"),
])
def test_bad_remediation_input_is_one_line_exit_2(args, message):
    proc = run_alglab("run", SCENARIO, *args)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
