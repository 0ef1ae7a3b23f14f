"""``python -m geo``: a thin shell over the library.

Library errors become one line on stderr: exit 2 for bad input (the user can fix it), 1 for anything
else. ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from geo import __version__
from geo.errors import ArticleNotFound, ArticleTooLarge, ArticleUnreadable, GeoError, InputError
from geo.text import article_text

MAX_ARTICLE_BYTES = 10 * 1024 * 1024  # a news article is tens of KB; 10 MB leaves room for whole dossiers

EPILOG = """\
output of `extract --format json` (one object):
  {"title", "language", "passages": [{"id", "text", "start", "end", "heading"}],
   "places": [{"id", "name", "name_ar", "kind", "lat", "lon", "country", "source", "source_id", "confidence",
               "candidates": [{"name", "kind", "lat", "lon", "country", "score"}],
               "mentions": [{"passage", "start", "end", "text", "adjectival", "confidence"}]}],
   "routes": [{"id", "mode", "stops", "path", "length_km", "on_rail", "when", "passages"}],
   "links": [{"id", "kind", "status", "places", "directed", "weight", "passages"}],
   "unresolved": [names found but not geocoded]}
  Offsets index the decoded article text: text[start:end] == mention text. confidence is a calibrated
  probability that the reading is right (a place: its surest mention); candidates are the best readings of
  the name with their ranking scores, the chosen one first.

exit codes: 0 ok, 2 bad input (message on stderr), 1 internal failure.
Offline by default; --online allows Nominatim (≤1 request/s) for names the offline gazetteer lacks.
"""


def read_article(path: str | Path) -> str:
    """Read and decode an article file, with one-line errors a user can act on."""
    p = Path(path)
    if not p.exists():
        raise ArticleNotFound(f"{p}: no such file")
    if p.is_dir():
        raise ArticleNotFound(f"{p}: is a directory, give an article file")
    try:
        size = p.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleTooLarge(f"{p}: {size / 1e6:.1f} MB is over the {MAX_ARTICLE_BYTES // 2**20} MB limit for one article: split it")
        with p.open("rb") as f:
            data = f.read(MAX_ARTICLE_BYTES + 1)
    except PermissionError as err:
        raise ArticleUnreadable(f"{p}: permission denied, make it readable") from err
    except IsADirectoryError as err:
        raise ArticleNotFound(f"{p}: is a directory, give an article file") from err
    except OSError as err:
        raise ArticleUnreadable(f"{p}: cannot read ({err.strerror or err})") from err
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleTooLarge(f"{p}: over the {MAX_ARTICLE_BYTES // 2**20} MB limit for one article: split it")
    try:
        return article_text(data)
    except InputError as err:
        raise type(err)(f"{p}: {err}") from err


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="Turn a news article (Arabic or English) into an evidence-linked story map.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"geo-storymap {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--online", action="store_true", help="look up unknown names on Nominatim (needs internet)")
        p.add_argument("--cache", type=Path, default=None, help="places cache CSV (default: data/places.csv or $GEO_PLACES_CACHE)")
        p.add_argument("--nominatim", default=os.environ.get("GEO_NOMINATIM", ""),
                       help="Nominatim base URL, e.g. http://127.0.0.1:8080 (default: $GEO_NOMINATIM, else the public service)")
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    ex = sub.add_parser("extract", help="print the places, routes and links of articles", epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ex.add_argument("paths", nargs="+", metavar="PATH", help="article files (UTF-8, UTF-16 or cp1256) or folders of .txt files")
    ex.add_argument("--format", choices=("json", "csv", "jsonl"), default=None,
                    help="json: one story (default for one file); jsonl: one story per line with its path "
                         "(default for several files); csv: the places table")
    ex.add_argument("--jobs", type=int, default=0, help="worker processes for many files (default: all cores; 1: no workers)")
    common(ex)

    exp = sub.add_parser("export", help="write the story map as a standalone HTML file")
    exp.add_argument("file", help="article file")
    exp.add_argument("-o", "--output", required=True, type=Path, help="HTML file to write")
    exp.add_argument("--self-contained", action="store_true", help="inline Leaflet, jQuery and the basemap: works with no network")
    exp.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    common(exp)

    geo = sub.add_parser("geocode", help="add every place of the articles to the places cache, with provenance")
    geo.add_argument("files", nargs="+", help="article files")
    common(geo)
    return parser


def _expand(paths: list[str]) -> list[str]:
    """Files as given, folders as their .txt files (sorted, recursively); a missing path is an input error."""
    out: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(str(f) for f in sorted(p.rglob("*.txt")) if f.is_file())
        elif p.exists() or len(paths) == 1:
            out.append(raw)
        else:
            raise ArticleNotFound(f"{p}: no such file or folder")
    if not out:
        raise InputError(f"no .txt articles in {', '.join(paths)}")
    return out


def _cache_path(args: argparse.Namespace) -> Path:
    from geo.cache import DEFAULT_PATH

    return args.cache or Path(os.environ.get("GEO_PLACES_CACHE") or DEFAULT_PATH)


def _geocoder(args: argparse.Namespace):
    if not args.online:
        return None
    from geo.geocode import OnlineGeocoder

    return OnlineGeocoder.at(args.nominatim)


def _analyse(path: str, args: argparse.Namespace):
    from geo.pipeline import GeocodeReport, analyse

    text = read_article(path)
    report = GeocodeReport()
    story = analyse(text, cache_path=_cache_path(args), geocoder=_geocoder(args), report=report)
    for name, why in report.failed.items():
        print(f"warning: {name}: {why}", file=sys.stderr)
    if report.cache_note:
        print(f"warning: {report.cache_note}", file=sys.stderr)
    return story


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "extract":
        from geo.output import places_csv, story_to_dict

        files = _expand(args.paths)
        fmt = args.format or ("json" if len(args.paths) == 1 and len(files) == 1 and not Path(args.paths[0]).is_dir() else "jsonl")
        if fmt != "jsonl":
            if len(files) != 1:
                raise InputError(f"--format {fmt} takes one article; use --format jsonl for {len(files)} files")
            story = _analyse(files[0], args)
            if fmt == "csv":
                sys.stdout.write(places_csv(story))
            else:
                json.dump(story_to_dict(story), sys.stdout, ensure_ascii=False, indent=1)
                sys.stdout.write("\n")
        else:
            from geo.batch import run_batch

            failed = run_batch(files, jobs=args.jobs, cache_path=_cache_path(args), out=sys.stdout, err=sys.stderr)
            return 1 if failed and failed == len(files) else 0
    elif args.command == "export":
        from geo.export import render_html, write_html

        story = _analyse(args.file, args)
        html = render_html(story, self_contained=args.self_contained)
        write_html(html, args.output, force=args.force)
        print(f"wrote {args.output} ({len(html.encode()) / 1024:.0f} KB, {len(story.places)} places)", file=sys.stderr)
    elif args.command == "geocode":
        from geo.cache import upsert
        from geo.output import cache_rows

        path = _cache_path(args)
        total = 0
        for f in args.files:
            total += upsert(path, cache_rows(_analyse(f, args)))
        print(f"{path}: {total} rows added or updated", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    try:
        return run(argv)
    except InputError as err:
        if debug:
            raise
        print(f"error: {err}", file=sys.stderr)
        return 2
    except GeoError as err:
        if debug:
            raise
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # a bug: one line for the user, the traceback with --debug
        if debug:
            raise
        print(f"error: internal failure ({type(err).__name__}: {err}); rerun with --debug and report it", file=sys.stderr)
        return 1
