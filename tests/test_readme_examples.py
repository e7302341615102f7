"""The README's shell examples run as written and answer as the README says.

Every ```bash block of README.md is split into commands; each command that calls curl is followed
by a comment ``# → STATUS key=value ...`` stating the HTTP status and values of the JSON answer
(``results.0.status``: the first result's ``status``). The commands run in order, in one bash
process (so variables carry over), against a live server on freshly reset demo data; the first
command that fails or answers otherwise fails the test with its README line.
"""

import io
import json
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
README_BASE_URL = "http://127.0.0.1:8000"
EXPECT_PREFIX = "# →"
COMMAND_TIMEOUT_SECONDS = 30
HEREDOC = re.compile(r"(?<!<)<<-?\s*(['\"]?)([A-Za-z_]\w*)\1")
STATUS_LINE = re.compile(r"^HTTP/\S+ (\d{3})", re.MULTILINE)
VALUE_KEY = re.compile(r"\s*([\w.]+)=")


@dataclass
class Expectation:
    status: int
    values: dict[str, object] = field(default_factory=dict)


@dataclass
class Example:
    line: int
    command: str
    expect: Expectation | None = None

    @property
    def calls_curl(self) -> bool:
        return re.search(r"(^|[\s|($])curl\s", self.command) is not None


def expectation_parse(text: str) -> Expectation:
    """``200 count=1 results.0.status="400"``: a status, then key paths with JSON values."""
    status, _, rest = text.strip().partition(" ")
    values = {}
    decoder = json.JSONDecoder()
    position = 0
    while rest[position:].strip():
        match = VALUE_KEY.match(rest, position)
        if match is None:
            raise ValueError(f"cannot read {rest[position:]!r}: expected key=<JSON value>")
        value, position = decoder.raw_decode(rest, match.end())
        values[match.group(1)] = value
    return Expectation(status=int(status), values=values)


def _complete(lines: list[str]) -> bool:
    """Whether the lines form a whole command: no continuation, balanced quotes, heredocs closed."""
    if lines[-1].endswith("\\"):
        return False
    opened = [match.group(2) for line in lines for match in HEREDOC.finditer(line)]
    if opened:
        return lines[-1].strip() == opened[-1] and len(lines) > 1
    try:
        shlex.split("\n".join(lines))
    except ValueError:
        return False
    return True


def bash_blocks(text: str) -> list[tuple[int, list[str]]]:
    """The ```bash blocks: (line number of the first line inside, lines)."""
    blocks, current, start = [], None, 0
    for number, line in enumerate(text.splitlines(), start=1):
        if current is None and line.strip() == "```bash":
            current, start = [], number + 1
        elif current is not None and line.strip() == "```":
            blocks.append((start, current))
            current = None
        elif current is not None:
            current.append(line)
    assert current is None, "README.md has an unclosed ```bash block"
    return blocks


def examples_parse(text: str) -> list[Example]:
    examples: list[Example] = []
    for start, lines in bash_blocks(text):
        pending: list[str] = []
        pending_line = 0
        for offset, line in enumerate(lines):
            number = start + offset
            if not pending:
                stripped = line.strip()
                if stripped.startswith(EXPECT_PREFIX):
                    last = examples[-1] if examples else None
                    assert last is not None and last.expect is None, (
                        f"README.md:{number}: expectation without a command"
                    )
                    last.expect = expectation_parse(stripped[len(EXPECT_PREFIX) :])
                    continue
                if not stripped or stripped.startswith("#"):
                    continue
                pending_line = number
            pending.append(line)
            if _complete(pending):
                examples.append(Example(line=pending_line, command="\n".join(pending)))
                pending = []
        assert not pending, f"README.md:{pending_line}: the command does not end inside its block"
    return examples


def script_build(examples: list[Example], base_url: str, workdir: Path) -> str:
    """One bash script running every example in order; it stops at the first failing command."""
    parts = [
        "set -o pipefail",
        # Every curl also writes its response headers to the current example's file (-D).
        f'curl() {{ command curl --max-time {COMMAND_TIMEOUT_SECONDS} -D "$README_HEADERS" "$@"; }}',
    ]
    for index, example in enumerate(examples):
        command = example.command.replace(README_BASE_URL, base_url)
        out = workdir / f"{index}.out"
        parts.append(f"export README_HEADERS={shlex.quote(str(workdir / f'{index}.headers'))}")
        if example.calls_curl:
            # Braces, not a subshell: assignments stay visible to the next commands.
            parts.append(f"{{\n{command}\n}} > {shlex.quote(str(out))}")
        else:
            parts.append(command)
        parts.append(f"status=$?; if [ $status -ne 0 ]; then echo {index} $status > {workdir / 'failed'}; exit 1; fi")
    return "\n".join(parts) + "\n"


def _value_at(document, path: str):
    for key in path.split("."):
        document = document[int(key)] if isinstance(document, list) else document[key]
    return document


def outcome_check(example: Example, headers: str, out: str) -> list[str]:
    """What differs between the example's answer and its README comment (empty: it holds)."""
    statuses = STATUS_LINE.findall(headers)
    if not statuses:
        return ["curl got no HTTP answer"]
    problems = []
    if int(statuses[-1]) != example.expect.status:
        problems.append(f"status {statuses[-1]}, README says {example.expect.status}")
    if example.expect.values:
        try:
            document = json.loads(out)
        except ValueError:
            return [*problems, f"the answer is not JSON: {out[:300]!r}"]
        for path, expected in example.expect.values.items():
            try:
                actual = _value_at(document, path)
            except (KeyError, IndexError, TypeError, ValueError):
                problems.append(f"{path} is missing")
                continue
            if actual != expected:
                problems.append(f"{path} is {json.dumps(actual)}, README says {json.dumps(expected)}")
    return problems


def examples_run(examples: list[Example], base_url: str, workdir: Path) -> list[str]:
    """Run the examples; return one message per failing example (the run stops at a failing command)."""
    workdir.mkdir(parents=True, exist_ok=True)
    script = workdir / "examples.sh"
    script.write_text(script_build(examples, base_url, workdir))
    env = {"PATH": os.environ["PATH"], "HOME": str(workdir), "LANG": "C.UTF-8"}
    completed = subprocess.run(  # noqa: S603  # the README's own commands, against a local test server
        [shutil.which("bash") or "/bin/bash", str(script)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS * len(examples),
        check=False,
    )
    failures = []
    for index, example in enumerate(examples):
        headers_file, out_file = workdir / f"{index}.headers", workdir / f"{index}.out"
        out = out_file.read_text() if out_file.exists() else ""
        if example.expect is not None:
            headers = headers_file.read_text() if headers_file.exists() else ""
            problems = outcome_check(example, headers, out)
            if problems:
                failures.append(f"README.md:{example.line}: {'; '.join(problems)}\n{example.command}\n→ {out[:500]}")
                break
        failed = workdir / "failed"
        if failed.exists() and int(failed.read_text().split()[0]) == index:
            failures.append(
                f"README.md:{example.line}: exit status {failed.read_text().split()[1]}\n{example.command}\n"
                f"→ {out[:500]}{completed.stderr[-500:]}"
            )
            break
    return failures


# --- The parser itself ------------------------------------------------------------------------


def test_expectation_reads_status_and_json_values():
    assert expectation_parse(' 200 count=2 results.0.name="Demo web shop" is_send=true') == Expectation(
        status=200, values={"count": 2, "results.0.name": "Demo web shop", "is_send": True}
    )
    assert expectation_parse(" 201") == Expectation(status=201)
    with pytest.raises(ValueError):
        expectation_parse(" 200 count")


def test_commands_span_continuations_quotes_and_heredocs():
    text = "\n".join(
        [
            "```bash",
            "# a comment",
            "A=$(curl -s http://127.0.0.1:8000/x/ \\",
            '  -d \'{"a": 1,',
            '       "b": 2}\' | pick a)',
            "# → 201",
            'H="x"',
            "curl -s -d @- http://127.0.0.1:8000/y/ <<JSON",
            '{"c": $A}',
            "JSON",
            "# → 200 c=1",
            "```",
            "```sh",
            "make run",
            "```",
        ]
    )
    examples = examples_parse(text)
    assert [(example.line, example.calls_curl, example.expect) for example in examples] == [
        (3, True, Expectation(201)),
        (7, False, None),
        (8, True, Expectation(200, {"c": 1})),
    ]
    assert examples[2].command == 'curl -s -d @- http://127.0.0.1:8000/y/ <<JSON\n{"c": $A}\nJSON'


def test_a_different_answer_is_reported():
    example = Example(line=9, command="curl ...", expect=Expectation(200, {"results.0.status": "400", "count": 1}))
    headers = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    assert outcome_check(example, headers, '{"count": 1, "results": [{"status": "400"}]}') == []
    assert outcome_check(example, headers, '{"count": 2, "results": [{"status": "100"}]}') == [
        'results.0.status is "100", README says "400"',
        "count is 2, README says 1",
    ]
    assert outcome_check(example, "HTTP/1.1 404 Not Found\r\n", '{"count": 1, "results": []}') == [
        "status 404, README says 200",
        "results.0.status is missing",
    ]


def test_every_curl_example_in_the_readme_states_its_answer():
    examples = examples_parse(README.read_text())
    curls = [example for example in examples if example.calls_curl]
    assert len(curls) >= 20
    assert [example.line for example in curls if example.expect is None] == []
    assert [example.line for example in examples if not example.calls_curl and example.expect] == []
    assert [example.line for example in curls if len(re.findall(r"\bcurl\s", example.command)) != 1] == []


# --- The README against a live server --------------------------------------------------------


@pytest.mark.skipif(shutil.which("curl") is None or shutil.which("python3") is None, reason="needs curl and python3")
def test_readme_examples_answer_as_written_and_again_after_demo_reset(live_server, tmp_path, transactional_db):
    examples = examples_parse(README.read_text())
    for run in ("first", "after-reset"):
        call_command("seed_demo", "--reset", stdout=io.StringIO())
        assert examples_run(examples, live_server.url, tmp_path / run) == []
