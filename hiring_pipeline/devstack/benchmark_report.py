"""What `hiring-pipeline bench` prints, as text or Markdown, and its chart.

Three kinds of document, as `--json` writes them: one run (the figures), a scaling run
(`{"scaling": [...]}`) and a comparison (`{"sides": [...]}`, from `--against`). Every one
can be rendered again without running anything: `hiring-pipeline bench --from-json PATH
[--markdown] [--chart PNG]`, which is how BENCHMARKS.md's tables are regenerated.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

END_TO_END_TARGET = 0.25
"""Issue #17: end to end at least this share of the same run's pass-through."""
CPU_TARGET = 0.5
"""Issue #17: whole-machine CPU per event end to end at most this share of the starting commit's."""
P99_TARGET_MS = 250.0
"""Issue #17: p99 latency at most this, at an offered rate of 5 % of the run's pass-through."""
P99_TARGET_FRACTION = 0.05
NEIGHBOURS_AT_MOST = 0.25
"""The whole-machine CPU target is judged only when other processes took at most this share
of the machine on both sides: their CPU, divided by a side's events, weighs on the slower side."""
MEMORY_FLAT = 1.2
LATENCY_WINDOW_S = 5.0
"""The steady-load run's latency percentiles are also reported per window of this many seconds."""
"""Peak RSS counts as flat when ten times the events take at most this many times the memory."""

Figures = dict[str, Any]


def render(document: Figures, markdown: bool = False) -> str:
    if "sides" in document:
        return comparison(document, markdown)
    if "scaling" in document:
        return scaling(document["scaling"], markdown)
    return single(document, markdown)


# --- formatting ------------------------------------------------------------------------------


def rate(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} events/s"


def ms(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f} ms"


def table(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
        lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]
    )


def bold(text: str, markdown: bool) -> str:
    return f"**{text}**" if markdown else text


def ratio_of(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def get(figures: Figures, *path: str) -> Any:
    value: Any = figures
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


# --- one run -----------------------------------------------------------------------------------


def rate_label(figures: Figures) -> str:
    fraction = figures.get("rate_fraction")
    offered = figures.get("rate") or 0.0
    return f"{offered:,.0f} events/s" + (f" ({fraction:.0%} of the pass-through)" if fraction else " (fixed)")


def workload_line(figures: Figures) -> str:
    w = figures.get("workload")
    if not w:
        return "-"
    chars = w["note_chars"]
    return (
        f"{w['interviews']:,} interviews of {w['pairs']:,} pairs, {w['notes']:,} notes, {w['distinct_notes']:,} distinct "
        f"({w['notes'] - w['notes_as_written_in_corpus']:,} recombined from the {w['corpus_notes']:,} corpus notes), "
        f"{chars['p10']:.0f} / {chars['p50']:.0f} / {chars['p90']:.0f} characters (p10 / p50 / p90), "
        f"{w['rated_share']:.0%} rated"
    )


def outcomes_line(figures: Figures) -> str:
    s = figures.get("scoring_outcomes")
    if not s:
        return "-"
    return (
        f"{s['distinct_interview_outcomes']:,} distinct of {s['interviews']:,} interviews; "
        f"{s['distinct_competency_outcomes']:,} distinct of {s['assessments']:,} competency assessments; "
        f"{s['distinct_scores']} distinct scores; {s['red_flagged_share']:.0%} of assessments red-flagged"
    )


def recommendations_line(figures: Figures) -> str:
    r = figures.get("recommendation_outcomes")
    if not r:
        return "-"
    decisions = ", ".join(f"{name} {count:,}" for name, count in r["decisions"].items())
    return f"{r['distinct_recommendations']:,} distinct of {r['pairs']:,} pairs ({decisions})"


def neighbours_share(f: Figures) -> float:
    """The share of the machine's CPU during the end-to-end run that no process of the
    pipeline spent: other sessions' work, the kernel's own."""
    cpu = f.get("cpu_ms_per_event_end_to_end") or {}
    return (cpu.get("other") or 0.0) / cpu["machine"] if cpu.get("machine") else 0.0


def own_ceiling(f: Figures) -> float | None:
    """What all cores could do if the pipeline's own processes had them to themselves (the
    CPU-bound ceiling without the neighbours' share of the machine)."""
    stack, cores = get(f, "cpu_ms_per_event_end_to_end", "stack"), get(f, "machine", "cores")
    return None if not stack or not cores else cores * 1000 / stack


def latency_text(lat: dict[str, Any]) -> str:
    if not lat:
        return "-"
    at_least = ">= " if lat.get("lower_bound") else ""
    text = " / ".join(f"{q} {at_least}{lat[q]:.0f}" for q in ("p50", "p95", "p99", "max")) + " ms"
    if lat.get("lower_bound"):
        text += f" (overloaded: {lat['counted_share']:.0%} counted in time, the rest timed when the wait ended)"
    return text


def stages_text(stages: dict[str, dict[str, float]]) -> str:
    """Publish -> scored event read (scoring), scored -> first recommendation (aggregation), of
    the events counted in time."""
    if not stages:
        return "-"
    return "; ".join(
        f"{stage} " + " / ".join(f"{q} {times[q]:.0f}" for q in ("p50", "p95", "p99")) + " ms"
        for stage, times in stages.items()
    )


def cpu_line(figures: Figures) -> str:
    cpu = figures.get("cpu_ms_per_event_end_to_end") or {}
    if not cpu:
        return "-"
    parts = ", ".join(
        f"{name} {cpu[name]:.2f}"
        for name in ("scoring", "aggregation", "broker", "database", "benchmark", "other")
        if name in cpu
    )
    return f"whole machine {cpu['machine']:.2f} ms, pipeline's processes {cpu.get('stack', 0.0):.2f} ms: {parts}"


def single_rows(f: Figures) -> list[list[str]]:
    lat = f.get("latency_ms") or {}
    pt = f.get("passthrough_events_per_s")

    def share(key: str) -> str:
        value = ratio_of(f.get(key), pt)
        return "" if value is None else f"{value:.2f}"

    rows = [
        ["publish (producer only)", rate(f.get("publish_events_per_s")), ""],
        ["pass-through baseline", rate(pt), "1.00"],
        [
            f"scoring on its own ({f.get('scoring_instances', 1)}x)",
            rate(f.get("scoring_events_per_s")),
            share("scoring_events_per_s"),
        ],
        ["aggregation on its own", rate(f.get("aggregation_events_per_s")), share("aggregation_events_per_s")],
        ["end to end", rate(f.get("end_to_end_events_per_s")), share("end_to_end_events_per_s")],
        [f"latency at {rate_label(f)}", latency_text(lat), ""],
        ["latency by stage", stages_text(f.get("latency_by_stage_ms") or {}), ""],
        [
            "CPU per event, each service on its own",
            f"scoring {ms(f.get('scoring_cpu_ms_per_event'))}, aggregation {ms(f.get('aggregation_cpu_ms_per_event'))}",
            "",
        ],
        ["CPU per event, end to end", cpu_line(f), ""],
        [
            "CPU-bound ceiling",
            f"{rate(f.get('cpu_bound_ceiling_events_per_s'))} on {get(f, 'machine', 'cores')} cores at the whole "
            f"machine's CPU per event; {rate(own_ceiling(f))} at the pipeline's own",
            share("cpu_bound_ceiling_events_per_s") + (f"; {own / pt:.2f}" if (own := own_ceiling(f)) and pt else ""),
        ],
        [
            "peak RSS",
            "scoring {scoring:.0f} MB, aggregation {aggregation:.0f} MB".format(**f["peak_rss_mb"])
            if f.get("peak_rss_mb")
            else "-",
            "",
        ],
        ["evidence search (scoring)", str(f.get("evidence_search") or "not reported"), ""],
        ["workload", workload_line(f), ""],
        ["scoring outcomes", outcomes_line(f), ""],
        ["recommendations", recommendations_line(f), ""],
    ]
    return rows


@dataclass
class Verdict:
    target: str
    measured: str
    met: bool | None
    """None: not measured the way the target is defined."""

    def row(self, markdown: bool) -> list[str]:
        said = "not measured as defined" if self.met is None else "met" if self.met else "MISSED"
        return [self.target, self.measured, bold(said, markdown) if self.met is False else said]


def single_targets(f: Figures) -> list[Verdict]:
    verdicts = []
    e2e = f.get("end_to_end_vs_passthrough")
    if e2e is not None:
        verdicts.append(
            Verdict(
                f"end to end >= {END_TO_END_TARGET} x the pass-through",
                f"{e2e:.3f} x"
                + ("" if e2e >= END_TO_END_TARGET else f" (needs {END_TO_END_TARGET / e2e:.1f} times the throughput)"),
                e2e >= END_TO_END_TARGET,
            )
        )
    p99 = get(f, "latency_ms", "p99")
    if p99 is not None:
        as_defined = f.get("rate_fraction") == P99_TARGET_FRACTION
        verdicts.append(
            Verdict(
                f"p99 <= {P99_TARGET_MS:.0f} ms at {P99_TARGET_FRACTION:.0%} of the pass-through",
                f"{'>= ' if get(f, 'latency_ms', 'lower_bound') else ''}{p99:.0f} ms at {rate_label(f)}",
                (p99 <= P99_TARGET_MS) if as_defined else None,
            )
        )
    return verdicts


def single(f: Figures, markdown: bool) -> str:
    parts = [
        table(["figure", "value", "ratio to pass-through"], single_rows(f), markdown),
        "",
        table(["target (issue #17)", "this run", "verdict"], [v.row(markdown) for v in single_targets(f)], markdown),
    ]
    if f.get("profile"):
        parts += ["", profile(f["profile"], markdown)]
    return "\n".join(parts)


def profile(by_service: dict[str, Any], markdown: bool) -> str:
    """Per service, the functions with the most samples of their own and in total (`--profile`)."""
    parts = []
    for name, summary in by_service.items():
        own, total = summary["own"], summary["total"]
        rows = [
            [
                f"{own[i][0]} {own[i][1]:.0%}" if i < len(own) else "",
                f"{total[i][0]} {total[i][1]:.0%}" if i < len(total) else "",
            ]
            for i in range(max(len(own), len(total)))
        ]
        parts.append(
            table(
                [
                    f"{name}: most samples of its own ({summary['samples']:,} samples)",
                    "most samples in total (below the trunk every sample shares)",
                ],
                rows,
                markdown,
            )
        )
    return "\n\n".join(parts)


# --- scaling -----------------------------------------------------------------------------------


def scaling(runs: list[Figures], markdown: bool) -> str:
    first = runs[0]
    rows = []
    for r in runs:
        rows.append(
            [
                f"{r['events']:,}",
                rate(r["end_to_end_events_per_s"]),
                f"{r['end_to_end_events_per_s'] / first['end_to_end_events_per_s']:.2f} of the smallest run",
                "{scoring:.0f} / {aggregation:.0f} MB".format(**r["peak_rss_mb"]),
                "{:.2f} / {:.2f}".format(
                    r["peak_rss_mb"]["scoring"] / first["peak_rss_mb"]["scoring"],
                    r["peak_rss_mb"]["aggregation"] / first["peak_rss_mb"]["aggregation"],
                ),
                "{:.0f} -> {:.0f} / {:.0f} -> {:.0f} MB".format(
                    *(
                        r[q][name]
                        for name in ("scoring", "aggregation")
                        for q in ("rss_mb_first_quarter", "rss_mb_last_quarter")
                    )
                )
                if "rss_mb_first_quarter" in r
                else "-",
            ]
        )
    growth = max(runs[-1]["peak_rss_mb"][name] / first["peak_rss_mb"][name] for name in ("scoring", "aggregation"))
    verdict = Verdict(
        f"peak memory flat from {first['events']:,} to {runs[-1]['events']:,} events (at most {MEMORY_FLAT} x)",
        f"{growth:.2f} x (the larger of the two services)",
        growth <= MEMORY_FLAT,
    )
    return "\n".join(
        [
            table(
                [
                    "events",
                    "end to end",
                    "throughput ratio",
                    "peak RSS scoring / aggregation",
                    "peak RSS ratio",
                    "RSS first -> last quarter of the run",
                ],
                rows,
                markdown,
            ),
            "",
            table(["target (issue #17)", "this run", "verdict"], [verdict.row(markdown)], markdown),
        ]
    )


# --- comparison --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str
    value: Callable[[Figures], float | None]
    shown: Callable[[float], str]
    compare: bool = True
    """Whether `this / other` means something (a rate or a cost; not a count)."""
    latency: bool = False
    """A latency percentile: a lower bound when the run was overloaded."""

    def text(self, figures: Figures) -> str:
        value = self.value(figures)
        if value is None:
            return "-"
        at_least = ">= " if self.latency and get(figures, "latency_ms", "lower_bound") else ""
        return at_least + self.shown(value)


def _lat(q: str) -> Callable[[Figures], float | None]:
    return lambda f: get(f, "latency_ms", q)


def _stage(name: str) -> Callable[[Figures], float | None]:
    return lambda f: get(f, "latency_by_stage_ms", name, "p99")


def _cpu(name: str) -> Callable[[Figures], float | None]:
    return lambda f: get(f, "cpu_ms_per_event_end_to_end", name)


COMPARED = [
    Row("pass-through baseline", lambda f: f.get("passthrough_events_per_s"), rate),
    Row("scoring on its own", lambda f: f.get("scoring_events_per_s"), rate),
    Row("aggregation on its own", lambda f: f.get("aggregation_events_per_s"), rate),
    Row("end to end", lambda f: f.get("end_to_end_events_per_s"), rate),
    Row("end to end / pass-through", lambda f: f.get("end_to_end_vs_passthrough"), lambda v: f"{v:.3f}"),
    Row("steady-load rate offered", lambda f: f.get("rate"), rate),
    Row("latency p50", _lat("p50"), lambda v: ms(v, 0), latency=True),
    Row("latency p95", _lat("p95"), lambda v: ms(v, 0), latency=True),
    Row("latency p99", _lat("p99"), lambda v: ms(v, 0), latency=True),
    Row("  p99 publish -> scored (of events counted in time)", _stage("scoring"), lambda v: ms(v, 0)),
    Row("  p99 scored -> recommendation (of events counted in time)", _stage("aggregation"), lambda v: ms(v, 0)),
    Row("CPU-bound ceiling at the pipeline's own CPU per event", own_ceiling, rate),
    Row("CPU per event, scoring on its own", lambda f: f.get("scoring_cpu_ms_per_event"), ms),
    Row("CPU per event, aggregation on its own", lambda f: f.get("aggregation_cpu_ms_per_event"), ms),
    Row("CPU per event end to end: whole machine", _cpu("machine"), ms),
    Row("CPU per event end to end: the pipeline's processes", _cpu("stack"), ms),
    Row("  of which scoring", _cpu("scoring"), ms),
    Row("  of which aggregation", _cpu("aggregation"), ms),
    Row("  of which the broker", _cpu("broker"), ms),
    Row("  of which PostgreSQL", _cpu("database"), ms),
    Row("  of which the benchmark", _cpu("benchmark"), ms),
    Row("peak RSS scoring", lambda f: get(f, "peak_rss_mb", "scoring"), lambda v: f"{v:.0f} MB"),
    Row("peak RSS aggregation", lambda f: get(f, "peak_rss_mb", "aggregation"), lambda v: f"{v:.0f} MB"),
    Row(
        "distinct scoring outcomes (interviews)",
        lambda f: get(f, "scoring_outcomes", "distinct_interview_outcomes"),
        lambda v: f"{v:,.0f}",
        compare=False,
    ),
    Row(
        "distinct competency outcomes",
        lambda f: get(f, "scoring_outcomes", "distinct_competency_outcomes"),
        lambda v: f"{v:,.0f}",
        compare=False,
    ),
    Row(
        "distinct recommendations",
        lambda f: get(f, "recommendation_outcomes", "distinct_recommendations"),
        lambda v: f"{v:,.0f}",
        compare=False,
    ),
]


def median_figures(runs: list[Any]) -> Any:
    """One document of several runs' figures: the median of every number (each figure on its
    own), anything else (names, lists, timelines) from the first run."""
    first = runs[0]
    if isinstance(first, dict):
        return {k: median_figures([r[k] for r in runs if isinstance(r, dict) and k in r]) for k in first}
    if all(isinstance(r, int) and not isinstance(r, bool) for r in runs):
        return round(statistics.median(runs))  # counts stay counts
    if all(isinstance(r, int | float) and not isinstance(r, bool) for r in runs):
        return statistics.median(runs)
    return first


def _round_ratios(mine: Figures, other: Figures, key: str) -> str:
    """Each round's ratio, for the spread behind a median."""
    pairs = zip(mine.get("rounds") or [], other.get("rounds") or [], strict=False)
    ratios = [
        ratio_of(get(a, "cpu_ms_per_event_end_to_end", key), get(b, "cpu_ms_per_event_end_to_end", key))
        for a, b in pairs
    ]
    shown = [f"{r:.2f}" for r in ratios if r is not None]
    return f" (rounds: {', '.join(shown)})" if len(shown) > 1 else ""


def comparison(document: Figures, markdown: bool) -> str:
    sides = [{**s, "figures": median_figures(s["rounds"])} if s.get("rounds") else s for s in document["sides"]]
    mine, others = sides[0], sides[1:]
    header = ["figure", mine["label"]]
    for other in others:
        header += [other["label"], f"{mine['label']} / {other['label']}"]
    rows = []
    for row in COMPARED:
        a = row.value(mine["figures"])
        line = [row.name, row.text(mine["figures"])]
        for other in others:
            b = row.value(other["figures"])
            r = ratio_of(a, b) if row.compare else None
            line += [row.text(other["figures"]), "" if r is None else f"{r:.2f}"]
        rows.append(line)
    line = ["evidence search (scoring)", str(mine["figures"].get("evidence_search") or "not reported")]
    for other in others:
        line += [str(other["figures"].get("evidence_search") or "not reported"), ""]
    rows.append(line)
    verdicts = single_targets(mine["figures"])
    for other in others[:1]:  # the starting commit: the first revision given to --against
        busy = max(neighbours_share(mine["figures"]), neighbours_share(other["figures"]))
        for name, key in (("whole-machine", "machine"), ("the pipeline's processes'", "stack")):
            r = ratio_of(
                get(mine["figures"], "cpu_ms_per_event_end_to_end", key),
                get(other["figures"], "cpu_ms_per_event_end_to_end", key),
            )
            if r is None:
                continue
            measured = (
                f"{r:.3f} x"
                + ("" if r <= CPU_TARGET else f" (needs {r / CPU_TARGET:.3f} times less)")
                + _round_ratios(mine, other, key)
            )
            judged = key != "machine" or busy <= NEIGHBOURS_AT_MOST
            if not judged:
                # Other processes' CPU, spread over a side's events, weighs on the slower side.
                measured += f"; other processes took {busy:.0%} of the machine on one side: not judged"
            verdicts.append(
                Verdict(
                    f"{name} CPU per event end to end <= {CPU_TARGET} x {other['label']}",
                    measured,
                    r <= CPU_TARGET if judged else None,
                )
            )
    about = [f"{s['label']}: {s.get('revision', '?')} {s.get('description', '')}".rstrip() for s in sides]
    workload = workload_line(mine["figures"])
    rounds = len(mine.get("rounds") or [None])
    how = (
        f"each figure the median of {rounds} rounds, the sides taking turns (round 1 in the order above, round 2 reversed, ...)"
        if rounds > 1
        else "one round, the sides in the order above"
    )
    return "\n".join(
        [
            *(f"- {line}" if markdown else line for line in about),
            "",
            f"{how}; options: {' '.join(document.get('options', []))}",
            "",
            f"workload (the same on every side): {workload}",
            "",
            table(header, rows, markdown),
            "",
            table(
                [f"target (issue #17), {mine['label']}", "measured", "verdict"],
                [v.row(markdown) for v in verdicts],
                markdown,
            ),
        ]
    )


# --- charts ------------------------------------------------------------------------------------


def chart(document: Figures, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    if "sides" in document:
        _comparison_chart(document["sides"], path)
    elif "scaling" in document:
        _scaling_chart(document["scaling"], path)
    else:
        _single_chart(document, path)


PHASES = [
    ("pass-through", "passthrough_events_per_s"),
    ("scoring\non its own", "scoring_events_per_s"),
    ("aggregation\non its own", "aggregation_events_per_s"),
    ("end to end", "end_to_end_events_per_s"),
]


def _single_chart(f: Figures, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig, ((phases, flow), (latency, lag)) = plt.subplots(2, 2, figsize=(13, 8.5))
    values = [f.get(key) or 0.0 for _, key in PHASES]
    bars = phases.bar([name for name, _ in PHASES], values, color=["#999999", "#4c72b0", "#55a868", "#c44e52"])
    for bar, value in zip(bars, values, strict=True):
        share = value / values[0] if values[0] else 0
        phases.annotate(
            f"{value:,.0f}/s\n{share:.2f}x",
            (bar.get_x() + bar.get_width() / 2, value),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    phases.axhline(
        END_TO_END_TARGET * values[0],
        color="#c44e52",
        linestyle=":",
        linewidth=1,
        label=f"target: {END_TO_END_TARGET} x pass-through",
    )
    phases.set_ylabel("events/s")
    phases.set_title(f"throughput per phase ({f.get('events', 0):,} events)")
    phases.legend(fontsize=8)

    points = get(f, "timeline", "end_to_end") or []
    if points:
        per_second: dict[int, float] = {}
        previous = 0.0
        for t, total in points:
            per_second[int(t)] = per_second.get(int(t), 0.0) + total - previous
            previous = total
        seconds = sorted(per_second)
        flow.plot(
            seconds, [per_second[s] for s in seconds], drawstyle="steps-post", label="events counted by recommendations"
        )
        flow.axhline(
            f.get("end_to_end_events_per_s") or 0, color="#c44e52", linestyle="--", linewidth=1, label="run average"
        )
        flow.legend(fontsize=8)
    flow.set_xlabel("seconds since the first event was sent")
    flow.set_ylabel("events/s")
    flow.set_title("end to end: throughput over time")

    windows = f.get("latency_windows") or []
    if windows:
        starts = [w["start_s"] + LATENCY_WINDOW_S / 2 for w in windows]
        for q, colour in (("p50", "#4c72b0"), ("p95", "#dd8452"), ("p99", "#c44e52")):
            latency.plot(starts, [w[q] for w in windows], marker="o", markersize=3, color=colour, label=q)
        latency.axhline(
            P99_TARGET_MS, color="black", linestyle=":", linewidth=1, label=f"p99 target {P99_TARGET_MS:.0f} ms"
        )
        latency.legend(fontsize=8)
    lat = f.get("latency_ms") or {}
    latency.set_xlabel("seconds into the steady-load run (windows of 5 s)")
    latency.set_ylabel("publish -> recommendation (ms)")
    latency.set_title(
        f"latency at {rate_label(f)}"
        + (f"\np50 {lat['p50']:.0f} / p95 {lat['p95']:.0f} / p99 {lat['p99']:.0f} ms over the run" if lat else ""),
        fontsize=10,
    )

    rows = get(f, "timeline", "lag") or []
    if rows:
        t0 = rows[0][0]
        lag.plot([r[0] - t0 for r in rows], [r[1] for r in rows], label="scoring")
        lag.plot([r[0] - t0 for r in rows], [r[2] for r in rows], label="aggregation")
        lag.legend(fontsize=8)
    lag.set_xlabel("seconds into the steady-load run")
    lag.set_ylabel("records")
    lag.set_title("consumer lag")
    fig.suptitle(
        f"hiring-pipeline bench on {get(f, 'machine', 'cores')} cores ({get(f, 'machine', 'cpu')})", fontsize=10
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _comparison_chart(sides: list[Figures], path: Path) -> None:
    import matplotlib.pyplot as plt

    fig, (phases, latency, cpu) = plt.subplots(1, 3, figsize=(16, 5.5))
    width = 0.8 / len(sides)
    for i, side in enumerate(sides):
        f = side["figures"]
        xs = [n + i * width for n in range(len(PHASES))]
        bars = phases.bar(xs, [f.get(key) or 0.0 for _, key in PHASES], width, label=side["label"])
        phases.bar_label(bars, fmt="{:,.0f}", fontsize=7)
        lat = f.get("latency_ms") or {}
        xs = [n + i * width for n in range(3)]
        bars = latency.bar(
            xs,
            [lat.get(q, 0.0) for q in ("p50", "p95", "p99")],
            width,
            label=f"{side['label']} at {f.get('rate', 0):,.0f}/s",
        )
        latency.bar_label(bars, fmt="{:.0f}", fontsize=7)
    phases.set_xticks([n + width * (len(sides) - 1) / 2 for n in range(len(PHASES))], [name for name, _ in PHASES])
    phases.set_yscale("log")
    phases.set_ylabel("events/s (log scale)")
    phases.set_title("throughput per phase")
    phases.legend(fontsize=8)
    latency.set_xticks([n + width * (len(sides) - 1) / 2 for n in range(3)], ["p50", "p95", "p99"])
    latency.axhline(
        P99_TARGET_MS, color="black", linestyle=":", linewidth=1, label=f"p99 target {P99_TARGET_MS:.0f} ms"
    )
    latency.set_yscale("log")
    latency.set_ylabel("publish -> recommendation (ms, log scale)")
    fraction = sides[0]["figures"].get("rate_fraction")
    latency.set_title(
        f"latency at {fraction:.0%} of each side's pass-through" if fraction else "latency at a fixed rate"
    )
    latency.legend(fontsize=8)
    bottom = [0.0] * len(sides)
    labels = [side["label"] for side in sides]
    for name in ("scoring", "aggregation", "broker", "database", "benchmark", "other"):
        values = [get(side["figures"], "cpu_ms_per_event_end_to_end", name) or 0.0 for side in sides]
        cpu.bar(labels, values, bottom=bottom, label=name)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for x, total in enumerate(bottom):
        cpu.annotate(f"{total:.2f} ms", (x, total), ha="center", va="bottom", fontsize=8)
    cpu.set_ylabel("CPU ms per event, end to end")
    cpu.set_title("where the CPU goes (whole machine)")
    cpu.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _scaling_chart(runs: list[Figures], path: Path) -> None:
    import matplotlib.pyplot as plt

    fig, (flow, memory) = plt.subplots(1, 2, figsize=(11, 4.5))
    labels = [f"{r['events']:,}" for r in runs]
    flow.bar(labels, [r["end_to_end_events_per_s"] for r in runs])
    flow.set_ylabel("events/s end to end")
    flow.set_xlabel("events")
    for n, name in enumerate(("scoring", "aggregation")):
        memory.bar([x + n * 0.4 for x in range(len(runs))], [r["peak_rss_mb"][name] for r in runs], 0.4, label=name)
    memory.set_xticks([x + 0.2 for x in range(len(runs))], labels)
    memory.set_ylabel("peak RSS (MB)")
    memory.set_xlabel("events")
    memory.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
