"""The standalone HTML export of a story map.

:func:`render_html` is pure; :func:`write_html` is the only function here that touches the disk.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from branca.element import Element

from geo.core.errors import InputError, OutputExists
from geo.core.model import Story
from geo.render.assets import use_cdn_assets, use_local_assets
from geo.render.layers import build_map
from geo.render.popups import escape_text


def render_html(story: Story, *, self_contained: bool = True, corrections: int = 0) -> str:
    """The story map as one HTML document.

    ``self_contained=True``: Leaflet, jQuery and the country outlines are inside the file and the
    outlines are the base layer shown first, so it opens from ``file://`` with no network at all;
    OpenStreetMap tiles remain a second base layer that simply stays blank offline.
    ``self_contained=False``: a smaller file that loads Leaflet and jQuery from their CDNs and
    shows OpenStreetMap tiles first.
    ``corrections``: how many reader corrections the story carries; the page then says so in a note
    (and a ``geo-storymap:corrections`` meta tag), so a shared file never passes for the raw reading.
    """
    m = build_map(story, tiles=True, offline_first=self_contained)
    if self_contained:
        use_local_assets(m, mode="inline")
    else:
        use_cdn_assets(m)
    root = m.get_root()
    root.header.add_child(Element(f"<title>{escape_text(story.title or 'Story map')}</title>"), name="title")
    if corrections:
        n = int(corrections)
        root.header.add_child(Element(f'<meta name="geo-storymap:corrections" content="{n}">'), name="corrected_meta")
        root.html.add_child(Element(_CORRECTED_NOTE.format(n=n, s="s" if n != 1 else "")), name="corrected_note")
    return root.render()


# Constant markup; only an integer is formatted in.
_CORRECTED_NOTE = (
    '<div class="corrected-note" style="position:fixed;bottom:8px;left:8px;z-index:1000;background:#fff8e1;'
    'border:1px solid #e0b000;border-radius:4px;padding:3px 8px;font:12px sans-serif">'
    "Corrected by a reader: {n} correction{s} to the automatic reading</div>"
)


def write_html(html: str, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write ``html`` to ``path`` atomically; refuse to replace an existing file unless ``force``.

    The text goes to a temporary file in the same folder first and is then moved into place, so a
    reader never sees half a file and a failed write leaves any old file untouched.
    """
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target} is a folder; give a file name such as {target / 'story.html'}")
    if not target.parent.is_dir():
        raise InputError(f"Folder {target.parent} does not exist; create it first or choose another path")
    if target.exists() and not force:
        raise OutputExists(f"{target} already exists; pass --force to overwrite it, or choose another path")
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(html)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; an export is meant to be shared
        if force:
            os.replace(tmp, target)
        else:
            _move_no_clobber(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _move_no_clobber(tmp: Path, target: Path) -> None:
    """Move ``tmp`` to ``target`` unless ``target`` appeared meanwhile (another writer won)."""
    try:
        # link() fails if target exists, closing the gap between the exists() check and the move.
        os.link(tmp, target)
    except FileExistsError as err:
        raise OutputExists(f"{target} already exists; pass --force to overwrite it, or choose another path") from err
    except OSError:
        # Filesystems without hard links: fall back to a plain (still atomic) replace.
        if target.exists():
            raise OutputExists(f"{target} already exists; pass --force to overwrite it, or choose another path")
        os.replace(tmp, target)
        return
    tmp.unlink()
