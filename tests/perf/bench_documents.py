"""The first document of a process, and a warm agreement next to bare ReportLab.

Each measurement runs in a fresh Python process:

- ``first``: import the renderers, then time the first 人民调解协议书 PDF
  (finding and loading the CJK fonts included) — with the parsed-font cache
  switched off, with an empty cache (the process fills it) and with the
  cache filled (every later start of the program).
- ``warm``: in the same process, 20 more agreements (median), next to a bare
  ReportLab document with the same font, size and text (the agreement's
  text drawn line by line with ``canvas.drawString``, no layout).

    python tests/perf/bench_documents.py --json [--runs 5]

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
t0 = time.perf_counter()
from reports import registry
from reportlab.pdfgen import canvas
from tests.reports.test_mediation_docs import _agreement
data = _agreement()
t1 = time.perf_counter()
pdf = registry.render(data, "pdf", kind="mediation_agreement")
t2 = time.perf_counter()
warm = []
for _ in range(20):
    a = time.perf_counter(); registry.render(data, "pdf", kind="mediation_agreement")
    warm.append((time.perf_counter() - a) * 1000)
with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
    f.write(pdf); f.flush()
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"], capture_output=True,
                          text=True, check=True).stdout
lines = [l for l in text.splitlines() if l.strip()]
from reports import fonts
body = fonts.cjk_fonts().body
def bare():
    buf = io.BytesIO(); c = canvas.Canvas(buf); y = 780
    for line in lines:
        if y < 60:
            c.showPage(); y = 780
        c.setFont(body, 16); c.drawString(60, y, line); y -= 28
    c.save(); return buf.getvalue()
bare()
bares = []
for _ in range(20):
    a = time.perf_counter(); bare(); bares.append((time.perf_counter() - a) * 1000)
print(json.dumps({{"import_ms": (t1 - t0) * 1000, "first_ms": (t2 - t1) * 1000,
                  "warm_ms": statistics.median(warm), "bare_ms": statistics.median(bares),
                  "chars": sum(map(len, lines))}}))
'''


def _child(env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT))], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    results: dict[str, list[dict]] = {"cache_off": [], "cache_empty": [], "cache_filled": []}
    with tempfile.TemporaryDirectory(prefix="hall-fontcache-") as tmp:
        for i in range(args.runs):
            results["cache_off"].append(_child({**os.environ, "HALL_FONT_CACHE": "off"}))
            folder = Path(tmp) / f"run{i}"
            env = {**os.environ, "HALL_FONT_CACHE": str(folder)}
            results["cache_empty"].append(_child(env))
            results["cache_filled"].append(_child(env))
    summary = {}
    for k, runs in results.items():
        summary[k] = {m: round(statistics.median(r[m] for r in runs), 1)
                      for m in ("import_ms", "first_ms", "warm_ms", "bare_ms")}
        summary[k]["warm_vs_bare"] = round(summary[k]["warm_ms"] / summary[k]["bare_ms"], 2)
    out = {"benchmark": "documents_first_and_warm", "runs": args.runs, "median": summary}
    print(json.dumps(out, ensure_ascii=False) if args.json else json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
