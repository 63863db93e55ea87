"""The methodology page documents every catalogue indicator, the rules with sources, and the attribution."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import methodology, metrics

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_indicator_in_the_catalogue_is_on_the_methodology_page(store_path, lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["bahasa"] = lang
    at.run()
    at.switch_page("views/metodologi.py").run()
    assert not at.exception
    headings = {sub.value for sub in at.subheader}
    missing = [ind.id for ind in metrics.catalogue().values() if ind.title(lang) not in headings]
    assert not missing, f"indicators missing from the methodology page: {missing}"
    captions = " ".join(c.value for c in at.caption)
    for indicator in metrics.catalogue().values():  # inputs and sources in words, never raw identifiers
        assert all(label in captions for label in indicator.input_labels(lang)), indicator.id
        assert indicator.source_note(lang) in captions
    assert "id: " not in captions and "peserta_dbhcht" not in captions
    page_text = " ".join(m.value for m in at.markdown)
    assert "CC BY 3.0 IGO" in page_text and "OCHA ROAP" in page_text
    assert ("1, 2, 2, 4" in page_text) and ("16.800" in page_text or "16,800" in page_text)


def test_rules_carry_a_source_link_in_both_languages():
    for lang in ("id", "en"):
        rules = methodology.rules_frame(lang)
        link = rules.columns[-1]
        assert len(rules) >= 5 and rules[link].str.startswith("https://").all()
        assert rules.iloc[:, 1].str.len().min() > 20
    contents = " ".join(methodology.rules_frame("id")["Isi"])
    assert "PMK" in " ".join(methodology.rules_frame("id")["Aturan"]) and "Rp16.800" in contents


def test_every_methodology_text_has_both_languages():
    for key, entry in methodology.texts().items():
        assert entry.get("id") and entry.get("en"), key
