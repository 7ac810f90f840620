"""The dashboard's reader: its memo of computed results per published version."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard import db
from dashboard.db import PublishedData


class TestMemo:
    @pytest.fixture
    def data(self, demo_data_dir, monkeypatch):
        monkeypatch.setattr(db, "MEMO_SIZE", 3)
        return PublishedData(demo_data_dir)

    def test_computes_once_per_key(self, data):
        calls = []
        for _ in range(3):
            assert data.memo(("a",), lambda: calls.append("a") or 1) == 1
        assert calls == ["a"]

    def test_none_is_remembered_too(self, data):
        calls = []
        assert data.memo(("missing",), lambda: calls.append(1)) is None
        assert data.memo(("missing",), lambda: calls.append(1)) is None
        assert calls == [1]

    def test_keeps_the_most_recently_used(self, data):
        calls = []
        for key in ("a", "b", "c"):
            data.memo((key,), lambda key=key: calls.append(key) or key)
        data.memo(("a",), lambda: calls.append("a again"))      # a is used again: b is now the oldest
        data.memo(("d",), lambda: calls.append("d") or "d")      # one too many: b goes
        assert data.memo(("a",), lambda: calls.append("a again")) == "a"
        assert data.memo(("b",), lambda: calls.append("b again") or "b") == "b"
        assert calls == ["a", "b", "c", "d", "b again"]

    def test_paints_are_kept_apart_from_other_results(self, data):
        calls = []
        data.memo(("paint", 1), lambda: calls.append("paint") or "classes", paints=True)
        for key in ("a", "b", "c", "d"):   # more other results than MEMO_SIZE
            data.memo((key,), lambda key=key: key)
        assert data.memo(("paint", 1), lambda: calls.append("paint again"), paints=True) == "classes"
        assert calls == ["paint"]

    def test_a_new_version_computes_again(self, data, monkeypatch):
        data.memo(("a",), lambda: "old")
        monkeypatch.setattr(data, "version", lambda: "versions/20991231T000000-00000000")
        assert data.memo(("a",), lambda: "new") == "new"

    def test_many_threads_at_once(self, data):
        def work(n: int) -> list:
            return [data.memo((i % 7,), lambda i=i: i % 7) for i in range(n, n + 200)]

        with ThreadPoolExecutor(8) as pool:
            for n, found in zip(range(8), pool.map(work, range(8))):
                assert found == [i % 7 for i in range(n, n + 200)]
