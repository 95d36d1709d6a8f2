"""A sweep's results as a pandas DataFrame: one row per point.

Columns: the point's parameters (`scenario`, `vendor`, `seed`, `remediate`, `workarounds`, and
`set.<dotted key>` for every `--set` key any point gives), then `symptom.<name>` (whether the
symptom was present) for every symptom, then `metric.<name>` for every numeric metric, in the
order `alglab run --json` lists them.
"""

import re

_DURATION = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|min|h)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "min": 60.0, "h": 3600.0, None: 1.0}


def as_number(text):
    """A swept value as a number: durations in seconds ("90s", "2min", "500ms"), plain numbers as
    they are; None when the value is not a number (then a plot treats the axis as categories)."""
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return float(text)
    m = _DURATION.match(str(text))
    if not m:
        return None
    return float(m.group(1)) * _UNIT_SECONDS[m.group(2)]


def to_frame(sweep, results):
    """The DataFrame of `sweep`'s points and their results (same order)."""
    import pandas as pd

    set_keys = []
    for p in sweep.points:
        for k, _ in p.set:
            if k not in set_keys:
                set_keys.append(k)
    symptom_names, metric_names = [], []
    for r in results:
        for name in r.get("symptoms", {}):
            if name not in symptom_names:
                symptom_names.append(name)
        for name, value in r.get("metrics", {}).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool) and name not in metric_names:
                metric_names.append(name)

    rows = []
    for p, r in zip(sweep.points, results):
        row = {"scenario": p.scenario, "vendor": p.vendor, "seed": p.seed, "remediate": p.remediate,
               "workarounds": ",".join(p.workarounds)}
        settings = dict(p.set)
        for k in set_keys:
            row[f"set.{k}"] = settings.get(k)
        symptoms = r.get("symptoms", {})
        for name in symptom_names:
            row[f"symptom.{name}"] = bool(symptoms.get(name, {}).get("present", False))
        metrics = r.get("metrics", {})
        for name in metric_names:
            row[f"metric.{name}"] = metrics.get(name)
        rows.append(row)
    columns = (["scenario", "vendor", "seed", "remediate", "workarounds"] + [f"set.{k}" for k in set_keys] +
               [f"symptom.{n}" for n in symptom_names] + [f"metric.{n}" for n in metric_names])
    return pd.DataFrame(rows, columns=columns)
