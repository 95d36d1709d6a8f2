"""Symptom rate against a swept parameter, one panel per vendor (matplotlib, PNG and SVG).

The rate at a value is the share of that vendor's points at that value where the symptom was
present (over seeds and every other swept key). One panel per vendor rather than one line per
vendor: vendors that agree would hide each other's lines. The figure is drawn on matplotlib's
object API with the Agg canvas, so it never touches a caller's pyplot state or backend, and the
files carry no date, so the same sweep writes the same bytes.
"""

import itertools
import math

from .errors import SweepError
from .frame import as_number


# Each symptom its own line style and marker: symptoms that agree would otherwise hide each other.
_STYLES = ({"linestyle": "-", "marker": "o"}, {"linestyle": "--", "marker": "x"}, {"linestyle": ":", "marker": "s"},
           {"linestyle": "-.", "marker": "^"})


def _x_axis(values):
    """Numbers for the x axis (and whether they are numeric), in sorted order of the values."""
    numbers = [as_number(v) for v in values]
    if all(n is not None for n in numbers):
        return sorted(set(zip(numbers, values))), True
    seen = []
    for v in values:
        if v not in seen:
            seen.append(v)
    return [(i, v) for i, v in enumerate(seen)], False


def plot_rates(frame, x, symptoms, stem, title=""):
    """Writes `<stem>.png` and `<stem>.svg`; returns their paths.

    `x` is a swept `--set` key (the frame's `set.<x>` column), `symptoms` the symptom names to
    draw (default: every symptom present at least once, else every symptom)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    column = f"set.{x}"
    if column not in frame.columns:
        raise SweepError(f"plot: '{x}' is not a swept key of this sweep")
    all_symptoms = [c[len("symptom."):] for c in frame.columns if c.startswith("symptom.")]
    if not symptoms:
        symptoms = [s for s in all_symptoms if frame[f"symptom.{s}"].any()] or all_symptoms
    for s in symptoms:
        if s not in all_symptoms:
            raise SweepError(f"plot: unknown symptom '{s}' (valid: {', '.join(all_symptoms)})")

    ticks, numeric = _x_axis(list(frame[column].dropna()))
    position = {v: n for n, v in ticks}
    vendors = list(dict.fromkeys(frame["vendor"]))
    columns = min(4, len(vendors))
    rows = math.ceil(len(vendors) / columns)
    log_x = numeric and ticks and ticks[0][0] > 0 and ticks[-1][0] / ticks[0][0] >= 20

    with rc_context({"svg.hashsalt": "alglab", "font.size": 8}):
        # Fixed margins, not constrained layout: the layout engine measures every tick label of
        # every panel and cost seconds, more than the rest of a cached sweep together.
        width, height = 3.2 * columns, 2.4 * rows + 0.8
        figure = Figure(figsize=(width, height))
        figure.subplots_adjust(left=0.6 / width, right=1 - 0.15 / width, bottom=0.55 / height, top=1 - 0.55 / height,
                               wspace=0.08, hspace=0.3)
        FigureCanvasAgg(figure)
        axes = figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
        for index, vendor in enumerate(vendors):
            ax = axes[index // columns][index % columns]
            rows_of_vendor = frame[frame["vendor"] == vendor]
            for style, symptom in zip(itertools.cycle(_STYLES), symptoms):
                rates = rows_of_vendor.groupby(column)[f"symptom.{symptom}"].mean()
                points = sorted((position[v], rate) for v, rate in rates.items() if v in position)
                ax.plot([p[0] for p in points], [p[1] for p in points], label=symptom, markersize=4, **style)
            ax.set_title(vendor)
            ax.set_ylim(-0.05, 1.05)
            ax.grid(True, alpha=0.3)
            if log_x:
                ax.set_xscale("log")
            if not numeric:
                ax.set_xticks([n for n, _ in ticks], [str(v) for _, v in ticks], rotation=45)
        for index in range(len(vendors), rows * columns):
            axes[index // columns][index % columns].set_visible(False)
        for ax in axes[-1]:
            ax.set_xlabel(x + (" (s)" if numeric and any(str(v).strip()[-1:].isalpha() for _, v in ticks) else ""))
        for row in axes:
            row[0].set_ylabel("symptom rate")
        axes[0][0].legend(fontsize=7, loc="best")
        figure.suptitle(title or "symptom rate")
        paths = []
        for extension, metadata in ((".png", {"Software": None}), (".svg", {"Date": None, "Creator": None})):
            path = f"{stem}{extension}"
            try:
                figure.savefig(path, metadata=metadata, dpi=100)
            except OSError as e:
                raise SweepError(f"{path}: cannot write ({e.strerror})") from None
            paths.append(path)
    return paths
