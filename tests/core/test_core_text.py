"""Folding: the one normal form every rule matches against."""

from __future__ import annotations

import pytest

from bot.core.text import fold, fold_plain


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Está ENFERMO", "esta enfermo"),
        ("niño", "nino"),
        ("  too   many\n\tspaces ", "too many spaces"),
        ("don’t", "don't"),
        ("“quoted”", '"quoted"'),
        ("wait…", "wait..."),
        ("7–8", "7-8"),
        ("Tiếng Việt", "tieng viet"),
        ("ĐẦU", "dau"),
        ("KÒMANSE", "komanse"),
        ("إلغاء", "الغاء"),
        ("中文！", "中文!"),
        ("８", "8"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "plain"),
    [("don’t", "dont"), ("I'm", "im"), ("can't wake up", "cant wake up")],
)
def test_fold_plain_drops_apostrophes(text: str, plain: str) -> None:
    assert fold_plain(text) == plain
