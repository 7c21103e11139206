"""Every ``doc.user_data`` key flashpoint uses, in one place: who writes it, who reads it, what it holds.

The components' public results live on ``doc._`` (``flashpoint.nlp.EXTENSIONS``, declared to spaCy in each
factory's ``assigns``/``requires``). ``doc.user_data`` only carries what is internal to a component or a per-doc
memo, under the names below; a new key is added here first. Memo keys are tuples ``(NAME, len(doc), ...)`` so
that a memo never outlives a retokenised Doc.
"""
from __future__ import annotations

# --- written by the pipeline (flashpoint.pipeline) ---------------------------------------------------------------
# triaged parse: the character offset in the article of each kept piece of text; read by flashpoint.pipeline
OFFSETS = "fp_offsets"

# --- written by fp_actors (flashpoint.actors.component / relations) -----------------------------------------------
# internal Mention objects (token offsets, dictionary entries) of the article's actor mentions
ACTOR_MENTIONS = "fp_actor_mentions"
# ISO3 of the country the actor coder resolved generic nouns for ("rebels" -> Syrian rebels); read by tests
ACTOR_FOCUS = "fp_actor_focus"
# every relation found, duplicates of one (actor, relation, target) at other places included;
# read by flashpoint.actors.backers
ACTOR_RELATIONS_ALL = "fp_actor_relations_all"
# memo (key + len(doc)): the lower-cased form of every token, one array read (flashpoint.actors.mentions.lowers)
LOWERS = "fp_lowers"

# --- written by fp_claims (flashpoint.claims.numbers.doc_text) -------------------------------------------------------
# memo: doc.text, computed once (spaCy rebuilds it on every access)
CLAIMS_TEXT = "_fp_text"

# --- per-doc memo shared by fp_toponyms and fp_events ---------------------------------------------------------------
# memo (key + len(doc)): doc.text, computed once by whichever reads it first (flashpoint.geo.recognize.doc_text,
# flashpoint.events.text._doc_text)
DOC_TEXT = "fp_text"

# --- written by fp_events (flashpoint.events) ------------------------------------------------------------------------
# memo (key + len(doc)): (start, end) character spans of doc._.actors (events.candidates._inside_name)
ACTOR_SPANS = "fp_actor_spans"
# memo (key + len(doc)): character range of the dateline ("KHARTOUM (Wire) -"), or (-1, -1)
DATELINE = "fp_dateline"
# key + trigger token index: the places event_locations gave for a trigger when they were all in the dateline;
# written by the place lookup of a candidate, read back when no other place is found
DATELINE_ONLY = "fp_dateline_only"
# the token index of every trigger head of the doc (events.candidates -> events.roles_stage: "The offensives ... made
# gains" links a trigger-subject later instead of reading it as the actor)
TRIGGER_TOKENS = "fp_trigger_tokens"
# memo (key + len(doc)): (start, end, label) of every entity, plain tuples (a Span in user_data would keep the Doc
# alive in a reference cycle)
ENTS = "fp_ents"
# memo (key + len(doc) + labels): the ENTS entries with one of the labels
ENTS_BY_LABEL = "fp_ents_by_label"
# key + len(doc): the article-level place facts (focus country, headline places) of events.place, computed in
# place_events and read in place_unplaced
PLACE_ARTICLE = "fp_place_article"

# --- written by fp_toponyms (flashpoint.geo) ---------------------------------------------------------------------------
# the segmented lists of place names ("Idlib, Hama and Aleppo"): per list, the (start, end) char span of each name
GEO_LISTS = "fp_geo_lists"
# memo (key + len(doc)): root token index per toponym character range (flashpoint.geo.event_location)
SPAN_ROOTS = "fp_span_roots"

ALL = (OFFSETS, ACTOR_MENTIONS, ACTOR_FOCUS, ACTOR_RELATIONS_ALL, LOWERS, CLAIMS_TEXT, DOC_TEXT, ACTOR_SPANS,
       DATELINE, DATELINE_ONLY, TRIGGER_TOKENS, ENTS, ENTS_BY_LABEL, PLACE_ARTICLE, GEO_LISTS,
       SPAN_ROOTS)
