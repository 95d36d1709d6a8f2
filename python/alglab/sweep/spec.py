"""A sweep: the points to run, read from a small YAML/JSON file or built in Python.

A point is one `alglab.run`: scenario, vendor, seed, `--set` overrides, remediation and
workarounds. A sweep file names the fixed parts and a grid of swept `--set` keys; every
combination is a point, in a fixed order (scenarios, vendors, grid in file order, remediation,
seeds), so the same file always gives the same points in the same order.
"""

import itertools
import json
import os
from dataclasses import dataclass, field

from .errors import SweepError

# Seeds as ns-3's MRG32k3a takes them (the CLI's --seed range).
SEED_MAX = 4294944442

_SPEC_KEYS = {
    "name", "description", "scenario", "scenarios", "vendor", "vendors", "seed", "seeds", "set",
    "grid", "remediate", "workarounds", "points", "plot",
}
_POINT_KEYS = {"scenario", "vendor", "seed", "set", "remediate", "workarounds"}
_PLOT_KEYS = {"x", "symptoms"}


@dataclass(frozen=True)
class Point:
    """One run. `set` holds the overrides as the CLI's `--set key=value` text, sorted by key."""

    scenario: str
    vendor: str
    seed: int
    set: tuple = ()
    remediate: bool = False
    workarounds: tuple = ()

    def as_dict(self):
        """The point as plain JSON values: what the cache keys on and what workers receive."""
        return {
            "scenario": self.scenario,
            "vendor": self.vendor,
            "seed": self.seed,
            "set": dict(self.set),
            "remediate": self.remediate,
            "workarounds": list(self.workarounds),
        }

    def run_arguments(self):
        """Keyword arguments of `alglab.run` for this point."""
        kwargs = {"vendor": self.vendor, "seed": self.seed, "set": dict(self.set), "remediate": self.remediate}
        if self.workarounds:
            kwargs["workarounds"] = ",".join(self.workarounds)
        return kwargs

    def describe(self):
        parts = [self.scenario, self.vendor, f"seed {self.seed}"]
        parts += [f"{k}={v}" for k, v in self.set]
        if self.remediate:
            parts.append("remediated")
        if self.workarounds:
            parts.append("workarounds " + ",".join(self.workarounds))
        return " ".join(parts)


@dataclass
class Sweep:
    """A sweep's points and how to plot them. `source` names where it came from, for messages."""

    name: str
    points: list
    plot_x: str = None
    plot_symptoms: list = field(default_factory=list)
    description: str = ""
    source: str = "<sweep>"

    def swept_keys(self):
        """The `--set` keys whose value differs between points, in first-seen order."""
        values = {}
        for p in self.points:
            for k, v in p.set:
                values.setdefault(k, set()).add(v)
        return [k for k, vs in values.items() if len(vs) > 1]


def setting_text(value, where):
    """A `--set` value as the CLI takes it: booleans as true/false, numbers and text as typed."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        text = str(value)
        if "\n" in text or "\r" in text:
            raise SweepError(f"{where}: a value must be one line")
        return text
    raise SweepError(f"{where}: expected a number, text or true/false, got {type(value).__name__}")


def _distinct(value, where, valid, expected, label):
    """One value or a list of them, each `valid`, none twice (names, seeds)."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise SweepError(f"{where}: empty list")
    out = []
    for item in items:
        if not valid(item):
            raise SweepError(f"{where}: expected {expected}, got {item!r}")
        if item in out:
            raise SweepError(f"{where}: {label(item)} given twice")
        out.append(item)
    return out


def _names(value, where, single):
    """A name or list of names (scenario, vendor): non-empty text, no duplicates."""
    return _distinct(value, where, lambda n: isinstance(n, str) and bool(n.strip()),
                     "a name" if single else "a list of names", lambda n: f"'{n}'")


def _seeds(value, where):
    return _distinct(value, where, lambda n: not isinstance(n, bool) and isinstance(n, int) and 1 <= n <= SEED_MAX,
                     f"whole numbers from 1 to {SEED_MAX}", lambda n: f"seed {n}")


def _bools(value, where):
    items = value if isinstance(value, list) else [value]
    if not items or any(not isinstance(b, bool) for b in items):
        raise SweepError(f"{where}: expected true, false or a list of them, got {value!r}")
    return list(dict.fromkeys(items))


def _settings(value, where):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SweepError(f"{where}: expected a mapping of dotted keys to values")
    out = {}
    for k, v in value.items():
        if not isinstance(k, str) or not k or "=" in k:
            raise SweepError(f"{where}: bad key {k!r} (a dotted scenario key such as router.udp_timeout)")
        out[k] = setting_text(v, f"{where}.{k}")
    return out


def _grid(value, where):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SweepError(f"{where}: expected a mapping of dotted keys to lists of values")
    out = {}
    for k, values in value.items():
        if not isinstance(k, str) or not k or "=" in k:
            raise SweepError(f"{where}: bad key {k!r}")
        if not isinstance(values, list) or not values:
            raise SweepError(f"{where}.{k}: expected a non-empty list of values")
        texts = [setting_text(v, f"{where}.{k}") for v in values]
        if len(set(texts)) != len(texts):
            raise SweepError(f"{where}.{k}: a value is given twice")
        out[k] = texts
    return out


def _workarounds(value, where):
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or any(not isinstance(w, str) or not w for w in items):
        raise SweepError(f"{where}: expected a list of workaround names or 'a,b'")
    return tuple(items)


def _required(mapping, one, many, where):
    if one in mapping and many in mapping:
        raise SweepError(f"{where}: give '{one}' or '{many}', not both")
    if one in mapping:
        return mapping[one], f"{where}{one}"
    if many in mapping:
        return mapping[many], f"{where}{many}"
    return None, None


def _check_keys(mapping, allowed, where):
    for k in mapping:
        if k not in allowed:
            raise SweepError(f"{where}: unknown key '{k}' (valid: {', '.join(sorted(allowed))})")


def _explicit_point(entry, defaults, where):
    if not isinstance(entry, dict):
        raise SweepError(f"{where}: expected a mapping")
    _check_keys(entry, _POINT_KEYS, where)
    scenario = _names(entry.get("scenario", defaults.get("scenario")), f"{where}.scenario", True)
    vendor = _names(entry.get("vendor", defaults.get("vendor")), f"{where}.vendor", True)
    if len(scenario) != 1 or len(vendor) != 1:
        raise SweepError(f"{where}: one scenario and one vendor per point")
    seed = _seeds(entry.get("seed", defaults.get("seed", 1)), f"{where}.seed")
    if len(seed) != 1:
        raise SweepError(f"{where}.seed: one seed per point")
    settings = dict(defaults.get("set", {}))
    settings.update(_settings(entry.get("set"), f"{where}.set"))
    remediate = entry.get("remediate", False)
    if not isinstance(remediate, bool):
        raise SweepError(f"{where}.remediate: expected true or false")
    return Point(scenario[0], vendor[0], seed[0], tuple(sorted(settings.items())), remediate,
                 _workarounds(entry.get("workarounds"), f"{where}.workarounds"))


def from_mapping(spec, source="<sweep>", default_name="sweep"):
    """A Sweep from a parsed sweep file (or the same shape built in Python)."""
    if not isinstance(spec, dict):
        raise SweepError(f"{source}: expected a mapping at the top (see scenarios/sweeps/)")
    _check_keys(spec, _SPEC_KEYS, source)
    where = f"{source}: "
    name = spec.get("name", default_name)
    if not isinstance(name, str) or not name or "/" in name or name.startswith("."):
        raise SweepError(f"{where}name: expected a file-name-safe word, got {name!r}")
    description = spec.get("description", "")
    fixed = _settings(spec.get("set"), f"{where}set")
    grid = _grid(spec.get("grid"), f"{where}grid")
    both = set(fixed) & set(grid)
    if both:
        raise SweepError(f"{where}set and grid both name {sorted(both)[0]}")
    workarounds = _workarounds(spec.get("workarounds"), f"{where}workarounds")

    points = []
    scenarios, s_where = _required(spec, "scenario", "scenarios", where)
    vendors, v_where = _required(spec, "vendor", "vendors", where)
    seeds, seed_where = _required(spec, "seed", "seeds", where)
    seeds = _seeds(seeds if seeds is not None else 1, seed_where or f"{where}seed")
    remediate = _bools(spec.get("remediate", False), f"{where}remediate")
    explicit = spec.get("points")
    if scenarios is not None or vendors is not None:
        if scenarios is None or vendors is None:
            raise SweepError(f"{where}a grid needs both a scenario (or scenarios) and a vendor (or vendors)")
        scenarios = _names(scenarios, s_where, False)
        vendors = _names(vendors, v_where, False)
        keys = list(grid)
        for scenario, vendor in itertools.product(scenarios, vendors):
            for values in itertools.product(*(grid[k] for k in keys)):
                settings = dict(fixed)
                settings.update(zip(keys, values))
                for rem in remediate:
                    for seed in seeds:
                        points.append(Point(scenario, vendor, seed, tuple(sorted(settings.items())), rem,
                                            workarounds))
    elif grid:
        raise SweepError(f"{where}grid needs a scenario (or scenarios) and a vendor (or vendors)")
    if explicit is not None:
        if not isinstance(explicit, list) or not explicit:
            raise SweepError(f"{where}points: expected a non-empty list of points")
        defaults = {"set": fixed}
        if seeds and len(seeds) == 1:
            defaults["seed"] = seeds[0]
        for i, entry in enumerate(explicit):
            points.append(_explicit_point(entry, defaults, f"{where}points[{i}]"))
    if not points:
        raise SweepError(f"{where}no points: give scenario(s) and vendor(s), or points")
    seen = set()
    for p in points:
        if p in seen:
            raise SweepError(f"{where}the point '{p.describe()}' appears twice")
        seen.add(p)

    plot = spec.get("plot") or {}
    if not isinstance(plot, dict):
        raise SweepError(f"{where}plot: expected a mapping with x and symptoms")
    _check_keys(plot, _PLOT_KEYS, f"{where}plot")
    plot_x = plot.get("x")
    if plot_x is not None and plot_x not in grid:
        raise SweepError(f"{where}plot.x: '{plot_x}' is not a grid key ({', '.join(grid) or 'no grid'})")
    symptoms = plot.get("symptoms", [])
    if not isinstance(symptoms, list) or any(not isinstance(s, str) for s in symptoms):
        raise SweepError(f"{where}plot.symptoms: expected a list of symptom names")
    return Sweep(name, points, plot_x, list(symptoms), description if isinstance(description, str) else "",
                 source)


def _load_yaml_once(text):
    """YAML with every mapping key given once: PyYAML would keep the last of two silently."""
    import yaml

    class UniqueKeyLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader, node, deep=False):
        keys = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in keys:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            keys.add(key)
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    documents = list(yaml.load_all(text, Loader=UniqueKeyLoader))
    if len(documents) > 1:
        raise yaml.YAMLError("more than one YAML document")
    return documents[0] if documents else None


def load(path):
    """Reads a sweep file (.yaml, .yml or .json); any problem is a SweepError naming the file."""
    import yaml

    path = os.fspath(path)
    if not os.path.isfile(path):
        raise SweepError(f"{path}: no such sweep file" if not os.path.exists(path) else f"{path}: not a regular file")
    try:
        with open(path, "rb") as f:
            data = f.read((1 << 20) + 1)
    except OSError as e:
        raise SweepError(f"{path}: cannot read ({e.strerror})") from None
    if len(data) > 1 << 20:
        raise SweepError(f"{path}: larger than 1 MiB; a sweep file names values, not data")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SweepError(f"{path}: not UTF-8 (byte {e.start})") from None
    try:
        if path.endswith(".json"):
            spec = json.loads(text)
        else:
            spec = _load_yaml_once(text)
    except json.JSONDecodeError as e:
        raise SweepError(f"{path}:{e.lineno}: {e.msg}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise SweepError(f"{path}{line}: {problem}") from None
    stem = os.path.splitext(os.path.basename(path))[0]
    return from_mapping(spec, path, stem)


def from_points(points, name="sweep"):
    """A Sweep from Points or point mappings (`{"scenario", "vendor", "seed", "set", ...}`)."""
    out = []
    for i, p in enumerate(points):
        out.append(p if isinstance(p, Point) else _explicit_point(p, {}, f"points[{i}]"))
    return from_mapping({"name": name, "points": [p.as_dict() for p in out]}, "<points>", name)
