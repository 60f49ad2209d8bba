"""``haven intents check``: validate intent files, reporting every error as FILE:LINE."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from skill.nlu.check import check_intent_files
from skill.paths import golden_files, intent_files


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("intents", help="work with the intent files")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="validate intent files",
        description="Validate intent files in one pass; print every error as FILE:LINE: message.",
    )
    check.add_argument("files", nargs="*", type=Path, metavar="FILE",
                       help="intent files (default: the shipped ones)")
    check.add_argument("--tests", nargs="*", type=Path, metavar="FILE",
                       help="golden test files that must cover every intent "
                            "(default: the shipped tests/golden/*.yaml)")
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    files = args.files or intent_files()
    tests = args.tests if args.tests is not None else golden_files()
    report = check_intent_files(files, tests)
    for problem in report.problems:
        print(problem)
    if report.problems:
        print(f"haven: {len(report.problems)} problem(s) in the intent files", file=sys.stderr)
        return 1
    print(f"ok: {report.files} files, {report.intents} intents, {report.templates} templates, "
          f"{report.sentences} sentences, {report.cases} test cases")
    return 0
