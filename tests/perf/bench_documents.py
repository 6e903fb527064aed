"""The first document of a process, and a warm agreement next to bare ReportLab.

Each measurement runs in a fresh Python process:

- ``first``: import the renderers, then time the first 人民调解协议书 PDF
  (finding and loading the CJK fonts included) — with the parsed-font cache
  switched off, with an empty cache (the process fills it) and with the
  cache filled (every later start of the program). The first DOCX of a
  fresh process is timed the same way (it loads no fonts).
- ``warm``: in the same process, more agreements (median), next to a bare
  ReportLab document with the same font, size and text (the agreement's
  text drawn line by line with ``canvas.drawString``, no layout, the same
  fonts registered, the subset built and embedded at save).

Wall time and the process's CPU time (``time.process_time``) are both
given; on a machine shared with other work the CPU time is the one to read.

    python tests/perf/bench_documents.py [--quick] [--json] [--runs 5]

Targets: first document under 150 ms (cache filled), warm agreement within
2x of the bare document.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r'''
import io, json, statistics, subprocess, sys, tempfile, time
sys.path.insert(0, {root!r})
WARM = {warm}
clock = lambda: (time.perf_counter(), time.process_time())
def ms(a, b):
    return [(b[0] - a[0]) * 1000, (b[1] - a[1]) * 1000]
t0 = clock()
from reports import registry
from reportlab.pdfgen import canvas
from tests.reports.test_mediation_docs import _agreement
data = _agreement()
t1 = clock()
if {docx!r}:
    registry.render(data, "docx", kind="mediation_agreement")
    print(json.dumps({{"import": ms(t0, t1), "first": ms(t1, clock())}}))
    raise SystemExit
pdf = registry.render(data, "pdf", kind="mediation_agreement")
t2 = clock()
warm = []
for _ in range(WARM):
    a = clock(); registry.render(data, "pdf", kind="mediation_agreement"); warm.append(ms(a, clock()))
with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
    f.write(pdf); f.flush()
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"], capture_output=True,
                          text=True, check=True).stdout
lines = [l for l in text.splitlines() if l.strip()]
from reports import fonts
body = fonts.cjk_fonts().body
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
def bare():
    buf = io.BytesIO(); c = canvas.Canvas(buf); y = 780
    for line in lines:
        if y < 60:
            c.showPage(); y = 780
        c.setFont(body, 16); c.drawString(60, y, line); y -= 28
    c.save(); return buf.getvalue()
bare()
bares = []
for _ in range(WARM):
    a = clock(); bare(); bares.append(ms(a, clock()))
med = lambda xs, i: statistics.median(x[i] for x in xs)
print(json.dumps({{"import": ms(t0, t1), "first": ms(t1, t2),
                  "warm": [med(warm, 0), med(warm, 1)], "bare": [med(bares, 0), med(bares, 1)],
                  "chars": sum(map(len, lines))}}))
'''


def _child(env: dict, warm: int, docx: bool = False) -> dict:
    code = CHILD.format(root=str(ROOT), warm=warm, docx=docx)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--quick", action="store_true", help="3 runs of each, 10 warm documents")
    ap.add_argument("--runs", type=int, default=None, help="fresh processes of each kind (default 5)")
    args = ap.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)
    warm = 10 if args.quick else 20
    results: dict[str, list[dict]] = {"cache_off": [], "cache_empty": [], "cache_filled": [], "docx": []}
    with tempfile.TemporaryDirectory(prefix="hall-fontcache-") as tmp:
        for i in range(runs):
            results["cache_off"].append(_child({**os.environ, "HALL_FONT_CACHE": "off"}, warm))
            folder = Path(tmp) / f"run{i}"
            env = {**os.environ, "HALL_FONT_CACHE": str(folder)}
            results["cache_empty"].append(_child(env, warm))
            results["cache_filled"].append(_child(env, warm))
            results["docx"].append(_child(env, warm, docx=True))
    summary: dict[str, dict] = {}
    for k, rs in results.items():
        row: dict[str, float] = {}
        for m in ("import", "first", "warm", "bare"):
            if m in rs[0]:
                row[m + "_ms"] = round(statistics.median(r[m][0] for r in rs), 1)
                row[m + "_cpu_ms"] = round(statistics.median(r[m][1] for r in rs), 1)
        if "warm_ms" in row:
            row["warm_vs_bare"] = round(row["warm_ms"] / row["bare_ms"], 2)
            row["warm_vs_bare_cpu"] = round(row["warm_cpu_ms"] / row["bare_cpu_ms"], 2)
        summary[k] = row
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    out = {"benchmark": "documents_first_and_warm", "runs": runs, "warm_documents": warm,
           "load_average_1min_at_end": load, "median": summary}
    print(json.dumps(out, ensure_ascii=False) if args.json else json.dumps(out, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
