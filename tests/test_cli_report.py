"""`copmem report` (contract 9.5): formats, the default period, the public version, and usage errors."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from test_cli import copmem

from generator import cli

ROOT = Path(__file__).resolve().parents[1]
CONTENT = str(ROOT / "content")
SCHEMA = json.loads((files("generator") / "schema" / "report.schema.json").read_text("utf-8"))


def run(capsys, *args: str) -> tuple[int, str, str]:
    """`copmem` in-process (so a test can fix today's date): exit code, stdout, stderr."""
    code = cli.main(["report", "--dir", CONTENT, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_convener_pastes_the_quarter_of_one_community():
    """The issue's example, as a convener runs it from the site's folder."""
    result = copmem("report", "--period", "2020-q4", "--community", "catheter-care", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("# Catheter care: report for 2020 Q4\n")
    assert "October to December 2020, compared with 2020 Q3. Internal version." in text
    assert "In this period: 2 entries: 1 story, 0 events with 0 attendees." in text
    assert "| People on the mailing list | 84 | 2020-12-15 | 76 | +8 |" in text
    assert "| E-mails opened (%) | 57% | 2020-12-15 | 60% | -3 points |" in text
    assert "| Transformative value | 1 | 0 | +1 |" in text
    assert "- **Infections, not just admissions** (2020-10-13): The clearest case" in text
    assert not re.search(r"<[a-zA-Z/]", text)  # no HTML: a form that does not render Markdown shows it plainly


def test_the_default_period_is_the_last_full_quarter(capsys, monkeypatch):
    monkeypatch.setattr(cli, "_today", lambda: dt.date(2021, 1, 15))
    code, out, _ = run(capsys, "--community", "peer-support", "--format", "json")
    assert code == 0
    assert (json.loads(out)["period"], json.loads(out)["previous"]) == ("2020-q4", "2020-q3")
    monkeypatch.setattr(cli, "_today", lambda: dt.date(2021, 4, 1))
    assert json.loads(run(capsys, "--format", "json")[1])["period"] == "2021-q1"


@pytest.mark.parametrize("period", ["2020-Q3", "2020-q3", " 2020-q3"])
def test_the_quarter_may_be_written_with_a_capital_q(capsys, period):
    code, out, _ = run(capsys, "--period", period, "--format", "json")
    assert code == 0 and json.loads(out)["period"] == "2020-q3"


def test_a_year(capsys):
    code, out, _ = run(capsys, "--period", "2020", "--community", "catheter-care", "--format", "json")
    data = json.loads(out)
    assert (data["period"], data["previous"], data["start"], data["end"]) == ("2020", "2019", "2020-01-01", "2020-12-31")
    [part] = data["communities"]
    # 2020: the conference poster, supplies in lockdown, the infection measure, and the notes of Q2, Q3 and Q4.
    assert [e["date"] for e in part["entries"]] == [
        "2020-03-03", "2020-05-19", "2020-06-30", "2020-09-29", "2020-10-13", "2020-12-15"]
    assert [(m["name"], m["value"], m["previous"]) for m in part["measures"]][0] == ("mailing-list", 84, None)


def test_json_follows_the_schema_in_both_audiences(capsys):
    for extra in ((), ("--public",)):
        code, out, _ = run(capsys, "--period", "2021", "--format", "json", *extra)
        assert code == 0
        jsonschema.validate(json.loads(out), SCHEMA)


def test_the_public_version_leaves_internal_entries_and_figures_out(capsys):
    _, internal, _ = run(capsys, "--period", "2021-q3", "--community", "catheter-care")
    _, public, _ = run(capsys, "--period", "2021-q3", "--community", "catheter-care", "--public")
    assert "| People on the mailing list | 118 |" in internal and "Public version" in public
    assert "118" not in public and "Our figures for the third quarter" not in public
    assert "No figures recorded in this period." in public
    _, network, _ = run(capsys, "--period", "2020-q4", "--public", "--format", "json")
    assert "medicines-adherence" not in network


def test_html_is_one_standalone_document_that_prints(capsys):
    code, out, _ = run(capsys, "--period", "2020-q4", "--community", "catheter-care", "--format", "html")
    assert code == 0
    assert out.startswith("<!doctype html>") and out.rstrip().endswith("</html>")
    assert "<title>Catheter care: report for 2020 Q4</title>" in out
    assert "@media print" in out and "break-inside: avoid" in out
    assert "<link" not in out and "<script" not in out and "href=" not in out  # nothing to fetch, no dead links
    assert "People on the mailing list" in out and ">84<" in out


def test_a_report_covers_the_communities_that_had_begun(capsys):
    _, out, _ = run(capsys, "--period", "2018-q3")
    # Only gestational diabetes had met by September 2018 (first convening 2018-09-20).
    assert re.findall(r"^## (.+)$", out, re.M) == ["The network", "Gestational diabetes"]
    _, out, _ = run(capsys, "--period", "2010")
    assert "Nothing was recorded in this period." in out
    assert re.findall(r"^## (.+)$", out, re.M) == ["The network"]
    assert "| community |" not in out  # no empty table


@pytest.mark.parametrize(("args", "message"), [
    (["--period", "2020-q5"], "--period: expected a year or a quarter, YYYY or YYYY-qN (e.g. 2025 or 2025-q3), "
                              "found '2020-q5'"),
    (["--period", "Q3 2020"], "--period: expected a year or a quarter"),
    (["--community", "catheter"], "unknown community 'catheter' for the internal audience (known: catheter-care, "
                                  "falls-prevention, gestational-diabetes, medicines-adherence, peer-support, "
                                  "vaccine-confidence)"),
    (["--community", "medicines-adherence", "--public"], "unknown community 'medicines-adherence' for the public "
                                                        "audience"),
])
def test_usage_errors_exit_2_with_a_clear_message(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("copmem: " + message)


def test_an_unknown_format_or_folder_is_a_usage_error(tmp_path):
    result = copmem("report", "--format", "pdf", cwd=ROOT)
    assert result.returncode == 2 and "pdf" in result.stderr
    result = copmem("report", "--dir", str(tmp_path / "nowhere"), cwd=ROOT)
    assert result.returncode == 2 and "no such folder" in result.stderr
