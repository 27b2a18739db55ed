"""The bench harness's own pieces: statistics, the report block in docs, wrk's output."""

from __future__ import annotations

from pathlib import Path

from bench.report import BEGIN, END, write
from bench.strategies import Answer, same
from bench.timing import Sample
from bench.web import _wrk_ms

WRK_OUTPUT = """Running 20s test @ http://127.0.0.1:8150
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   120.50ms   30.20ms 400.00ms   70.00%
  Latency Distribution
     50%  110.25ms
     75%  130.00ms
     90%  160.00ms
     99%    1.20s
  2400 requests in 20.00s, 10.00MB read
Requests/sec:    120.00
"""


def test_a_sample_gives_its_median_and_nearest_rank_p95() -> None:
    sample = Sample(tuple(float(n) for n in range(1, 101)))
    assert sample.median == 50.5
    assert sample.p95 == 95.0
    assert Sample((3.0,)).p95 == 3.0
    assert sample.text() == "50.5 / 95.0"


def test_the_generated_block_replaces_only_itself(tmp_path: Path) -> None:
    doc = tmp_path / "BENCHMARKS.md"
    doc.write_text(f"# Title\n\nhand-written\n\n{BEGIN}\nold numbers\n{END}\n\nmore prose\n")
    write(doc, "new numbers")
    text = doc.read_text()
    assert "old numbers" not in text
    assert text.startswith("# Title\n\nhand-written\n\n")
    assert f"{BEGIN}\nnew numbers\n{END}" in text
    assert text.endswith("\n\nmore prose\n")
    fresh = tmp_path / "new.md"
    write(fresh, "first")
    assert fresh.read_text() == f"{BEGIN}\nfirst\n{END}\n"


def test_wrk_latencies_are_read_in_milliseconds() -> None:
    assert _wrk_ms(WRK_OUTPUT, "50%") == 110.25
    assert _wrk_ms(WRK_OUTPUT, "99%") == 1200.0


def test_answers_that_differ_are_told_apart() -> None:
    door = Answer((3, 2, 1), (4, 2, 1), 3, False)
    assert same(door, Answer((3, 2, 1), None, 3, False)) == []
    assert same(door, Answer((3, 1, 2), None, 3, False))[0].startswith("page ids differ")
    assert same(door, Answer((3, 2, 1), (4, 2, 2), 3, False)) == ["levels differ"]
    assert same(door, Answer((3, 2, 1), None, 10_000, True)) == ["counts differ: 3 vs 10,000+"]
