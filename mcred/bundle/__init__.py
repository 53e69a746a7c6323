"""One award in several formats: each rendition's facts (:class:`mcred.bundle.facts.AwardFacts`), read from its
signed data, so that renditions can be shown to state the same award."""
