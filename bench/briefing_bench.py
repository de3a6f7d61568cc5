"""Issue 4's figures: the briefing pack of a ``demo --scale 10`` desk.

``python bench/briefing_bench.py DESK`` times, interleaved in one process over
``NSDESK_BENCH_BRIEF_RUNS`` repetitions (medians):

* **ours** — the whole user action: :func:`write_briefing` with every section,
  reading the desk, assembling the read model, laying out the pack once with
  its contents numbers, bookmarks, marking and "page x of y", and writing it
  under a temporary name renamed into place;
* **raw reportlab** — the same flowables (every section but the contents list,
  built by the same section builders from a read model made beforehand, not
  timed) laid out by a plain ``SimpleDocTemplate`` in one pass: no contents, no
  bookmarks, no page decorations.

It prints ``BENCH …`` lines and ``briefing-bench-figures <json>`` for ``run.py``.
``python bench/briefing_bench.py --once DESK OUT`` writes the pack once (for the
peak-memory figure, read by ``run.py`` from the child's resource usage).
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import Figure  # noqa: E402

from nsdesk.services.briefing.pack import BriefingRequest, build_briefing, write_briefing  # noqa: E402
from nsdesk.services.desk import open_desk  # noqa: E402

RUNS = int(os.environ.get("NSDESK_BENCH_BRIEF_RUNS", "3"))
AS_OF = date(2026, 11, 22)
REQUEST = BriefingRequest(as_of=AS_OF)


def ours(desk_path: Path, out: Path) -> tuple[float, int]:
    started = time.perf_counter()
    with open_desk(desk_path, read_only=True) as desk:
        outcome = write_briefing(desk, REQUEST, out)
    return time.perf_counter() - started, outcome.pages


def raw_reportlab(pack, out: Path) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from reportlab.platypus import NextPageTemplate, PageBreak, SimpleDocTemplate

    from nsdesk.briefing.fonts import load_fonts
    from nsdesk.briefing.sections import BUILDERS, Context
    from nsdesk.briefing.style import load_style
    from nsdesk.briefing.text import TextSetter

    started = time.perf_counter()
    style = load_style(pack.header.paper)
    ctx = Context(pack, style, TextSetter(load_fonts()), lambda: None)
    story: list = []
    for key in pack.sections:
        if key == "contents":
            continue
        if story:
            story.append(PageBreak())
        # A plain document has one page template: no switch from the cover's.
        story.extend(f for f in BUILDERS[key](ctx) if not isinstance(f, NextPageTemplate))
    doc = SimpleDocTemplate(
        str(out),
        pagesize=style.page_size,
        leftMargin=style.margin("left"),
        rightMargin=style.margin("right"),
        topMargin=style.margin("top"),
        bottomMargin=style.margin("bottom"),
    )
    doc.build(story)
    return time.perf_counter() - started, doc.page


def main(argv: list[str]) -> int:
    if argv[:1] == ["--once"]:
        seconds, pages = ours(Path(argv[1]), Path(argv[2]))
        print(f"briefing_once {seconds:.3f} {pages}")
        return 0
    desk_path = Path(argv[0])
    work = desk_path.parent
    with open_desk(desk_path, read_only=True) as desk:
        pack = build_briefing(desk, REQUEST)
    counts = {"commitments": pack.summary.total, "sheets": len(pack.sheets)}
    ours(desk_path, work / "warm.pdf")  # fonts, imports and caches warm for both
    ours_times, raw_times, ours_pages, raw_pages = [], [], 0, 0
    for _ in range(RUNS):
        gc.collect()
        seconds, ours_pages = ours(desk_path, work / "ours.pdf")
        ours_times.append(seconds)
        gc.collect()
        seconds, raw_pages = raw_reportlab(pack, work / "raw.pdf")
        raw_times.append(seconds)
    mine, raw = statistics.median(ours_times), statistics.median(raw_times)
    figures = [
        Figure(
            "briefing_pack_ratio_scale10",
            mine / raw,
            1.5,
            "×",
            f"the whole pack of a scale-10 demo desk ({counts['commitments']} commitments "
            f"shown, {ours_pages} pages, every section; read, assembled, laid out once with "
            f"contents numbers, bookmarks and page x of y) in {mine:.2f} s, against raw "
            f"reportlab laying out the same flowables without contents in one pass "
            f"({raw_pages} pages) in {raw:.2f} s; medians of {RUNS}",
        ),
    ]
    for figure in figures:
        print(figure.line(), flush=True)
    print("briefing-bench-figures " + json.dumps([asdict(f) for f in figures]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
