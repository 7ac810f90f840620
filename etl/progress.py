"""How the ETL tells what it is doing, on standard error: progress bars on a terminal, plain lines in a log.

Every job takes a ``progress`` callable that is handed one line of text. The ``wijkbeeld`` commands hand it a
:class:`Progress`, which also draws bars (tqdm) for long work when standard error is a terminal: megabytes of a
download, pages of an OData table, steps of an update, files of a publish. Anything else (a list's ``append`` in a
test, ``print``) gets the plain lines only, as does a ``Progress`` writing to a log or a pipe: no bar, no carriage
return, one line per thing done.

>>> lines = []
>>> with meter(lines.append, "85984NED", unit="pages", line=lambda done, total: f"{done} pages") as pages:
...     pages.update()
...     pages.update()
>>> lines
['1 pages', '2 pages']
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable


class Progress:
    """Lines (and, on a terminal, bars) on ``stream``, standard error unless given; ``bars`` forces them on or off.

    The stream is looked up when written to, so a test that swaps ``sys.stderr`` sees the output.
    """

    def __init__(self, stream=None, bars: bool | None = None):
        self._stream = stream
        self._bars = bars

    @property
    def stream(self):
        return self._stream if self._stream is not None else sys.stderr

    @property
    def bars(self) -> bool:
        if self._bars is not None:
            return self._bars
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def __call__(self, message: str) -> None:
        if self.bars:
            from tqdm import tqdm

            tqdm.write(message, file=self.stream)   # above the bars, which are drawn again below it
        else:
            print(message, file=self.stream, flush=True)


class Meter:
    """Counts work done; a line through ``line(done, total)`` each time the count crosses ``every`` (and at the
    end of a known total), or a bar when :func:`meter` drew one."""

    def __init__(self, progress, line: Callable[[int, int | None], str] | None, total: int | None, every: int):
        self.progress, self.line, self.total, self.every = progress, line, total, max(every, 1)
        self.done = 0

    def update(self, amount: int = 1, note: str | None = None) -> None:
        before, self.done = self.done, self.done + amount
        if self.progress is None or self.line is None:
            return
        if self.done // self.every > before // self.every or self.done == self.total:
            self.progress(self.line(self.done, self.total))

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class BarMeter(Meter):
    def __init__(self, bar):
        super().__init__(None, None, bar.total, 1)
        self.bar = bar

    def update(self, amount: int = 1, note: str | None = None) -> None:
        self.done += amount
        self.bar.update(amount)
        if note:
            self.bar.set_postfix_str(note, refresh=False)

    def close(self) -> None:
        self.bar.close()


def meter(progress, label: str, *, total: int | None = None, unit: str = "", bytes_: bool = False,
          line: Callable[[int, int | None], str] | None = None, every: int = 1, leave: bool = False) -> Meter:
    """Count work towards ``total`` (None: unknown): a bar when ``progress`` is a :class:`Progress` on a terminal,
    else a line through ``line`` every ``every`` units (no line without ``line``: the caller says it itself).
    ``bytes_`` shows a byte count in kB/MB; ``leave`` keeps the finished bar on screen."""
    if isinstance(progress, Progress) and progress.bars:
        from tqdm import tqdm

        bar = tqdm(total=total, desc=label, unit="B" if bytes_ else (unit or "it"), unit_scale=bytes_,
                   unit_divisor=1000, file=progress.stream, leave=leave, **_screen(progress.stream))
        return BarMeter(bar)
    return Meter(progress, line, total, every)


def _screen(stream) -> dict:
    """The terminal's size for tqdm; 80×24 where it says 0×0 (a terminal without a size, as under ``script``),
    where tqdm would draw nothing; tqdm's own guess when the stream is no file."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return {}
    return {"ncols": size.columns or 80, "nrows": size.lines or 24}
