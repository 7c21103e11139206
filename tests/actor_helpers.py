"""Shared by the actor tests: run spaCy + fp_actors on an invented sentence with a given focus country."""
from flashpoint.model import Article


def run(nlp, text, focus=None):
    from flashpoint.nlp import new_doc

    doc = new_doc(nlp, Article(id="t", text=text))
    doc._.focus_country = focus
    return nlp(doc)
