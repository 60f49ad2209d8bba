"""``haven intents check``: every fault in the intent files, in one pass.

Beyond the shape checks of ``skill.nlu.schema`` this finds references to
undefined lists and rules, templates that expand out of bounds, one sentence
claimed by two intents, unknown or missing intents, and intents with no test
cases in the golden files.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hassil.expression import RuleReference

from skill.nlu.golden import GoldenSet, load_golden
from skill.nlu.schema import template_problem, validate_schema
from skill.nlu.templates import (
    CANONICAL_INTENTS,
    Expander,
    Expansion,
    ExpansionError,
    IntentSet,
    Template,
)
from skill.datafile import DataFileError, Document, Problem, document_from_file
from skill.paths import data_dir, intent_files

BROKEN = "haven broken template"  # stands in for a template that does not parse


@dataclass
class CheckReport:
    """What a check found: problems, and counts for the success line."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    intents: int = 0
    templates: int = 0
    sentences: int = 0
    cases: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _read_all(paths: Iterable[Path], report: CheckReport) -> list[Document]:
    docs = []
    for path in paths:
        report.files += 1
        try:
            docs.append(document_from_file(path))
        except DataFileError as exc:
            report.problems.extend(exc.problems)
    return docs


def check_intent_files(paths: list[Path], golden_paths: list[Path]) -> CheckReport:
    """Validate intent files (and the test cases that cover them)."""
    report, intent_set = _check_intents(paths)
    if intent_set is not None:
        golden = _golden(golden_paths, report)
        if golden is not None:
            report.problems.extend(_untested_problems(intent_set, golden))
    return report


def load_checked_intents(paths: list[Path] | None = None) -> IntentSet:
    """The intent set every command uses, through the same checks as ``haven intents check``
    (all but the golden-test coverage); DataFileError listing every problem otherwise.

    The shipped set (``paths`` None) is checked once per process while its files and the code
    phrase stay the same: the recogniser and the matcher both ask for it at start-up, and
    checking it is most of that start-up (about a second here, several on a Pi)."""
    from skill.nlu.codephrase import code_phrase, code_phrase_documents

    files = intent_files() if paths is None else paths
    key = _identity(files, code_phrase()) if paths is None else None
    if key is not None and key in _SHIPPED:
        return _SHIPPED[key]
    extra = code_phrase_documents() if paths is None else []  # break.code_phrase, from the config
    report, intent_set = _check_intents(files, extra)
    if report.problems or intent_set is None:
        raise DataFileError(report.problems)
    if key is not None:
        _SHIPPED.clear()
        _SHIPPED[key] = intent_set
    return intent_set


_SHIPPED: dict[tuple[object, ...], IntentSet] = {}  # the last shipped set checked, by _identity


def _identity(paths: Sequence[Path], phrase: str) -> tuple[object, ...] | None:
    """The files (path, size, modification time) and the code phrase; None if one cannot be
    read (then the check runs, and says why)."""
    try:
        stats = [(str(p), p.stat()) for p in paths]
    except OSError:
        return None
    return (phrase, *((name, st.st_size, st.st_mtime_ns) for name, st in stats))


def _check_intents(paths: list[Path], extra: Sequence[Document] = ()) -> tuple[CheckReport, IntentSet | None]:
    report = CheckReport()
    if not paths:
        where = data_dir() / "sentences"
        report.problems.append(Problem(str(where), 1, "no intent files (*.yaml) found; expected "
                                       "the shipped break.yaml, checkin.yaml and common.yaml"))
        return report, None
    docs = _read_all(paths, report) + list(extra)
    schema_problems = [p for doc in docs for p in validate_schema(doc)]
    report.problems.extend(schema_problems)
    raw_docs = docs
    docs = [_without_broken_templates(doc) for doc in docs]
    if not docs:
        return report, None
    if not any(isinstance(doc.data, dict) and isinstance(doc.data.get("intents"), dict) for doc in docs):
        if not schema_problems:
            report.problems.append(Problem(docs[0].name, 1, "no 'intents:' in any intent file; "
                                           "expected intent names with their sentences"))
        return report, None
    try:
        intent_set = IntentSet.from_documents(docs)
    except DataFileError:
        return report, None  # shape errors beyond single templates: those are reported already
    except Exception as exc:  # noqa: BLE001 - hassil's own reader raises many kinds
        report.problems.append(Problem(docs[0].name, 1, f"the intents cannot be read ({exc!r}); "
                                                        "expected hassil's intent format"))
        return report, None
    report.templates = len(intent_set.templates)
    report.problems.extend(_rule_and_list_problems(intent_set, docs))
    expansions = _expand_each(intent_set, report)
    report.sentences = len({(e.intent, e.text) for e in expansions})
    report.problems.extend(_duplicate_problems(expansions))
    report.problems.extend(_intent_name_problems(intent_set, raw_docs))
    report.intents = len(intent_set.intents.intents)
    return report, intent_set


def _without_broken_templates(doc: Document) -> Document:
    """A copy of ``doc`` without the templates and intents that already have problems,
    so the checks that follow can still run over the rest in the same pass."""
    data = copy.deepcopy(doc.data)
    intents = data.get("intents") if isinstance(data, dict) else None
    if not isinstance(intents, dict):
        return doc
    for name in list(intents):
        blocks = intents[name].get("data") if isinstance(intents[name], dict) else None
        if not isinstance(blocks, list) or not blocks:
            del intents[name]
            continue
        for d, block in enumerate(blocks):
            sentences = block.get("sentences") if isinstance(block, dict) else None
            if not isinstance(sentences, list):
                continue
            for i, text in enumerate(sentences):
                if template_problem(doc, text, "intents", name, "data", d, "sentences", i):
                    sentences[i] = f"{BROKEN} {name} {d} {i}"
    return Document(doc.name, data, doc.lines)


def _expand_each(intent_set: IntentSet, report: CheckReport) -> list[Expansion]:
    out: list[Expansion] = []
    for template in intent_set.templates:
        if template.text.startswith(BROKEN):
            continue
        try:
            out.extend(intent_set.expand(template))
        except ExpansionError as exc:
            report.problems.append(_at(template, f"template {template.text!r}: {exc}"))
    return out


def _rule_and_list_problems(intent_set: IntentSet, docs: list[Document]) -> list[Problem]:
    problems = []
    failed: set[str] = set()  # a rule built on a failed rule fails for the same reason: said once
    for doc in docs:
        for name, rule in (doc.data.get("expansion_rules") or {}).items():
            expression = intent_set.intents.expansion_rules[name].expression
            if _rules_named_in(expression) & failed:
                failed.add(name)
                continue
            # a budget per rule, so one rule's cost is not charged to the next
            expander = Expander(intent_set.intents.slot_lists, intent_set.intents.expansion_rules)
            try:
                for _ in expander.expand(expression):
                    pass
            except ExpansionError as exc:
                failed.add(name)
                problems.append(doc.problem(f"expansion rule <{name}> ({rule!r}): {exc}",
                                            "expansion_rules", name))
    return problems


def _rules_named_in(expression: object) -> set[str]:
    """The rules an expression refers to directly (``<name>``)."""
    names: set[str] = set()
    stack = [expression]
    while stack:
        item = stack.pop()
        if isinstance(item, RuleReference):
            names.add(item.rule_name)
        stack.extend(getattr(item, "items", ()))
    return names


def _duplicate_problems(expansions: list[Expansion]) -> list[Problem]:
    owner: dict[str, Expansion] = {}
    reported: set[tuple[str, str, str]] = set()
    problems = []
    for exp in expansions:
        first = owner.setdefault(exp.text, exp)
        key = (exp.text, first.intent, exp.intent)
        if first.intent != exp.intent and key not in reported:
            reported.add(key)
            t = first.template
            problems.append(_at(exp.template, (
                f"sentence {exp.text!r} matches both {exp.intent} and {first.intent} "
                f"({t.file}:{t.line}); expected each sentence to belong to one intent")))
    return problems


def _intent_name_problems(intent_set: IntentSet, docs: list[Document]) -> list[Problem]:
    problems = []
    for doc in docs:
        for name in doc.data.get("intents") or {}:
            if name not in CANONICAL_INTENTS:
                problems.append(doc.problem(
                    f"unknown intent {name!r}; expected one of {', '.join(CANONICAL_INTENTS)}",
                    "intents", name))
    defined = set(intent_set.intents.intents)
    defined |= {name for doc in docs for name in doc.data.get("intents") or {}}
    for name in CANONICAL_INTENTS:
        if name not in defined:
            problems.append(Problem(docs[0].name, 1,
                                    f"intent {name!r} is not defined; Haven needs every "
                                    "canonical intent to have sentences"))
    return problems


def _golden(paths: list[Path], report: CheckReport) -> GoldenSet | None:
    try:
        golden = load_golden(paths)
    except DataFileError as exc:
        report.problems.extend(exc.problems)
        return None
    report.cases = golden.case_count
    return golden


def _untested_problems(intent_set: IntentSet, golden: GoldenSet) -> list[Problem]:
    tested = golden.tested_intents()
    first_template: dict[str, Template] = {}
    for template in intent_set.templates:
        first_template.setdefault(template.intent, template)
    return [
        _at(template, f"intent {name!r} has no test cases; expected sentences for it under "
                      f"'tests:' in {golden.describe_files()}")
        for name, template in first_template.items() if name not in tested
    ]


def _at(template: Template, message: str) -> Problem:
    return Problem(template.file, template.line, message)
