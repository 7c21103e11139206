"""The README stays true (the project's "docs kept true by a test" rule; after sqlite-utils' tests/test_docs.py).

- every ``flashpoint`` command registered on the typer app (and every command of a group) is named in README.md;
- every option written after ``flashpoint <command>`` in the README's shell code blocks and inline code spans
  is a real option of that command, and every command written so is a real command;
- the README's Output section names every field of ``Event``, ``Location``/``Toponym`` and ``Report``, every event
  status, every event-row export format, and the ACLED CSV's column count.

Reads the click command tree (``typer.main.get_command``) and the pydantic models only: nothing is run, so it is
fast (no spaCy model is loaded).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import click
import pytest
import typer

from flashpoint.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"

# "flashpoint <word>" as written in a command (also ".venv/bin/flashpoint <word>"); never "flashpoint.db"
_CALL = re.compile(r"(?:^|(?<=[\s/`(]))flashpoint[ \t]+([A-Za-z<][\w<>|-]*)")
_FENCE = re.compile(r"^```(\w*)\s*$")
_INLINE = re.compile(r"`([^`\n]+)`")


def _root() -> click.Group:
    return typer.main.get_command(app)


def _readme() -> str:
    return README.read_text(encoding="utf-8")


def _shell_lines(text: str) -> list[str]:
    """Lines of the bash/sh/shell/console code blocks, shell comments removed."""
    lines, lang = [], None
    for line in text.splitlines():
        m = _FENCE.match(line.strip())
        if m:
            lang = None if lang is not None else m.group(1) or ""
            continue
        if lang in ("bash", "sh", "shell", "console"):
            lines.append(re.split(r"(?:^|\s)#", line, maxsplit=1)[0])
    return lines


def _inline_calls(text: str) -> list[str]:
    """Inline code spans outside code blocks that start with a flashpoint command."""
    prose, in_block = [], False
    for line in text.splitlines():
        if _FENCE.match(line.strip()):
            in_block = not in_block
        elif not in_block:
            prose.append(line)
    return [s for s in _INLINE.findall("\n".join(prose)) if re.match(r"(\S*/)?flashpoint[ \t]", s)]


def _calls(text: str) -> list[tuple[str, list[str]]]:
    """(command path, words after it) for each flashpoint call, a shell pipeline split at ' | ', '&&', ';'."""
    out = []
    for src in _shell_lines(text) + _inline_calls(text):
        for segment in re.split(r"\s\|\s|&&|;", src):
            m = _CALL.search(segment)
            if m:
                words = segment[m.start(1):].split()
                out.append((words[0], words[1:]))
    return out


def _options(cmd: click.Command) -> set[str]:
    return {o for p in cmd.params for o in (*p.opts, *p.secondary_opts) if o.startswith("-")}


def _placeholder(word: str) -> bool:
    return word.isupper() or word.startswith("<")


def test_every_command_is_in_the_readme():
    text = _readme()
    root = _root()
    assert len(root.commands) >= 8
    for name, cmd in root.commands.items():
        assert re.search(rf"flashpoint[ \t]+{re.escape(name)}\b", text), f"`flashpoint {name}` is not in README.md"
        if isinstance(cmd, click.Group):
            for sub in cmd.commands:
                assert re.search(rf"flashpoint[ \t]+{re.escape(name)}[ \t]+[\w|]*\b{re.escape(sub)}\b", text), \
                    f"`flashpoint {name} {sub}` is not in README.md"


def test_readme_options_exist():
    root = _root()
    calls = _calls(_readme())
    used = {name for name, _ in calls}
    assert {"extract", "events", "eval"} <= used, "the README tour must show extract, events and eval"
    checked = 0
    for name, words in calls:
        if _placeholder(name):
            continue
        assert name in root.commands, f"README calls `flashpoint {name}`, which is not a command"
        cmd = root.commands[name]
        if isinstance(cmd, click.Group):
            if not words or _placeholder(words[0]):
                continue
            for sub in words[0].split("|"):
                assert sub in cmd.commands, f"README calls `flashpoint {name} {sub}`, which is not a command"
            if "|" in words[0]:
                continue
            cmd, words = cmd.commands[words[0]], words[1:]
        opts = _options(cmd)
        for w in words:
            if re.fullmatch(r"--?[A-Za-z][\w-]*(=\S*)?", w):
                opt = w.split("=", 1)[0]
                assert opt in opts, f"README: `flashpoint {name} ... {opt}`: no such option (has {sorted(opts)})"
                checked += 1
    assert checked >= 10


def _output_section() -> str:
    text = _readme()
    m = re.search(r"^## Output\n(.*?)(?=^## )", text, flags=re.S | re.M)
    assert m, "README.md has no '## Output' section"
    return m.group(1)


def _named(section: str, name: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", section) is not None


@pytest.mark.parametrize("model", ["Event", "Location", "Toponym", "Report"])
def test_output_section_names_every_field(model):
    import flashpoint.model as M

    section = _output_section()
    missing = [f for f in getattr(M, model).model_fields if not _named(section, f)]
    assert not missing, f"README Output section does not name {model} field(s) {missing}"


def test_output_section_statuses_formats_and_acled_columns():
    from flashpoint.export.acled import ACLED_COLUMNS, ACLED_CSV_COLUMNS
    from flashpoint.export.formats import FORMATS
    from flashpoint.model import Status

    section = _output_section()
    assert [s for s in get_args(Status) if not _named(section, s)] == []
    assert [f for f in FORMATS if not _named(section, f)] == []
    assert len(ACLED_COLUMNS) == 31 and ACLED_CSV_COLUMNS[-1] == "status"
    assert "31 columns" in section and "32nd" in section


# ---------------------------------------------------------------------------------------------- the tour runs
def _tour_lines() -> list[str]:
    text = _readme()
    m = re.search(r"^## A five-minute tour\n(.*?)(?=^## )", text, flags=re.S | re.M)
    assert m, "README.md has no '## A five-minute tour' section"
    return [ln.strip() for ln in _shell_lines(m.group(1)) if ln.strip()]


def _tour_step(line: str, cwd: Path) -> tuple[list[str], str | None]:
    """(flashpoint arguments with globs expanded in ``cwd``, stdin text) of one tour line."""
    import shlex

    stdin = None
    if " | " in line:
        feed, line = line.split(" | ", 1)
        words = shlex.split(feed)
        assert words[0] == "echo", f"the tour pipes only echo into flashpoint: {feed!r}"
        stdin = " ".join(words[1:]) + "\n"
    words = shlex.split(line)
    assert words[0] == "flashpoint", f"tour line is not a flashpoint command: {line!r}"
    args = []
    for w in words[1:]:
        args += sorted(str(p.relative_to(cwd)) for p in cwd.glob(w)) if "*" in w else [w]
    return args, stdin


@pytest.mark.slow
def test_readme_tour_runs_as_written(tmp_path, monkeypatch):
    """Every command of the tour, from a folder holding only what a clone ships (samples/), without ../shared:
    each exits 0 and writes what it says."""
    import shutil

    from typer.testing import CliRunner

    shutil.copytree(README.parent / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FLASHPOINT_DATA", raising=False)
    monkeypatch.delenv("FLASHPOINT_DB", raising=False)
    monkeypatch.setattr("flashpoint.paths.shared_data_dir", lambda explicit=None: None)  # no ../shared
    lines = [ln for ln in _tour_lines() if not ln.startswith("source ")]
    assert len(lines) >= 10
    served = []  # `flashpoint serve` runs until stopped: the tour checks its options and the app it would serve
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: served.append((app, kw)))
    runner = CliRunner()
    outputs = {}
    for line in lines:
        args, stdin = _tour_step(line, tmp_path)
        res = runner.invoke(app, args, input=stdin)
        assert res.exit_code == 0, f"README tour: `{line}` exited {res.exit_code}:\n{res.output}"
        outputs[args[0]] = outputs.get(args[0], "") + res.stdout
    for written in ("out.jsonl", "events.csv", "events.geojson", "flashpoint.db", "eval-results.json"):
        assert (tmp_path / written).stat().st_size > 0, written
    assert served and served[0][1]["port"] == 8000
    assert '"sub_event_type": "Air/drone strike"' in outputs["classify"]
    assert "seed: events" in outputs["eval"] and "skipped fakes" in outputs["eval"]
