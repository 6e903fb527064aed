"""The definition of every figure the director sees, written once.

``docs/figures.md`` is generated from :data:`NOTES` (:func:`markdown`; a test
keeps the two equal) and the dashboard shows each definition as the tooltip
of its card, chart and column. The SQL that computes each figure is in
:mod:`hall.services.stats` and :mod:`hall.services.stats_cases`.
"""
from __future__ import annotations

#: figure key -> (name, definition)
NOTES: dict[str, tuple[str, str]] = {
    "queue.tickets": ("排队号", "统计区间内各办公日取出的全部排队号，含转移产生的新号。按取号所在的办公日归属，跨过午夜的来访整体计入取号当日。"),
    "queue.visits": ("来访人次", "排队号中不是由转移产生的号：一次来访被转往其他业务，只计一次。"),
    "queue.waiting": ("等候时间", "叫号时刻 − 取号时刻（分钟），计入已叫号的排队号；转移后的新号在新队列中另行计算。平均数、中位数、P90（九成来访者不超过此值，按相邻名次线性插值）。"),
    "queue.service_time": ("办理时间", "办结（或转出）时刻 − 开始办理时刻（分钟），计入在窗口办结或转出的排队号。未按“开始办理”直接办结或转出的，自叫号时刻起算，并单独列出其数量（“未按开始办理”）。"),
    "queue.no_show_rate": ("过号率", "过号 ÷ 已叫号。"),
    "queue.transfer_rate": ("转移率", "被转往其他业务的来访 ÷ 来访人次（一条转移链只计一次）。"),
    "queue.occupancy": ("窗口占用率", "占用时长 ÷ 开放时长。开放时长按窗口的开放、暂停、关闭记录：自“开放”至下一次“暂停”或“关闭”，以当日为限（未关闭的窗口计至当日结束或计算时刻）；占用时长为叫号至该号结束（办结、过号或转出）；空闲 = 开放 − 占用（不小于 0）。"),
    "appointments.missed_rate": ("预约爽约率", "爽约 ÷（按时签到 + 迟到 + 爽约），按预约日期统计。"),
    "satisfaction.mean": ("平均满意度", "统计区间内（按评价时刻）全部评价星级的平均数，满分 5 星。"),
    "satisfaction.satisfied_rate": ("满意率", "4 星及 5 星评价 ÷ 全部评价。各评价来源另行分列：自助评价机（访客凭小票评价码）、回访电话（访客凭评价码，记录回访人）、调解现场；工作人员不能评价自己提供的服务，窗口不再录入评价（此前的窗口录入记录单列为旧记录）。"),
    "satisfaction.low": ("不满意评价", "2 星及以下的评价；“待跟进”为尚未标记处理的。"),
    "case_outcomes.success_rate": ("调解成功率（按结果发生月）", "当月达成协议（协议生效日期在当月）的案件 ÷ 当月调解终结（达成协议 + 当月终止的调解不成）。月份结束后不再变化。"),
    "case_outcomes.performance_rate": ("协议履行率", "当月达成的协议中，月末前最近一次回访为“已履行”的 ÷ 当月达成的协议（部分履行不计为已履行）。"),
    "case_outcomes.followup_rate": ("回访率", "当月达成的协议中，月末前已回访的 ÷ 当月达成的协议。"),
    "case_outcomes.amount": ("协议金额", "当月生效协议（现行版本）各条款金额之和（元）。"),
    "cases.success_rate": ("调解成功率（按受理月）", "当月受理的案件中，至今已达成协议的 ÷ 当月受理的案件。以后月份达成的协议也计入，因此过去月份的这一数字会变化；月报并列两种口径并分别标明。"),
    "cases.performance_rate": ("协议履行率（按受理月）", "当月受理案件达成的协议中，最近一次回访为“已履行”的 ÷ 达成的协议。"),
    "arbitration.closed": ("仲裁审结", "结案日期在当月、结案方式不是“不予受理”的仲裁案件；结案方式分布含不予受理。"),
    "petitions.closed": ("信访办结", "办结日期在当月的信访事项；处理意见按出具日期统计。"),
    "deadlines.on_time_rate": ("期限按期完成率", "当月完成的法定期限中，完成日不晚于到期日的 ÷ 当月完成的期限，按期限种类分列。"),
    "high_risk": ("高风险案件", "尚在办理（登记、受理、调解中）且风险等级为“高”或已按人民调解法第二十五条报告公安的调解案件，截至查看时。"),
    "trends": ("环比、同比", "环比 =（本月 − 上月）÷ 上月；同比 =（本月 − 上年同月）÷ 上年同月；基数为 0 时不计。已冻结月份取冻结数据。"),
    "snapshot": ("月度数据冻结", "月份结束后首次生成月报时（或主任、管理员冻结时），该月全部统计数据以规范 JSON 保存一次，并记录其 SHA-256；此后月报打印冻结数据，并列出重新计算结果不同的统计项。"),
    "whistle.closure_rate": ("吹哨办结率", "当月发出（按发出时刻在大厅所在日）、未撤销的吹哨中，中心已确认办结的 ÷ 当月吹哨。"),
    "whistle.on_time_rate": ("吹哨按时办结率", "当月吹哨召集的部门中，提交办理结果不晚于办结时限的 ÷ 已提交办理结果的（退回的召集不计）。"),
    "whistle.satisfaction": ("吹哨群众满意度", "办结后群众对吹哨事项的评价（上门回访、电话回访，或群众在评价机输入办结时告知的评价码），4 星及以上为满意；满意度得分率 = 满意 ÷ 已评价，无评价时计 100。"),
    "whistle.department_score": ("部门考核总分", "系统得分 = 按时报到率、按时办结率、满意度得分率按权重（默认 40%、40%、20%）相加，退回的召集不计；街道评价为每次召集的评分平均：攻坚哨、应急哨一案一评，日常哨按负面清单自 100 分扣减（逾期报到、逾期办结、被督办、退回）；总分 = 系统得分 ×（1 − 街道评价占比）+ 街道评价 × 街道评价占比（默认 30%）+ 当月加减分。权重为设置项。"),
    "whistle.street_score": ("街道考核总分", "吹哨质量（没有部门退回的吹哨 ÷ 吹哨）、办结率、群众满意率按权重（默认 40%、30%、30%）相加，再加当月加减分。权重为设置项。"),
    "as_of": ("截至", "本月尚未结束时，月报每页标明“截至 某日某时”；未来月份不生成月报。"),
}


def note(key: str) -> str:
    """``name：definition`` for a tooltip ("" for a key without a note)."""
    found = NOTES.get(key)
    return f"{found[0]}：{found[1]}" if found else ""


def markdown() -> str:
    """The text of ``docs/figures.md``."""
    lines = ["# 统计口径（主任看板与月报）", "",
             "每个数字的定义只写在这里（由 `hall/services/figure_notes.py` 生成），"
             "看板上同一数字的提示文字与此相同。", "",
             "| 统计项 | 键 | 定义 |", "|---|---|---|"]
    for key, (name, text) in NOTES.items():
        lines.append(f"| {name} | `{key}` | {text} |")
    return "\n".join(lines) + "\n"


__all__ = ["NOTES", "markdown", "note"]
