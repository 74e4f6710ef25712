"""Answers to questions about programs: what it is, amounts, eligibility, budget, contact,
programs for a need and what is new. Each names the program, cites its page and says the
figures are from the FY2024 budget proposal; the frames of the sentences are responses in
domain.yml, the facts are worded by knowledge/present.py.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge.evaluator import NOT_ELIGIBLE, UNKNOWN, evaluate
from knowledge.kb import Program
from knowledge.money import format_yen
from knowledge.present import (budget_lines, citation, page_refs, requirement_lines, rule_requirement_lines,
                               rule_summary)

from .conversation import (ProgramContext, ask_which_program, contact_text, latest_entities, latest_text,
                           likely_programs, program_buttons, program_context, programs_with_rules, related_for_amounts,
                           shared_contact, source_line)
from .knowledge_access import knowledge_base

FOLLOW_UP_BUTTONS = [
    {"title": "1事業者あたりの金額", "payload": "/ask_amount"},
    {"title": "対象・要件", "payload": "/ask_eligibility"},
    {"title": "県の予算額", "payload": "/ask_budget"},
    {"title": "問い合わせ先", "payload": "/ask_contact"},
]
FIGURE_ENTITIES = ("money", "duration", "people")
# A need stated as a wish to talk to someone: the programs' divisions come with the list.
WANTS_SOMEONE_TO_ASK = re.compile("相談|問い合わせ|問合せ|連絡先|電話|窓口|聞きたい")
# 「当初予算額だけ」「補正は除いて」: the 当初 budget first, the 補正 as an aside
INITIAL_ONLY = re.compile("当初.{0,12}(だけ|のみ)|補正.{0,4}(除|抜|なし|以外)")
# A phone number is given for a program found by search only when it clearly leads.
PHONE_SEARCH_LEAD = 2.5


def _mark(program: Program) -> str:
    return {"新": "（新規事業）", "一部新": "（一部新規）"}.get(program.new_mark or "", "")


def show_rules(dispatcher: CollectingDispatcher, program: Program) -> None:
    """What one business can receive under each of the program's rules, as the document says."""
    kb = knowledge_base()
    for rule_id in program.rule_ids:
        rule = kb.rule(rule_id)
        dispatcher.utter_message(response="utter_amount_rules", program=program.name, label=rule["label"],
                                 lines="\n".join(f"・{line}" for line in rule_summary(rule)),
                                 citation=citation(kb, page_refs(rule["page"])))


class ProgramAnswer(Action, ABC):
    """An answer about one program; asks which one when that is not clear."""

    question = ""               # the intent this action answers
    search_text = False         # may the message text be searched when no name is given?
    search_lead = 1.5           # how clearly a search result must lead (see program_context)

    @staticmethod
    def useful(program: Program) -> bool:
        """Whether a program holds what this question needs (narrows ambiguous names)."""
        return True

    def candidates_when_unknown(self, tracker: Tracker) -> list[Program]:
        return likely_programs(tracker)

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        context = program_context(tracker, search_text=self.search_text, useful=self.useful,
                                  search_lead=self.search_lead)
        if context.status == "ambiguous":
            return ask_which_program(dispatcher, context.candidates, self.question) + [SlotSet("fallback_streak", 0)]
        if context.status == "none":
            return ask_which_program(dispatcher, self.candidates_when_unknown(tracker), self.question) + \
                [SlotSet("fallback_streak", 0)]
        events = self.answer(dispatcher, tracker, context)
        return [SlotSet("program", context.program.id), SlotSet("pending_question", None),
                SlotSet("fallback_streak", 0)] + events

    @abstractmethod
    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, context: ProgramContext) -> list[EventType]:
        """Answer for ``context.program`` (set); returns extra events."""


class ActionProgramInfo(ProgramAnswer):
    question = "ask_program_info"
    search_text = True

    def name(self) -> str:
        return "action_program_info"

    def answer(self, dispatcher, tracker, context):
        program = context.program
        if program.aggregate:
            dispatcher.utter_message(response="utter_aggregate_program", program=program.name,
                                     budget=" / ".join(b.amount for b in program.budgets),
                                     topic=program.topic or "", citation=source_line(program))
            return []
        lines = []
        if program.purpose and program.purpose != program.summary:
            lines.append(f"目的：{program.purpose}")
        if program.content and program.content != program.summary:
            lines.append(f"内容：{program.content}")
        if program.eligibility:
            lines.append(f"対象：{program.eligibility}")
        elif program.audience and program.audience != "資料に記載なし":
            lines.append(f"対象：{program.audience}")
        if program.related:
            lines.append(f"関連：{program.related['program']}（{program.related['why']}）")
        dispatcher.utter_message(response="utter_program_info", program=program.name, mark=_mark(program),
                                 summary=program.summary or program.purpose or "",
                                 details="\n".join(lines), citation=source_line(program),
                                 buttons=FOLLOW_UP_BUTTONS)
        return []


class ActionAmount(ProgramAnswer):
    """What one business can receive: the rule, never the program's budget."""

    question = "ask_amount"
    search_text = True

    @staticmethod
    def useful(program: Program) -> bool:
        return bool(program.rule_ids)

    def name(self) -> str:
        return "action_amount"

    def candidates_when_unknown(self, tracker):
        return [p for p in likely_programs(tracker) if p.rule_ids] or programs_with_rules()

    def answer(self, dispatcher, tracker, context):
        program = context.program
        related = related_for_amounts(program)
        if not program.rule_ids and related:
            dispatcher.utter_message(response="utter_using_related", program=program.name, related=related.name,
                                     why=program.related["why"])
            program = related
        if not program.rule_ids:
            dispatcher.utter_message(response="utter_amount_not_stated", program=program.name,
                                     contact=contact_text(program), citation=source_line(program))
            return []
        if any(latest_entities(tracker, e) for e in FIGURE_ENTITIES):
            # Figures in the question: calculate rather than recite the rule.
            return [SlotSet("program", program.id), FollowupAction("calculation_form")]
        show_rules(dispatcher, program)
        dispatcher.utter_message(response="utter_offer_calculation",
                                 buttons=[{"title": "自社の場合を計算する", "payload": "/calculate_amount"}])
        return []


class ActionEligibility(ProgramAnswer):
    question = "ask_eligibility"
    search_text = True

    @staticmethod
    def useful(program: Program) -> bool:
        return bool(program.rule_ids or program.eligibility)

    def name(self) -> str:
        return "action_eligibility"

    def answer(self, dispatcher, tracker, context):
        program = context.program
        kb = knowledge_base()
        if (program.rule_ids or related_for_amounts(program)) and \
                any(latest_entities(tracker, e) for e in FIGURE_ENTITIES):
            # 「20万円のタブレットでも対象？」: the figures decide it, so calculate
            return [FollowupAction("calculation_form")]
        lines = []
        if program.eligibility:
            lines.append(f"対象：{program.eligibility}")
        elif program.audience and program.audience != "資料に記載なし":
            lines.append(f"対象：{program.audience}")
        if program.covered_costs:
            lines.append(f"対象経費：{program.covered_costs}")
        sizes = latest_entities(tracker, "company_size") or [tracker.get_slot("company_size")]
        size = sizes[0]
        for rule_id in program.rule_ids:
            rule = kb.rule(rule_id)
            if rule.get("sizes") and size:
                verdict = evaluate(rule, {"size": size})
                if verdict.outcome in (NOT_ELIGIBLE, UNKNOWN):
                    lines.append(f"→ {verdict.reasons[0].text}（{rule['sizes']['clause']}）")
                else:
                    lines.append(f"→ {size}は対象に含まれます（{rule['sizes']['clause']}）")
                break
        for rule_id in program.rule_ids:
            lines.extend(rule_requirement_lines(kb.rule(rule_id)))
        for requirement_set in kb.requirement_sets_for(program.id):
            lines.append("要件：")
            lines.extend(f"・{line}" for line in requirement_lines(requirement_set))
        if not lines:
            dispatcher.utter_message(response="utter_eligibility_not_stated", program=program.name,
                                     summary=program.summary or "", contact=contact_text(program),
                                     citation=source_line(program))
            return []
        dispatcher.utter_message(response="utter_eligibility", program=program.name, lines="\n".join(lines),
                                 citation=source_line(program))
        return []


class ActionContact(ProgramAnswer):
    question = "ask_contact"
    search_text = True
    search_lead = PHONE_SEARCH_LEAD

    def name(self) -> str:
        return "action_contact"

    def run(self, dispatcher, tracker, domain):
        context = program_context(tracker, search_text=True, search_lead=PHONE_SEARCH_LEAD)
        contact = shared_contact(context.candidates) if context.status == "ambiguous" else None
        if contact:
            # several programs fit, but they share one division: that answers the question
            dispatcher.utter_message(response="utter_contact_shared", programs="、".join(
                p.name for p in context.candidates), contact=contact_text(context.candidates[0]),
                citation=citation(knowledge_base(), page_refs(*[p.pages for p in context.candidates])))
            return [SlotSet("program", [p.id for p in context.candidates]), SlotSet("fallback_streak", 0)]
        return super().run(dispatcher, tracker, domain)

    def answer(self, dispatcher, tracker, context):
        program = context.program
        if program.contact is None:
            dispatcher.utter_message(response="utter_contact_not_stated", program=program.name,
                                     citation=source_line(program))
            return []
        dispatcher.utter_message(response="utter_contact", program=program.name, contact=contact_text(program),
                                 citation=source_line(program))
        return []


class ActionBudget(ProgramAnswer):
    """The prefecture's budget for a program, a topic, or the four topics."""

    question = "ask_budget"
    search_text = True

    def name(self) -> str:
        return "action_budget"

    def run(self, dispatcher, tracker, domain):
        named = bool(latest_entities(tracker, "program"))
        subsections = [] if named else knowledge_base().subsections_in(latest_text(tracker))
        if subsections:
            self.subsection_budget(dispatcher, subsections[0])
            return [SlotSet("fallback_streak", 0)]
        topics = latest_entities(tracker, "topic")
        if topics and not named:
            self.topic_budget(dispatcher, topics[0], bool(INITIAL_ONLY.search(latest_text(tracker))))
            return [SlotSet("fallback_streak", 0)]
        context = program_context(tracker, search_text=True)
        if context.status == "ambiguous" and context.by_name and len(context.candidates) <= 3:
            # a name fitting a few programs: a budget is a fact of each, so give each, named
            for program in context.candidates:
                self.answer(dispatcher, tracker, ProgramContext("one", program))
            return [SlotSet("program", [p.id for p in context.candidates]), SlotSet("fallback_streak", 0)]
        if context.status == "none" and not latest_entities(tracker, "need"):
            self.topic_budget(dispatcher, None)
            return [SlotSet("fallback_streak", 0)]
        return super().run(dispatcher, tracker, domain)

    def topic_budget(self, dispatcher: CollectingDispatcher, topic_id: str | None, initial_only: bool = False) -> None:
        kb = knowledge_base()
        topics = [t for t in kb.topics() if topic_id in (None, t["id"])]
        lines = []
        for topic in topics:
            total = f"{topic['name']}：{format_yen(topic['total_yen'])}"
            if topic["supplementary_yen"] and initial_only:
                total = (f"{topic['name']}：６年度当初 {format_yen(topic['initial_yen'])}"
                         f"（このほか５年度12月補正 {format_yen(topic['supplementary_yen'])}）")
            elif topic["supplementary_yen"]:
                total += (f"（６年度当初 {format_yen(topic['initial_yen'])}、"
                          f"５年度12月補正 {format_yen(topic['supplementary_yen'])}）")
            lines.append(total)
            if topic_id:
                for sub in kb.subsections(topic["id"]):
                    amount = sub["net_initial_yen"] or sub["initial_yen"]
                    lines.append(f"  {sub['label']} {sub['name']}：{format_yen(amount)}"
                                 + (f"（補正 {format_yen(sub['supplementary_yen'])}）"
                                    if sub["supplementary_yen"] else ""))
        title = topics[0]["name"] if topic_id else "産業労働局の主な事業（4分野）"
        dispatcher.utter_message(response="utter_budget_topic", topic=title, lines="\n".join(lines),
                                 citation=citation(kb, page_refs(*[t["pages"] for t in topics])))

    def subsection_budget(self, dispatcher: CollectingDispatcher, subsection: dict) -> None:
        """A subsection's total (「(2) ベンチャーなどの創出・育成」) and its lines."""
        kb = knowledge_base()
        topic = next(t for t in kb.topics() if t["id"] == subsection["topic_id"])
        total = format_yen(subsection["initial_yen"])
        if subsection["net_initial_yen"]:
            total = (f"{format_yen(subsection['net_initial_yen'])}（他の区分の再掲を除く。"
                     f"再掲を含めると {total}）")
        lines = [f"{topic['name']} {subsection['label']} {subsection['name']}：{total}"
                 + (f"（５年度12月補正 {format_yen(subsection['supplementary_yen'])}）"
                    if subsection["supplementary_yen"] else "")]
        for listing in kb.subsection_listings(subsection["id"]):
            amount = listing["initial_printed"] or ""
            if listing["supplementary_printed"]:
                amount += f"（補正 {listing['supplementary_printed']}）"
            lines.append(f"  {listing['number_printed'] or '・'} {listing['printed_name']}：{amount}")
        dispatcher.utter_message(response="utter_budget_topic", topic=subsection["name"], lines="\n".join(lines),
                                 citation=citation(kb, page_refs(subsection["pages"])))

    def answer(self, dispatcher, tracker, context):
        program = context.program
        dispatcher.utter_message(response="utter_budget_program", program=program.name,
                                 lines="\n".join(budget_lines(program)), citation=source_line(program))
        return []


class ActionFindByNeed(Action):
    def name(self) -> str:
        return "action_find_by_need"

    def run(self, dispatcher, tracker, domain):
        kb = knowledge_base()
        needs = list(dict.fromkeys(latest_entities(tracker, "need") or kb.needs_in(latest_text(tracker))))
        if latest_entities(tracker, "program"):
            context = program_context(tracker)
            if context.status == "one":
                # a program named outright: say what it is rather than list others
                return ActionProgramInfo().run(dispatcher, tracker, domain)
            # a name several programs share (「物流の2024年問題」): those programs are the list
            programs = context.candidates
            mention = next(e for e in tracker.latest_message.get("entities", []) if e.get("entity") == "program")
            heading = latest_text(tracker)[mention.get("start", 0):mention.get("end", 0)] or "・".join(needs)
        elif needs:
            programs = []
            for need in needs:
                programs.extend(p for p in kb.programs_for_need(need) if p not in programs and not p.aggregate)
            heading = "・".join(needs)
        else:
            programs = [p for p, _ in kb.search(latest_text(tracker), limit=5) if not p.aggregate]
            heading = None
        if not programs:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return [SlotSet("fallback_streak", 0)]
        shown = programs[:5]
        lines = [f"・{p.name}（{p.category}）" for p in shown]
        contact = shared_contact(shown)
        if contact and WANTS_SOMEONE_TO_ASK.search(latest_text(tracker)):
            # 「相談したい」, and one division answers for all of them: its phone, straight away
            lines.append(f"いずれも担当：{contact_text(shown[0])}")
        dispatcher.utter_message(response="utter_programs_for_need", need=heading or "ご質問",
                                 count=len(programs), lines="\n".join(lines),
                                 citation=citation(kb, page_refs(*[p.pages for p in shown])),
                                 buttons=program_buttons(shown))
        return [SlotSet("pending_question", "ask_program_info"), SlotSet("fallback_streak", 0)]

class ActionNewPrograms(Action):
    def name(self) -> str:
        return "action_new_programs"

    def run(self, dispatcher, tracker, domain):
        kb = knowledge_base()
        if latest_entities(tracker, "program"):
            context = program_context(tracker, useful=lambda p: bool(p.new_mark))
            if context.status == "one":
                return self.what_is_new(dispatcher, context.program)
        programs = kb.new_programs()
        lines = [f"・{p.name}（{p.new_mark}）" + (f"：{p.new_evidence}" if p.new_mark == "一部新" else "")
                 for p in programs]
        dispatcher.utter_message(response="utter_new_programs", lines="\n".join(lines),
                                 citation=citation(kb, page_refs(*[p.detail_pages for p in programs])),
                                 buttons=program_buttons(programs))
        return [SlotSet("pending_question", "ask_program_info"), SlotSet("fallback_streak", 0)]

    def what_is_new(self, dispatcher, program: Program) -> list[EventType]:
        kb = knowledge_base()
        lines = []
        if program.new_mark:
            lines.append(f"{program.new_mark}：{program.new_evidence}")
        for requirement_set in kb.requirement_sets_for(program.id):
            lines.extend(f"・{change}" for change in requirement_set.get("revisions", []))
        # new programs described on the same detail page (中小企業制度融資 → ミニ枠, エコアセット)
        lines.extend(f"・{other.name}（{other.new_mark}）：{other.new_evidence}" for other in kb.new_programs()
                     if other.id != program.id and program.detail_pages and other.detail_pages == program.detail_pages)
        if not lines:
            lines.append("資料では、この事業に新規・一部新規の表示はありません。")
        dispatcher.utter_message(response="utter_what_is_new", program=program.name, lines="\n".join(lines),
                                 citation=source_line(program))
        return [SlotSet("program", program.id), SlotSet("fallback_streak", 0)]
