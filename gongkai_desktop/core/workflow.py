"""The seven-step procedure (七项程序) as a state machine.

提出 → 初审 → 审核 → 公开 → 反馈 → 整改 → 建档 (seed 三(五)1; RULES.md §2).
An item's ``stage`` is the step it waits for; after 建档 it is 已建档.
初审 and 审核 may return it to 提出. No step is skipped; no date is earlier than
the step before it or later than today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .errors import WorkflowError

STEPS = ("提出", "初审", "审核", "公开", "反馈", "整改", "建档")
DONE = "已建档"
STAGES = (*STEPS, DONE)
RETURNABLE = ("初审", "审核")
COMPLETE, RETURN = "完成", "退回"

# 初审: confidentiality and exemption review (seed 三(二)1; 条例第十四、十五条)
SECRECY = ("不涉密", "涉密")
EXEMPTIONS = ("无", "国家秘密", "商业秘密", "个人隐私", "其他法律法规规定不予公开")

DEFAULT_RESULT = {
    "提出": "提请初审",
    "初审": "同意报审",
    "审核": "同意公开",
    "公开": "已公开",
    "反馈": "无反馈",
    "整改": "无需整改",
    "建档": "已归档",
}
NOTHING = {"反馈": "无反馈", "整改": "无需整改"}  # valid "无" records


def stage_label(stage: str) -> str:
    return stage if stage == DONE else f"待{stage}"


@dataclass
class StepInput:
    step: str
    action: str
    who: str
    on_date: date
    opinion: str = ""
    result: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Transition:
    new_stage: str
    returned: bool
    explanation: str


def advance(
    stage: str, prev_date: date | None, prev_label: str, inp: StepInput, today: date
) -> Transition:
    """Check *inp* against the item's *stage* and return the new stage.

    *prev_date* is the date of the last recorded step (or the item's formed date
    before the first 提出), *prev_label* names it for the message.
    Raises WorkflowError with a message that says what to do instead.
    """
    if stage == DONE:
        raise WorkflowError("该事项已经建档，七项程序已全部完成，不能再办理环节。")
    if inp.step not in STEPS:
        raise WorkflowError(f"没有“{inp.step}”这个环节。")
    if inp.step != stage:
        raise WorkflowError(
            f"现在应办理“{stage}”环节，不能直接办理“{inp.step}”。七项程序不能跳过任何一步。"
        )
    if inp.action not in (COMPLETE, RETURN):
        raise WorkflowError("办理结果只能是“完成”或“退回”。")
    if inp.action == RETURN and inp.step not in RETURNABLE:
        raise WorkflowError("只有“初审”和“审核”可以退回到“提出”。")
    if not inp.who.strip():
        raise WorkflowError(f"请填写“{inp.step}”环节的经办人。")
    if inp.on_date > today:
        raise WorkflowError(f"{inp.step}日期 {inp.on_date} 晚于今天（{today}），请改为今天或更早的日期。")
    if prev_date and inp.on_date < prev_date:
        raise WorkflowError(
            f"{inp.step}日期 {inp.on_date} 早于{prev_label}日期 {prev_date}，请改为 {prev_date} 或之后。"
        )
    if inp.action == RETURN:
        if not inp.opinion.strip():
            raise WorkflowError("退回时请写明退回意见，说明需要怎样修改。")
        return Transition("提出", True, f"{inp.step}退回到“提出”：{inp.opinion.strip()}")
    _check_step_details(inp)
    nxt = STAGES[STEPS.index(inp.step) + 1]
    return Transition(nxt, False, f"{inp.step}完成，下一步：{stage_label(nxt)}")


def _check_step_details(inp: StepInput) -> None:
    x = inp.extra
    if inp.step == "初审":
        secrecy, exemption = x.get("secrecy", ""), x.get("exemption", "")
        if secrecy not in SECRECY or exemption not in EXEMPTIONS:
            raise WorkflowError("初审须完成保密审查：选择“不涉密/涉密”和不予公开情形（没有则选“无”）。")
        if secrecy == "涉密" or exemption != "无":
            raise WorkflowError(
                f"初审认定属于不予公开的情形（{secrecy if secrecy == '涉密' else exemption}），"
                "不能报送审核。请选择“退回”，并在意见中写明理由。"
            )
        if not x.get("review_reason", "").strip():
            raise WorkflowError("请填写保密审查的理由，例如“内容不涉及国家秘密、商业秘密和个人隐私”。")
    elif inp.step == "公开":
        channels = x.get("channels") or []
        if not channels:
            raise WorkflowError("请至少选择一种公开方式。")
        if "门户网站" in channels and not x.get("url", "").strip():
            raise WorkflowError("选择了“门户网站”，请填写网址，便于检查时核对。")
    if not inp.result.strip():
        hint = f"没有的话填“{NOTHING[inp.step]}”。" if inp.step in NOTHING else ""
        raise WorkflowError(f"请填写“{inp.step}”环节的办理结果。{hint}")
