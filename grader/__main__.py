"""Command line of the grader: ``python -m grader {expected,build,run,release}``."""

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
        results = run(args.submission, args.results, args.variant, args.timeout_scale, items)
        print(f"{results['score']:g} / {sum(t['max_score'] for t in results['tests']):g}")
    else:
        from .release import build_kit
        print(build_kit(args.out))


if __name__ == "__main__":
    main()
