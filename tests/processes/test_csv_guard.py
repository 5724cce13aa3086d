"""The CSV formula guard: formulas neutralised, phones and numbers kept as typed."""
import pytest

from processes.serialize import plain_cell


@pytest.mark.parametrize("typed", ["+7 933 111-22-33", "+7 (495) 123-45-67", "-5", "-1.5", "8 800 555-35-35",
                                   "+", "ООО «Ромашка»", ""])
def test_phones_numbers_and_text_stay_as_typed(typed):
    assert plain_cell(typed) == typed


@pytest.mark.parametrize("formula", ["=1+2", "=HYPERLINK(\"http://evil\")", "@SUM(A1)", "+SUM(A1)", "-1+2",
                                     "+7 933 111-22-33+A1", "-cmd|' /C calc'!A0", "\t=1", "\r=1", "+A1"])
def test_formulas_are_neutralised(formula):
    assert plain_cell(formula) == "'" + formula
