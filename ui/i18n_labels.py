"""Labels the interface translates from variables, for lupdate.

Code such as ``tr("TicketStatus", status.label)`` translates a text kept in a
table (``hall/domain`` enums and dictionaries, or tables in ``ui`` itself), and
lupdate only collects string literals. This module spells every such label out
as ``QT_TRANSLATE_NOOP("Context", "...")`` so that ``python -m ui.i18n_update``
puts it in ``resources/i18n/hall_en.ts``. It is never imported at run time.

Do not edit by hand. After changing a label table, regenerate this file with a
script that imports the tables listed below and writes one
``QT_TRANSLATE_NOOP(context, label)`` line per label (in the same order), then
run ``python -m ui.i18n_update``, translate the new messages and run
``pyside6-lrelease`` (see :mod:`ui.i18n`).
"""
from __future__ import annotations

from .qt import QT_TRANSLATE_NOOP

LABELS = (
    # Roles: hall.domain.roles.ROLE_LABELS
    QT_TRANSLATE_NOOP("Roles", "导引台"),
    QT_TRANSLATE_NOOP("Roles", "窗口"),
    QT_TRANSLATE_NOOP("Roles", "调解员"),
    QT_TRANSLATE_NOOP("Roles", "仲裁书记员"),
    QT_TRANSLATE_NOOP("Roles", "主任"),
    QT_TRANSLATE_NOOP("Roles", "系统管理员"),
    QT_TRANSLATE_NOOP("Roles", "吹哨调度"),
    QT_TRANSLATE_NOOP("Roles", "部门联络员"),
    # Weekdays: hall.domain.workcalendar.WEEKDAY_NAMES
    QT_TRANSLATE_NOOP("Weekdays", "星期一"),
    QT_TRANSLATE_NOOP("Weekdays", "星期二"),
    QT_TRANSLATE_NOOP("Weekdays", "星期三"),
    QT_TRANSLATE_NOOP("Weekdays", "星期四"),
    QT_TRANSLATE_NOOP("Weekdays", "星期五"),
    QT_TRANSLATE_NOOP("Weekdays", "星期六"),
    QT_TRANSLATE_NOOP("Weekdays", "星期日"),
    # PriorityReasons: hall.domain.queue.PRIORITY_LABELS
    QT_TRANSLATE_NOOP("PriorityReasons", "孕妇"),
    QT_TRANSLATE_NOOP("PriorityReasons", "70岁以上老人"),
    QT_TRANSLATE_NOOP("PriorityReasons", "残疾人"),
    QT_TRANSLATE_NOOP("PriorityReasons", "退役军人"),
    QT_TRANSLATE_NOOP("PriorityReasons", "情绪激动/需安抚"),
    QT_TRANSLATE_NOOP("PriorityReasons", "预约"),
    # TicketStatus: hall.domain.queue.STATUS_LABELS
    QT_TRANSLATE_NOOP("TicketStatus", "等候中"),
    QT_TRANSLATE_NOOP("TicketStatus", "已叫号"),
    QT_TRANSLATE_NOOP("TicketStatus", "办理中"),
    QT_TRANSLATE_NOOP("TicketStatus", "已办结"),
    QT_TRANSLATE_NOOP("TicketStatus", "过号"),
    QT_TRANSLATE_NOOP("TicketStatus", "已转移"),
    QT_TRANSLATE_NOOP("TicketStatus", "已取消"),
    QT_TRANSLATE_NOOP("TicketStatus", "已失效"),
    QT_TRANSLATE_NOOP("TicketStatus", "已挂起"),
    # Outcomes: hall.domain.queue.OUTCOMES
    QT_TRANSLATE_NOOP("Outcomes", "当场办结"),
    QT_TRANSLATE_NOOP("Outcomes", "咨询解答"),
    QT_TRANSLATE_NOOP("Outcomes", "登记立案（转调解）"),
    QT_TRANSLATE_NOOP("Outcomes", "转交职能部门"),
    QT_TRANSLATE_NOOP("Outcomes", "引导申请劳动仲裁"),
    QT_TRANSLATE_NOOP("Outcomes", "引导诉讼"),
    QT_TRANSLATE_NOOP("Outcomes", "材料不全，告知补正"),
    QT_TRANSLATE_NOOP("Outcomes", "其他"),
    # Side: hall.domain.cases.Side
    QT_TRANSLATE_NOOP("Side", "申请人"),
    QT_TRANSLATE_NOOP("Side", "被申请人"),
    QT_TRANSLATE_NOOP("Side", "第三人"),
    # PartyKind: hall.domain.cases.PartyKind
    QT_TRANSLATE_NOOP("PartyKind", "自然人"),
    QT_TRANSLATE_NOOP("PartyKind", "法人或其他组织"),
    # ReferralKind: hall.domain.cases.ReferralKind
    QT_TRANSLATE_NOOP("ReferralKind", "调解室"),
    QT_TRANSLATE_NOOP("ReferralKind", "窗口业务"),
    QT_TRANSLATE_NOOP("ReferralKind", "职能部门"),
    QT_TRANSLATE_NOOP("ReferralKind", "心理咨询"),
    # ReferralState: hall.domain.cases.ReferralState
    QT_TRANSLATE_NOOP("ReferralState", "待安排"),
    QT_TRANSLATE_NOOP("ReferralState", "已安排"),
    QT_TRANSLATE_NOOP("ReferralState", "已完成"),
    QT_TRANSLATE_NOOP("ReferralState", "已取消"),
    # Category: hall.domain.cases.Category
    QT_TRANSLATE_NOOP("Category", "婚姻家庭"),
    QT_TRANSLATE_NOOP("Category", "邻里"),
    QT_TRANSLATE_NOOP("Category", "房屋宅基地"),
    QT_TRANSLATE_NOOP("Category", "合同"),
    QT_TRANSLATE_NOOP("Category", "生产经营"),
    QT_TRANSLATE_NOOP("Category", "损害赔偿"),
    QT_TRANSLATE_NOOP("Category", "山林土地"),
    QT_TRANSLATE_NOOP("Category", "征地拆迁"),
    QT_TRANSLATE_NOOP("Category", "环境污染"),
    QT_TRANSLATE_NOOP("Category", "劳动争议"),
    QT_TRANSLATE_NOOP("Category", "消费"),
    QT_TRANSLATE_NOOP("Category", "医疗"),
    QT_TRANSLATE_NOOP("Category", "道路交通事故"),
    QT_TRANSLATE_NOOP("Category", "物业"),
    QT_TRANSLATE_NOOP("Category", "其它"),
    # Source: hall.domain.cases.Source
    QT_TRANSLATE_NOOP("Source", "当事人申请"),
    QT_TRANSLATE_NOOP("Source", "主动调解"),
    QT_TRANSLATE_NOOP("Source", "委托移送"),
    # RiskLevel: hall.domain.cases.RiskLevel
    QT_TRANSLATE_NOOP("RiskLevel", "低"),
    QT_TRANSLATE_NOOP("RiskLevel", "中"),
    QT_TRANSLATE_NOOP("RiskLevel", "高（可能激化）"),
    # CaseState: hall.domain.cases.CaseState
    QT_TRANSLATE_NOOP("CaseState", "已登记"),
    QT_TRANSLATE_NOOP("CaseState", "已受理"),
    QT_TRANSLATE_NOOP("CaseState", "调解中"),
    QT_TRANSLATE_NOOP("CaseState", "达成协议"),
    QT_TRANSLATE_NOOP("CaseState", "调解不成"),
    QT_TRANSLATE_NOOP("CaseState", "已移送"),
    QT_TRANSLATE_NOOP("CaseState", "已结案"),
    # FollowUpMethod: hall.domain.cases.FollowUpMethod
    QT_TRANSLATE_NOOP("FollowUpMethod", "电话回访"),
    QT_TRANSLATE_NOOP("FollowUpMethod", "上门回访"),
    QT_TRANSLATE_NOOP("FollowUpMethod", "来访回访"),
    QT_TRANSLATE_NOOP("FollowUpMethod", "短信/微信回访"),
    QT_TRANSLATE_NOOP("FollowUpMethod", "其他"),
    # Performance: hall.domain.cases.Performance
    QT_TRANSLATE_NOOP("Performance", "已履行"),
    QT_TRANSLATE_NOOP("Performance", "部分履行"),
    QT_TRANSLATE_NOOP("Performance", "未履行"),
    QT_TRANSLATE_NOOP("Performance", "拒绝履行"),
    # AgreementState: hall.domain.cases.AgreementState
    QT_TRANSLATE_NOOP("AgreementState", "草稿"),
    QT_TRANSLATE_NOOP("AgreementState", "签署中"),
    QT_TRANSLATE_NOOP("AgreementState", "已生效"),
    QT_TRANSLATE_NOOP("AgreementState", "已被更正版本取代"),
    # ParticipantRole: hall.domain.cases.ParticipantRole
    QT_TRANSLATE_NOOP("ParticipantRole", "当事人"),
    QT_TRANSLATE_NOOP("ParticipantRole", "代理人"),
    QT_TRANSLATE_NOOP("ParticipantRole", "调解员"),
    QT_TRANSLATE_NOOP("ParticipantRole", "记录人"),
    QT_TRANSLATE_NOOP("ParticipantRole", "翻译人员"),
    QT_TRANSLATE_NOOP("ParticipantRole", "其他参与人员"),
    # Presence: hall.domain.cases.Presence
    QT_TRANSLATE_NOOP("Presence", "现场"),
    QT_TRANSLATE_NOOP("Presence", "远程"),
    # IdentityMethod: hall.domain.cases.IdentityMethod
    QT_TRANSLATE_NOOP("IdentityMethod", "现场查验身份证件"),
    QT_TRANSLATE_NOOP("IdentityMethod", "镜头前出示身份证件"),
    QT_TRANSLATE_NOOP("IdentityMethod", "人脸识别核验"),
    QT_TRANSLATE_NOOP("IdentityMethod", "身份证阅读器读取"),
    QT_TRANSLATE_NOOP("IdentityMethod", "调解员熟识"),
    QT_TRANSLATE_NOOP("IdentityMethod", "查验授权委托书及身份证件"),
    QT_TRANSLATE_NOOP("IdentityMethod", "本中心工作人员"),
    QT_TRANSLATE_NOOP("IdentityMethod", "其他方式"),
    # SessionMode: hall.domain.cases.SessionMode
    QT_TRANSLATE_NOOP("SessionMode", "现场调解"),
    QT_TRANSLATE_NOOP("SessionMode", "视频调解"),
    QT_TRANSLATE_NOOP("SessionMode", "现场与视频结合"),
    # SessionOutcome: hall.domain.cases.SessionOutcome
    QT_TRANSLATE_NOOP("SessionOutcome", "达成协议"),
    QT_TRANSLATE_NOOP("SessionOutcome", "调解不成"),
    QT_TRANSLATE_NOOP("SessionOutcome", "择期继续调解"),
    # SignMethods: hall.domain.cases.SIGN_METHODS
    QT_TRANSLATE_NOOP("SignMethods", "签名"),
    QT_TRANSLATE_NOOP("SignMethods", "盖章"),
    QT_TRANSLATE_NOOP("SignMethods", "按指印"),
    QT_TRANSLATE_NOOP("SignMethods", "签名并按指印"),
    QT_TRANSLATE_NOOP("SignMethods", "电子签名"),
    # PaymentMethods: ui.mediator_agreement.METHODS
    QT_TRANSLATE_NOOP("PaymentMethods", "银行转账"),
    QT_TRANSLATE_NOOP("PaymentMethods", "现金"),
    QT_TRANSLATE_NOOP("PaymentMethods", "微信转账"),
    QT_TRANSLATE_NOOP("PaymentMethods", "支付宝转账"),
    QT_TRANSLATE_NOOP("PaymentMethods", "当场履行"),
    # Termination: hall.domain.cases.TERMINATION_NOTICE
    QT_TRANSLATE_NOOP("Termination", "经调解，双方未能达成调解协议。依据《中华人民共和国人民调解法》第二十六条，本委员会终止调解，并告知当事人：可以依法通过仲裁、行政、司法等途径维护自己的权利。"),
    # Minutes: ui.mediator_session.MINUTES_LABELS and hall.domain.cases.MINUTES_FIELDS
    QT_TRANSLATE_NOOP("Minutes", "事由"),
    QT_TRANSLATE_NOOP("Minutes", "地点"),
    QT_TRANSLATE_NOOP("Minutes", "告知当事人权利义务"),
    QT_TRANSLATE_NOOP("Minutes", "调解原则及参加人员"),
    QT_TRANSLATE_NOOP("Minutes", "各方当事人陈述"),
    QT_TRANSLATE_NOOP("Minutes", "核实纠纷事实"),
    QT_TRANSLATE_NOOP("Minutes", "风险提示"),
    QT_TRANSLATE_NOOP("Minutes", "达成协议的内容"),
    QT_TRANSLATE_NOOP("Minutes", "调解不成的原因"),
    QT_TRANSLATE_NOOP("Minutes", "后续途径"),
    QT_TRANSLATE_NOOP("Minutes", "笔录已向当事人宣读/交其阅看"),
    # WindowStates: ui.window_desk.STATE_LABELS
    QT_TRANSLATE_NOOP("WindowStates", "开启"),
    QT_TRANSLATE_NOOP("WindowStates", "暂停"),
    QT_TRANSLATE_NOOP("WindowStates", "关闭"),
    # Holidays: ui.admin_accounts.HOLIDAY_NAMES
    QT_TRANSLATE_NOOP("Holidays", "元旦"),
    QT_TRANSLATE_NOOP("Holidays", "春节"),
    QT_TRANSLATE_NOOP("Holidays", "清明节"),
    QT_TRANSLATE_NOOP("Holidays", "劳动节"),
    QT_TRANSLATE_NOOP("Holidays", "端午节"),
    QT_TRANSLATE_NOOP("Holidays", "中秋节"),
    QT_TRANSLATE_NOOP("Holidays", "国庆节"),
    # AmountsPage: ui.admin_accounts.AmountsPage.AMOUNTS
    QT_TRANSLATE_NOOP("AmountsPage", "当地月最低工资标准"),
    QT_TRANSLATE_NOOP("AmountsPage", "元/月"),
    QT_TRANSLATE_NOOP("AmountsPage", "用于判断小额劳动争议（一裁终局）等金额标准。"),
    QT_TRANSLATE_NOOP("AmountsPage", "全省上年度职工年平均工资"),
    QT_TRANSLATE_NOOP("AmountsPage", "元/年"),
    QT_TRANSLATE_NOOP("AmountsPage", "用于计算经济补偿的封顶基数等。"),
    # RatingForm: hall.services.satisfaction.RATING_LABELS
    QT_TRANSLATE_NOOP("RatingForm", "非常不满意"),
    QT_TRANSLATE_NOOP("RatingForm", "不满意"),
    QT_TRANSLATE_NOOP("RatingForm", "一般"),
    QT_TRANSLATE_NOOP("RatingForm", "满意"),
    QT_TRANSLATE_NOOP("RatingForm", "非常满意"),
    # RatingForm: hall.services.satisfaction.REASON_TAGS
    QT_TRANSLATE_NOOP("RatingForm", "态度热情"),
    QT_TRANSLATE_NOOP("RatingForm", "办事高效"),
    QT_TRANSLATE_NOOP("RatingForm", "专业耐心"),
    QT_TRANSLATE_NOOP("RatingForm", "解释清楚"),
    QT_TRANSLATE_NOOP("RatingForm", "环境舒适"),
    QT_TRANSLATE_NOOP("RatingForm", "等候时间长"),
    QT_TRANSLATE_NOOP("RatingForm", "服务态度差"),
    QT_TRANSLATE_NOOP("RatingForm", "解释不清楚"),
    QT_TRANSLATE_NOOP("RatingForm", "办事拖沓"),
    QT_TRANSLATE_NOOP("RatingForm", "来回跑、多头跑"),
    QT_TRANSLATE_NOOP("RatingForm", "对处理结果不满意"),
    QT_TRANSLATE_NOOP("RatingForm", "其他"),
    # CaseRegister: ui.clerk_cases.HEARING_STATES
    QT_TRANSLATE_NOOP("CaseRegister", "已排期"),
    QT_TRANSLATE_NOOP("CaseRegister", "已开庭"),
    QT_TRANSLATE_NOOP("CaseRegister", "已延期"),
    QT_TRANSLATE_NOOP("CaseRegister", "已取消"),
    # AdminFields: hall.services.admin.PROFILE_FIELDS and ROOM_KINDS
    QT_TRANSLATE_NOOP("AdminFields", "中心名称"),
    QT_TRANSLATE_NOOP("AdminFields", "中心简称"),
    QT_TRANSLATE_NOOP("AdminFields", "中心地址"),
    QT_TRANSLATE_NOOP("AdminFields", "中心电话"),
    QT_TRANSLATE_NOOP("AdminFields", "人民调解委员会名称"),
    QT_TRANSLATE_NOOP("AdminFields", "人民调解委员会地址"),
    QT_TRANSLATE_NOOP("AdminFields", "调解案号格式"),
    QT_TRANSLATE_NOOP("AdminFields", "调解文书抬头"),
    QT_TRANSLATE_NOOP("AdminFields", "调解委员会印章文字"),
    QT_TRANSLATE_NOOP("AdminFields", "劳动人事争议仲裁委员会名称"),
    QT_TRANSLATE_NOOP("AdminFields", "仲裁委员会地址"),
    QT_TRANSLATE_NOOP("AdminFields", "仲裁案号格式"),
    QT_TRANSLATE_NOOP("AdminFields", "仲裁收件编号格式"),
    QT_TRANSLATE_NOOP("AdminFields", "信访编号格式"),
    QT_TRANSLATE_NOOP("AdminFields", "仲裁文书抬头"),
    QT_TRANSLATE_NOOP("AdminFields", "仲裁委员会印章文字"),
    QT_TRANSLATE_NOOP("AdminFields", "调解室"),
    QT_TRANSLATE_NOOP("AdminFields", "心理咨询室"),
    QT_TRANSLATE_NOOP("AdminFields", "仲裁庭"),
    QT_TRANSLATE_NOOP("AdminFields", "媒体室"),
    QT_TRANSLATE_NOOP("AdminFields", "会议室"),
    QT_TRANSLATE_NOOP("AdminFields", "接待室"),
    QT_TRANSLATE_NOOP("AdminFields", "其他"),
)
