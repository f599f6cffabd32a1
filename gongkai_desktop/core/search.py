"""Keyword search (关键词检索) over Chinese text with FTS5.

FTS5's trigram tokenizer cannot match a two-character word such as “预算”, the
commonest Chinese search. So the index holds overlapping character bigrams
(plus each run's last character), and a query term becomes a phrase of its
bigrams: an exact substring match for terms of two or more characters, and a
prefix match for a single character.
"""

from __future__ import annotations

import unicodedata


def _runs(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text or "").lower()
    out, cur = [], []
    for ch in text:
        if ch.isalnum():
            cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def _grams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def tokens(*fields: str | None) -> str:
    """The text stored in items_fts for these fields."""
    return " ".join(g for f in fields for run in _runs(f or "") for g in _grams(run))


def match_query(query: str) -> str | None:
    """An FTS5 MATCH expression for *query*, or None when it has no searchable text.

    Every term must match (AND). Quoting keeps words like OR/NOT literal.
    """
    parts = []
    for run in _runs(query):
        if len(run) == 1:
            parts.append(f'"{run}"*')
        else:
            parts.append('"' + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + '"')
    return " AND ".join(parts) or None
