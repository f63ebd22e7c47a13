"""Command line of the grader: ``python -m grader {expected,build,run,batch,merge,release}``."""

import argparse
import sys

from .paths import SOURCE_ROOT


def _parser():
    from .table import VARIANTS

    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("expected", help="recompute grader/expected.json from the reference")
    build = sub.add_parser("build", help="write the Gradescope autograder zip")
    build.add_argument("--variant", choices=VARIANTS, default="graduate")
    build.add_argument("--out", help="zip path (default dist/autograder[-VARIANT].zip)")
    run = sub.add_parser("run", help="grade a submission folder")
    run.add_argument("--submission", required=True)
    run.add_argument("--results", required=True)
    run.add_argument("--variant", choices=VARIANTS, default="graduate")
    run.add_argument("--timeout-scale", type=float, default=1.0,
                     help="multiply every job's time limit (default 1)")
    run.add_argument("--items", help="comma-separated item numbers to grade (others score 0)")
    run.add_argument("--threads", type=int,
                     help="compute threads per job (default: the libraries' own, one per core)")
    batch = sub.add_parser("batch", help="grade every submission of an export into a CSV")
    batch.add_argument("export", help="Gradescope export folder, or one folder per student")
    batch.add_argument("--out", required=True, help="CSV path; results/ is written beside it")
    batch.add_argument("--variant", choices=VARIANTS, default="graduate")
    batch.add_argument("--items", help="comma-separated item numbers to grade (others score 0)")
    batch.add_argument("--jobs", type=int, help="submissions graded at once (default: cores / 2, "
                       "within memory)")
    batch.add_argument("--shard", help="grade only shard i of n, written i/n (e.g. 2/3)")
    batch.add_argument("--resume", action="store_true",
                       help="keep the grades already recorded beside --out by this grader version")
    batch.add_argument("--timeout-scale", type=float, default=1.0,
                       help="multiply every job's time limit (default 1)")
    batch.add_argument("--summary", action="store_true",
                       help="print each item's mean score and full-points rate at the end")
    merge = sub.add_parser("merge", help="merge the CSVs of all shards of one batch")
    merge.add_argument("csvs", nargs="+")
    merge.add_argument("--out", required=True)
    release = sub.add_parser("release", help="write the student starter kit")
    release.add_argument("--out", required=True)
    return parser


def main(argv=None):
    # The parent loads the data through utilities/, next to grader/.
    sys.path.insert(0, str(SOURCE_ROOT))
    args = _parser().parse_args(argv)
    if args.command == "expected":
        from .expected import build
        build()
    elif args.command == "build":
        from .bundle import build_zip
        print(build_zip(args.variant, args.out))
    elif args.command == "run":
        from .runner import run
        items = args.items.split(",") if args.items else None
        results = run(args.submission, args.results, args.variant, args.timeout_scale, items,
                      args.threads)
        print(f"{results['score']:g} / {sum(t['max_score'] for t in results['tests']):g}")
    elif args.command == "batch":
        _batch(args)
    elif args.command == "merge":
        from .batch import merge
        try:
            print(merge(args.csvs, args.out))
        except ValueError as error:
            sys.exit(f"grader merge: {error}")
    else:
        from .release import build_kit
        print(build_kit(args.out))


def _batch(args):
    from . import table
    from .batch import item_summary, parse_shard, run_batch

    try:
        shard = parse_shard(args.shard) if args.shard else None
        if args.jobs is not None and args.jobs < 1:
            raise ValueError(f"--jobs must be at least 1, got {args.jobs}")
        items = args.items.split(",") if args.items else None
        rows, _ = run_batch(args.export, args.out, args.variant, items, args.jobs, shard,
                            args.resume, args.timeout_scale)
    except ValueError as error:
        sys.exit(f"grader batch: {error}")
    print(f"wrote {args.out}: {len(rows)} submissions, "
          f"{sum(row['status'] == 'graded' for row in rows)} graded")
    if args.summary:
        weights = table.weights(args.variant)
        print(item_summary(rows, {n: w for n, w in weights.items() if not items or n in items}))


if __name__ == "__main__":
    main()
