"""``python -m geo``: a thin shell over the library.

Library errors become one line on stderr: exit 2 for bad input (the user can fix it), 1 for anything
else. ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import replace
from pathlib import Path

from geo import __version__
from geo.articles import read_article
from geo.batch import AtomicTextSink, JsonlSink, run_batch
from geo.core.errors import (
    ArticleNotFound,
    GeoError,
    InputError,
)
from geo.core.model import Story
from geo.core.settings import DEFAULT_BASE_URL, Settings
from geo.core.text import passages, title
from geo.corpus import read_run
from geo.output import cache_rows, places_csv, story_geojson, story_to_dict
from geo.parquet import ParquetSink
from geo.pipeline import GeocodeReport, analyse
from geo.places import gazetteer
from geo.places.cache import upsert
from geo.places.geocode import OnlineGeocoder
from geo.render.permalink import dashboard_url
from geo.store import Store
from geo.story.corrections import apply

EPILOG = """\
output of `extract --format json` (one object):
  {"title", "language", "passages": [{"id", "text", "start", "end", "heading"}],
   "places": [{"id", "name", "name_ar", "kind", "lat", "lon", "country", "source", "source_id", "confidence",
               "mentions": [{"passage", "start", "end", "text", "adjectival"}]}],
   "routes": [{"id", "mode", "stops", "path", "length_km", "on_rail", "when", "passages"}],
   "links": [{"id", "kind", "status", "places", "directed", "weight", "passages"}],
   "unresolved": [names found but not geocoded]}
  Offsets index the decoded article text: text[start:end] == mention text.
  --format jsonl: one such object per line, with "path" and "date" (ISO day from metadata, dateline or
  file name; "" when none) first. --format parquet -o DIR: tables articles, places, mentions, routes, links.

`extract --format geojson`: a FeatureCollection with a Point per place and a LineString (MultiLineString
when cut at the antimeridian or with several arcs) per route and link; properties carry the kind, mode,
status and evidence passages.

Stored articles: `publish` keeps an article in the article store ($GEO_STORE, else the user data folder)
and prints the dashboard URL that opens it; `export --article ID` exports it with the corrections
readers made on the page.

exit codes: 0 ok, 2 bad input (message on stderr), 1 internal failure.
Offline by default; --online allows Nominatim (≤1 request/s) for names the offline gazetteer lacks.
"""


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

    def store_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--store", type=Path, default=None, help="article store file (default: $GEO_STORE, else the user data folder)")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--online", action="store_true", help="look up unknown names on Nominatim (needs internet)")
        p.add_argument("--cache", type=Path, default=None,
                       help="places cache CSV (default: $GEO_PLACES_CACHE, else places.csv in the user data folder)")
        p.add_argument("--nominatim", default=None,
                       help="Nominatim base URL, e.g. http://127.0.0.1:8080 (default: $GEO_NOMINATIM, else the public service)")
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    ex = sub.add_parser("extract", help="print the places, routes and links of articles", epilog=EPILOG,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ex.add_argument("paths", nargs="+", metavar="PATH", help="article files (UTF-8, UTF-16 or cp1256) or folders of .txt files")
    ex.add_argument("--format", choices=("json", "csv", "jsonl", "geojson", "parquet"), default=None,
                    help="json: one story (default for one file); jsonl: one story per line with its path and date "
                         "(default for several files); parquet: tables articles, places, mentions, routes, links "
                         "under the folder -o; csv: the places table; geojson: places, routes and links")
    ex.add_argument("--jobs", type=int, default=0, help="worker processes for many files (default: all cores; 1: no workers)")
    ex.add_argument("--engine", choices=("local", "dask"), default=None,
                    help="local: this machine's cores (default); dask: a Dask cluster (a local one unless --scheduler)")
    ex.add_argument("--scheduler", default=None, metavar="ADDRESS",
                    help="Dask scheduler to run on, e.g. tcp://host:8786 (implies --engine dask)")
    ex.add_argument("-o", "--output", type=Path, default=None,
                    help="write there instead of stdout: a .jsonl file, or a folder for --format parquet")
    ex.add_argument("--force", action="store_true", help="replace the output if it exists")
    common(ex)

    cm = sub.add_parser("corpus-map", help="one map of a whole run: places sized by articles, links by articles, a time filter")
    cm.add_argument("run", type=Path, metavar="RUN", help="an extract run: a .jsonl file or a --format parquet folder")
    cm.add_argument("-o", "--output", required=True, type=Path, help="HTML file to write (self-contained, works offline)")
    cm.add_argument("--title", default="", help="the map's title (default: the run's name)")
    cm.add_argument("--force", action="store_true", help="overwrite the output file if it exists")

    exp = sub.add_parser("export", help="write the story map as a standalone HTML file (works offline)")
    exp.add_argument("file", nargs="?", help="article file (or --article ID)")
    exp.add_argument("--article", metavar="ID", help="export a stored article, with its readers' corrections")
    exp.add_argument("-o", "--output", required=True, type=Path, help="HTML file to write")
    assets = exp.add_mutually_exclusive_group()
    assets.add_argument("--self-contained", action="store_true",
                        help="inline Leaflet, jQuery and the basemap (the default): opens from disk with no network")
    assets.add_argument("--cdn", action="store_true",
                        help="a small file that loads Leaflet and jQuery from CDNs and OpenStreetMap tiles: "
                             "NEEDS THE NETWORK to show anything")
    exp.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    store_option(exp)
    common(exp)

    pub = sub.add_parser("publish", help="keep an article in the article store and print the dashboard URL that opens it")
    pub.add_argument("file", help="article file")
    pub.add_argument("--title", default="", help="title to store (default: the article's first line)")
    pub.add_argument("--base-url", default=None,
                     help=f"the dashboard's address (default: $GEO_BASE_URL, else {DEFAULT_BASE_URL})")
    store_option(pub)
    pub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

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


def _settings(args: argparse.Namespace) -> Settings:
    """The environment's settings with the command line's overrides."""
    settings = Settings.from_env()
    if getattr(args, "cache", None) is not None:
        settings = replace(settings, places_cache=args.cache)
    if getattr(args, "nominatim", None) is not None:
        settings = replace(settings, nominatim_url=args.nominatim)
    if getattr(args, "store", None) is not None:
        settings = replace(settings, store=args.store)
    if getattr(args, "base_url", None):
        settings = replace(settings, base_url=args.base_url)
    return settings


def _geocoder(args: argparse.Namespace, settings: Settings) -> OnlineGeocoder | None:
    return OnlineGeocoder.at(settings.nominatim_url, settings.rate_file) if args.online else None


def _analyse(path: str, args: argparse.Namespace, settings: Settings) -> Story:
    text = read_article(path, settings.max_article_bytes)
    report = GeocodeReport()
    story = analyse(
        text,
        gazetteer=gazetteer.load(settings.cache_dir),
        cache_path=settings.places_cache,
        geocoder=_geocoder(args, settings),
        report=report,
    )
    for name, why in report.failed.items():
        print(f"warning: {name}: {why}", file=sys.stderr)
    if report.cache_note:
        print(f"warning: {report.cache_note}", file=sys.stderr)
    return story


def _default_title(text: str) -> str:
    return title(text, passages(text))


def _stored_story(args: argparse.Namespace, settings: Settings) -> tuple[Story, int]:
    """A stored article's story with its active corrections applied, and how many applied."""
    store = Store(settings.store)
    stored = store.article(args.article)
    story = analyse(stored.text, stored.title, gazetteer=gazetteer.load(settings.cache_dir),
                    cache_path=settings.places_cache, geocoder=_geocoder(args, settings))
    result = apply(story, [c.body for c in store.corrections(stored.id)])
    for why in result.skipped:
        print(f"warning: a correction no longer applies: {why}", file=sys.stderr)
    return result.story, result.applied


def _extract_batch(args: argparse.Namespace, fmt: str, settings: Settings) -> int:
    """Many articles, streamed to jsonl (stdout or -o) or Parquet tables (-o folder), locally or on Dask."""
    engine = args.engine or ("dask" if args.scheduler else "local")
    if args.scheduler and engine != "dask":
        raise InputError("--scheduler needs --engine dask")
    if args.jobs < 0:
        raise InputError(f"--jobs must be 0 (all cores) or more, instead got: {args.jobs}")
    if fmt == "parquet":
        if args.output is None:
            raise InputError("--format parquet writes a folder of tables: give it with -o DIR")
        sink = ParquetSink(args.output, force=args.force)
    elif args.output is not None:
        sink = AtomicTextSink(args.output, force=args.force)
    else:
        sink = JsonlSink(sys.stdout)
    report = run_batch(
        args.paths, sink, engine=engine, jobs=args.jobs, scheduler=args.scheduler,
        settings=settings, err=sys.stderr,
    )  # fmt: skip
    if args.output is not None:
        rate = report.articles / max(report.seconds, 1e-9)
        print(
            f"wrote {args.output}: {report.articles - report.failed:,} articles ({report.failed:,} skipped) "
            f"in {report.seconds:.1f} s, {rate:,.0f}/s, engine {engine}",
            file=sys.stderr,
        )
    return 1 if report.failed and report.failed == report.articles else 0


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = _settings(args)
    if args.command == "extract":
        one_file = len(args.paths) == 1 and not Path(args.paths[0]).is_dir()
        fmt = args.format or ("json" if one_file else "jsonl")
        if fmt in ("jsonl", "parquet"):
            return _extract_batch(args, fmt, settings)
        files = _expand(args.paths)
        if len(files) != 1:
            raise InputError(f"--format {fmt} takes one article; use --format jsonl for {len(files)} files")
        if args.engine or args.scheduler or args.output:
            raise InputError(f"--engine, --scheduler and -o go with --format jsonl or parquet, not {fmt}")
        story = _analyse(files[0], args, settings)
        if fmt == "csv":
            sys.stdout.write(places_csv(story))
        elif fmt == "geojson":
            json.dump(story_geojson(story), sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            json.dump(story_to_dict(story), sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
    elif args.command == "corpus-map":
        from geo.render.corpus_map import (
            render_corpus_map,  # folium loads only when a map is drawn
        )
        from geo.render.export import write_html

        corpus = read_run(args.run)
        html = render_corpus_map(corpus, title=args.title or args.run.stem)
        write_html(html, args.output, force=args.force)
        print(
            f"wrote {args.output} ({len(html.encode()) / 1024:.0f} KB: {len(corpus.articles):,} articles, "
            f"{len(corpus.places):,} places, {len(corpus.links):,} links)",
            file=sys.stderr,
        )
    elif args.command == "export":
        from geo.render.export import (  # folium loads only when a map is drawn
            render_html,
            write_html,
        )

        if bool(args.file) == bool(args.article):
            raise InputError("give an article file or --article ID (one of them)")
        corrections = 0
        if args.article:
            story, corrections = _stored_story(args, settings)
        else:
            story = _analyse(args.file, args, settings)
        html = render_html(story, self_contained=not args.cdn, corrections=corrections)
        write_html(html, args.output, force=args.force)
        note = ", needs the network (--cdn)" if args.cdn else ", self-contained"
        fixed = f", {corrections} correction{'s' if corrections != 1 else ''}" if corrections else ""
        print(f"wrote {args.output} ({len(html.encode()) / 1024:.0f} KB, {len(story.places)} places{fixed}{note})", file=sys.stderr)
    elif args.command == "publish":
        text = read_article(args.file, settings.max_article_bytes)
        store = Store(settings.store)
        stored = store.put_article(text, args.title or _default_title(text))
        print(dashboard_url(settings.base_url, stored.id))
        print(f"stored {stored.id} in {store.path}", file=sys.stderr)
    elif args.command == "geocode":
        path = settings.places_cache
        total = 0
        for f in args.files:
            total += upsert(path, cache_rows(_analyse(f, args, settings)))
        print(f"{path}: {total} rows added or updated", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    logging.getLogger("geopy").setLevel(logging.ERROR)  # RateLimiter logs a traceback per retry at WARNING
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
