"""Telegram Desktop channel exports (``result.json``) -> the raw frame of the MoD posts source.

A researcher can export the whole ``@mod_russia`` channel with Telegram Desktop ("Export chat
history", format JSON) and get the **full** post texts, where the pinned scrape cuts them at
400 characters. This module reads such an export into the columns of the scraped CSV
(``date, datetime, drone_count, oblasts, text_snippet`` plus ``raw_row``), so that the same
parser (:mod:`ceasefire_stats.clean.mod_posts`) builds ``mod_posts`` from it.

The export format, as Telegram Desktop writes it: one JSON object with ``name``, ``type``,
``id`` and ``messages``, a list of objects. A message has ``id``, ``type`` (``message``, or
``service`` for events such as "channel created" or "message pinned"), ``date`` (the
exporting machine's **local** time, without a zone: not used), ``date_unixtime`` (seconds since
1970 as a string: the publication instant, used), optionally ``edited``/``edited_unixtime``,
and ``text``: a string, or a list of strings and entity objects
(``{"type": "bold", "text": "57"}``, ``{"type": "text_link", "text": "...", "href": "..."}``).

Mapping: one record per ``message`` entry (``service`` entries are events, not posts, and are
skipped); ``raw_row`` = the message id (unique in a channel); ``datetime`` = the UTC minute of
``date_unixtime`` (the scrape's format, ``%Y-%m-%d %H:%M``; a missing or bad value stays empty
and the cleaner rejects the post ``bad_datetime``); ``text_snippet`` = the plain text of every
piece joined, line breaks as spaces (the scrape's convention; the parser ignores markup);
an edited post keeps its publication time and its edited text; a media-only post has an
empty text (rejected ``empty_text``); ``drone_count`` and ``oblasts`` (the scraper's own
fields) are empty.

Only an export of the MoD's own channel is read: the export's ``type`` must be a channel
(:data:`CHANNEL_TYPES`; a group or a private chat is refused), its ``name`` the MoD channel's
title (:data:`MOD_CHANNEL_TITLES`, compared without case and extra spaces), and every post's
``from_id``, where present, the export's own channel (``channel<id>``; the MoD channel's numeric
id itself is not compared, no source at hand states it). An export of another channel is refused
with its name, whatever its messages look like.

Not JSON, JSON nested too deeply to be an export, JSON of another shape, an export of another
chat, or a message of another shape raises :class:`~ceasefire_stats.core.errors.InputError`
naming the file and the message.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ceasefire_stats.core.errors import InputError
from ceasefire_stats.core.files import read_input_bytes

FORM = "telegram_export"
SCHEMA = "Telegram Desktop export (result.json)"
POST_TYPES = ("message",)
EVENT_TYPES = ("service",)
COLUMNS = ["date", "datetime", "drone_count", "oblasts", "text_snippet"]
MOD_CHANNEL = "@mod_russia"
"""The Telegram channel of the Russian MoD, whose posts the source holds."""
MOD_CHANNEL_TITLES = ("Минобороны России",)
"""The title of :data:`MOD_CHANNEL`, as Telegram Desktop writes it in an export's ``name`` (an
export does not carry the channel's @-name)."""
CHANNEL_TYPES = ("public_channel", "private_channel")
"""``type`` of an export of a channel (a group is ``public_supergroup``, ``private_group``...,
a conversation ``personal_chat``...)."""
_SHOWN = 5  # problems listed in one error


def is_export(path: str | Path) -> bool:
    """Whether ``path`` holds a JSON document (by its name or its first byte), not a CSV.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "export.txt"
    >>> _ = p.write_text('  {"messages": []}')
    >>> is_export(p)
    True
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        return True
    with open(path, "rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def plain_text(text: object) -> str | None:
    """The plain text of a message's ``text``: a string, or a list of strings and entity
    objects; None when it has another shape.

    >>> plain_text(["Уничтожены ", {"type": "bold", "text": "57"}, " БПЛА"])
    'Уничтожены 57 БПЛА'
    >>> plain_text(7) is None
    True
    """
    if isinstance(text, str):
        return text
    if not isinstance(text, list):
        return None
    parts = []
    for piece in text:
        if isinstance(piece, str):
            parts.append(piece)
        elif isinstance(piece, dict) and isinstance(piece.get("text", ""), str):
            parts.append(piece.get("text", ""))
        else:
            return None
    return "".join(parts)


def _load(path: Path) -> object:
    raw = read_input_bytes(path)
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: not a Telegram export: not UTF-8 text (undecodable byte at offset "
                         f"{exc.start})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path.name}: not a Telegram export: not JSON ({exc.msg} at line {exc.lineno}, "
                         f"column {exc.colno})") from None
    except RecursionError:  # an export nests three levels at most
        raise InputError(f"{path.name}: not a Telegram export: JSON nested too deeply to be one") from None


def _title(name: object) -> str:
    return " ".join(name.split()).casefold() if isinstance(name, str) else ""


def check_channel(doc: dict, path: Path) -> None:
    """Raise :class:`~ceasefire_stats.core.errors.InputError` unless ``doc`` is an export of the
    MoD's channel (module docstring: its type, title and the senders of its posts)."""
    kind, name, cid = doc.get("type"), doc.get("name"), doc.get("id")
    expected = f"the MoD's channel {MOD_CHANNEL} ({' or '.join(MOD_CHANNEL_TITLES)})"
    if kind not in CHANNEL_TYPES:
        raise InputError(f"{path.name}: not an export of a channel (type {kind!r}, name {name!r}): export the "
                         f"history of {expected} in Telegram Desktop, format JSON")
    if _title(name) not in {_title(t) for t in MOD_CHANNEL_TITLES}:
        raise InputError(f"{path.name}: an export of another channel ({name!r}, id {cid!r}): the MoD posts are "
                         f"those of {expected}; export that channel")
    if isinstance(cid, bool) or not isinstance(cid, int):
        raise InputError(f"{path.name}: the export's channel id {cid!r} is not an integer")
    own = f"channel{cid}"
    for number, message in enumerate(doc["messages"], start=1):
        if isinstance(message, dict) and message.get("type") in POST_TYPES and message.get("from_id", own) != own:
            raise InputError(f"{path.name}: message {number} (id {message.get('id')!r}) was posted by "
                             f"{message.get('from_id')!r}, not by the exported channel ({own}): not an export of "
                             f"one channel")


def read_export(path: str | Path) -> pd.DataFrame:
    """Read a Telegram Desktop channel export into the MoD posts raw frame (module docstring):
    one row per ``message`` entry, ``raw_row`` = message id, every cell text."""
    path = Path(path)
    doc = _load(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("messages"), list):
        found = f"an object with keys {sorted(doc)[:8]}" if isinstance(doc, dict) else f"a JSON {type(doc).__name__}"
        hint = " (a whole-account export: export the one channel instead)" if isinstance(doc, dict) and "chats" in doc \
            else ""
        raise InputError(f"{path.name}: not a Telegram Desktop channel export: expected an object with a "
                         f"'messages' list, found {found}{hint}")
    check_channel(doc, path)
    ids, stamps, texts, problems = [], [], [], []
    for number, message in enumerate(doc["messages"], start=1):
        if not isinstance(message, dict):
            problems.append(f"message {number}: not an object")
            continue
        kind = message.get("type")
        if kind in EVENT_TYPES:
            continue
        mid = message.get("id")
        where = f"message {number} (id {mid!r})"
        if kind not in POST_TYPES:
            problems.append(f"{where}: unknown type {kind!r}")
            continue
        if isinstance(mid, bool) or not isinstance(mid, int) or not 0 < mid < 2 ** 63:  # ids are int64 raw rows
            problems.append(f"{where}: id is not an integer from 1 to 2**63-1")
            continue
        text = plain_text(message.get("text", ""))
        if text is None:
            problems.append(f"{where}: text is neither a string nor a list of strings and entities")
            continue
        ids.append(mid)
        stamps.append(message.get("date_unixtime"))
        texts.append(text)
        if len(problems) > _SHOWN:
            break
    if problems:
        raise InputError(f"{path.name}: not a Telegram Desktop channel export: " + "; ".join(problems[:_SHOWN]))
    if not ids:
        raise InputError(f"{path.name}: the export holds no messages")
    id_array = np.asarray(ids, dtype="int64")
    repeated = pd.Series(id_array).duplicated()
    if repeated.any():
        raise InputError(f"{path.name}: message id {int(id_array[repeated.to_numpy()][0])} appears twice "
                         "(one channel's export has each id once)")
    seconds = pd.to_numeric(pd.Series(stamps, dtype="str"), errors="coerce")
    posted = pd.to_datetime(seconds, unit="s", utc=True, errors="coerce")
    minute = posted.dt.strftime("%Y-%m-%d %H:%M").fillna("")
    text = pd.Series(texts, dtype="str").str.replace("\r\n", " ", regex=False).str.replace(
        r"[\n\r\u2028\u2029]", " ", regex=True)
    return pd.DataFrame({
        "raw_row": pd.array(id_array, dtype="Int64"),
        "date": posted.dt.strftime("%Y-%m-%d").fillna(""),
        "datetime": minute,
        "drone_count": "",
        "oblasts": "",
        "text_snippet": text,
    }).astype({c: "str" for c in COLUMNS})
