"""Progress on standard error: bars (tqdm) on a terminal, plain lines in a log."""
from __future__ import annotations

import io

from etl.progress import Meter, Progress, meter
from etl.sources.odata import fetch_rows


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class TestProgress:
    def test_a_log_gets_lines_without_carriage_returns(self):
        log = io.StringIO()
        progress = Progress(log)
        with meter(progress, "wijkenbuurten_2024.gpkg", total=50, bytes_=True, every=20,
                   line=lambda done, total: f"{done} of {total}") as counted:
            for _ in range(5):
                counted.update(10)
        progress("done")
        assert log.getvalue() == "20 of 50\n40 of 50\n50 of 50\ndone\n"

    def test_a_terminal_gets_a_bar_that_counts_megabytes(self):
        terminal = Terminal()
        progress = Progress(terminal)
        with meter(progress, "wijkenbuurten_2024.gpkg", total=3_000_000, bytes_=True, leave=True,
                   line=lambda *_: "never shown") as counted:
            counted.update(1_500_000)
            counted.update(1_500_000)
        output = terminal.getvalue()
        assert "\r" in output and "wijkenbuurten_2024.gpkg" in output and "3.00M/3.00M" in output
        assert "never shown" not in output

    def test_a_message_while_a_bar_is_drawn_stays_whole(self):
        terminal = Terminal()
        progress = Progress(terminal)
        with meter(progress, "update", total=2, unit="steps"):
            progress("step 1/2 boundaries 2024: …")
        assert "step 1/2 boundaries 2024: …\n" in terminal.getvalue()

    def test_a_plain_callable_gets_lines_only(self):
        lines = []
        counted = meter(lines.append, "x", total=2, line=lambda done, total: f"{done}/{total}")
        assert type(counted) is Meter
        counted.update()
        counted.update()
        assert lines == ["1/2", "2/2"]


def test_odata_pages_on_a_terminal_are_one_bar(odata_server):
    url = odata_server.pages("/ODataFeed/odata/85984NED/TypedDataSet", [{"ID": n} for n in range(7)], page_size=3)[0]
    terminal = Terminal()
    assert len(fetch_rows(url, progress=Progress(terminal))) == 7
    output = terminal.getvalue()
    assert "85984NED" in output and "pages" in output and "\r" in output
    assert "\n" not in output, "no line per page: one bar, taken away when done (the step's line says what was read)"


def test_a_terminal_that_tells_no_size_still_gets_bars():
    """A pseudo-terminal says it is 0×0 (as under ``script`` or some CI runners): tqdm would draw nothing."""
    import os
    import select

    leader, follower = os.openpty()
    try:
        with open(follower, "w", closefd=False) as stream:
            assert os.get_terminal_size(follower).columns == 0
            with meter(Progress(stream), "update", total=2, unit="steps", leave=True) as steps:
                steps.update(2)
        ready, _, _ = select.select([leader], [], [], 5)
        output = os.read(leader, 1 << 16).decode() if ready else ""
    finally:
        os.close(follower)
        os.close(leader)
    assert "update: 100%" in output and "2/2" in output
