"""Reading a file the user named (a saved run, an expectations file): its text, or one line saying why not."""

from __future__ import annotations

from pathlib import Path

__all__ = ["UnreadableFile", "read_text"]


class UnreadableFile(ValueError):
    """The file cannot be read as UTF-8 text; the message is one line naming it."""


def read_text(path: Path, what: str = "file") -> str:
    """The text of ``path``; ``what`` names the kind of file in the "no such ..." message."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such {what}") from None
    except UnicodeDecodeError:
        raise UnreadableFile(f"{path}: not a UTF-8 text file") from None
    except OSError as error:
        raise UnreadableFile(f"{path}: cannot read it ({error.strerror})") from None
