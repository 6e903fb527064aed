"""The figures' definitions are written once: docs/figures.md is generated from them."""
from pathlib import Path

from hall.services import figure_notes


def test_docs_figures_md_is_the_generated_definitions():
    path = Path(__file__).resolve().parents[2] / "docs" / "figures.md"
    assert path.read_text(encoding="utf-8") == figure_notes.markdown()


def test_every_note_has_a_name_and_a_definition_without_placeholders():
    for key, (name, text) in figure_notes.NOTES.items():
        assert name and len(text) >= 5, key
        assert "待核实" not in text and "TODO" not in text
    assert figure_notes.note("case_outcomes.performance_rate").startswith("协议履行率：")
    assert figure_notes.note("nothing") == ""
