"""An all-capitals wire report (MUC-4 style) geoparses without crashing (issue #12 M13: IndexError in
fp_toponyms on 58 of 1,499 MUC-4 dev reports)."""


def test_all_capitals_report_geoparses(pipeline):
    from flashpoint.model import Article

    text = ("POLICE ARE CARRYING OUT INTENSIVE OPERATIONS\nIN THE TOWN OF MOLINA IN THE SEVENTH REGION IN SEARCH OF A "
            "GANG OF ALLEGED\nEXTREMISTS WHO COULD BE LINKED TO A RECENTLY DISCOVERED ARSENAL.  IT HAS\nBEEN REPORTED "
            "THAT CARABINEROS IN MOLINA RAIDED THE HOUSE OF A 25-YEAR-OLD\nWORKER IN SANTIAGO.")
    rep = pipeline.extract(Article(id="caps", text=text))
    assert rep.failures == []
