"""What a save dialog writes: the format of a name's typed extension, else the chosen type's.

A person who types ``people.vcf`` with the dialog's type left at JSON means vCard: the
typed extension decides (it used to be the type, and ``people.vcf`` was written as JSON).
Another file type's extension is replaced by the chosen type's (``mine.txt`` →
``mine.csv``); a name without one gets it added (``week`` → ``week.md``,
``notes.2026.12`` → ``notes.2026.12.md``: digits are part of the name).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def typed_or_chosen(path: Path, chosen: str, by_suffix: Mapping[str, str],
                    extension: Mapping[str, str]) -> tuple[Path, str]:
    """(the file to write, its format). ``by_suffix``: ".vcf" → "vcard"…; ``extension``:
    "vcard" → "vcf"…; ``chosen``: the format of the dialog's chosen type."""
    typed = by_suffix.get(path.suffix.lower())
    if typed is not None:
        return path, typed
    if path.suffix[1:].isalpha():  # another type's extension (.txt, .doc)
        return path.with_suffix(f".{extension[chosen]}"), chosen
    return path.with_name(f"{path.name}.{extension[chosen]}"), chosen
