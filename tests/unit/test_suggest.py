"""Suggesting a service from a visitor's few words (the 诉求 line)."""
from __future__ import annotations

import json
from importlib import resources as ir

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hall.domain.suggest import Suggestion, suggest_services

RULES = json.loads(ir.files("resources").joinpath("demo/centre.json").read_text(encoding="utf-8"))[
    "keyword_rules"]


def codes(text, rules=RULES):
    return [s.service_code for s in suggest_services(text, rules)]


@pytest.mark.parametrize(("text", "expected"), [
    ("拖欠工资", ["labour"]),
    ("邻居漏水", ["housing", "mediation"]),
    ("物业", ["housing"]),
    ("老板欠薪三个月", ["labour"]),
    ("想离婚，孩子抚养问题", ["mediation"]),
    ("孩子转学", ["education"]),
    ("被开除了", ["labour"]),
    ("公司无故解雇我", ["labour"]),
    ("想打官司", ["litigation"]),
    ("老公家暴", ["legal_aid", "counselling"]),
    ("楼上噪音吵架", ["mediation"]),
    ("", []),
    ("您好", []),
])
def test_the_demo_centres_words_point_to_its_services(text, expected):
    assert codes(text) == expected


def test_a_longer_match_weighs_more_and_is_not_counted_twice():
    [labour] = suggest_services("拖欠工资", RULES)
    assert labour == Suggestion("labour", 4, ("拖欠工资",))  # "工资" inside it adds nothing
    ranked = suggest_services("公司拖欠工资，找律师", RULES)
    assert [(s.service_code, s.score) for s in ranked] == [("labour", 4), ("legal_aid", 2)]


def test_ties_keep_the_order_of_the_rules():
    rules = [{"service": "b", "words": ["漏水"]}, {"service": "a", "words": ["邻居"]}]
    assert codes("邻居漏水", rules) == ["b", "a"]
    assert codes("邻居漏水", list(reversed(rules))) == ["a", "b"]


def test_matched_words_explain_the_suggestion_in_the_order_they_were_said():
    [s] = suggest_services("工伤以后被辞退，工资也没结", [{"service": "labour", "words": ["工资", "辞退", "工伤"]}])
    assert s.matched_words == ("工伤", "辞退", "工资") and s.score == 6


def test_full_width_letters_case_and_spaces_do_not_matter():
    rules = [{"service": "labour", "words": ["App外卖", "工资"]}]
    assert codes("ａｐｐ 外卖 骑手", rules) == ["labour"]
    assert codes("工 资", rules) == ["labour"]


def test_bad_rules_are_skipped_not_fatal():
    rules = [{"service": "", "words": ["工资"]}, {"words": ["工资"]}, {"service": "x"},
             {"service": "y", "words": "工资"}, {"service": "y", "words": ["欠薪"]}, {"service": "z", "words": [""]}]
    assert codes("欠薪工资", rules) == ["y"]
    assert suggest_services("工资", []) == []


@given(st.text(max_size=30))
def test_any_text_gives_ranked_unique_suggestions(text):
    result = suggest_services(text, RULES)
    assert len({s.service_code for s in result}) == len(result)
    assert [s.score for s in result] == sorted((s.score for s in result), reverse=True)
    assert all(s.score > 0 and s.matched_words for s in result)
